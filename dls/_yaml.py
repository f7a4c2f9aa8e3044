"""Strict YAML internals: a YAML 1.2 core-schema resolver, node checks, a positional constructor.

Why YAML 1.2 core rather than PyYAML's YAML 1.1 resolver: under 1.1, ``country: NO`` becomes
``False``, ``mode: 0755`` becomes 493, ``time: 1:20`` becomes 80 and ``2024-01-02`` becomes a
``datetime.date``. dls reads the 1.2 core schema instead:

- null: ``~``, ``null``, ``Null``, ``NULL`` and the empty value;
- booleans: ``true``/``True``/``TRUE``/``false``/``False``/``FALSE`` only;
- integers: decimal (``0`` or no leading zero), ``0o`` octal, ``0x`` hexadecimal;
- floats: ``1.5``, ``.5``, ``1e-3``, ``5e9``, ``.inf``, ``-.inf``, ``.nan`` (non-finite values
  load as floats; the schema stage rejects them);
- everything else, timestamps included, is a string. ``1_000`` is a string, as in 1.2.

Where YAML 1.1 tools read a plain scalar differently, the value stays a string and a warning
says so: ``yes``/``no``/``on``/``off`` in any case (DLS-P101), numbers with a leading zero such
as ``0755``, ``010``, ``0b101`` (DLS-P102), sexagesimal ``1:20`` (DLS-P103). They get private
tags from the resolver so that an explicit ``!!str yes`` stays silent.

The node tree is checked before anything is built: expanded size with aliases (memoised by node
identity, so a billion-laughs document costs milliseconds), cycles, depth and tags. The
constructor is our own: it records the span of every value and key by document path, checks keys
after constructing them (``a`` and ``"a"``, ``1`` and ``0x1`` collide), honours merge keys, and
never calls a language-specific constructor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.error import MarkedYAMLError
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from dls import codes
from dls.findings import Finding, Path_, Span

USE_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
"""Parse with libyaml when it is there; tests flip this to exercise the pure-Python parser."""

_CORE = "tag:yaml.org,2002:"
STR = _CORE + "str"
INT = _CORE + "int"
FLOAT = _CORE + "float"
BOOL = _CORE + "bool"
NULL = _CORE + "null"
MAP = _CORE + "map"
SEQ = _CORE + "seq"
MERGE = _CORE + "merge"
# Private tags for plain scalars that YAML 1.1 reads differently; they construct as strings.
YES_NO = "tag:dls.invalid,2026:yaml11-bool"
OCTAL = "tag:dls.invalid,2026:yaml11-leading-zero"
SEXAGESIMAL = "tag:dls.invalid,2026:yaml11-sexagesimal"

_SCALAR_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, MERGE, YES_NO, OCTAL, SEXAGESIMAL})

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YES_NO = frozenset({"yes", "no", "on", "off"})
_JSON_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+")
_EXPLICIT_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_LEADING_ZERO = re.compile(r"[-+]?0(?:[0-9_]+|b[01_]+|o[0-7_]+|x[0-9a-fA-F_]+)")
_SEXAGESIMAL = re.compile(
    r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def resolve_plain(value: str, json_mode: bool = False) -> str:
    """The tag of an untagged plain scalar under dls's YAML 1.2 core schema."""
    if value in _NULLS:
        return NULL
    if value in _BOOLS:
        return BOOL
    if value[0] not in _NUMBER_START:
        if value.lower() in _YES_NO:
            return YES_NO
        if json_mode and value in _JSON_CONSTANTS:
            return FLOAT
        return STR
    if _INT.fullmatch(value):
        return INT
    if _FLOAT.fullmatch(value):
        return FLOAT
    if json_mode and value in _JSON_CONSTANTS:
        return FLOAT
    if _LEADING_ZERO.fullmatch(value):
        return OCTAL
    if _SEXAGESIMAL.fullmatch(value):
        return SEXAGESIMAL
    return STR


