"""The strict YAML reader: nothing is executed or expanded, every value keeps its place."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.rubric import yaml_source
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.yaml_source import (
    MAX_BYTES,
    YamlDocument,
    format_path,
    load_yaml_bytes,
    load_yaml_file,
    load_yaml_text,
)


def codes(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diagnostics]


# --- nothing runs, nothing expands -------------------------------------------------------------


def test_python_tag_constructs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    doc, diagnostics = load_yaml_text(f"id: x\nrun: !!python/object/apply:os.system ['touch {marker}']\n", "f.yaml")
    assert not marker.exists()
    assert doc is not None and doc.data == {"id": "x", "run": None}
    assert codes(diagnostics) == [(2, 6, "tag")]
    assert diagnostics[0].message == (
        "tag '!!python/object/apply:os.system' is not allowed; rubrics hold plain values only")


@pytest.mark.parametrize("text", [
    "a: !!python/name:os.system ''\n",
    "a: !!python/object:collections.OrderedDict {}\n",
    "a: !!binary aGk=\n",
    "a: !!set {x, y}\n",
])
def test_other_non_plain_tags(text: str) -> None:
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert doc is not None and doc.data == {"a": None}
    assert codes(diagnostics) == [(1, 4, "tag")]


def test_custom_tag() -> None:
    doc, diagnostics = load_yaml_text("items:\n  - !item {id: a}\n", "f.yaml")
    assert doc is not None and doc.data == {"items": [None]}
    assert [d.format() for d in diagnostics] == [
        "f.yaml:2:5: tag '!item' is not allowed; rubrics hold plain values only (tag)"]


def test_standard_tags_on_plain_values_are_fine() -> None:
    doc, diagnostics = load_yaml_text("a: !!str 12\nb: !!map {c: 1}\n", "f.yaml")
    assert diagnostics == []
    assert doc is not None and doc.data == {"a": "12", "b": {"c": 1}}


def test_duplicate_key() -> None:
    doc, diagnostics = load_yaml_text("id: a\ntitle: t\nid: b\n", "f.yaml")
    assert doc is not None and doc.data == {"id": "a", "title": "t"}  # the first one is kept, and it is an error
    assert [d.format() for d in diagnostics] == [
        "f.yaml:3:1: duplicate key 'id' (first at line 1): remove one of them (YAML would silently keep only the "
        "last) (duplicate-key)"]


def test_duplicate_key_nested_and_in_flow_style() -> None:
    text = "items:\n  - id: a\n    max: 5\n    max: 6\n  - {id: b, id: c}\n"
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert codes(diagnostics) == [(4, 5, "duplicate-key"), (5, 13, "duplicate-key")]
    assert "(first at line 3)" in diagnostics[0].message
    assert doc is not None and doc.data == {"items": [{"id": "a", "max": 5}, {"id": "b"}]}


def test_same_key_in_different_mappings_is_fine() -> None:
    doc, diagnostics = load_yaml_text("a: {id: 1}\nb: {id: 2}\n", "f.yaml")
    assert diagnostics == [] and doc is not None and doc.data == {"a": {"id": 1}, "b": {"id": 2}}


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_fails_at_the_first_alias() -> None:
    doc, diagnostics = load_yaml_text(BILLION_LAUGHS, "bomb.yaml")
    assert doc is None
    assert codes(diagnostics) == [(2, 8, "alias")]
    assert diagnostics[0].message == (
        "anchors and aliases (*a) are not allowed in a rubric; write the value out in full")


def test_anchor_and_alias() -> None:
    text = "base: &base {min: 1, max: 2}\nother: *base\n"
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(2, 8, "alias")]


def test_an_anchor_alone_is_harmless() -> None:
    doc, diagnostics = load_yaml_text("a: &x 1\n", "f.yaml")
    assert diagnostics == [] and doc is not None and doc.data == {"a": 1}


def test_merge_key_with_an_alias() -> None:
    doc, diagnostics = load_yaml_text("base: &b {max: 5}\nitem:\n  <<: *b\n  id: a\n", "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(3, 7, "alias")]


def test_merge_key_with_a_mapping() -> None:
    doc, diagnostics = load_yaml_text("item:\n  <<: {max: 5}\n  id: a\n", "f.yaml")
    assert doc is not None and doc.data == {"item": {"id": "a"}}
    assert [d.format() for d in diagnostics] == ["f.yaml:2:3: merge keys (<<) are not allowed in a rubric (tag)"]


# --- not a rubric-shaped text ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "# just a comment\n", "---\n"])
def test_empty(text: str) -> None:
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(1, 1, "empty")]


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert codes(load_yaml_file(path)[1]) == [(1, 1, "empty")]


def test_a_list_instead_of_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- id: a\n- id: b\n", encoding="utf-8")
    doc, diagnostics = load_yaml_file(path)
    assert diagnostics == [] and doc is not None and doc.data == [{"id": "a"}, {"id": "b"}]
    rubric, diagnostics = load_rubric(path, display="list.yaml")
    assert rubric is None
    assert [d.format() for d in diagnostics] == [
        "list.yaml:1:1: a rubric must be a mapping of keys (id: ..., title: ..., items: ...), not a list "
        "(not-a-mapping)"]


def test_a_bare_string(tmp_path: Path) -> None:
    doc, diagnostics = load_yaml_text("物业公司考核表\n", "f.yaml")
    assert diagnostics == [] and doc is not None and doc.data == "物业公司考核表"
    path = tmp_path / "s.yaml"
    path.write_text("物业公司考核表\n", encoding="utf-8")
    rubric, diagnostics = load_rubric(path)
    assert rubric is None and codes(diagnostics) == [(1, 1, "not-a-mapping")]
    assert diagnostics[0].message.endswith("not a single text")


def test_syntax_error_is_placed() -> None:
    doc, diagnostics = load_yaml_text("id: a\ntitle: [unclosed\nmax: 5\n", "f.yaml")
    assert doc is None
    assert [d.code for d in diagnostics] == ["yaml-syntax"]
    assert diagnostics[0].line == 3


def test_tab_indentation() -> None:
    doc, diagnostics = load_yaml_text("id: a\n\tmax: 5\n", "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(2, 1, "yaml-syntax")]
    assert "'\\t'" in diagnostics[0].message


def test_two_documents() -> None:
    doc, diagnostics = load_yaml_text("id: a\n---\nid: b\n", "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(2, 1, "yaml-syntax")]
    assert "expected a single document" in diagnostics[0].message


def test_control_character() -> None:
    doc, diagnostics = load_yaml_text("id: a\ntitle: b\x07c\n", "f.yaml")
    assert doc is None
    assert [d.format() for d in diagnostics] == [
        "f.yaml:2:9: character '\\x07' is not allowed in YAML text (yaml-syntax)"]


@pytest.mark.parametrize("text", ["[" * 5000, "a:\n" + "- " * 3000 + "x\n", "{a: " * 2000])
def test_deep_nesting_is_a_problem_not_a_crash(text: str) -> None:
    # PyYAML composes recursively: this used to end in RecursionError
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert doc is None
    assert [d.code for d in diagnostics] == ["too-deep"]
    assert "nesting deeper than 64 levels" in diagnostics[0].message


def test_moderate_nesting_is_fine() -> None:
    doc, diagnostics = load_yaml_text("[" * 60 + "]" * 60, "f.yaml")
    assert diagnostics == [] and doc is not None


# --- bytes -------------------------------------------------------------------------------------


def test_not_utf8_gives_line_and_column_of_the_bad_byte() -> None:
    raw = "id: a\ntitle: 考核表".encode() + b"\xb1\xed\n"  # GBK bytes after three UTF-8 characters
    doc, diagnostics = load_yaml_bytes(raw, "gbk.yaml")
    assert doc is None
    # the column counts characters: 't','i','t','l','e',':',' ','考','核','表' then the bad byte
    assert [d.format() for d in diagnostics] == [
        "gbk.yaml:2:11: not UTF-8 text (byte 0xb1 at offset 22); save the file as UTF-8 "
        "(e.g. in Notepad: Save As, Encoding: UTF-8) (encoding)"]


def test_a_whole_gbk_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: baoan\ntitle: 保安员月度绩效考核表\n".encode("gbk"))
    doc, diagnostics = load_yaml_file(path)
    assert doc is None and codes(diagnostics) == [(2, 8, "encoding")]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "id: a\ntitle: 考核表\n".encode())
    doc, diagnostics = load_yaml_file(path)
    assert diagnostics == []
    assert doc is not None and doc.data == {"id": "a", "title": "考核表"}
    assert doc.position(("id",)) == (1, 5)


def test_bom_does_not_shift_the_bad_byte() -> None:
    doc, diagnostics = load_yaml_bytes(b"\xef\xbb\xbfid: \xff\n", "f.yaml")
    assert doc is None
    assert codes(diagnostics) == [(1, 5, "encoding")]
    assert "offset 7" in diagnostics[0].message  # offset in the file as it is on disk


def test_nul_byte() -> None:
    doc, diagnostics = load_yaml_bytes(b"id: a\ntitle: b\x00c\n", "f.yaml")
    assert doc is None
    assert [d.format() for d in diagnostics] == [
        "f.yaml:2:9: file contains a NUL character; is it really a YAML text file? (encoding)"]


def test_file_over_1_mib(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\nid: a\n")
    doc, diagnostics = load_yaml_file(path, display="big.yaml")
    assert doc is None
    assert [d.format() for d in diagnostics] == [
        "big.yaml: file is larger than 1024 KiB; a rubric is never that big (too-large)"]
    assert codes(load_rubric(path)[1]) == [(0, 0, "too-large")]


def test_file_of_exactly_1_mib_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    head = b"id: a\n# "
    path.write_bytes(head + b"x" * (MAX_BYTES - len(head)))
    doc, diagnostics = load_yaml_file(path)
    assert diagnostics == [] and doc is not None and doc.data == {"id": "a"}


def test_missing_file(tmp_path: Path) -> None:
    doc, diagnostics = load_yaml_file(tmp_path / "nope.yaml", display="nope.yaml")
    assert doc is None
    assert [(d.file, d.line, d.column, d.code) for d in diagnostics] == [("nope.yaml", 0, 0, "io-error")]
    assert diagnostics[0].message.startswith("cannot read file: ")


# --- values ------------------------------------------------------------------------------------


def _floats(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return [value] if isinstance(value, float) else []


def test_numbers_are_int_or_exact_decimal() -> None:
    text = "a: 0.1\nb: 10\nc: -2.50\nd: 1_000\ne: 1.0e+3\nf: .5\ng: 012\nh: +3\n"
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"a": Decimal("0.1"), "b": 10, "c": Decimal("-2.50"), "d": 1000, "e": Decimal("1.0e+3"),
                        "f": Decimal("0.5"), "g": 12, "h": 3}
    assert str(doc.data["a"]) == "0.1"  # Decimal('0.1'), not the float 0.1000000000000000055...
    assert type(doc.data["b"]) is int and type(doc.data["a"]) is Decimal
    assert _floats(doc.data) == []


def test_1e3_is_text_to_yaml() -> None:
    # YAML 1.1 floats need a dot and a signed exponent; 1e3 and 1.0e3 stay text (the model may
    # still read them as numbers: see test_rubric_loader)
    doc, diagnostics = load_yaml_text("a: 1e3\nb: 1.0e3\n", "f.yaml")
    assert diagnostics == [] and doc is not None and doc.data == {"a": "1e3", "b": "1.0e3"}


@pytest.mark.parametrize(("value", "message"), [
    (".inf", "'.inf' is not a finite number"),
    ("-.inf", "'-.inf' is not a finite number"),
    (".NaN", "'.NaN' is not a finite number"),
    ("0x10", "'0x10': write whole numbers in plain decimal digits"),
    ("0o17", None),  # YAML 1.1 knows no 0o: plain text
    ("0b101", "'0b101': write whole numbers in plain decimal digits"),
    ("190:20:30", "'190:20:30': write whole numbers in plain decimal digits"),
])
def test_numbers_that_are_refused(value: str, message: str | None) -> None:
    doc, diagnostics = load_yaml_text(f"a: {value}\n", "f.yaml")
    assert doc is not None
    if message is None:
        assert diagnostics == [] and doc.data == {"a": value}
    else:
        assert doc.data == {"a": None}
        assert [d.format() for d in diagnostics] == [f"f.yaml:1:4: {message} (number)"]


def test_quoted_numbers_and_other_scalars() -> None:
    text = "a: '0.1'\nb: \"10\"\nc: yes\nd: false\ne: ~\nf:\ng: 2026-10-01\nh: |\n  两行\n  文字\n"
    doc, diagnostics = load_yaml_text(text, "f.yaml")
    assert diagnostics == [] and doc is not None
    assert doc.data == {"a": "0.1", "b": "10", "c": True, "d": False, "e": None, "f": None, "g": "2026-10-01",
                        "h": "两行\n文字\n"}


def test_a_mapping_key_must_be_plain() -> None:
    doc, diagnostics = load_yaml_text("? [a, b]\n: 1\nc: 2\n", "f.yaml")
    assert doc is not None and doc.data == {"c": 2}
    assert codes(diagnostics) == [(1, 3, "bad-key")]


# --- positions ---------------------------------------------------------------------------------

NESTED = """\
# a comment
id: baoan
items:
  - id: kaoqin
    max: 30
    rules:
      - id: chidao
        points: {min: 1, max: 2}
  - {id: fuwu, max: 40}
