"""redact_url and redact_text: what counts as a secret, and that nothing else changes."""

from __future__ import annotations

import pytest

import genesis_load.redact as redact_module
from genesis_load.redact import is_secret_name, redact_name, redact_text, redact_url

URL_CASES = [
    (
        "http://user:s3cr3t@127.0.0.1:8080/",
        "http://***@127.0.0.1:8080/",
        "user and password -> ***@",
    ),
    (
        "https://TOKEN@github.com/o/r.git",
        "https://***@github.com/o/r.git",
        "a user name alone is masked too",
    ),
    ("http://u:p@[::1]:9/metrics", "http://***@[::1]:9/metrics", "an IPv6 host keeps its brackets"),
    ("http://a@b:c@h/", "http://***@h/", "an @ inside the password is masked up to the last @"),
    (
        "http://h/?token=abc&limit=5",
        "http://h/?token=***&limit=5",
        "token value masked, limit kept",
    ),
    (
        "http://h/x?API_KEY=1&Key=2&apikey=3",
        "http://h/x?API_KEY=***&Key=***&apikey=***",
        "names are case-insensitive",
    ),
    (
        "http://h/?access_token=a&password=b&secret=c",
        "http://h/?access_token=***&password=***&secret=***",
        "access_token, password, secret",
    ),
    (
        "http://h/?sig=a&signature=b&auth=c",
        "http://h/?sig=***&signature=***&auth=***",
        "sig, signature, auth",
    ),
    (
        "https://s3/o?X-Amz-Signature=ab&X-Amz-Date=1",
        "https://s3/o?X-Amz-Signature=***&X-Amz-Date=1",
        "a name ending in _signature, dashes read as underscores",
    ),
    (
        "http://h/cb#access_token=t&state=s",
        "http://h/cb#access_token=***&state=s",
        "a fragment's parameters too",
    ),
    ("http://h/?token", "http://h/?token", "a name without a value has nothing to mask"),
    ("http://u:p@h:8/?token=t", "http://***@h:8/?token=***", "userinfo and query together"),
    ("http://127.0.0.1:8080/metrics", "http://127.0.0.1:8080/metrics", "a plain URL is unchanged"),
    ("", "", "the empty host is unchanged"),
    ("demo", "demo", "a bare word (the suite's demo host) is unchanged"),
    ("user:pw@host:8080", "***@host:8080", "userinfo without a scheme"),
    (
        "http://user:pw@[::1/",
        "http://***@[::1/",
        "unparsable (bad IPv6): everything from // to @ masked",
    ),
    (
        "http://user:pw@host:port/",
        "http://***@host:port/",
        "unparsable (bad port): everything from // to @ masked",
    ),
    (
        "http://user:pw@[::1/?token=t",
        "http://***@[::1/?token=***",
        "unparsable with a secret parameter: both masked",
    ),
]


@pytest.mark.parametrize(
    ("url", "expected"), [c[:2] for c in URL_CASES], ids=[c[2] for c in URL_CASES]
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
    assert redact_url(expected) == expected  # idempotent


TEXT_CASES = [
    (
        "URLError: <urlopen error http://u:pw@10.0.0.1/metrics refused>",
        "URLError: <urlopen error http://***@10.0.0.1/metrics refused>",
        "a URL inside an error message",
    ),
    (
        "host 'http://user:s3cr3t@127.0.0.1:1/?token=t' is not reachable",
        "host 'http://***@127.0.0.1:1/?token=***' is not reachable",
        "a quoted URL keeps its quotes",
    ),
    (
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
        "Authorization: Bearer ***",
        "an Authorization header keeps its scheme, not its token",
    ),
    (
        "authorization=Basic dXNlcjpwYXNz",
        "authorization=Basic ***",
        "Basic credentials in name=value form",
    ),
    (
        "{'Authorization': 'abc123'}",
        "{'Authorization': '***'}",
        "a header dict's repr without a scheme",
    ),
    ("sent with bearer abc.def-ghi", "sent with bearer ***", "a Bearer token outside a header"),
    (
        "GET /?token=planted-token/health 404",
        "GET /?token=*** 404",
        "a secret pair in a request name",
    ),
    ("api_key=k1, limit=5", "api_key=***, limit=5", "a pair in prose: only the secret one"),
    ("p(95)<500 over 2 runs", "p(95)<500 over 2 runs", "text without secrets is unchanged"),
    ("", "", "empty text is unchanged"),
    (
        "could not read target (http://h/?token=t/metrics) for 7 samples.",
        "could not read target (http://h/?token=***) for 7 samples.",
        "a URL in parentheses keeps the closing parenthesis",
    ),
    ("see http://u:p@h/x.", "see http://***@h/x.", "a full stop after a URL is kept"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[:2] for c in TEXT_CASES], ids=[c[2] for c in TEXT_CASES]
)
def test_redact_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected
    assert redact_text(expected) == expected


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("token", True),
        ("Refresh-Token", True),
        ("client_secret", True),
        ("x-api-key", True),
        ("monkey", False),
        ("limit", False),
        ("keyword", False),
    ],
    ids=lambda v: v if isinstance(v, str) else ("a secret" if v else "not a secret"),
)
def test_is_secret_name(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_public_names() -> None:
    assert redact_module.__all__ == [
        "MASK",
        "SECRET_PARAMS",
        "is_secret_name",
        "redact_name",
        "redact_text",
        "redact_url",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("/api/v1/users/{id}", "/api/v1/users/{id}"),
        ("/?token=planted-token/health", "/?token=***"),
        ("/search?q=x&api_key=k", "/search?q=x&api_key=***"),
        ("ws connect", "ws connect"),
    ],
    ids=[
        "a plain path is returned as is",
        "a token from the host's query inside the name is masked",
        "a secret query parameter of the request is masked",
        "a name with a space and no secret is unchanged",
    ],
)
def test_redact_name(name: str, expected: str) -> None:
    assert redact_name(name) == expected
    assert redact_name(name) == expected  # the cached answer is the same
