"""Which login mode is on, who counts as an analyst, and for how long. The sign-in itself,
against real OpenID Connect providers, is tests/e2e/test_browser_sso.py and
test_browser_sso_strict.py."""
import json
import time

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

import dashboard.admin
from apptest_helpers import ROOT
from dashboard import sso
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

def page_errors(at: AppTest) -> list[str]:
    return [e.value for e in at.main.error]


def test_a_password_session_counts_for_nothing_once_sign_on_is_on():
    at = start(None, user="analyst").switch_page("pages/data_admin.py").run()
    assert page_errors(at) == [] and at.tabs[0].label == TEXT["admin.tab_add"][0]
    at = start(PROVIDER, user="analyst").switch_page("pages/data_admin.py").run()
    assert page_errors(at) == [TEXT["admin.denied"][0]]
    assert not at.tabs


def test_a_viewer_opening_data_maintenance_is_told_in_chinese_what_it_needs():
    at = start(None).switch_page("pages/data_admin.py").run()
    assert not at.exception
    assert page_errors(at) == [TEXT["admin.denied"][0]]
    assert not at.tabs  # nothing of the page beyond the message


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


# ---------- the right: whose token, how long, signed out, where the claim is ----------

ISSUER = "https://idp.example"
SETTINGS = {"client_id": "etdz-dashboard", "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration"}
NOW = 1_800_000_000.0


def claims(**changes) -> dict:
    base = {"iss": ISSUER, "aud": "etdz-dashboard", "sub": "u-1", "iat": NOW - 60, "exp": NOW + 540,
            "nonce": "n-1", "groups": ["etdz-analysts"], "name": "李分析"}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


@pytest.fixture
def provider(monkeypatch, tmp_path):
    """A provider's discovery document without userinfo (set doc["userinfo_endpoint"] and
    answers[token] for one), and a data folder of its own for the sign-outs."""
    doc, answers = {"issuer": ISSUER}, {}
    monkeypatch.setenv("ETDZ_DATA", str(tmp_path))
    monkeypatch.setattr(sso, "metadata", lambda url: doc)

    def userinfo(endpoint, token, fresh):
        answer = answers[token]
        if isinstance(answer, Exception):
            raise answer
        return answer
    monkeypatch.setattr(sso, "userinfo", userinfo)
    return doc, answers


def right(c, token=None, **kw) -> str:
    return sso.check(c, token, SETTINGS, {}, now=NOW, **kw).reason


def test_a_current_token_of_ours_in_the_group_is_an_analyst(provider):
    assert right(claims()) == "ok"


@pytest.mark.parametrize(("changes", "reason"), [
    ({"iat": NOW - 30.9 * 86400, "exp": NOW - 30.9 * 86400 + 600}, "expired"),  # a 30.9-day-old cookie
    ({"iat": NOW - 3601, "exp": NOW + 86400}, "expired"),  # a long-lived token: an hour at most
    ({"exp": NOW - 1}, "expired"),
    ({"iat": None}, "expired"),  # no sign-in time, no right
    ({"aud": "another-client", "azp": "etdz-dashboard"}, "foreign"),
    ({"aud": ["etdz-dashboard", "another-client"]}, "foreign"),  # several audiences and no azp
    ({"aud": ["etdz-dashboard", "another-client"], "azp": "another-client"}, "foreign"),
    ({"iss": "https://idp.example/other"}, "foreign"),
    ({"groups": ["etdz-analysts "]}, "not_in_group"),
    ({"groups": "Etdz-Analysts"}, "not_in_group"),
    ({"groups": None}, "claim_missing"),
])
def test_the_right_ends_or_is_refused(provider, changes, reason):
    assert right(claims(**changes)) == reason


def test_several_audiences_with_azp_ours_are_accepted(provider):
    assert right(claims(aud=["etdz-dashboard", "another-client"], azp="etdz-dashboard")) == "ok"


def test_a_sign_out_ends_that_sign_in_everywhere_and_only_that_one(provider, tmp_path):
    signed_in, again = claims(), claims(nonce="n-2", iat=NOW - 5)
    sso.revoke(signed_in)
    assert right(dict(signed_in)) == "revoked"  # every copy of its cookie
    assert right(again) == "ok"  # the next sign-in
    lines = (tmp_path / sso.REVOKED_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["key"] for x in lines] == [sso.session_key(signed_in)]
    assert sso.session_key(signed_in) != sso.session_key(again)


def test_the_sign_out_file_keeps_only_rights_that_could_still_be_in_force(provider, tmp_path):
    old = claims(iat=time.time() - 2 * sso.RIGHT_TTL_S, exp=time.time() - sso.RIGHT_TTL_S)
    sso.revoke(old)
    sso.revoke(claims(iat=time.time(), exp=time.time() + 600))
    lines = (tmp_path / sso.REVOKED_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1  # the first had ended anyway: the file does not grow with every sign-out


def test_groups_given_by_userinfo_count_and_are_asked_again(provider):
    doc, answers = provider
    doc["userinfo_endpoint"] = f"{ISSUER}/me"
    answers["at-1"] = {"sub": "u-1", "groups": ["etdz-analysts"], "name": "李分析"}
    assert right(claims(groups=None), "at-1") == "ok"
    answers["at-1"] = {"sub": "u-1", "groups": ["staff"]}  # taken out of the group at the provider
    assert right(claims(), "at-1", fresh=True) == "not_in_group"  # the token's old claim does not count
    answers["at-1"] = sso.TokenRejected(401)
    assert right(claims(), "at-1") == "expired"
    answers["at-1"] = {"sub": "u-2", "groups": ["etdz-analysts"]}
    assert right(claims(), "at-1") == "foreign"  # userinfo of someone else


def test_a_claim_only_in_userinfo_without_the_access_token_says_so(provider):
    doc, _ = provider
    doc["userinfo_endpoint"] = f"{ISSUER}/me"
    assert right(claims(groups=None)) == "claim_missing_no_access"


def test_a_provider_that_cannot_answer_gives_no_right(provider, monkeypatch):
    import httpx

    def down(url):
        raise httpx.ConnectError("refused")
    monkeypatch.setattr(sso, "metadata", down)
    assert right(claims()) == "unreachable"


@pytest.mark.parametrize("reason", sso.REASONS)
def test_every_reason_has_words_in_both_languages(reason):
    zh, en = TEXT[f"admin.sso_{reason}"]
    assert zh and en and zh != en
