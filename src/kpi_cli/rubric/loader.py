"""Find rubric files, read them, and turn every problem into a located diagnostic.

Like beancount's loader, :func:`load_rubric` returns ``(rubric, diagnostics)``:
the rubric is ``None`` whenever any error was found, so a wrong rubric can
never be used for scoring.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kpi_cli.rubric import model as rubric_model
from kpi_cli.diagnostics import ERROR, Diagnostic, has_errors
from kpi_cli.errors import RubricNotFound, RubricNotValid
from kpi_cli.i18n import _
from kpi_cli.names import did_you_mean, quoted
from kpi_cli.rubric.checks import run_checks
from kpi_cli.i18n import N_
from kpi_cli.rubric.model import DeductionRule, Rubric
from kpi_cli.rubric.yaml_source import YamlDocument, YamlPath, format_path, load_yaml_file

RUBRIC_SUFFIXES = (".yaml", ".yml")
DEFAULT_RUBRIC_DIR = Path("rubrics")


@dataclass(frozen=True)
class LoadedRubric:
    path: str
    rubric: Rubric | None
    diagnostics: tuple[Diagnostic, ...]


_MODELS: tuple[type[BaseModel], ...] = tuple(
    obj for obj in vars(rubric_model).values()
    if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel and obj.model_fields
)
_FIELDS = sorted({name for model in _MODELS for name in model.model_fields})


def load_rubric(path: Path | str, display: str | None = None) -> tuple[Rubric | None, list[Diagnostic]]:
    """Read one rubric file; all of its problems come back at once."""
    _doc, rubric, diagnostics = _load(path, display or str(path))
    return rubric, diagnostics


def _load(path: Path | str, name: str) -> tuple[YamlDocument | None, Rubric | None, list[Diagnostic]]:
    doc, diagnostics = load_yaml_file(path, name)
    if doc is None:
        return None, None, diagnostics
    if not isinstance(doc.data, dict):
        if doc.data is None and has_errors(diagnostics):
            return doc, None, diagnostics  # e.g. a refused tag on the whole document: already said
        kind = {list: "a list", str: "a single text", int: "a number", bool: "true/false", type(None): "nothing"}.get(
            type(doc.data), "a number")
        line, col = doc.position(())
        diagnostics.append(Diagnostic(name, line, col, f"a rubric must be a mapping of keys (id: ..., title: ..., "
                                      f"items: ...), not {kind}", "not-a-mapping"))
        return doc, None, diagnostics
    try:
        rubric = Rubric.model_validate(doc.data)
    except ValidationError as exc:
        # a value the YAML reader refused (a tag, 0x10...) is already reported at its place
        refused = {(d.line, d.column) for d in diagnostics}
        diagnostics.extend(d for d in _schema_diagnostics(exc, doc, name) if (d.line, d.column) not in refused)
        return doc, None, sorted(diagnostics, key=lambda d: (d.line, d.column))
    for problem in run_checks(rubric):
        line, col = doc.position(problem.path)
        where = format_path(problem.path)
        diagnostics.append(Diagnostic(name, line, col, f"{where}: {problem.message}", problem.code, problem.level))
    diagnostics.sort(key=lambda d: (d.line, d.column))
    return doc, (None if has_errors(diagnostics) else rubric), diagnostics


def _data_path(data: Any, loc: Sequence[str | int]) -> tuple[YamlPath, tuple[YamlPath, str] | None]:
    """The part of a pydantic ``loc`` that exists in the data, and the last union branch on the way.

    Union members (``decimal``, ``PointRange``) and discriminator tags (``deduction``)
    appear in ``loc`` but not in the data; the last one skipped is returned with the
    data path where it was met, so errors of the members of one union can be compared.
    """
    path: list[str | int] = []
    node = data
    branch: tuple[YamlPath, str] | None = None
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            branch = (tuple(path), str(part))
            continue
        path.append(part)
    return tuple(path), branch


# Errors that only say "this is not that kind of value"; in a union each member reports one.
_MISMATCH = {"decimal_type", "decimal_parsing", "model_type", "model_attributes_type", "dict_type", "int_type",
             "int_parsing", "int_from_float", "string_type", "tuple_type", "list_type", "bool_type", "bool_parsing"}
_BRANCHES = {"decimal": N_("a number"), "PointRange": N_("a range like {min: 1, max: 3}"),
             "tuple[decimal, ...]": N_("a list of escalating points like [1, 2, 5]")}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return _("a mapping of keys")
    if isinstance(value, list):
        return _("a list")
    return _("nothing") if value is None else repr(value)


#: pydantic error type -> what was expected, in a rubric author's words
_EXPECTED = {
    **dict.fromkeys(("decimal_type", "decimal_parsing"), N_("a number (like 5 or 0.5)")),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), N_("a whole number")),
    **dict.fromkeys(("bool_type", "bool_parsing"), N_("true or false")),
    "string_type": N_("text"),
    **dict.fromkeys(("tuple_type", "list_type"), N_("a list, like [a, b] or one '- ' line per entry")),
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type"), N_("keys and values (key: value lines)")),
}
#: pydantic bound error type -> (words, the ctx key holding the bound)
_BOUNDS = {
    "greater_than": (N_("must be more than {bound}, not {got}"), "gt"),
    "greater_than_equal": (N_("must be at least {bound}, not {got}"), "ge"),
    "less_than_equal": (N_("must be at most {bound}, not {got}"), "le"),
    "less_than": (N_("must be less than {bound}, not {got}"), "lt"),
}


def _message(kind: str, error: Any) -> str:
    """Pydantic's message in the words of a rubric author, naming the wrong value."""
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = _show(value)
    expected = _EXPECTED.get(kind)
    if expected is not None:
        return _("expected {expected}, not {got}").format(expected=_(expected), got=got)
    if kind == "literal_error":
        return _("must be {expected}, not {got}").format(expected=ctx.get("expected"), got=got)
    bound = _BOUNDS.get(kind)
    if bound is not None:
        words, key = bound
        return _(words).format(bound=_show(ctx.get(key)), got=got)
    if kind == "decimal_max_places":
        return _("at most {places} decimal places, not {got}").format(places=ctx.get("decimal_places"), got=got)
    if kind == "string_pattern_mismatch":
        return _("ids are lower-case ASCII (pinyin): letters, digits and _, starting with a letter, not {got}").format(
            got=got)
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("too long: at most {most} characters").format(most=ctx.get("max_length"))
    if kind == "too_short":
        if ctx.get("actual_length"):
            return _("must list at least {least} entries, not {count}").format(least=ctx.get("min_length"),
                                                                               count=ctx.get("actual_length"))
        return _("must list at least {least} entry, but is empty").format(least=ctx.get("min_length"))
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):  # a validator's own (translated) words
        return str(ctx["error"])
    if kind == "rule-kind":
        return _("kind must be 'deduction' (the default) or 'metric', not {got}").format(
            got=_show(value.get("kind"))) if isinstance(value, dict) else str(error["msg"])
    return str(error["msg"])


