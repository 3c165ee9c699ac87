"""The bearer token that guards writes.

No token configured → writes are disabled (403); a missing or wrong token → 401.

>>> from policykg.settings import Settings
>>> from pydantic import SecretStr
>>> check_write_token(Settings(api_token=SecretStr("s3cret")), "Bearer s3cret")
>>> check_write_token(Settings(api_token=None), "Bearer x")
Traceback (most recent call last):
...
policykg.api.errors.ApiError: Writes are disabled: the server has no API token (set POLICYKG_API_TOKEN to enable them).
"""

from __future__ import annotations

import hmac

from fastapi import Request

from policykg.api.errors import ApiError
from policykg.settings import Settings

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="policykg"'}


def check_write_token(settings: Settings, authorization: str | None) -> None:
    """Raise ApiError 403/401 unless ``authorization`` carries the configured bearer token (and the
    server may write: ``policykg serve --workers N`` on the embedded store only reads)."""
    expected = settings.api_token.get_secret_value() if settings.api_token is not None else ""
    if settings.read_only:
        raise ApiError(
            403,
            "Writes are disabled: this server only reads the store (several workers on the embedded store); "
            "load documents with `policykg load`, or serve with one worker to upload through the API.",
        )
    if not expected:
        raise ApiError(403, "Writes are disabled: the server has no API token (set POLICYKG_API_TOKEN to enable them).")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            "This request changes the graph and needs an 'Authorization: Bearer <token>' header.",
            headers=_CHALLENGE,
        )
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "The bearer token is not the one this server accepts.", headers=_CHALLENGE)


def require_writer(request: Request) -> None:
    """Dependency form of :func:`check_write_token`."""
    check_write_token(request.app.state.policykg.settings, request.headers.get("authorization"))
