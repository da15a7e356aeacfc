"""Find rubric files, read them, and turn every problem into a located diagnostic.

Like beancount's loader, :func:`load_rubric` returns ``(rubric, diagnostics)``:
the rubric is ``None`` whenever any error was found, so a wrong rubric can
never be used for scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import rubric_model
from .diagnostics import ERROR, Diagnostic, has_errors
from .names import did_you_mean
from .rubric_checks import run_checks
from .rubric_model import Rubric
from .yaml_source import YamlDocument, YamlPath, format_path, load_yaml_file

RUBRIC_SUFFIXES = (".yaml", ".yml")
DEFAULT_RUBRIC_DIR = Path("rubrics")


@dataclass(frozen=True)
class LoadedRubric:
    path: str
    rubric: Rubric | None
    diagnostics: tuple[Diagnostic, ...]


def _known_fields() -> list[str]:
    names: set[str] = set()
    for obj in vars(rubric_model).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
            names.update(obj.model_fields)
    return sorted(names)


_FIELDS = _known_fields()


def load_rubric(path: Path | str, display: str | None = None) -> tuple[Rubric | None, list[Diagnostic]]:
    """Read one rubric file; all of its problems come back at once."""
    _, rubric, diagnostics = _load(path, display or str(path))
    return rubric, diagnostics


def _load(path: Path | str, name: str) -> tuple[YamlDocument | None, Rubric | None, list[Diagnostic]]:
    doc, diagnostics = load_yaml_file(path, name)
    if doc is None:
        return None, None, diagnostics
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "nothing"
        kind = {"list": "a list", "str": "a single text", "int": "a number", "Decimal": "a number"}.get(kind, kind)
        diagnostics.append(Diagnostic(name, 1, 1, f"a rubric must be a mapping (id: ..., title: ..., items: ...), "
                                      f"not {kind}", "not-a-mapping"))
        return doc, None, diagnostics
    try:
        rubric = Rubric.model_validate(doc.data)
    except ValidationError as exc:
        diagnostics.extend(_schema_diagnostics(exc, doc, name))
        return doc, None, sorted(diagnostics, key=lambda d: (d.line, d.column))
    for problem in run_checks(rubric):
        line, col = doc.position(problem.path)
        where = format_path(problem.path)
        diagnostics.append(Diagnostic(name, line, col, f"{where}: {problem.message}", problem.code, problem.level))
    diagnostics.sort(key=lambda d: (d.line, d.column))
    return doc, (None if has_errors(diagnostics) else rubric), diagnostics


def _data_path(data: Any, loc: Sequence[str | int]) -> tuple[YamlPath, bool]:
    """The part of a pydantic ``loc`` that exists in the data (union tags are skipped)."""
    path: list[str | int] = []
    node = data
    complete = True
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part == loc[-1]:
            path.append(part)  # a missing field: name it, place it at its parent
            complete = False
            break
        else:
            continue
    return tuple(path), complete


def _schema_diagnostics(exc: ValidationError, doc: YamlDocument, name: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[YamlPath] = set()
    errors = [(_data_path(doc.data, e["loc"])[0], e) for e in exc.errors(include_url=False)]
    deeper = {path[:n] for path, _ in errors for n in range(len(path))}
    for path, error in errors:
        if path in deeper and error["type"] in ("too_short", "tuple_type", "list_type"):
            continue  # "no valid items" follows from the item errors reported below it
        if path in seen:
            continue  # one message per place: a union reports each of its members
        seen.add(path)
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(path[-1])
            message = f"unknown key {key!r}{did_you_mean(key, _FIELDS)}"
            line, col = doc.position(path, key=True)
            code = "unknown-key"
        elif kind == "missing":
            message = "required, but missing"
            line, col = doc.position(path)
            code = "missing"
        else:
            message = error["msg"]
            if kind == "string_pattern_mismatch":
                message = "ids are lower-case ASCII (pinyin): letters, digits and _, starting with a letter"
            line, col = doc.position(path)
            code = "schema"
        out.append(Diagnostic(name, line, col, f"{format_path(path)}: {message}", code, ERROR))
    return out


def find_rubric_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders (recursively, *.yaml / *.yml), in a stable order."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in RUBRIC_SUFFIXES and p.is_file())
            if not found:
                problems.append(Diagnostic(str(path), 0, 0, "no *.yaml or *.yml files in this folder", "no-rubrics",
                                           "warning"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Diagnostic(str(path), 0, 0, "no such file or folder", "io-error"))
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
                diagnostics.append(Diagnostic(str(file), line, col, f"id: rubric id {rubric.id!r} is already used "
                                              f"by {first[rubric.id]}", "duplicate-rubric"))
                rubric = None
            else:
                first[rubric.id] = str(file)
        loaded.append(LoadedRubric(str(file), rubric, tuple(diagnostics)))
    return loaded, problems


def resolve_rubric_path(name: str, folder: Path | str = DEFAULT_RUBRIC_DIR) -> Path | None:
    """``guanjia`` -> ``rubrics/guanjia.yaml``; a path to a file is taken as it is."""
    candidate = Path(name)
    if candidate.suffix in RUBRIC_SUFFIXES or candidate.is_file():
        return candidate if candidate.is_file() else None
    for suffix in RUBRIC_SUFFIXES:
        path = Path(folder) / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def available_rubrics(folder: Path | str = DEFAULT_RUBRIC_DIR) -> list[str]:
    path = Path(folder)
    if not path.is_dir():
        return []
    return sorted(p.stem for p in path.iterdir() if p.suffix in RUBRIC_SUFFIXES)
