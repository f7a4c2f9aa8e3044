"""The strict loader: statement text in, JSON-compatible data with positions out.

Every later stage (schema, rules, reports) needs two things from a file: plain data and, for any
path in it, where it was written. One YAML pass gives both (libyaml when present, else the pure
Python parser). Content problems never raise: bad bytes, bad syntax, duplicate keys, alias bombs,
unsupported tags all become DLS-P findings with a line and column. Only a path that cannot be read
at all raises :class:`dls.errors.InputError`.

The YAML schema is the 1.2 core schema with warnings for YAML 1.1 leftovers; see ``dls._yaml``.
JSON files (``.json``) are first checked as strict JSON with the standard library, then loaded
with the same YAML pass for positions.
"""

from __future__ import annotations

import codecs
import json as _json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dls import _yaml
from dls.errors import InputError
from dls.findings import Finding, Path_, Severity, Span

__all__ = ["Document", "Limits", "load_path", "load_text"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that keep a hostile or mistaken file from exhausting memory or time."""

    max_bytes: int = 1_048_576  # checked before parsing -> DLS-P010 at 1:1
    max_depth: int = 64  # nesting levels of collections -> DLS-P009
    max_nodes: int = 100_000  # nodes after alias expansion, when aliases exceed it -> DLS-P007


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded file: data, where every value and key was written, and parse findings."""

    name: str
    data: Any
    spans: Mapping[Path_, Span] = field(default_factory=dict)
    key_spans: Mapping[Path_, Span] = field(default_factory=dict)
    scalars: Mapping[Path_, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    text: str | None = None
    is_json: bool = False

    @property
    def ok(self) -> bool:
        """Data loaded and no parse error (warnings allowed)."""
        return self.data is not None and not any(
            f.severity is Severity.ERROR for f in self.findings
        )

    def span(self, path: Path_) -> Span:
        """Span of the value at ``path``, else of its closest recorded ancestor, else 1:1."""
        spans = self.spans
        for n in range(len(path), -1, -1):
            found = spans.get(path[:n])
            if found is not None:
                return found
        return Span(1, 1)

    def key_span(self, path: Path_) -> Span:
        """Span of the key whose value is at ``path``, falling back to :meth:`span`."""
        return self.key_spans.get(path) or self.span(path)


_DEFAULT_LIMITS = Limits()
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


_START = Span(1, 1)


def _finding(code: str, message: str, span: Span = _START, hint: str | None = None) -> Finding:
    return _yaml.finding(code, message, span, (), hint)


def _too_large(size: int, limits: Limits) -> Finding:
    return _finding(
        "DLS-P010",
        f"file too large ({size} bytes; limit {limits.max_bytes} bytes)",
        hint="move bulky content into evidence files, or raise the limit",
    )


def _utf8_size(text: str, limit: int) -> int:
    """Encoded size of ``text``, without encoding it when the answer is obvious."""
    if len(text) > limit or len(text) * 4 <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _decode(data: bytes) -> tuple[str | None, list[Finding]]:
    """Text from bytes: UTF-8 (BOM optional) or UTF-16 with a BOM; else a DLS-P011 finding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = data[2:]
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as exc:
            return None, [_bad_bytes(body[: exc.start].decode(codec, "replace"), exc)]
        note = _finding(
            "DLS-P104", f"file is encoded as UTF-16 ({codec[-2:].upper()})", hint="save it as UTF-8"
        )
        return text, [note]
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [_bad_bytes(data[: exc.start].decode("utf-8", "replace"), exc)]


def _bad_bytes(prefix: str, exc: UnicodeDecodeError) -> Finding:
    where = _yaml.line_col(prefix, len(prefix))
    bad = exc.object[exc.start : exc.end]
    shown = bad.hex(" ") if isinstance(bad, bytes) else repr(bad)
    return _finding(
        "DLS-P011",
        f"invalid {exc.encoding.upper()} byte(s) {shown} at byte offset {exc.start}",
        where,
        "save the file as UTF-8",
    )


def _control_character(text: str) -> Finding | None:
    match = _NON_PRINTABLE.search(text)
    if match is None:
        return None
    ch = match.group()
    what = "NUL character" if ch == "\0" else f"character U+{ord(ch):04X}"
    return _finding(
        "DLS-P011",
        f"{what} is not allowed in YAML or JSON text",
        _yaml.line_col(text, match.start()),
        "remove the character, or write it as an escape in a double-quoted string",
    )


def load_text(
    source: str | bytes,
    name: str = "<string>",
    *,
    limits: Limits = _DEFAULT_LIMITS,
    json: bool | None = None,
) -> Document:
    """Load YAML or JSON text; never raises for anything the text contains.

    ``json=None`` decides from ``name``: a name ending in ``.json`` is read as JSON.
    """
    is_json = name.lower().endswith(".json") if json is None else json
    size = len(source) if isinstance(source, bytes) else _utf8_size(source, limits.max_bytes)
    if size > limits.max_bytes:
        return Document(name, None, findings=(_too_large(size, limits),), is_json=is_json)
    text: str | None
    if isinstance(source, bytes):
        text, notes = _decode(source)
    else:
        text, notes = source, []
    if text is None:
        return Document(name, None, findings=tuple(notes), is_json=is_json)
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _control_character(text)
    if bad is not None:
        return Document(name, None, findings=(*notes, bad), text=text, is_json=is_json)
    try:
        if is_json:
            parsed = _load_json(text, limits)
        else:
            parsed = _yaml.parse(text, max_depth=limits.max_depth, max_nodes=limits.max_nodes)
    except RecursionError:
        parsed = _yaml.Parsed(failed=True)
        parsed.findings.append(
            _finding("DLS-P009", f"nesting too deep (limit {limits.max_depth} levels)")
        )
    except Exception as exc:  # a parser bug must not become a traceback for the user
        parsed = _yaml.Parsed(failed=True)
        parsed.findings.append(
            _finding("DLS-P001", f"the parser failed: {type(exc).__name__}: {exc}")
        )
    findings = sorted((*notes, *parsed.findings), key=lambda f: (f.span.line, f.span.column))
    return Document(
        name,
        None if parsed.failed else parsed.data,
        parsed.spans,
        parsed.key_spans,
        parsed.scalars,
        tuple(findings),
        text,
        is_json,
    )


def _load_json(text: str, limits: Limits) -> _yaml.Parsed:
    """Strict JSON check with the stdlib, then the YAML pass for positions.

    If the YAML pass cannot read valid JSON (a key over 1024 characters), the stdlib data is
    used without positions.
    """
    if not text.strip():
        return _yaml.Parsed(failed=True, findings=[_finding("DLS-P002", "empty document")])
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            else:
                out[key] = value
        return out

    stdlib: Any
    try:
        stdlib = _json.loads(text, parse_constant=float, object_pairs_hook=pairs)
    except _json.JSONDecodeError as exc:
        where = Span(exc.lineno, exc.colno)
        return _yaml.Parsed(
            failed=True, findings=[_finding("DLS-P012", f"invalid JSON: {exc.msg}", where)]
        )
    except RecursionError:
        stdlib = _NO_DATA
    # Tabs are JSON whitespace but not YAML indentation; outside strings (the only place strict
    # JSON allows them) a space keeps every column where it was.
    parsed = _yaml.parse(
        text.replace("\t", " "),
        max_depth=limits.max_depth,
        max_nodes=limits.max_nodes,
        json_mode=True,
    )
    syntax = any(f.code in ("DLS-P001", "DLS-P011") for f in parsed.findings)
    if not syntax or stdlib is _NO_DATA or not _encodable(stdlib):
        return parsed
    fallback = _yaml.Parsed(data=stdlib)
    for key in duplicates:
        fallback.findings.append(
            _finding(
                "DLS-P004", f"duplicate key {key!r}", hint="remove or rename one of the two keys"
            )
        )
    if _json_depth(stdlib) > limits.max_depth:
        fallback.failed = True
        fallback.findings.append(
            _finding("DLS-P009", f"nesting too deep (limit {limits.max_depth} levels)")
        )
    return fallback


_NO_DATA = object()


def _encodable(data: Any) -> bool:
    """False when JSON escapes produced lone surrogates, which no UTF-8 output can hold."""
    try:
        _json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_depth(data: Any) -> int:
    """Collections nested in stdlib JSON data, iteratively."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((v, depth) for v in value)
    return deepest


def load_path(
    path: str | os.PathLike[str],
    *,
    limits: Limits = _DEFAULT_LIMITS,
    name: str | None = None,
) -> Document:
    """Load a file; raises InputError only when it cannot be read at all.

    The size limit is checked with ``stat()`` before reading, so a huge file is never read.
    """
    p = Path(path)
    display = name if name is not None else os.fspath(path).replace(os.sep, "/")
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise InputError(
                f"{display}: broken symbolic link (target {str(p.readlink())!r} does not exist)",
                hint="fix or remove the link",
            ) from None
        raise InputError(f"{display}: file not found", hint="check the path") from None
    except OSError as exc:
        raise InputError(
            f"{display}: cannot access ({exc.strerror})", hint="check the path and its permissions"
        ) from None
    if p.is_dir():
        raise InputError(
            f"{display}: is a directory", hint="pass a file, or a glob such as 'dir/*.dls.yaml'"
        )
    is_json = _is_json(os.fspath(path))
    if st.st_size > limits.max_bytes:
        return Document(display, None, findings=(_too_large(st.st_size, limits),), is_json=is_json)
    try:
        with p.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise InputError(
            f"{display}: cannot read ({exc.strerror})", hint="check the file's permissions"
        ) from None
    return load_text(raw, display, limits=limits, json=is_json)


def _is_json(name: str) -> bool:
    return name.lower().endswith(".json")