def _schema_diagnostics(exc: ValidationError, doc: YamlDocument, name: str) -> list[Diagnostic]:
    errors = []
    for error in exc.errors(include_url=False):
        path, branch = _data_path(doc.data, error["loc"])
        if error["type"] == "missing":
            path += (str(error["loc"][-1]),)  # a missing field: name it, place it at its parent
        elif error["type"] == "rule-kind" and "kind" in _get(doc.data, path):
            path += ("kind",)
        errors.append((path, branch, error))

    # A value that fits no member of a plain union (points: a number or a range): keep the
    # member errors that say more than "wrong type", or say once what the union accepts.
    unions: dict[YamlPath, list[tuple[YamlPath, str, Any]]] = defaultdict(list)
    for path, branch, error in errors:
        if branch is not None:
            unions[branch[0]].append((path, branch[1], error))
    dropped: set[int] = set()
    merged: dict[int, str] = {}
    for where, members in unions.items():
        if len({member for _, member, _ in members}) < 2:
            continue  # a discriminated union: only the chosen member reported
        plain = [e for path, _, e in members if path == where and e["type"] in _MISMATCH]
        if len(plain) < len(members):
            dropped.update(id(e) for e in plain)
        else:
            wanted = _(" or ").join(_(_BRANCHES[member]) if member in _BRANCHES else member
                                    for member in dict.fromkeys(m for _p, m, _e in members))
            merged[id(plain[0])] = _("expected {expected}, not {got}").format(expected=wanted,
                                                                              got=_show(plain[0].get("input")))
            dropped.update(id(e) for e in plain[1:])
    errors = [(path, error) for path, _, error in errors if id(error) not in dropped]

    # A misspelt key usually comes with "missing" for the key meant: report the spelling only.
    missing = {path for path, error in errors if error["type"] == "missing"}
    unknown = {path for path, error in errors if error["type"] == "extra_forbidden"}
    suggestions: dict[YamlPath, str] = {}
    for path in sorted(unknown, key=lambda p: doc.position(p, key=True)):
        parent, key = path[:-1], str(path[-1])
        meant = [str(m[-1]) for m in missing if m[:-1] == parent]
        close = get_close_matches(key, meant, n=1, cutoff=0.6)
        if close:
            missing.discard(parent + (close[0],))
            suggestions[path] = _(" (did you mean {name}?)").format(name=repr(close[0]))
        else:
            present = set(_get(doc.data, parent)) - {str(u[-1]) for u in unknown if u[:-1] == parent}
            suggestions[path] = did_you_mean(key, [f for f in _fields_for(present) if f not in present])
            if not suggestions[path] and _get(doc.data, parent).get("kind") == "metric" \
                    and key in DeductionRule.model_fields:  # wipe_at, team: they count or share deductions
                suggestions[path] = _(" ({key} is for deduction rules, not for a rule of kind: metric)").format(key=key)

    out: list[Diagnostic] = []
    seen: set[YamlPath] = set()
    deeper = {path[:n] for path, _ in errors for n in range(len(path))}
    for path, error in errors:
        kind = error["type"]
        if path in deeper and kind in ("too_short", "tuple_type", "list_type"):
            continue  # "no valid items" follows from the item errors reported below it
        if kind == "missing" and path not in missing:
            continue  # explained by a misspelt key
        if path in seen:
            continue  # one message per place
        seen.add(path)
        if kind == "extra_forbidden":
            message = _("unknown key {key}{hint}").format(key=repr(str(path[-1])), hint=suggestions.get(path, ""))
            line, col = doc.position(path, key=True)
            code = "unknown-key"
        elif kind == "missing":
            parent = format_path(path[:-1]) or _("the top of the file")
            message = _("required but missing; add '{key}: ...' to {parent}").format(key=path[-1], parent=parent)
            line, col = doc.position(path)
            code = "missing"
        else:
            message = merged.get(id(error)) or _message(kind, error)
            line, col = doc.position(path)
            code = "schema"
        out.append(Diagnostic(name, line, col, f"{format_path(path)}: {message}", code, ERROR))
    return out


