"""An analyst's right under single sign-on: decided on the server at every run, and taken back.

Streamlit's st.login keeps the ID token's claims in a signed cookie for 30 days, and every copy
of that cookie says the same until then. So the right to write is not read off the cookie alone:
- the token must be ours: `iss` is the provider's issuer and `aud` names this client (with `azp`
  this client when it names others), which Authlib leaves unchecked in that case;
- it lasts until the ID token's `exp`, and at most RIGHT_TTL_S after sign-in (`iat`);
- a sign-out is written to the server (revoked(), under data/, so every replica on the writer
  sees it): every copy of that cookie and every other tab lose the right at their next run;
- the group claim is read from the provider's userinfo when it has one (a conforming provider
  puts `groups` there, not in the ID token), with the access token (`expose_tokens = "access"`),
  cached USERINFO_TTL_S, and asked again at the moment of a commit or undo (fresh=True), so
  someone taken out of the group cannot write.
No claim, token or provider answer is ever shown on a page or logged.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from etl.inputs import data_dir

log = logging.getLogger("etdz.sso")

RIGHT_TTL_S = 3600  # an analyst's right ends an hour after sign-in at the latest
USERINFO_TTL_S = 60  # a page run may use a userinfo answer this old; a write never does
METADATA_TTL_S = 300
HTTP_TIMEOUT_S = 5
REVOKED_FILE = Path(".sessions") / "revoked.jsonl"  # under the data folder
CLAIM, VALUE = "groups", "etdz-analysts"


@dataclass(frozen=True)
class Right:
    """ok, or why not: one of REASONS (the login box's words are admin.sso_<reason>); claims:
    the ID token's, updated with the provider's userinfo answer (name, email, groups) when asked."""
    ok: bool
    reason: str
    claims: dict = field(default_factory=dict)


REASONS = ("not_in_group", "claim_missing", "claim_missing_no_access", "expired", "revoked", "foreign",
           "unreachable")


def session_key(claims) -> str:
    """One sign-in: the same for every copy of its cookie, another for the next sign-in."""
    parts = [str(claims.get(k, "")) for k in ("iss", "sub", "iat", "nonce", "sid")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _revoked_path() -> Path:
    return data_dir() / REVOKED_FILE


_revoked_cache: tuple[tuple, frozenset[str]] | None = None


def revoked() -> frozenset[str]:
    """The session keys signed out on this data folder (read again only when the file changes)."""
    global _revoked_cache
    path = _revoked_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return frozenset()
    stamp = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if _revoked_cache is None or _revoked_cache[0] != stamp:
        keys = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                keys.add(json.loads(line)["key"])
            except (ValueError, KeyError, TypeError):
                continue
        _revoked_cache = (stamp, frozenset(keys))
    return _revoked_cache[1]


def revoke(claims) -> None:
    """Record a sign-out. Entries whose right has ended anyway are dropped, so the file holds
    only the sign-outs of the last RIGHT_TTL_S; written to a temporary file and renamed."""
    import fcntl

    path = _revoked_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    entry = {"key": session_key(claims), "until": right_until(claims) or now + RIGHT_TTL_S}
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kept = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    if json.loads(line)["until"] > now:
                        kept.append(line)
                except (ValueError, KeyError, TypeError):
                    continue
        kept.append(json.dumps(entry))
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(kept) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def right_until(claims) -> float | None:
    """When the right ends: the ID token's exp, and RIGHT_TTL_S after its iat at the latest."""
    try:
        iat = float(claims["iat"])
    except (KeyError, TypeError, ValueError):
        return None
    ends = [iat + RIGHT_TTL_S]
    try:
        ends.append(float(claims["exp"]))
    except (KeyError, TypeError, ValueError):
        pass
    return min(ends)


def ours(claims, client_id: str, issuer: str | None) -> bool:
    """OpenID Connect Core 3.1.3.7: iss is the provider's; aud holds our client id, and when it
    holds others too, azp is ours."""
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        return False
    if len(audiences) > 1 and claims.get("azp") != client_id:
        return False
    if "azp" in claims and claims.get("azp") != client_id:
        return False
    return issuer is not None and claims.get("iss") == issuer


_metadata_cache: dict[str, tuple[float, dict]] = {}


def metadata(url: str) -> dict:
    """The provider's discovery document (cached METADATA_TTL_S); raises httpx.HTTPError."""
    hit = _metadata_cache.get(url)
    if hit and time.monotonic() - hit[0] < METADATA_TTL_S:
        return hit[1]
    doc = httpx.get(url, timeout=HTTP_TIMEOUT_S).raise_for_status().json()
    _metadata_cache[url] = (time.monotonic(), doc)
    return doc


class TokenRejected(Exception):
    """The provider no longer accepts the access token (401/403): the sign-in has ended there."""


_userinfo_cache: dict[str, tuple[float, dict]] = {}


def userinfo(endpoint: str, access_token: str, fresh: bool) -> dict:
    """The provider's userinfo for this access token; raises TokenRejected or httpx.HTTPError."""
    key = hashlib.sha256(f"{endpoint}\x1f{access_token}".encode()).hexdigest()
    hit = _userinfo_cache.get(key)
    if hit and not fresh and time.monotonic() - hit[0] < USERINFO_TTL_S:
        return hit[1]
    answer = httpx.get(endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=HTTP_TIMEOUT_S)
    if answer.status_code in (401, 403):
        _userinfo_cache.pop(key, None)
        raise TokenRejected(answer.status_code)
    info = answer.raise_for_status().json()
    for old in [k for k, (at, _) in _userinfo_cache.items() if time.monotonic() - at > USERINFO_TTL_S]:
        del _userinfo_cache[old]  # bounded by the sessions of the last minute
    _userinfo_cache[key] = (time.monotonic(), info)
    return info


def holds(got, value: str) -> bool:
    """The claim holds the value: a list that has it, or the very string (no case or space games)."""
    return value in got if isinstance(got, list) else got == value


def check(claims, access_token: str | None, provider: dict, sso: dict, *, fresh: bool = False,
          now: float | None = None) -> Right:
    """Whether these ID-token claims give the analyst's right now. provider: client_id and
    server_metadata_url; sso: [admin.sso] (claim, value)."""
    now = time.time() if now is None else now
    claim, value = sso.get("claim", CLAIM), sso.get("value", VALUE)
    if session_key(claims) in revoked():
        return Right(False, "revoked")
    until = right_until(claims)
    if until is None or now >= until:
        return Right(False, "expired")
    try:
        doc = metadata(provider["server_metadata_url"])
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("identity provider metadata unavailable: %s", type(exc).__name__)
        return Right(False, "unreachable")
    if not ours(claims, provider.get("client_id", ""), doc.get("issuer")):
        log.warning("an ID token not issued to this client was refused (iss/aud/azp)")
        return Right(False, "foreign")
    endpoint = doc.get("userinfo_endpoint")
    if endpoint and access_token:
        try:
            info = userinfo(endpoint, access_token, fresh)
        except TokenRejected:
            return Right(False, "expired")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("userinfo unavailable: %s", type(exc).__name__)
            return Right(False, "unreachable")
        if info.get("sub") != claims.get("sub"):
            return Right(False, "foreign")
        claims = {**claims, **info}  # the provider's answer now, over the token's at sign-in
    got = claims.get(claim)
    if got is None:
        reason = "claim_missing_no_access" if endpoint and not access_token else "claim_missing"
        return Right(False, reason, claims)
    return Right(True, "ok", claims) if holds(got, value) else Right(False, "not_in_group", claims)
