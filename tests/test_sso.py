"""Which login mode is on, and who counts as an analyst. The sign-in itself, against a real
OpenID Connect provider, is tests/e2e/test_browser_sso.py."""
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

import dashboard.admin
from apptest_helpers import ROOT
from dashboard.i18n import TEXT
from etl import admin

PROVIDER = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
            "client_id": "etdz-dashboard", "client_secret": "s",
            "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
# the same provider named: [auth.intranet]
NAMED = {"redirect_uri": PROVIDER["redirect_uri"], "cookie_secret": PROVIDER["cookie_secret"],
         "intranet": {k: PROVIDER[k] for k in ("client_id", "client_secret", "server_metadata_url")}}


def start(auth: dict | None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.secrets["admin"] = {"users": {"analyst": admin.hash_password("x" * 10)}}
    if auth is not None:
        at.secrets["auth"] = auth
    if user:
        at.session_state["admin_user"] = user
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_without_a_provider_the_box_says_password_mode_and_asks_for_one():
    at = start(None)
    assert TEXT["admin.mode_password"][0] in captions(at)
    assert TEXT["admin.mode_sso"][0] not in captions(at)
    assert [w.key for w in at.sidebar.text_input] == ["admin_login_user", "admin_login_password"]


@pytest.mark.parametrize("auth", [PROVIDER, NAMED])
def test_with_a_provider_the_box_offers_single_sign_on_and_no_password(auth):
    at = start(auth)
    assert TEXT["admin.mode_sso"][0] in captions(at)
    assert TEXT["admin.mode_password"][0] not in captions(at)
    assert not at.sidebar.text_input  # no password form
    assert [b.label for b in at.sidebar.button if b.key == "admin_sso_login"] == [TEXT["admin.sso_login"][0]]



@pytest.mark.parametrize("auth, provider", [(PROVIDER, None), (NAMED, "intranet")])
def test_sign_in_asks_the_provider_the_secrets_name(auth, provider, monkeypatch):
    asked = []
    monkeypatch.setattr(streamlit, "login", lambda provider=None: asked.append(provider))
    at = start(auth)
    at.sidebar.button(key="admin_sso_login").click().run()
    assert asked == [provider]

def test_a_password_session_counts_for_nothing_once_sign_on_is_on():
    start(None, user="analyst").switch_page("pages/data_admin.py")  # in its navigation with passwords
    at = start(PROVIDER, user="analyst")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data_admin.py")


def test_an_auth_section_without_a_provider_is_not_sign_on():
    at = start({"redirect_uri": PROVIDER["redirect_uri"]})
    assert TEXT["admin.mode_password"][0] in captions(at)


@pytest.mark.parametrize(("sso", "claims", "analyst"), [
    ({}, {"groups": ["staff", "etdz-analysts"]}, True),
    ({}, {"groups": ["staff"]}, False),
    ({}, {}, False),
    ({"claim": "roles", "value": "etdz-admin"}, {"roles": "etdz-admin", "groups": ["etdz-analysts"]}, True),
    ({"claim": "roles", "value": "etdz-admin"}, {"groups": ["etdz-analysts"]}, False),
    ({"claim": "roles", "value": "etdz-admin"}, {"roles": "etdz-admin-2"}, False),
])
def test_the_analyst_claim_is_configurable(monkeypatch, sso, claims, analyst):
    monkeypatch.setattr(dashboard.admin, "_secrets", lambda section: {"sso": sso} if section == "admin" else {})
    assert dashboard.admin.is_analyst(claims) is analyst
