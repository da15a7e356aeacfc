"""The message catalogs and the choice of language (kpi_cli.i18n).

The catalog tests fail when a message marked in the code (``_()``, ``N_()``, ``ngettext()``) has no Chinese
translation, when a translation is fuzzy, when its ``{placeholders}`` differ from the English, or when the
shipped .mo is not the compiled .po.  How to fix them: /work/team/I18N.md, README "Translations".
"""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kpi_cli import i18n
from kpi_cli.i18n import choose_language, language_from_locale, normalize_language

SRC = Path(i18n.__file__).resolve().parent
PO = SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "kpi_cli.po"
MO = PO.with_suffix(".mo")
UPDATE = "see /work/team/I18N.md (README: Translations) for the commands that update the catalog"


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _extracted() -> dict[str, str]:
    """msgid -> the file:line that marks it, for every message marked in the package."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            SRC, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "gettext": None,
                                                            "ngettext": (1, 2)}):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _fields(text: str) -> list[str]:
    return sorted(f"{{{name}{'!' + conv if conv else ''}}}" for _, name, _spec, conv in string.Formatter().parse(text)
                  if name is not None)


def test_every_marked_message_has_a_chinese_translation():
    catalog = _catalog()
    missing = []
    for msgid, where in sorted(_extracted().items(), key=lambda kv: kv[1]):
        entry = catalog.get(msgid)
        if entry is None:
            missing.append(f"{where}: not in kpi_cli.po: {msgid!r}")
            continue
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if not all(strings):
            missing.append(f"{where}: no translation: {msgid!r}")
    assert not missing, f"{len(missing)} messages without Chinese ({UPDATE}):\n" + "\n".join(missing)


def test_no_translation_is_fuzzy():
    fuzzy = [m.id for m in _catalog() if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (guessed by pybabel update; check, then remove the '#, fuzzy' line): {fuzzy}"


def test_placeholders_are_the_same_in_chinese():
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in strings:
            if text and _fields(text) != _fields(ids[-1]) and _fields(text) != _fields(ids[0]):
                wrong.append(f"{ids[0]!r}: {_fields(ids[0])} but {text!r}: {_fields(text)}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_shipped_mo_is_the_compiled_po():
    """The package ships kpi_cli.mo (so `pip install .` needs no build step); it must say what the .po says."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _catalog():
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == (message.string or message.id), \
                f"kpi_cli.mo is older than kpi_cli.po ({UPDATE}): {message.id!r}"
        else:
            assert compiled.ngettext(message.id[0], message.id[1], 2) == (message.string[0] or message.id[1]), \
                f"kpi_cli.mo is older than kpi_cli.po ({UPDATE}): {message.id!r}"


def test_the_catalog_uses_one_plural_form():
    assert _catalog().plural_forms == "nplurals=1; plural=0;"


@pytest.mark.parametrize(("text", "language"), [
    ("zh", "zh"), ("zh_CN", "zh"), ("zh-CN", "zh"), ("ZH_cn.UTF-8", "zh"), ("中文", "zh"), ("Chinese", "zh"),
    ("en", "en"), ("en_US", "en"), ("English", "en"), ("fr", None), ("", None), (None, None),
])
def test_language_names(text, language):
    assert normalize_language(text) == language


@pytest.mark.parametrize(("env", "language"), [
    ({}, "zh"),  # cron: nothing set
    ({"LANG": "C"}, "zh"), ({"LANG": "POSIX"}, "zh"), ({"LANG": "C.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"),  # asked for a language kpi does not have
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),  # LC_MESSAGES before LANG
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "en_US", "LC_ALL": "zh_CN.GB18030"}, "zh"),  # LC_ALL before all
    ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "en"),  # an empty variable says nothing
    ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "zh"),  # LC_ALL=C (as in many scripts) says nothing useful either
])
def test_language_from_locale(env, language):
    assert language_from_locale(env) == language


def test_order_of_the_choice():
    env = {"LANG": "en_US.UTF-8"}
    assert choose_language(env=env) == "en"
    assert choose_language(config="zh", env=env) == "zh"  # kpi.toml before the locale
    assert choose_language(config="zh", env={**env, "KPI_LANG": "en"}) == "en"  # KPI_LANG before kpi.toml
    assert choose_language("zh", config="en", env={**env, "KPI_LANG": "en"}) == "zh"  # --lang before all
    assert choose_language("fr", config="xx", env=env) == "en"  # unknown names are skipped


def test_messages_follow_the_language_set():
    msgid = "Show this message and exit."
    i18n.set_language("zh")
    assert i18n._(msgid) == "显示本帮助并退出。"
    i18n.set_language("en")
    assert i18n._(msgid) == msgid
    assert i18n._("a message that is not in the catalog") == "a message that is not in the catalog"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_no_function_hides_the_translation_function():
    """``_, x = pair`` inside a function makes ``_`` local there: a ``_("...")`` in it then fails at run time
    (UnboundLocalError, or "str is not callable")."""
    import ast

    hidden = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            stored = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == "_"
                      and isinstance(n.ctx, ast.Store)]
            comprehension_targets = {id(n) for c in ast.walk(function) if isinstance(c, ast.comprehension)
                                     for n in ast.walk(c.target)}
            stored = [n for n in stored if id(n) not in comprehension_targets]
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                        for n in ast.walk(function))
            if stored and calls:
                hidden.append(f"{path.relative_to(SRC)}:{stored[0].lineno}: `_` assigned in {function.name!r}"
                              if not isinstance(function, ast.Lambda) else f"{path}:{stored[0].lineno}")
    assert not hidden, "name the unused value something else than `_`:\n" + "\n".join(hidden)


# ASCII , ; : ? ! ( ) where a Chinese sentence needs the full-width ones (docs/glossary.md "Style").  Left alone:
# paths and locations ({location}: message, 文件:行), YAML keys (pay:, missing: full) and code (! or :).
_HALF_WIDTH = __import__("re").compile(r"[\u3400-\u9fff][,;?!]|[,;?!] ?[\u3400-\u9fff]|[\u3400-\u9fff]\(|\)[\u3400-\u9fff]"
                                       r"|(?<![A-Za-z_}])[:] ?(?![行列])[\u3400-\u9fff]|[\u3400-\u9fff]:(?![行列])")


def test_chinese_sentences_use_full_width_punctuation():
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        for text in [message.string] if isinstance(message.string, str) else list(message.string):
            if text and _HALF_WIDTH.search(text):
                wrong.append(f"{text!r}: {_HALF_WIDTH.search(text).group(0)!r}")
    assert not wrong, "use ，；：？！（） in Chinese sentences:\n" + "\n".join(wrong)
