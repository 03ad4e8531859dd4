"""The manual page ``digitize(1)``, generated from the command line's own help (so the two cannot
drift apart): ``python -m digitize.manpage > digitize.1``; ``make install`` puts it in
``.venv/share/man/man1`` (``man -M .venv/share/man digitize``)."""

from __future__ import annotations

import datetime
import re
import sys
from typing import Any

from digitize import __version__
from digitize.errors import EXIT_MEANINGS, ExitCode
from digitize.i18n import _


def _roff(text: str) -> str:
    """Plain text safe in roff: backslashes doubled, a leading dot or quote escaped, markup dropped."""
    text = re.sub(r"\[/?[a-z ]+\]", "", text).replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.splitlines())


def _paragraphs(help_text: str) -> list[str]:
    """Help text as roff: paragraphs, and the ``\\b`` blocks (examples) kept line by line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", help_text.strip()):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            out += [".PP", ".nf", *(_roff(line.rstrip()) for line in lines[1:]), ".fi"]
        else:
            out += [".PP", _roff(" ".join(line.strip() for line in lines))]
    return out


def _commands(command: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        full = f"{path} {name}".strip()
        if getattr(sub, "commands", None):
            found += _commands(sub, full)
        elif not getattr(sub, "hidden", False):
            found.append((full, sub))
    return found


def _usage(name: str, command: Any, ctx: Any) -> str:
    pieces = [p.make_metavar(ctx=ctx, usage=True) if p.param_type_name == "argument" else "" for p in command.params]
    return f"digitize {name} [OPTIONS] " + " ".join(p for p in pieces if p)


def render() -> str:
    """The whole page, in roff (man macros), in the active language (section headings too)."""
    from digitize.cli import build_command

    root = build_command()
    import typer

    ctx = typer.Context(root, info_name="digitize")
    manual = _("User Commands")  # the title of section 1 of the manual, on every page's header
    purpose = _("turn scanner output into a searchable PDF/A archive, and search it")
    lines = [
        f'.TH DIGITIZE 1 "{datetime.date.today().isoformat()}" "digitize {__version__}" "{manual}"',
        ".SH " + _("NAME"), "digitize \\- " + _roff(purpose),
        ".SH " + _("SYNOPSIS"), ".B digitize", "[\\-\\-version] [\\-v] COMMAND [OPTIONS] [ARGS]...",
        ".SH " + _("DESCRIPTION"), *_paragraphs(root.help or ""),
        ".PP", _("Every command answers to {h} and {help}; {v} anywhere shows tracebacks.").format(
            h="\\fB\\-h\\fR", help="\\fB\\-\\-help\\fR", v="\\fB\\-v\\fR"),
        ".SH " + _("COMMANDS"),
    ]
    for name, command in _commands(root):
        sub_ctx = typer.Context(command, info_name=name, parent=ctx)
        lines += [".SS " + _roff(name), ".B " + _roff(_usage(name, command, sub_ctx)), *_paragraphs(command.help or "")]
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "hidden", False):
                continue
            if {"--help", "-h"} >= set(param.opts):
                continue
            names = ", ".join(param.opts + param.secondary_opts)
            value = "" if getattr(param, "is_flag", False) else f" {param.metavar}"
            lines += [".TP", f"\\fB{_roff(names)}\\fR{_roff(value)}", _roff(" ".join((param.help or "").split()))]
    lines += [".SH " + _("EXIT STATUS")]
    for code in sorted({int(c) for c in ExitCode}):
        meaning = EXIT_MEANINGS[ExitCode(code)]
        lines += [".TP", f"\\fB{code}\\fR", _roff(_(meaning))]
    lines += [
        ".SH " + _("ENVIRONMENT"),
        ".TP", "\\fBDIGITIZE_CONFIG\\fR", _roff(_("The config file (before ~/.config/digitize/digitize.toml and "
                                                "/etc/digitize/digitize.toml).")),
        ".TP", "\\fBDIGITIZE_ARCHIVE\\fR", _roff(_("The archive folder.")),
        ".TP", "\\fBDIGITIZE_\\fISECTION\\fB__\\fIKEY\\fR", _roff(_("Any setting, e.g. DIGITIZE_OCR__LANG=ind+eng.")),
        ".TP", "\\fBNO_COLOR\\fR, \\fBTERM=dumb\\fR", _roff(_("No colours; search matches are shown as **word**.")),
        ".SH " + _("SEE ALSO"), _roff(_("tesseract(1), ocrmypdf(1); the README of digitize.")),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """The page in the language ``ui.language`` chooses (``DIGITIZE_UI__LANGUAGE=id`` for the Indonesian one)."""
    from digitize import i18n
    from digitize.settings import load_settings

    i18n.activate(load_settings().ui.language)
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
