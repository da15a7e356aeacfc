"""Read a YAML file strictly, keeping the line and column of every value.

PyYAML is used only to *compose* the node graph; values are built here, so:

- no tag ever constructs a Python object (``!!python/...`` and custom tags are errors);
- a key repeated in one mapping is an error (PyYAML silently keeps the last one);
- anchors and aliases are refused, which also makes an alias-expansion bomb fail
  at once (nothing is expanded);
- numbers become ``int`` or exact ``Decimal``, never ``float``;
- nesting deeper than :data:`MAX_DEPTH` levels is refused (PyYAML composes recursively);
- the text must be UTF-8 and at most :data:`MAX_BYTES` long.

The result is plain data (dict / list / str / int / Decimal / bool / None) and a
map from each value's path (``("items", 2, "max")``) to its 1-based position.

libyaml (PyYAML's C parser) reads the text when it can, several times faster; for any error, and
for the few constructs where it and PyYAML's Python parser disagree, PyYAML's own parser reads it
again, so every result, message and position is PyYAML's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser  # libyaml, when PyYAML was built with it
except ImportError:  # pragma: no cover - the wheels for every supported platform include it
    CParser = None

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _, os_reason

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

YamlPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")


@dataclass(frozen=True)
class YamlDocument:
    """Plain data plus where each value stands in the file."""

    data: Any
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the deepest part of ``path`` present in the file.

        ``key=True`` prefers the position of the mapping key over its value
        (used for "unknown key" problems).
        """
        path = tuple(path)
        while path:
            if key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _TooDeep(yaml.MarkedYAMLError):
    pass


