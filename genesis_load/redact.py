"""Masking secrets in URLs and free text before genesis-load stores or prints them.

What counts as a secret (each is replaced by ``***``; everything else is left as it was):

* a URL's **userinfo**, as a whole: ``http://user:pass@host:8080/`` -> ``http://***@host:8080/``
  (a user name alone can be a token, as in ``https://TOKEN@github.com``);
* the value of a **secret-looking parameter** in a URL's query or fragment, or a ``name=value``
  pair in free text: a name that, lower-cased with ``-`` read as ``_``, is one of
  :data:`SECRET_PARAMS` (``token``, ``key``, ``api_key``, ``apikey``, ``access_token``,
  ``password``, ``secret``, ``sig``, ``signature``, ``auth``, ...) or ends in ``_`` plus one of
  them (``client_secret``, ``X-Amz-Signature``, ``refresh_token``);
* the credentials of an ``Authorization`` or ``Proxy-Authorization`` value, and any
  ``Bearer <token>``: ``Authorization: Bearer abc`` -> ``Authorization: Bearer ***``.

:func:`redact_url` takes one URL; a string it cannot parse as one (``http://[::1``) keeps its
scheme and host but has everything between ``//`` and the last ``@`` masked. :func:`redact_text`
takes a message (an error string, a warning) and redacts every URL in it and every secret
pair or header value. Both are pure and idempotent (redacting twice changes nothing more), and
neither decides *where* to redact: that is the caller's job, at the point where a URL or a
message is stored or printed (results meta, monitor sources and errors, the report, CLI lines).

>>> redact_url("http://user:s3cr3t@127.0.0.1:8080/?token=abc&limit=5")
'http://***@127.0.0.1:8080/?token=***&limit=5'
>>> redact_text("GET https://u:p@h/x failed; Authorization: Bearer eyJhbGciOi")
'GET https://***@h/x failed; Authorization: Bearer ***'
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit, urlunsplit

__all__ = ["MASK", "SECRET_PARAMS", "is_secret_name", "redact_name", "redact_text", "redact_url"]

MASK = "***"

#: Parameter names (lower case, ``-`` read as ``_``) whose values are secrets.
SECRET_PARAMS = frozenset(
    {
        "token",
        "key",
        "api_key",
        "apikey",
        "access_token",
        "password",
        "passwd",
        "pwd",
        "secret",
        "sig",
        "signature",
        "auth",
        "credential",
        "credentials",
        "session",
        "sessionid",
    }
)
# A name ending in one of these after a "_" (refresh_token, client_secret, x_amz_signature).
_SECRET_SUFFIXES = tuple(
    f"_{n}" for n in ("token", "key", "password", "secret", "sig", "signature", "credential")
)

# scheme://rest, up to whitespace, a quote or an angle bracket (how URLs sit in messages).
_URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>`]+")
_TRAILING = ".,;:!?)]}"
# name=value, the name not glued to a word before it; the value up to a separator.
_PAIR = re.compile(r"(?<![\w.\-])([A-Za-z][\w.\-]*)=([^&;#\s'\"<>,)]*)")
# Authorization: <scheme> <credentials> (header form, or in repr()s: 'Authorization': '...').
_AUTH_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization['\"]?\s*[:=]\s*['\"]?)"
    r"(?:(basic|bearer|digest|token|negotiate|ntlm|aws4-hmac-sha256)\s+)?"
    r"([^\s'\"]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+(?!\*\*\*)[A-Za-z0-9\-._~+/]+=*")
# The userinfo of a string that urlsplit could not read: after "//", up to the last "@".
_RAW_USERINFO = re.compile(r"^([^/]*//)[^/?#]*@")


def is_secret_name(name: str) -> bool:
    """True for a parameter name whose value is a secret (see the module docstring).

    >>> [is_secret_name(n) for n in ("Token", "X-API-Key", "client_secret", "limit")]
    [True, True, True, False]
    """
    norm = name.strip().lower().replace("-", "_")
    return norm in SECRET_PARAMS or norm.endswith(_SECRET_SUFFIXES)


def _redact_params(query: str) -> str:
    """``a=1&token=x`` -> ``a=1&token=***``: only the values of secret names change."""
    if "=" not in query:
        return query
    pieces = []
    for piece in query.split("&"):
        name, eq, _value = piece.partition("=")
        if eq and is_secret_name(unquote_plus(name)):
            piece = f"{name}={MASK}"
        pieces.append(piece)
    return "&".join(pieces)


def redact_url(url: str) -> str:
    """``url`` with its userinfo and secret-looking parameter values replaced by ``***``.

    Strings without a secret come back unchanged (``""``, ``"demo"``, a plain URL).
    """
    if "@" not in url and "=" not in url:
        return url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:
        return _redact_unparsable(url)
    if not parts.netloc:  # no "//": "user:pass@host", a path, a bare word
        head, sep, tail = url.partition("@")
        if sep and "/" not in head and " " not in head:
            url = f"{MASK}@{tail}"
        return _PAIR.sub(_mask_pair, url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rpartition('@')[2]}"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            parts.path,
            _redact_params(parts.query),
            _redact_params(parts.fragment),
        )
    )


def _redact_unparsable(url: str) -> str:
    masked = _RAW_USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", url, count=1)
    return _PAIR.sub(_mask_pair, masked)


def _mask_pair(match: re.Match[str]) -> str:
    name = match.group(1)
    return f"{name}={MASK}" if is_secret_name(name) and match.group(2) else match.group(0)


def _mask_auth(match: re.Match[str]) -> str:
    prefix, scheme = match.group(1), match.group(2)
    return f"{prefix}{scheme} {MASK}" if scheme else f"{prefix}{MASK}"


def _redact_url_in_text(match: re.Match[str]) -> str:
    """A URL found in prose; punctuation that ends the sentence is not part of it."""
    url = match.group(0)
    core = url.rstrip(_TRAILING)
    return redact_url(core) + url[len(core) :]


def redact_text(text: str) -> str:
    """``text`` with every URL redacted as :func:`redact_url` does, and every secret
    ``name=value`` pair, ``Authorization`` value and ``Bearer`` token masked."""
    if not text:
        return text
    text = _URL_IN_TEXT.sub(_redact_url_in_text, text)
    text = _AUTH_HEADER.sub(_mask_auth, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _PAIR.sub(_mask_pair, text)


def redact_name(name: str) -> str:
    """:func:`redact_text` for a request name, cheap enough for every request.

    A name with no ``=``, ``@`` or space (``/api/v1/users/{id}``) is returned as is after three
    substring tests; others are redacted once and remembered (a bounded cache). Locust names a
    request by its path, so ``--host http://h/?token=t`` makes ``/?token=t/health`` a name.
    """
    if "=" not in name and "@" not in name and " " not in name:
        return name
    return _redact_name_cached(name)


@lru_cache(maxsize=4096)
def _redact_name_cached(name: str) -> str:
    return redact_text(name)
