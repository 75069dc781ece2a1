"""A tiny OpenID Connect provider on loopback for the sign-on tests: the intranet's identity
system as Streamlit's st.login sees it.

Authorization code flow with a discovery document, a JWKS and RS256 ID tokens signed with
joserfc (the JOSE library Authlib itself validates them with). The sign-in page is a list of
test people, one link each; each person's ID token carries a `groups` claim. Three of them get
a bad token on purpose: `expired` (exp in the past), `tampered` (the payload changed after
signing) and `foreign` (issued to another client, `aud`, with `azp` naming this one: Authlib
lets it through, the app must not). Made-up people for tests only.
"""
from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "etdz-dashboard", "test-client-secret"
ANALYSTS = "etdz-analysts"
PEOPLE = {
    "analyst": {"name": "李分析", "email": "analyst@example.test", "groups": [ANALYSTS, "staff"]},
    "viewer": {"name": "王查看", "email": "viewer@example.test", "groups": ["staff"]},
    "expired": {"name": "过期令牌", "email": "expired@example.test", "groups": [ANALYSTS]},
    "tampered": {"name": "篡改令牌", "email": "tampered@example.test", "groups": ["staff"]},
    "foreign": {"name": "他用令牌", "email": "foreign@example.test", "groups": [ANALYSTS]},
}


class Provider:
    """Serves on 127.0.0.1:port in a thread; `issuer` is its URL."""

    def __init__(self, port: int):
        self.issuer = f"http://127.0.0.1:{port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}  # code -> who and the nonce of their request
        self.issued: list[str] = []  # who got an ID token, in order
        self.logouts = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                route = {"/.well-known/openid-configuration": provider.discovery, "/jwks": provider.jwks,
                         "/authorize": provider.authorize, "/logout": provider.logout}.get(url.path)
                self.answer(*(route(query) if route else (404, "text/plain", "not found")))

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                if urlsplit(self.path).path != "/token":
                    return self.answer(404, "text/plain", "not found")
                self.answer(*provider.token(form, self.headers.get("Authorization", "")))

            def answer(self, status, kind, body, location=None):
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                data = body.encode()
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self, _query):
        return 200, "application/json", json.dumps({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "name", "email", "groups"],
        })

    def jwks(self, _query):
        return 200, "application/json", json.dumps({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, query):
        """Without `who`: the sign-in page. With it: a code, back to the app's redirect_uri."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, "text/plain", "bad request"
        who = query.get("who")
        if who is None:
            links = "".join(f'<li><a href="/authorize?{html.escape(urlencode({**query, "who": p}))}">{p}</a></li>'
                            for p in PEOPLE)
            return 200, "text/html; charset=utf-8", f"<!doctype html><title>测试身份认证</title><ul>{links}</ul>"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"who": who, "nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"]}
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, "text/plain", "", back

    def token(self, form, authorization):
        client = base64.b64decode(authorization.removeprefix("Basic ")).decode() if authorization else \
            f"{form.get('client_id')}:{form.get('client_secret')}"
        grant = self.codes.pop(form.get("code", ""), None)
        if client != f"{CLIENT_ID}:{CLIENT_SECRET}" or grant is None or grant["redirect_uri"] != form.get(
                "redirect_uri") or form.get("grant_type") != "authorization_code":
            return 400, "application/json", json.dumps({"error": "invalid_grant"})
        who, now = grant["who"], int(time.time())
        claims = {"iss": self.issuer, "sub": f"user-{who}", "aud": CLIENT_ID, "iat": now, "exp": now + 600,
                  "nonce": grant["nonce"], **PEOPLE[who]}
        if who == "expired":
            claims |= {"iat": now - 7200, "exp": now - 3600}
        if who == "foreign":
            claims |= {"aud": "another-client", "azp": CLIENT_ID}
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        if who == "tampered":  # the same signature over a payload that now says analyst
            head, _, sig = id_token.split(".")
            forged = dict(claims, groups=[ANALYSTS])
            body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            id_token = f"{head}.{body}.{sig}"
        self.issued.append(who)
        return 200, "application/json", json.dumps({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                                    "expires_in": 600, "id_token": id_token})

    def logout(self, query):
        self.logouts += 1
        return 302, "text/plain", "", query.get("post_logout_redirect_uri", "/")

    def __enter__(self) -> "Provider":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