class _StrictComposer(Composer):
    """A composer that refuses aliases before they are resolved, and nesting deeper than :data:`MAX_DEPTH`.

    PyYAML composes recursively: without the depth limit, ``[[[[...`` a few thousand
    levels deep ends in a ``RecursionError``.
    """

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.get_event()
            raise _AliasRefused(
                None,
                None,
                _("anchors and aliases (*{anchor}) are not allowed in a rubric; write the value out in full").format(
                    anchor=event.anchor),
                event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise _TooDeep(None, None, _("nesting deeper than {most} levels; a rubric is never that deep").format(
                most=MAX_DEPTH),
                           self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictLoader(_StrictComposer, yaml.SafeLoader):
    """PyYAML's pure-Python reader, scanner and parser: the reference, and the source of every message."""


_FastStrictLoader: type | None = None
if CParser is not None:
    class _FastStrictLoader(_StrictComposer, CParser, Resolver):  # type: ignore[no-redef]
        """libyaml's scanner and parser (several times faster), with the same Python composer and resolver.

        Only for text that libyaml reads without complaint: any error, and the text is read
        again by :class:`_StrictLoader`, so messages and positions stay PyYAML's.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

        # Where the two are known to differ, the text is left to PyYAML: directives (%YAML, %TAG),
        # tags, anchors and aliases, block scalars (libyaml takes `>#...`), empty values (`{max: }`,
        # placed elsewhere by libyaml), and "?" in a plain scalar in [...] or {...} (PyYAML refuses it).
        # None of them is in a usual rubric; tests/test_yaml_source.py compares the two loaders.
        _flow = 0  # how many flow collections ([...], {...}) the node being composed is in

        def compose_document(self) -> Node | None:
            event = self.peek_event()
            if event.version is not None or event.tags:
                raise _UseReference
            return super().compose_document()

        def compose_node(self, parent: Node | None, index: Any) -> Node | None:
            event = self.peek_event()
            if event.anchor is not None or getattr(event, "tag", None) is not None \
                    or getattr(event, "style", None) in ("|", ">"):
                raise _UseReference
            return super().compose_node(parent, index)

        def compose_scalar_node(self, anchor: str | None) -> Node:
            event = self.peek_event()
            if not event.style and (not event.value or (self._flow and "?" in event.value)):
                raise _UseReference
            return super().compose_scalar_node(anchor)

        def compose_sequence_node(self, anchor: str | None) -> Node:
            return self._collection(super().compose_sequence_node, anchor)

        def compose_mapping_node(self, anchor: str | None) -> Node:
            return self._collection(super().compose_mapping_node, anchor)

        def _collection(self, compose: Any, anchor: str | None) -> Node:
            flow = 1 if self.peek_event().flow_style else 0
            self._flow += flow
            try:
                return compose(anchor)
            finally:
                self._flow -= flow


class _UseReference(Exception):
    """Raised by :class:`_FastStrictLoader` for text that PyYAML reads differently."""


# Characters around which libyaml and PyYAML are known to disagree (libyaml accepts tabs where
# PyYAML refuses them, and treats BOMs and Unicode line breaks differently): text with any of
# them is read by PyYAML alone.
_LIBYAML_DIFFERS = re.compile("[\t\x85\u2028\u2029\ufeff]")


def _compose(text: str) -> Node | None:
    if _FastStrictLoader is not None and not _LIBYAML_DIFFERS.search(text):
        try:
            fast = _FastStrictLoader(text)
            try:
                return fast.get_single_node()
            finally:
                fast.dispose()
        except Exception:  # noqa: BLE001 - whatever it is, the reference loader below says it properly
            pass
    loader = _StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def format_path(path: YamlPath) -> str:
    """``("items", 2, "max")`` -> ``items[2].max``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_yaml_file(path: Path | str, display: str | None = None) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Read and compose ``path``; return the document or the reasons it has none."""
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Diagnostic(name, 0, 0, _("cannot read file: {reason}").format(reason=os_reason(exc)), "io-error")]
    if len(raw) > MAX_BYTES:
        return None, [
            Diagnostic(name, 0, 0, _("file is larger than {size} KiB; a rubric is never that big").format(
                size=MAX_BYTES // 1024), "too-large")
        ]
    return load_yaml_bytes(raw, name)


def load_yaml_bytes(raw: bytes, name: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        # the column counts characters, as every other column does, not bytes
        col = len(raw[max(line_start, bom):start].decode("utf-8", errors="replace")) + 1
        return None, [
            Diagnostic(name, line, col, _("not UTF-8 text (byte {byte} at offset {offset}); save the file as UTF-8 "
                                          "(e.g. in Notepad: Save As, Encoding: UTF-8)").format(
                byte=f"0x{raw[start]:02x}", offset=start), "encoding")
        ]
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, [Diagnostic(name, line, col, _("file contains a NUL character; is it really a YAML text "
                                                    "file?"), "encoding")]
    if not text.strip():  # also a file of spaces and tabs, which PyYAML would call a syntax error
        return None, [Diagnostic(name, 1, 1, _("file is empty; a rubric is a mapping with id, title, items..."),
                                 "empty")]
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        code = "alias" if isinstance(exc, _AliasRefused) else "too-deep" if isinstance(exc, _TooDeep) else "yaml-syntax"
        message = exc.problem or str(exc)
        if exc.context and code == "yaml-syntax":
            message = f"{exc.context}: {message}"
        if code == "yaml-syntax":  # PyYAML's own words, in English: kept as the detail of a translated sentence
            message = _("not valid YAML ({reason}); check the indentation, colons and quotes here").format(
                reason=message)
        return None, [Diagnostic(name, line, col, message, code)]
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [
            Diagnostic(name, line, col, _("character {char} is not allowed in YAML text").format(
                char=repr(chr(exc.character))), "yaml-syntax")
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error met so far is one of the above
        return None, [Diagnostic(name, 0, 0, _("not readable as YAML: {reason}").format(reason=exc), "yaml-syntax")]
    if root is None or (isinstance(root, ScalarNode) and root.tag == _TAG + "null" and root.value == ""):
        return None, [Diagnostic(name, 1, 1, _("file is empty; a rubric is a mapping with id, title, items..."),
                                 "empty")]
    builder = _Builder(name)
    data = builder.build(root, ())
    doc = YamlDocument(data, builder.positions, builder.key_positions)
    return doc, builder.diagnostics


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[YamlPath, tuple[int, int]] = {}
        self.key_positions: dict[YamlPath, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []

    def error(self, node: Node, message: str, code: str) -> None:
        m = node.start_mark
        self.diagnostics.append(Diagnostic(self.name, m.line + 1, m.column + 1, message, code))

    def build(self, node: Node, path: YamlPath) -> Any:
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        # (no depth check here: the composer refused anything deeper than MAX_DEPTH)
        explicit = node.tag and not node.tag.startswith(_TAG)
        if explicit or (node.tag.startswith(_TAG) and node.tag[len(_TAG):] not in _ALLOWED_TAGS):
            self.error(node, _("tag {tag} is not allowed; rubrics hold plain values only").format(
                tag=repr(node.tag.replace(_TAG, "!!"))), "tag")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: MappingNode, path: YamlPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, _("a mapping key must be a plain name"), "bad-key")
                continue
            if key_node.tag == _TAG + "merge":
                self.error(key_node, _("merge keys (<<) are not allowed in a rubric"), "tag")
                continue
            key = key_node.value
            if key in first_seen:
                self.error(
                    key_node,
                    _("duplicate key {key} (first at line {line}): remove one of them (YAML would silently keep only "
                      "the last)").format(key=repr(key), line=first_seen[key]),
                    "duplicate-key",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            child = path + (key,)
            self.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag[len(_TAG):]
        value = node.value
        if tag == "str" or node.style in ("'", '"', "|", ">"):
            return value
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() in ("true", "yes", "on", "y")
        if tag == "int":
            if _INT_RE.match(value):
                return int(value.replace("_", ""))
            self.error(node, _("{value}: write whole numbers in plain decimal digits").format(value=repr(value)),
                       "number")
            return None
        if tag == "float":
            if _FLOAT_RE.match(value):
                try:
                    number = Decimal(value.replace("_", ""))
                except InvalidOperation:  # pragma: no cover - the regex admits only valid text
                    number = None
                if number is not None and number.is_finite():
                    return number
            self.error(node, _("{value} is not a finite number").format(value=repr(value)), "number")
            return None
        # timestamps and the like stay text; the model decides what it accepts
        return value


_ALLOWED_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"}
