"""Messages in the user's language: English (the source text) or Bahasa Indonesia.

Every user-facing string is written in English in the code, inside ``_()`` (or ``ngettext``
when it counts something), with named ``{placeholders}`` filled by ``.format`` after the
translation::

    raise DocumentError("corrupt", _("{file}: image cannot be decoded; scan it again.").format(file=rel))

``N_()`` marks a string for the catalog without translating it (a module constant, translated
where it is shown). Help texts need no marking: ``translate_command`` translates the whole
command tree when the command line is built.

The language is chosen once per process by ``activate`` (the command line does it from
``ui.language``; a worker process from its settings): ``"en"``, ``"id"``, or ``"auto"``, which
follows ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` as GNU gettext does
(``LANG=id_ID.UTF-8`` gives Indonesian). Until then, ``"auto"`` applies.

The catalog is ``locale/id/LC_MESSAGES/digitize.po`` in this package, compiled to ``.mo`` by
``make install`` (``msgfmt``); without the ``.mo`` every message stays English. ``make
messages`` extracts the strings again (``digitize.i18n_extract``) and merges them into the
``.po``; ``tests/test_i18n.py`` fails while any of them lacks a translation.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DOMAIN = "digitize"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "id")  # English is the source text: it needs no catalog
_ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: gettext.NullTranslations | None = None
_active = "en"


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """``message`` itself, marked for the catalog: translate it with ``_()`` where it is shown."""
    return message


def _(message: str) -> str:
    """``message`` in the active language (English when it has no translation)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` (Indonesian has one form for every count)."""
    return _translations().ngettext(singular, plural, n)


def _translations() -> gettext.NullTranslations:
    if _current is None:
        activate("auto")
    assert _current is not None
    return _current


def chosen(language: str, env: Mapping[str, str] | None = None) -> str:
    """The language ``"auto"`` (or an explicit ``"en"``/``"id"``) stands for: ``"id"`` or ``"en"``.

    ``"auto"``: the first language of ``LANGUAGE`` (a colon-separated list), ``LC_ALL``,
    ``LC_MESSAGES`` or ``LANG`` that is set, as gettext reads them; ``id``, ``id_ID``,
    ``id_ID.UTF-8`` and the old code ``in`` are Indonesian, anything else English."""
    if language in LANGUAGES:
        return language
    env = os.environ if env is None else env
    for name in _ENV_ORDER:
        value = env.get(name, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code:
                return "id" if code in ("id", "in") else "en"
    return "en"


def activate(language: str = "auto", env: Mapping[str, str] | None = None) -> str:
    """Use ``language`` (``"auto"``, ``"en"`` or ``"id"``) for every message of this process from now on;
    returns the language chosen. A missing compiled catalog leaves the messages English."""
    global _current, _active
    _active = chosen(language, env)
    if _active == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_active], fallback=True)
    _translate_typer_texts()
    return _active


def active() -> str:
    """The language messages are shown in now: ``"en"`` or ``"id"``."""
    if _current is None:
        activate("auto")
    return _active


# typer's own words in help screens and errors (its module constants, read when a help screen is drawn)
TYPER_TEXTS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
}


def _translate_typer_texts() -> None:
    import sys

    rich_utils = sys.modules.get("typer.rich_utils")  # only when typer is in use: never imported for it
    if rich_utils is None:
        return
    for name, english in TYPER_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, _(english))


def translate_command(command: Any) -> Any:
    """Translate the help of a click command tree in place (commands, options, arguments, panels);
    returns ``command``. The English texts are the msgids (``digitize.i18n_extract`` collects them)."""
    if active() == "en":
        _translate_typer_texts()
        return command
    import typer.rich_utils  # noqa: F401 - loaded now (else when help is drawn) so its words can be set

    _translate_typer_texts()
    for owner, attribute, text in walk_texts(command):
        setattr(owner, attribute, _(help_msgid(text)).replace(_NO_REWRAP_TOKEN, _NO_REWRAP))
    return command


_NO_REWRAP, _NO_REWRAP_TOKEN = "\x08", "\\b"  # click's keep-these-lines-as-they-are marker, as the catalog writes it


def help_msgid(text: str) -> str:
    """The catalog's msgid of a help text: click's no-rewrap marker (a backspace character, which
    gettext's tools warn about) written as the two characters ``\\b``."""
    return text.replace(_NO_REWRAP, _NO_REWRAP_TOKEN)


HELP_ATTRIBUTES = ("help", "short_help", "epilog")
PARAM_ATTRIBUTES = ("help", "rich_help_panel")


def walk_texts(command: Any) -> list[tuple[Any, str, str]]:
    """Every help text of a click command tree: (object, attribute, English text)."""
    found: list[tuple[Any, str, str]] = []
    for attribute in (*HELP_ATTRIBUTES, "rich_help_panel"):
        text = getattr(command, attribute, None)
        if isinstance(text, str) and text.strip():
            found.append((command, attribute, text))
    for param in getattr(command, "params", []):
        for attribute in PARAM_ATTRIBUTES:
            text = getattr(param, attribute, None)
            if isinstance(text, str) and text.strip():
                found.append((param, attribute, text))
    for sub in getattr(command, "commands", {}).values():
        found += walk_texts(sub)
    return found
