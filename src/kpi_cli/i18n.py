"""Translations: every message a person reads goes through here (gettext, English source, Simplified Chinese).

Mark a message with :func:`_` where it is made, with *named* placeholders filled in after translation, so a
translator can reorder them::

    _("unknown employee {id}: not on the roster").format(id=employee)
    ngettext("{n} problem", "{n} problems", n).format(n=n)

Text that must be fixed before the language is known (typer help strings, module constants) is marked with
:func:`N_` (no translation at that point) and translated where it is shown (``_(CONSTANT)``).

The catalogs live in ``kpi_cli/locale/zh_CN/LC_MESSAGES/kpi_cli.po`` (edited, in git) and ``kpi_cli.mo``
(compiled from it with Babel, shipped in the package); see /work/team/I18N.md and README "Translations".

The language is ``zh`` or ``en``: :func:`choose_language` decides it (``--lang``/``KPI_LANG``, kpi.toml
``language``, the locale, else Chinese) and the command line calls :func:`set_language` once per run.  A
library user who never calls it gets the language of the environment.  Diagnostic codes are never translated.
This module is a leaf: the standard library only.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "kpi_cli"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"  # the users are Chinese: a locale that says nothing (C, POSIX, cron) means Chinese
_CATALOG_LOCALE = {"zh": "zh_CN"}  # en is the source language: no catalog
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX precedence: the first one set wins

_language: str | None = None
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def normalize_language(text: str | None) -> str | None:
    """``zh``, ``zh_CN``, ``zh-CN``, ``中文``, ``Chinese`` -> ``zh``; ``en``, ``en_US``, ``English`` -> ``en``;
    anything else -> None."""
    if text is None:
        return None
    value = text.strip().lower().replace("-", "_")
    if value in ("中文", "简体中文", "chinese") or value.split("_")[0].split(".")[0] == "zh":
        return "zh"
    if value in ("english", "英文", "英语") or value.split("_")[0].split(".")[0] == "en":
        return "en"
    return None


def language_from_locale(env: Mapping[str, str]) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set.

    ``zh_CN.UTF-8`` -> zh; ``en_US.UTF-8``, ``de_DE`` (someone who asked for a language that is not Chinese) -> en;
    ``C``, ``POSIX``, ``C.UTF-8`` or nothing set (cron, containers) -> zh, :data:`DEFAULT_LANGUAGE`.
    """
    for variable in _LOCALE_VARIABLES:
        value = env.get(variable, "").strip()
        if not value:
            continue
        base = value.split(".")[0].split("@")[0]
        if base in ("C", "POSIX"):
            return DEFAULT_LANGUAGE
        return normalize_language(base) or "en"
    return DEFAULT_LANGUAGE


def choose_language(option: str | None = None, config: str | None = None,
                    env: Mapping[str, str] | None = None) -> str:
    """``--lang`` (or ``KPI_LANG``: the option's environment variable, so it wins over kpi.toml like every
    other option), then kpi.toml ``language``, then the locale (:func:`language_from_locale`)."""
    env = os.environ if env is None else env
    for given in (option, env.get("KPI_LANG"), config):
        language = normalize_language(given) if given else None
        if language is not None:
            return language
    return language_from_locale(env)


def set_language(language: str) -> None:
    """Use ``zh`` or ``en`` for every message from now on."""
    global _language, _translations
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _language = language
    locale = _CATALOG_LOCALE.get(language)
    _translations = (_gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)
                     if locale is not None else _gettext.NullTranslations())


def get_language() -> str:
    """The language in use (chosen from the environment on first use when nobody set it)."""
    if _language is None:
        set_language(choose_language())
    return _language  # type: ignore[return-value]


def _(message: str) -> str:
    """``message`` (an English msgid) in the language in use."""
    if _language is None:
        get_language()
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the language in use (Chinese has one form)."""
    if _language is None:
        get_language()
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now; translate it with ``_()`` where shown."""
    return message


gettext = _


# The operating system's reasons (strerror) are English whatever the language: the usual ones, said again.
_OS_REASONS = {
    "ENOENT": N_("no such file or folder"), "EACCES": N_("permission denied"), "EPERM": N_("permission denied"),
    "EISDIR": N_("it is a folder, not a file"), "ENOTDIR": N_("a part of the path is not a folder"),
    "ENOSPC": N_("the disk is full"), "EDQUOT": N_("the disk quota is used up"), "EROFS": N_("the disk is read-only"),
    "EEXIST": N_("it exists already"), "ENAMETOOLONG": N_("the file name is too long"),
    "EBUSY": N_("the file is in use by another program"), "ETXTBSY": N_("the file is in use by another program"),
    "EIO": N_("the disk could not be read or written (input/output error)"), "EMFILE": N_("too many open files"),
    "ELOOP": N_("too many symbolic links in the path"), "EINVAL": N_("invalid argument"),
}


def os_reason(exc: BaseException) -> str:
    """Why an OSError happened, in the language of the run (the system's own words for an unusual one)."""
    import errno

    name = errno.errorcode.get(getattr(exc, "errno", None) or -1)
    if name in _OS_REASONS:
        return _(_OS_REASONS[name])
    return str(getattr(exc, "strerror", None) or exc)
