"""The admin gate: a small sidebar login. app.py adds the 数据维护 page to the navigation only
for a logged-in analyst, so viewers never see it.

Two modes. Single sign-on when [auth] in .streamlit/secrets.toml names an OpenID Connect
provider: Streamlit's st.login / st.user, and an analyst is whoever's ID token carries the
claim [admin.sso] names (claim, value; default groups ∋ etdz-analysts); everyone else who
signs in is a viewer. Otherwise the local passwords under [admin.users] (scrypt), for a single
machine without an identity provider.
"""
from __future__ import annotations

import math
import secrets
from collections.abc import Mapping

import streamlit as st

from dashboard.i18n import t
from etl.admin import THROTTLE, verify_password

USER_KEY = "admin_user"
THROTTLE_KEY = "admin_throttle"
SSO_CLAIM, SSO_VALUE = "groups", "etdz-analysts"
PROVIDER_KEYS = {"client_id", "server_metadata_url"}


def _plain(value):
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def _secrets(section: str) -> dict:
    """A section of .streamlit/secrets.toml as plain dicts ({} if absent)."""
    try:
        return _plain(st.secrets.get(section, {}))
    except FileNotFoundError:  # no secrets file at all
        return {}


def sso_provider() -> str | None:
    """The provider [auth] names: "" at its top level (st.login()), else a sub-section's name
    ([auth.intranet]: st.login("intranet"), which st.login() alone would not find); None: none."""
    auth = _secrets("auth")
    if PROVIDER_KEYS & auth.keys():
        return ""
    return next((name for name, v in auth.items() if isinstance(v, dict) and PROVIDER_KEYS & v.keys()), None)


def sso_configured() -> bool:
    return sso_provider() is not None


def is_analyst(claims) -> bool:
    """Whether an ID token's claims carry the analyst claim (a list holding the value, or equal to it)."""
    sso = _secrets("admin").get("sso", {})
    got = claims.get(sso.get("claim", SSO_CLAIM))
    value = sso.get("value", SSO_VALUE)
    return value in got if isinstance(got, list) else got == value


def signed_in() -> bool:
    return bool(st.user.get("is_logged_in"))  # absent outside a real server (AppTest)


def signed_in_name() -> str:
    return str(st.user.get("name") or st.user.get("email") or st.user.get("sub") or "")


def accounts() -> dict[str, str]:
    """user -> scrypt hash, from [admin.users] in .streamlit/secrets.toml ({} = import is off)."""
    return dict(_secrets("admin").get("users", {}))


def current_user() -> str | None:
    """The signed-in analyst's name, or None for a viewer."""
    if sso_configured():
        if signed_in() and is_analyst(st.user):
            return signed_in_name()
        return None
    user = st.session_state.get(USER_KEY)
    return user if user and user in accounts() else None  # a removed account is logged out


def login_box() -> None:
    """管理员登录 in a collapsed sidebar expander: how to turn import on, the form, or log out."""
    with st.sidebar.expander(t("admin.login"), icon=":material/lock:"):
        if sso_configured():
            sso_box()
            return
        if not accounts():
            st.caption(t("admin.off_help"))
            return
        if user := current_user():
            st.text(t("admin.logged_in", user=user))
            if st.button(t("admin.logout"), key="admin_logout"):
                del st.session_state[USER_KEY]
                st.rerun()
            return
        st.caption(t("admin.mode_password"))
        with st.form("admin_login", border=False, clear_on_submit=True):
            name = st.text_input(t("admin.user"), key="admin_login_user")
            password = st.text_input(t("admin.password"), type="password", key="admin_login_password")
            submitted = st.form_submit_button(t("admin.login_button"))
        if submitted:
            _try(name.strip(), password)


def sso_box() -> None:
    """Single sign-on: which mode is on, then sign in, or who is signed in with which rights."""
    st.caption(t("admin.mode_sso"))
    if not signed_in():
        if st.button(t("admin.sso_login"), key="admin_sso_login", icon=":material/badge:"):
            st.login(sso_provider() or None)
        return
    user = signed_in_name()
    st.text(t("admin.logged_in", user=user) if current_user() else t("admin.sso_viewer", user=user))
    if st.button(t("admin.logout"), key="admin_logout"):
        st.logout()


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
