import streamlit as st

st.title("经济运行")