"""


def test_positions_of_nested_values() -> None:
    doc, diagnostics = load_yaml_text(NESTED, "f.yaml")
    assert diagnostics == [] and isinstance(doc, YamlDocument)
    assert doc.position(()) == (2, 1)
    assert doc.position(("id",)) == (2, 5)
    assert doc.position(("items",)) == (4, 3)
    assert doc.position(("items", 0)) == (4, 5)
    assert doc.position(("items", 0, "max")) == (5, 10)
    assert doc.position(("items", 0, "rules", 0, "points", "max")) == (8, 31)
    assert doc.position(("items", 1, "max")) == (9, 21)
    assert doc.position(("items", 1, "max"), key=True) == (9, 16)
    assert doc.position(("items", 0, "max"), key=True) == (5, 5)


def test_position_falls_back_to_the_deepest_part_present() -> None:
    doc, _ = load_yaml_text(NESTED, "f.yaml")
    assert doc is not None
    assert doc.position(("items", 1, "name")) == (9, 5)  # missing key: its mapping
    assert doc.position(("items", 7)) == (4, 3)
    assert doc.position(("nothing", "here")) == (2, 1)


def test_positions_count_characters_not_bytes() -> None:
    doc, _ = load_yaml_text("title: 保安员考核表\nroles: [保安员, 门岗]\n", "f.yaml")
    assert doc is not None
    assert doc.position(("roles", 1)) == (2, 14)


def test_format_path() -> None:
    assert format_path(("items", 2, "rules", 0, "points", "max")) == "items[2].rules[0].points.max"
    assert format_path(("total",)) == "total"
    assert format_path(()) == ""


# --- robustness --------------------------------------------------------------------------------

YAMLISH = st.lists(st.sampled_from(list("ab:-[]{}&*!|>?,#'\"\n\t 01.%~<@`\\") + [
    "id", "max", "0.5", "1.0e+3", "1e3", "中", "\ufeff", "\x00", "\x85", "!!python/object/apply:os.system", "<<",
    "\n  - ", "\n    "]), max_size=80).map("".join)


def _check_result(result: tuple[YamlDocument | None, list[Diagnostic]]) -> None:
    doc, diagnostics = result
    assert doc is not None or diagnostics
    assert all(isinstance(d, Diagnostic) and d.code for d in diagnostics)
    if doc is not None:
        assert _floats(doc.data) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    _check_result(load_yaml_text(text, "f.yaml"))


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_random_yaml_like_text_never_raises(text: str) -> None:
    _check_result(load_yaml_text(text, "f.yaml"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(raw: bytes) -> None:
    _check_result(load_yaml_bytes(raw, "f.yaml"))


# --- the libyaml fast path reads exactly as PyYAML does -----------------------------------------

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(p for d in ("rubrics", "examples", "tests/data") for p in (ROOT / d).rglob("*.y*ml"))
needs_libyaml = pytest.mark.skipif(yaml_source._FastStrictLoader is None, reason="PyYAML built without libyaml")


def _fast_and_reference(text: str) -> tuple[Any, Any]:
    """``load_yaml_text`` as shipped (libyaml first), and with PyYAML alone."""
    fast = load_yaml_text(text, "f.yaml")
    saved, yaml_source._FastStrictLoader = yaml_source._FastStrictLoader, None
    try:
        reference = load_yaml_text(text, "f.yaml")
    finally:
        yaml_source._FastStrictLoader = saved
    return (fast, repr(fast)), (reference, repr(reference))


@needs_libyaml
def test_shipped_rubrics_take_the_fast_path() -> None:
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        text = path.read_text("utf-8")
        assert not yaml_source._LIBYAML_DIFFERS.search(text), path
        yaml_source._FastStrictLoader(text).get_single_node()  # no _UseReference, no error


@needs_libyaml
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_project_reads_the_same(path: Path) -> None:
    raw = path.read_bytes()
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: never parsed")
    fast, reference = _fast_and_reference(text)
    assert fast == reference


@needs_libyaml
@pytest.mark.parametrize("text", [
    "a:\tb\n",  # libyaml takes a tab as a separator
    "- {max: }\n", "[a, ]\n", "{: a}\n", "a:\n",  # empty values: libyaml places them elsewhere
    "roles: [a?b]\n", "{a?b: 1}\n", "{? a: b}\n",  # "?" in flow context
    "x: >#c\n  t\n", "x: |2\n   t\n",  # block scalar headers
    "x: !.inf!int 1\n", "x: !!str 1\n", "x: !foo 1\n",  # tags
    "x: &a 1\ny: *a\n", "&a x: 1\n",  # anchors and aliases
    "\ufeffid: x\n", "a: b\u2028c\n", "a: b\x85c\n",  # BOM, Unicode line breaks
    "%YAML 1.1\n---\na: 1\n", "%TAG !e! tag:e.com,2000:\n---\na: !e!x 1\n",  # directives
    "a: 1\r\nb: [x, y]\r\n", "a: 'it''s'\nb: \"\\x41\\u4e2d\"\n", "a: b\n  c\n", "- - a\n  - b\n",
])
def test_where_libyaml_differs_the_result_is_pyyamls(text: str) -> None:
    fast, reference = _fast_and_reference(text)
    assert fast == reference


@st.composite
def _edited_rubric(draw: st.DrawFn) -> str:
    """A few lines of a shipped rubric with a few characters inserted or removed."""
    lines = draw(st.sampled_from([p for p in YAML_FILES if p.parent.name == "rubrics"])).read_text("utf-8")
    lines = lines.splitlines(keepends=True)
    start = draw(st.integers(0, len(lines) - 1))
    text = "".join(lines[start:start + draw(st.integers(1, 30))])
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 2))
        text = text[:at] + draw(st.sampled_from(list(":-[]{},?!&*|>#'\" \t\r\n%~") + ["", "  ", ": ", "- "])) \
            + text[at + cut:]
    return text


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(st.one_of(YAMLISH, _edited_rubric()))
def test_random_text_reads_the_same_with_libyaml(text: str) -> None:
    fast, reference = _fast_and_reference(text)
    assert fast == reference