class _StrictResolver(BaseResolver):
    """Resolves implicit tags with the YAML 1.2 core schema (see the module docstring)."""

    json_mode = False

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                if value == "<<":
                    return MERGE
                return resolve_plain(value, self.json_mode)
            return STR
        return SEQ if kind is SequenceNode else MAP


class _PyLoader(Reader, Scanner, Parser, Composer, _StrictResolver):
    """The pure-Python parser and composer with the strict resolver."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _StrictResolver.__init__(self)


_CLoader: Any = None
if USE_LIBYAML:  # pragma: no branch
    from yaml._yaml import CParser

    class _CLoaderImpl(CParser, _StrictResolver):
        """libyaml's parser and composer with the strict resolver."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictResolver.__init__(self)

    _CLoader = _CLoaderImpl


def _new_loader(text: str, libyaml: bool, json_mode: bool) -> Any:
    loader: Any = _CLoader(text) if libyaml and _CLoader is not None else _PyLoader(text)
    loader.json_mode = json_mode
    return loader


def span_of(start: Any, end: Any = None) -> Span:
    """A 1-based span from 0-based PyYAML marks (pure-Python or libyaml ``Mark``)."""
    if end is None:
        return Span(start.line + 1, start.column + 1)
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def node_span(node: Node) -> Span:
    return span_of(node.start_mark, node.end_mark)


def line_col(text: str, index: int) -> Span:
    """The 1-based line and column of a code-point offset, counting YAML line breaks."""
    index = max(0, min(index, len(text)))
    line, start = 1, 0
    for m in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        start = m.end()
    return Span(line, index - start + 1)


def finding(
    code: str, message: str, span: Span, path: Path_ = (), hint: str | None = None
) -> Finding:
    return Finding(code, codes.get(code).severity, message, path, span, hint)


def short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class SpanTable(Mapping[Path_, Span]):
    """Spans by path, made from the nodes on access (most are never asked for)."""

    __slots__ = ("_nodes",)

    def __init__(self, nodes: dict[Path_, Node]) -> None:
        self._nodes = nodes

    def __getitem__(self, path: Path_) -> Span:
        return node_span(self._nodes[path])

    def __contains__(self, path: object) -> bool:
        return path in self._nodes

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