def _get(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]
    return data if isinstance(data, dict) else {}


def _fields_for(present: set[str]) -> list[str]:
    """The fields of the models a mapping with these keys can be; all fields when none fits."""
    fitting = [model for model in _MODELS if present <= set(model.model_fields)]
    return sorted({f for model in fitting for f in model.model_fields}) if fitting else _FIELDS


def find_rubric_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders (recursively, *.yaml / *.yml), in a stable order."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in RUBRIC_SUFFIXES and p.is_file())
            if not found:
                problems.append(Diagnostic(str(path), 0, 0, _("no *.yaml or *.yml files in this folder"), "no-rubrics",
                                           "warning"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Diagnostic(str(path), 0, 0, _("no such file or folder; check the path"), "not-found"))
    return list(dict.fromkeys(files)), problems


def load_rubrics(paths: Iterable[Path | str]) -> tuple[list[LoadedRubric], list[Diagnostic]]:
    """Load every rubric under ``paths``; rubric ids must be unique across them."""
    files, problems = find_rubric_files(paths)
    loaded: list[LoadedRubric] = []
    first: dict[str, str] = {}
    for file in files:
        doc, rubric, diagnostics = _load(file, str(file))
        if rubric is not None and doc is not None:
            if rubric.id in first:
                line, col = doc.position(("id",))
                diagnostics.append(Diagnostic(str(file), line, col, _("id: rubric id {id} is already used by "
                                                                      "{file}").format(id=repr(rubric.id),
                                                                                       file=first[rubric.id]),
                                              "duplicate-rubric"))
                rubric = None
            else:
                first[rubric.id] = str(file)
        loaded.append(LoadedRubric(str(file), rubric, tuple(diagnostics)))
    return loaded, problems


def resolve_rubric_path(name: str, folder: Path | str = DEFAULT_RUBRIC_DIR) -> Path | None:
    """``guanjia`` -> ``rubrics/guanjia.yaml``; a path to a file is taken as it is."""
    try:
        candidate = Path(name)
        if candidate.suffix in RUBRIC_SUFFIXES or _is_file(candidate):
            return candidate if _is_file(candidate) else None
        for suffix in RUBRIC_SUFFIXES:
            path = Path(folder) / f"{name}{suffix}"
            if _is_file(path):
                return path
    except ValueError:  # a NUL in the name
        return None
    return None


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False for a name the system refuses (longer than a file name may be, a NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def available_rubrics(folder: Path | str = DEFAULT_RUBRIC_DIR) -> list[str]:
    path = Path(folder)
    if not path.is_dir():
        return []
    return sorted(p.stem for p in path.iterdir() if p.suffix in RUBRIC_SUFFIXES)


def load_named_rubric(name: str, folder: Path | str = DEFAULT_RUBRIC_DIR) -> tuple[Path, Rubric]:
    """``--rubric NAME|PATH`` -> the rubric's file and the valid rubric.

    Raises :class:`~kpi_cli.errors.RubricNotFound` when ``name`` is neither a file nor a
    rubric in ``folder``, :class:`~kpi_cli.errors.RubricNotValid` (with every problem)
    when the file has errors.
    """
    path = resolve_rubric_path(name, folder)
    if path is None:
        known = ", ".join(available_rubrics(folder)) or _("none")
        raise RubricNotFound(_("no rubric {name}: not a file, and not in {folder}/ (found: {known})").format(
            name=quoted(name), folder=folder, known=known))
    rubric, diagnostics = load_rubric(path)
    if rubric is None:
        raise RubricNotValid(path, diagnostics)
    return path, rubric
