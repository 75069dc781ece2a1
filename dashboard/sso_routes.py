"""Streamlit's sign-in routes, wrapped so that nothing about a sign-in is silent (serve.py installs
them before the server starts).

Streamlit answers a provider's refusal (`/oauth2callback?error=…`, e.g. a strict provider that
rejects `prompt=select_account`) and a token it could not check with a bare redirect to the home
page, and an unreachable provider with the English text "Authentication error". Here each comes
back to the home page with `?auth_error=<code>`, which app.py turns into words (admin.auth_error_*)
and takes out of the address. A sign-out also records the sign-in as ended on the server
(dashboard.sso.revoke), for every copy of its cookie, before Streamlit clears this browser's.
"""
from __future__ import annotations

import json
import logging
from urllib.parse import urlencode, urlsplit, urlunsplit

log = logging.getLogger("etdz.sso")

ERRORS = ("prompt", "denied", "provider", "token", "unreachable")


def _with_error(response, code: str):
    """The same redirect, to the home page with ?auth_error=code."""
    url = urlsplit(response.headers["location"])
    response.headers["location"] = urlunsplit(url._replace(query=urlencode({"auth_error": code})))
    return response


def _sets_cookie(header: bytes, name: str) -> bool:
    """A Set-Cookie header that gives `name` a value (a deletion sets it to "")."""
    pair = header.split(b";", 1)[0]
    return pair.startswith(name.encode() + b"=") and pair.split(b"=", 1)[1] not in (b"", b'""')


def _provider_error(error: str, description: str) -> str:
    if error == "access_denied":
        return "denied"
    if error in ("invalid_request", "unsupported_prompt") and "prompt" in description.lower():
        return "prompt"
    return "provider"


def install() -> None:
    from starlette.requests import Request
    from starlette.responses import RedirectResponse
    from starlette.routing import Route
    from streamlit.url_util import make_url_path
    from streamlit.web.server.starlette import starlette_app
    from streamlit.web.server.starlette import starlette_auth_routes as auth
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

    from dashboard import sso

    def create_auth_routes(base_url: str) -> list[Route]:
        async def login(request: Request):
            response = await auth._auth_login(request, base_url)
            if response.status_code == 400:  # Streamlit's "Authentication error": no provider answer
                return _with_error(RedirectResponse(make_url_path(base_url, "/"), status_code=302), "unreachable")
            return response

        async def logout(request: Request):
            cookie = auth._get_cookie_value_from_request(request, USER_COOKIE_NAME)
            if cookie:
                try:
                    sso.revoke(json.loads(cookie))
                except (OSError, ValueError) as exc:
                    log.error("a sign-out could not be recorded: %s", type(exc).__name__)
            return await auth._auth_logout(request, base_url)

        async def callback(request: Request):
            response = await auth._auth_callback(request, base_url)
            query = request.query_params
            if error := query.get("error"):
                return _with_error(response, _provider_error(error, query.get("error_description", "")))
            signed_in = any(_sets_cookie(h, USER_COOKIE_NAME) for k, h in response.raw_headers if k == b"set-cookie")
            if query.get("code") and not signed_in:  # the token exchange or its check failed
                return _with_error(response, "token")
            return response  # signed in, or back from the provider's sign-out page

        return [Route(make_url_path(base_url, auth._ROUTE_AUTH_LOGIN), login, methods=["GET"]),
                Route(make_url_path(base_url, auth._ROUTE_AUTH_LOGOUT), logout, methods=["GET"]),
                Route(make_url_path(base_url, auth._ROUTE_OAUTH_CALLBACK), callback, methods=["GET"])]

    starlette_app.create_auth_routes = create_auth_routes