@dataclass
class Parsed:
    """What one YAML pass produced. ``data`` is meaningless when ``failed`` is set."""

    data: Any = None
    spans: Mapping[Path_, Span] = field(default_factory=dict)
    key_spans: Mapping[Path_, Span] = field(default_factory=dict)
    scalars: dict[Path_, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False


def parse(
    text: str,
    *,
    max_depth: int,
    max_nodes: int,
    json_mode: bool = False,
    libyaml: bool | None = None,
) -> Parsed:
    """Compose ``text`` into one node tree, check it, and build data with positions."""
    use_c = USE_LIBYAML if libyaml is None else libyaml
    result = Parsed()
    loader = _new_loader(text, use_c, json_mode)
    try:
        root = loader.get_single_node()
    except MarkedYAMLError as exc:
        result.failed = True
        result.findings.append(_marked_error(exc, text, use_c, max_depth))
        return result
    except ReaderError as exc:
        result.failed = True
        where = line_col(text, exc.position)
        what = f"character {exc.character!r}" if isinstance(exc.character, str) else "byte"
        result.findings.append(finding("DLS-P011", f"invalid {what}: {exc.reason}", where))
        return result
    except RecursionError:
        result.failed = True
        result.findings.append(_too_deep_by_events(text, use_c, max_depth))
        return result
    finally:
        loader.dispose()
    if root is None:
        result.failed = True
        result.findings.append(finding("DLS-P002", "empty document", Span(1, 1)))
        return result
    # Without an anchor there is no alias: the node tree is a plain tree no larger than the
    # text, and the builder checks depth on its way down.
    problem = _check_tree(root, max_depth, max_nodes, text, use_c) if "&" in text else None
    if problem is not None:
        result.failed = True
        result.findings.append(problem)
        return result
    builder = _Builder(result, max_depth)
    try:
        result.data = builder.build(root, (), 0)
    except _TooDeep as deep:
        result.failed = True
        message = f"nesting too deep (limit {max_depth} levels)"
        result.findings.append(finding("DLS-P009", message, span_of(deep.node.start_mark)))
        return result
    except RecursionError:
        result.failed = True
        result.findings.append(_too_deep_by_events(text, use_c, max_depth))
        return result
    result.spans = SpanTable(builder.value_nodes)
    result.key_spans = SpanTable(builder.key_nodes)
    if result.data is None and isinstance(root, ScalarNode):
        result.failed = True
        result.findings.append(
            finding("DLS-P002", "empty document (the document is null)", node_span(root))
        )
    result.findings.extend(builder.findings)
    return result


def _marked_error(exc: MarkedYAMLError, text: str, use_c: bool, max_depth: int) -> Finding:
    problem = exc.problem or exc.context or "syntax error"
    mark = exc.problem_mark or exc.context_mark
    where = span_of(mark) if mark is not None else Span(1, 1)
    if exc.context == "expected a single document in the stream":
        return finding("DLS-P003", "expected a single document; found a second document", where)
    if "nesting depth" in problem:
        return _too_deep_by_events(text, use_c, max_depth)
    message = problem
    if problem == "second occurrence" and exc.context and exc.context_mark is not None:
        first = exc.context_mark
        message = exc.context.replace("found duplicate", "duplicate").replace(
            "; first occurrence", ""
        )
        return finding(
            "DLS-P001",
            f"{message} (first defined at line {first.line + 1}, column {first.column + 1})",
            where,
        )
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        ctx = exc.context_mark
        message = f"{problem} ({exc.context} at line {ctx.line + 1}, column {ctx.column + 1})"
    return finding("DLS-P001", message, where)


def _events(text: str, use_c: bool) -> Iterator[Any]:
    """Parse events until the end or the first error (used only to locate a problem)."""
    loader = _new_loader(text, use_c, False)
    try:
        while loader.check_event():
            yield loader.get_event()
    except (yaml.YAMLError, RecursionError):
        return
    finally:
        loader.dispose()


def _too_deep_by_events(text: str, use_c: bool, max_depth: int) -> Finding:
    """Locate the first collection nested deeper than ``max_depth`` with a flat event scan."""
    depth, where = 0, Span(1, 1)
    # The pure-Python parser: libyaml's scanner may reject the whole flow before the first event.
    for event in _events(text, False):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                where = span_of(event.start_mark)
                break
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return finding("DLS-P009", f"nesting too deep (limit {max_depth} levels)", where)


def _recursive_alias(text: str, use_c: bool) -> Span | None:
    """The position of the first alias that refers to a collection still being defined."""
    open_anchors: list[str | None] = []
    for event in _events(text, use_c):
        if isinstance(event, CollectionStartEvent):
            open_anchors.append(event.anchor)
        elif isinstance(event, CollectionEndEvent):
            open_anchors.pop()
        elif isinstance(event, AliasEvent) and event.anchor in open_anchors:
            return span_of(event.start_mark, event.end_mark)
    return None


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_tree(
    root: Node, max_depth: int, max_nodes: int, text: str, use_c: bool
) -> Finding | None:
    """Cycles, expanded size and depth of the node tree, iteratively and memoised by identity."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}  # collections nested at or below the node
    kids: dict[int, list[Node]] = {}
    if isinstance(root, ScalarNode):
        return None
    on_path = {id(root)}
    kids[id(root)] = _children(root)
    stack: list[tuple[Node, Iterator[Node]]] = [(root, iter(kids[id(root)]))]
    while stack:
        node, it = stack[-1]
        for child in it:
            cid = id(child)
            if cid in size:
                continue
            if cid in on_path:
                where = _recursive_alias(text, use_c) or span_of(child.start_mark)
                return finding(
                    "DLS-P008", "recursive alias (an alias inside its own anchor)", where
                )
            if isinstance(child, ScalarNode):
                size[cid], height[cid] = 1, 0
                continue
            on_path.add(cid)
            kids[cid] = _children(child)
            stack.append((child, iter(kids[cid])))
            break
        else:
            stack.pop()
            nid = id(node)
            on_path.discard(nid)
            children = kids[nid]
            size[nid] = 1 + sum(size[id(c)] for c in children)
            height[nid] = 1 + max((height[id(c)] for c in children), default=0)
    total = size[id(root)]
    if total > max_nodes and total > len(size):  # over the limit, and because of aliases
        # (without aliases the document is no bigger than its text, which max_bytes caps)
        node = root
        while True:
            bigger = [c for c in kids.get(id(node), ()) if size[id(c)] > max_nodes]
            if not bigger:
                break
            node = bigger[0]
        return finding(
            "DLS-P007",
            f"alias expansion exceeds limit ({max_nodes} nodes): "
            f"the document expands to {total} nodes",
            span_of(node.start_mark),
        )
    if height[id(root)] > max_depth:
        node, level = root, 1
        while level <= max_depth:
            node = max(kids[id(node)], key=lambda c: height[id(c)])
            level += 1
        return finding(
            "DLS-P009", f"nesting too deep (limit {max_depth} levels)", span_of(node.start_mark)
        )
    return None


class _TooDeep(Exception):
    """Raised by the builder at the first collection nested deeper than the limit."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node


_INVALID = object()
_KIND = {int: "an integer", float: "a float", bool: "a boolean", type(None): "null"}


class _Builder:
    """Builds JSON-compatible data and the path tables from a checked node tree."""

    def __init__(self, result: Parsed, max_depth: int) -> None:
        self.value_nodes: dict[Path_, Node] = {}
        self.key_nodes: dict[Path_, Node] = {}
        self.scalars = result.scalars
        self.max_depth = max_depth
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int]] = set()

    def report(
        self, code: str, node: Node, message: str, path: Path_, hint: str | None = None
    ) -> None:
        if (code, id(node)) in self._seen:
            return
        self._seen.add((code, id(node)))
        self.findings.append(finding(code, message, node_span(node), path, hint))

    def build(self, node: Node, path: Path_, depth: int) -> Any:
        """Data for ``node`` at ``path``; ``depth`` counts the collections around it."""
        self.value_nodes[path] = node
        if isinstance(node, ScalarNode):
            if not node.style:
                self.scalars[path] = node.value
            return self.scalar(node, path)
        depth += 1
        if depth > self.max_depth:
            raise _TooDeep(node)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                self.unsupported(node, path)
            return [self.build(child, (*path, i), depth) for i, child in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        if node.tag != MAP:
            self.unsupported(node, path)
        return self.mapping(node, path, depth)

    def unsupported(self, node: Node, path: Path_) -> None:
        self.report(
            "DLS-P006",
            node,
            f"unsupported tag '{short_tag(node.tag)}'",
            path,
            "remove the tag and write the value out",
        )

    def scalar(self, node: ScalarNode, path: Path_) -> Any:
        tag, value = node.tag, node.value
        if node.style == '"' and _SURROGATE.search(value):
            value = self.surrogates(node, value, path)
        if tag in (STR, MERGE):
            return value
        if tag == YES_NO:
            self.report(
                "DLS-P101",
                node,
                f"'{value}' is read as a string, not a boolean "
                "(YAML 1.1 tools read it as a boolean)",
                path,
                f"quote it ('{value}') if you mean text, or write true/false",
            )
            return value
        if tag == OCTAL:
            self.report(
                "DLS-P102",
                node,
                f"'{value}' is read as a string "
                "(YAML 1.1 tools read a leading zero as an octal number)",
                path,
                f"quote it ('{value}') if it is an identifier, or remove the leading zero",
            )
            return value
        if tag == SEXAGESIMAL:
            self.report(
                "DLS-P103",
                node,
                f"'{value}' is read as a string (YAML 1.1 tools read it as a base-60 number)",
                path,
                f"quote it ('{value}')",
            )
            return value
        if tag == NULL and value in _NULLS:
            return None
        if tag == BOOL and value in _BOOLS:
            return _BOOLS[value]
        if tag == INT and _EXPLICIT_INT.fullmatch(value):
            return _to_int(value)
        if tag == FLOAT and (
            _FLOAT.fullmatch(value) or _EXPLICIT_INT.fullmatch(value) or value in _JSON_CONSTANTS
        ):
            return _to_float(value)
        if tag in _SCALAR_TAGS:
            self.report(
                "DLS-P006", node, f"'{value}' is not a valid '{short_tag(tag)}' value", path
            )
        else:
            self.unsupported(node, path)
        return value

    def surrogates(self, node: ScalarNode, value: str, path: Path_) -> str:
        """Join ``\\ud83d\\ude00``-style escape pairs (JSON's way to write U+1F600).

        The pure-Python parser leaves them as two lone surrogates, which no encoder accepts;
        a lone one becomes U+FFFD and a DLS-P001 finding (libyaml rejects it too).
        """
        try:
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            self.report(
                "DLS-P001",
                node,
                "a \\u escape is a lone UTF-16 surrogate, which is not a character",
                path,
                "write the character itself, or a complete surrogate pair",
            )
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

    def key(self, node: Node, path: Path_) -> Any:
        """The constructed key (any scalar), or _INVALID (reported) for a collection."""
        if not isinstance(node, ScalarNode):
            kind = "sequence" if isinstance(node, SequenceNode) else "mapping"
            self.report("DLS-P005", node, f"mapping keys must be strings, not a {kind}", path)
            return _INVALID
        return self.scalar(node, path)

    def non_string_key(self, node: Node, key: Any, path: Path_) -> None:
        self.report(
            "DLS-P005",
            node,
            f"mapping keys must be strings: '{node.value}' is read as "
            f"{_KIND.get(type(key), 'a value')}",
            path,
            f"quote the key ('{node.value}')",
        )

    def entries(self, node: MappingNode, path: Path_) -> list[tuple[str, Node, Node]]:
        """Key/value pairs of a mapping after merges, with duplicate and key checks."""
        explicit: list[tuple[str, Node, Node]] = []
        first: dict[tuple[type, Any], Node] = {}
        merged: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE and isinstance(key_node, ScalarNode):
                merged.extend(self.merge_sources(value_node, path))
                continue
            key = self.key(key_node, path)
            if key is _INVALID:
                continue
            ident = (type(key), key)
            if ident in first:
                line = first[ident].start_mark.line + 1
                self.report(
                    "DLS-P004",
                    key_node,
                    f"duplicate key {key!r} (first defined at line {line})",
                    (*path, key),
                    "remove or rename one of the two keys",
                )
                continue
            first[ident] = key_node
            if not isinstance(key, str):
                self.non_string_key(key_node, key, path)
                continue
            explicit.append((key, key_node, value_node))
        if not merged:
            return explicit
        out: dict[str, tuple[str, Node, Node]] = {}
        for entry in merged:
            out.setdefault(entry[0], entry)
        for entry in explicit:
            out[entry[0]] = entry
        return list(out.values())

    def merge_sources(self, value: Node, path: Path_) -> list[tuple[str, Node, Node]]:
        if isinstance(value, MappingNode):
            return self.entries(value, path)
        if isinstance(value, SequenceNode) and all(isinstance(v, MappingNode) for v in value.value):
            return [e for v in value.value for e in self.entries(v, path)]
        self.report("DLS-P001", value, "expected a mapping or a list of mappings for merging", path)
        return []

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, key_node, value_node in self.entries(node, path):
            child = (*path, key)
            self.key_nodes[child] = key_node
            data[key] = self.build(value_node, child, depth)
        return data


def _to_int(value: str) -> int | str:
    try:
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
        return value


def _to_float(value: str) -> float:
    lower = value.lower()
    if lower in (".inf", "+.inf", "infinity"):
        return float("inf")
    if lower in ("-.inf", "-infinity"):
        return float("-inf")
    if lower == ".nan" or lower == "nan":
        return float("nan")
    return float(value)
