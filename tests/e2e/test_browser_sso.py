"""Single sign-on through nginx: st.login against a real OpenID Connect provider on loopback
(tests/oidc_provider.py). An analyst (groups ∋ etdz-analysts) is offered 数据维护, a viewer is
not and is told so on its address, logging out ends it, an expired or tampered ID token signs
nobody in, and one issued to another client gives no right. The strict provider's tests are
test_browser_sso_strict.py."""
import os
import secrets

import pytest

from browser_helpers import TIMEOUT_MS, VIEWPORT, free_port, wait_ready
from dashboard.i18n import TEXT
from deploy.cluster import Cluster
from oidc_provider import ANALYSTS, CLIENT_ID, CLIENT_SECRET, PEOPLE, Provider

pytestmark = pytest.mark.e2e


def zh(key: str, **fields) -> str:
    return TEXT[key][0].format(**fields)


@pytest.fixture(scope="module")
def provider():
    with Provider(free_port(8750)) as p:
        yield p


@pytest.fixture(scope="module")
def cluster(provider, tmp_path_factory):
    listen = free_port(8760)
    secrets_file = tmp_path_factory.mktemp("sso") / "secrets.toml"
    secrets_file.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{listen}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"

[admin.sso]
claim = "groups"
value = "{ANALYSTS}"
""", encoding="utf-8")
    with Cluster(1, base_port=free_port(8770), listen_port=listen, env=dict(os.environ),
                 args=["--secrets.files", str(secrets_file)]) as c:
        yield c


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx.new_page()
    ctx.close()


def open_login_box(page):
    wait_ready(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(zh("admin.login")).click()
    return sidebar


def sign_in(page, url: str, who: str):
    page.goto(url + "/", wait_until="commit")
    sidebar = open_login_box(page)
    assert sidebar.get_by_text(zh("admin.mode_sso")).is_visible()
    assert sidebar.get_by_label(zh("admin.password")).count() == 0  # no password form in this mode
    sidebar.get_by_role("button", name=zh("admin.sso_login")).click()
    page.get_by_role("link", name=who, exact=True).click()  # the provider's sign-in page
    page.wait_for_url(url + "/")
    return open_login_box(page)


def login_box(page):
    return page.locator("[data-testid=stSidebar] [data-testid=stExpander]").filter(has_text=zh("admin.login"))


def nav_has_data_admin(page) -> bool:
    return page.locator("[data-testid=stSidebarNav]").get_by_text(zh("nav_data_admin")).count() > 0


def test_analyst_is_offered_data_maintenance_and_logs_out(cluster, provider, page, screenshots):
    sidebar = sign_in(page, cluster.url, "analyst")
    sidebar.get_by_text(zh("admin.logged_in", user=PEOPLE["analyst"]["name"])).wait_for()
    assert nav_has_data_admin(page)
    page.locator("[data-testid=stSidebarNav]").get_by_text(zh("nav_data_admin")).click()
    page.get_by_text(zh("admin.tab_add")).wait_for()
    wait_ready(page)
    login_box(page).screenshot(path=screenshots / "sso_analyst.png")
    logouts = provider.logouts
    sidebar.get_by_role("button", name=zh("admin.logout")).click()
    page.wait_for_url(cluster.url + "/")
    sidebar = open_login_box(page)
    sidebar.get_by_role("button", name=zh("admin.sso_login")).wait_for()
    login_box(page).screenshot(path=screenshots / "sso_signed_out.png")
    assert not nav_has_data_admin(page)
    assert provider.logouts == logouts + 1  # the provider's session ended too (end_session_endpoint)


def test_viewer_signs_in_but_is_refused_data_maintenance(cluster, page, screenshots):
    sidebar = sign_in(page, cluster.url, "viewer")
    sidebar.get_by_text(zh("admin.sso_not_in_group", user=PEOPLE["viewer"]["name"])).wait_for()
    login_box(page).screenshot(path=screenshots / "sso_viewer.png")
    assert not nav_has_data_admin(page)
    page.goto(cluster.url + "/data-admin", wait_until="commit")
    page.get_by_text(zh("admin.denied")).wait_for()  # in Chinese, not Streamlit's "Page not found"
    wait_ready(page)
    page.screenshot(path=screenshots / "sso_viewer_data_admin.png")
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text(zh("admin.tab_add")).count() == 0


def test_an_id_token_issued_to_another_client_gives_no_right(cluster, page):
    sidebar = sign_in(page, cluster.url, "foreign")  # aud: another client, azp: this one
    sidebar.get_by_text(zh("admin.sso_foreign", user=PEOPLE["foreign"]["name"])).wait_for()
    assert not nav_has_data_admin(page)


@pytest.mark.parametrize("who", ["expired", "tampered"])
def test_a_bad_id_token_signs_nobody_in(cluster, provider, page, who):
    issued = provider.issued.count(who)
    sidebar = sign_in(page, cluster.url, who)
    assert provider.issued.count(who) == issued + 1  # the provider did answer, with a bad token
    sidebar.get_by_role("button", name=zh("admin.sso_login")).wait_for()
    assert not nav_has_data_admin(page)
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
