"""The floor of page_load.py: one Streamlit page with one Plotly chart, nothing of ours."""
import plotly.graph_objects as go
import streamlit as st

st.title("floor")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), width="stretch")
