"""The admin gate: a small sidebar login. app.py shows the 数据维护 page in the navigation only
to a logged-in analyst; anyone else who opens its address is told it needs an analyst's sign-in.

Two modes. Single sign-on when [auth] in .streamlit/secrets.toml names an OpenID Connect
provider: Streamlit's st.login / st.user, and an analyst is whoever the provider says carries the
claim [admin.sso] names (claim, value; default groups ∋ etdz-analysts), for a short while and
until they sign out (dashboard.sso); everyone else who signs in is a viewer. Otherwise the local
passwords under [admin.users] (scrypt), for a single machine without an identity provider.
"""
from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from dashboard import sso, sso_routes
from dashboard.i18n import t
from etl.admin import THROTTLE, verify_password

USER_KEY = "admin_user"
THROTTLE_KEY = "admin_throttle"
AUTH_ERROR_KEY = "admin_auth_error"
PROVIDER_KEYS = {"client_id", "server_metadata_url"}


@dataclass(frozen=True)
class Analyst:
    name: str  # as shown and logged
    id: str  # stable, for the audit trail: the provider's `sub`, or the local user name


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


def provider_settings() -> dict:
    """client_id and server_metadata_url of the provider in use."""
    auth, name = _secrets("auth"), sso_provider()
    return auth if not name else auth[name]


def is_analyst(claims) -> bool:
    """Whether claims carry the analyst claim (a list holding the value, or equal to it)."""
    settings = _secrets("admin").get("sso", {})
    return sso.holds(claims.get(settings.get("claim", sso.CLAIM)), settings.get("value", sso.VALUE))


def signed_in() -> bool:
    return bool(st.user.get("is_logged_in"))  # absent outside a real server (AppTest)


def signed_in_name(claims=None) -> str:
    """The name to show: the provider's userinfo answer when there is one, else the ID token's."""
    claims = claims or st.user
    return str(claims.get("name") or claims.get("email") or claims.get("sub") or "")


def _access_token() -> str | None:
    try:
        return st.user.tokens.get("access")
    except Exception:  # noqa: BLE001 - no tokens exposed, or outside a real server
        return None


def sso_right(fresh: bool = False) -> sso.Right:
    """The signed-in person's right now (fresh: ask the provider again, for a write)."""
    return sso.check(st.user, _access_token(), provider_settings(), _secrets("admin").get("sso", {}), fresh=fresh)


def accounts() -> dict[str, str]:
    """user -> scrypt hash, from [admin.users] in .streamlit/secrets.toml ({} = import is off)."""
    return dict(_secrets("admin").get("users", {}))


def current_user(fresh: bool = False) -> Analyst | None:
    """The signed-in analyst, or None for a viewer. fresh: at the moment of a write, the
    provider is asked again (single sign-on)."""
    if sso_configured():
        right = sso_right(fresh) if signed_in() else None
        if right and right.ok:
            return Analyst(signed_in_name(right.claims), str(st.user.get("sub") or ""))
        return None
    user = st.session_state.get(USER_KEY)
    return Analyst(user, user) if user and user in accounts() else None  # a removed account is logged out


def take_auth_error() -> None:
    """A failed sign-in comes back as ?auth_error=<code> (dashboard.sso_routes): keep it for the
    login box, and take it out of the address."""
    code = st.query_params.get("auth_error")
    if code is not None:
        del st.query_params["auth_error"]
        if code in sso_routes.ERRORS:  # anything else is not ours to show
            st.session_state[AUTH_ERROR_KEY] = code


def login_box() -> None:
    """管理员登录 in a sidebar expander (open when a sign-in just failed): how to turn import on,
    the form, or log out."""
    error = st.session_state.get(AUTH_ERROR_KEY)  # shown until the next try
    with st.sidebar.expander(t("admin.login"), icon=":material/lock:", expanded=error is not None):
        if error:
            st.error(t(f"admin.auth_error_{error}"), icon=":material/error:")
        if sso_configured():
            sso_box()
            return
        if not accounts():
            st.caption(t("admin.off_help"))
            return
        if user := current_user():
            st.text(t("admin.logged_in", user=user.name))
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
    """Single sign-on: which mode is on, then sign in, or who is signed in with which rights and,
    for a viewer, why (not in the group, the claim missing, the right ended, signed out elsewhere)."""
    st.caption(t("admin.mode_sso"))
    right = sso_right() if signed_in() else None
    if right is None or right.reason == "revoked":
        if right is not None:
            st.info(t("admin.sso_revoked"), icon=":material/logout:")
        if st.button(t("admin.sso_login"), key="admin_sso_login", icon=":material/badge:"):
            sign_in()
        return
    user = signed_in_name(right.claims)
    st.text(t("admin.logged_in", user=user) if right.ok else t(f"admin.sso_{right.reason}", user=user))
    if right.reason == "expired" and st.button(t("admin.sso_again"), key="admin_sso_login", icon=":material/badge:"):
        sign_in()
    if st.button(t("admin.logout"), key="admin_logout"):
        st.logout()


def sign_in() -> None:
    st.session_state.pop(AUTH_ERROR_KEY, None)
    st.login(sso_provider() or None)


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


def require(fresh: bool = False) -> Analyst:
    """The logged-in analyst; anyone else is told the page needs an analyst's sign-in, and stopped.
    fresh=True before a commit or undo: the right is checked again at that moment."""
    user = current_user(fresh)
    if user is None:
        st.error(t("admin.denied_now" if fresh else "admin.denied"), icon=":material/lock:")
        st.stop()
    return user
