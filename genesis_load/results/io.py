"""Reading and writing results files: atomic writes, strict typed reads, one error type.

Owns the bytes on disk: a results file is written to a temporary file in the same folder and
renamed over the target (``os.replace``), so a reader never sees half a file, even when the run
is interrupted; a failed write (full disk, read-only folder) removes the temporary file and
raises :class:`~genesis_load.errors.ResultsError` naming the path. Reading decodes into the
schema's types (:mod:`genesis_load.results.schema`); anything else (not UTF-8, not JSON, a
foreign or newer format, a wrongly typed field) is one ``ResultsError`` naming the file and,
for a bad field, its JSON path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import msgspec

from ..errors import ConfigError, ResultsError
from ..thresholds.parser import ExpressionError, parse_expression
from .schema import READABLE_VERSIONS, RESULTS_FORMAT, RESULTS_VERSION, Results

__all__ = ["check_writable", "decode_results", "encode_json", "read_results", "write_atomic"]


def check_writable(path: str, option: str) -> Path:
    """Fail before the run if ``path`` cannot be written (names the option and the reason)."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ConfigError(f"{option} {path!r}: is a directory, expected a file path")
    if not parent.is_dir():
        raise ConfigError(f"{option} {path!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"{option} {path!r}: folder {str(parent)!r} is not writable")
    return target


def encode_json(document: Any) -> bytes:
    """A Struct, dict or list as indented JSON text (non-finite floats are written as null)."""
    return msgspec.json.format(msgspec.json.encode(document), indent=1) + b"\n"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, with the permissions of an ordinary new file."""
    target = Path(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; results are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise ResultsError(f"cannot write results to {str(target)!r}: {e}") from e


def _upgrade_v1(raw: dict[str, Any]) -> None:
    """Version 1 had no ``aggregation`` in threshold entries: derive it once, here."""
    for t in raw.get("thresholds") or []:
        if isinstance(t, dict) and "aggregation" not in t:
            try:
                t["aggregation"] = parse_expression(str(t.get("expression", ""))).stat
            except ExpressionError:
                t["aggregation"] = ""
    raw["version"] = RESULTS_VERSION


def decode_results(data: bytes, where: str) -> Results:
    """Decode one results document; ``where`` names it in errors."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ResultsError(
            f"{where} is not a readable results file: not UTF-8 text (byte {e.start})"
        ) from e
    try:
        raw = msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError) as e:  # not JSON, or nested too deep
        raise ResultsError(f"{where} is not a readable results file: {e}") from e
    if not isinstance(raw, dict) or raw.get("format") != RESULTS_FORMAT:
        raise ResultsError(f"{where} is not a genesis-load results file")
    version = raw.get("version")
    if version not in READABLE_VERSIONS:
        raise ResultsError(
            f"{where} has results format version {version!r}; this genesis-load reads "
            f"versions {', '.join(map(str, READABLE_VERSIONS))}"
        )
    if version == 1:
        _upgrade_v1(raw)
    try:
        return msgspec.convert(raw, Results, strict=False)
    except (msgspec.ValidationError, RecursionError) as e:
        raise ResultsError(f"{where} is a malformed results file: {e}") from e


def read_results(path: str | Path) -> Results:
    """Read a results file, refusing foreign, newer or malformed ones with a clear message."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ResultsError(f"{str(path)!r} is not a readable results file: {e}") from e
    return decode_results(data, repr(str(path)))
