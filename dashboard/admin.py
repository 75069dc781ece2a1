"""The admin gate: a small sidebar login. app.py adds the 数据维护 page to the navigation only
for a logged-in session, so viewers never see it."""
from __future__ import annotations

import math
import secrets

import streamlit as st

from dashboard.i18n import t
from etl.admin import THROTTLE, verify_password

USER_KEY = "admin_user"
THROTTLE_KEY = "admin_throttle"


def accounts() -> dict[str, str]:
    """user -> scrypt hash, from [admin.users] in .streamlit/secrets.toml ({} = import is off)."""
    try:
        return dict(st.secrets.get("admin", {}).get("users", {}))
    except FileNotFoundError:  # no secrets file at all
        return {}


def current_user() -> str | None:
    user = st.session_state.get(USER_KEY)
    return user if user and user in accounts() else None  # a removed account is logged out


def login_box() -> None:
    """管理员登录 in a collapsed sidebar expander: how to turn import on, the form, or log out."""
    with st.sidebar.expander(t("admin.login"), icon=":material/lock:"):
        if not accounts():
            st.caption(t("admin.off_help"))
            return
        if user := current_user():
            st.text(t("admin.logged_in", user=user))
            if st.button(t("admin.logout"), key="admin_logout"):
                del st.session_state[USER_KEY]
                st.rerun()
            return
        with st.form("admin_login", border=False, clear_on_submit=True):
            name = st.text_input(t("admin.user"), key="admin_login_user")
            password = st.text_input(t("admin.password"), type="password", key="admin_login_password")
            submitted = st.form_submit_button(t("admin.login_button"))
        if submitted:
            _try(name.strip(), password)


def client_id() -> str:
    """Who is trying, for the throttle: the browser's address; behind our nginx (the app sees
    127.0.0.1) the address nginx appended last to X-Forwarded-For, which a client cannot forge.
    Without an address (tests), the session."""
    ip = st.context.ip_address
    ip = ip if isinstance(ip, str) else None
    if ip in (None, "127.0.0.1", "::1"):
        forwarded = st.context.headers.get("X-Forwarded-For")
        ip = (forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else "") or ip
    if ip:
        return ip
    return st.session_state.setdefault(THROTTLE_KEY, f"session-{secrets.token_hex(8)}")


def _try(name: str, password: str) -> None:
    client = client_id()
    if (wait := THROTTLE.wait(client, name)) > 0:
        st.error(t("admin.wait", s=math.ceil(wait)), icon=":material/timer:")
        return
    if verify_password(password, accounts().get(name)):
        THROTTLE.succeeded(client, name)
        st.session_state[USER_KEY] = name
        st.rerun()
    THROTTLE.failed(client, name)
    st.error(t("admin.wrong", s=math.ceil(THROTTLE.wait(client, name))), icon=":material/block:")


def require() -> str:
    """The logged-in admin; anyone else is stopped (the page is not in their navigation anyway)."""
    user = current_user()
    if user is None:
        st.error(t("admin.denied"), icon=":material/lock:")
        st.stop()
    return user
