"""The message catalog: extract every translatable string, merge it into the Indonesian catalog, compile it.

    python -m digitize.i18n_extract            # make messages: digitize.pot again, merged into id's .po
    python -m digitize.i18n_extract --compile  # make install: the .po compiled to .mo (msgfmt)

Two sources make ``locale/digitize.pot``:

- the code: GNU ``xgettext`` collects the arguments of ``_()``, ``N_()`` and ``ngettext()``;
- the command line's help: every command's and option's help, epilog and panel title, read from the
  click command tree (``i18n.walk_texts``), and typer's own words (``i18n.TYPER_TEXTS``).

``msgmerge`` then brings ``locale/id/LC_MESSAGES/digitize.po`` up to date (new strings untranslated,
never guessed: no fuzzy matching). ``tests/test_i18n.py`` fails while any string lacks a translation.
Needs GNU gettext (``apt-get install gettext``; the Makefile installs it).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from digitize import i18n

PACKAGE = Path(__file__).resolve().parent
POT = i18n.LOCALE_DIR / "digitize.pot"


def po_path(language: str = "id") -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def mo_path(language: str = "id") -> Path:
    return po_path(language).with_suffix(".mo")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed: install GNU gettext (apt-get install gettext), then run again.")
    return found


def _run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(list(args), check=True, cwd=cwd)


def sources() -> list[Path]:
    """The package's Python files, in a fixed order."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def help_texts() -> list[str]:
    """The English help of the command line, each text once, in the order the tree shows them."""
    from digitize.cli import build_command

    before = i18n.active()
    i18n.activate("en")
    try:
        found = [i18n.help_msgid(text) for _owner, _attribute, text in i18n.walk_texts(build_command())]
    finally:
        i18n.activate(before)
    found += list(i18n.TYPER_TEXTS.values())
    return list(dict.fromkeys(found))


def _quote(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r"))
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def _po_entries(texts: list[str], comment: str) -> str:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    return header + "".join(f"\n#. {comment}\nmsgid {_quote(text)}\nmsgstr \"\"\n" for text in texts)


def write_pot(target: Path) -> Path:
    """The template of every translatable string (code and help) at ``target``."""
    with tempfile.TemporaryDirectory() as tmp:
        code, helps = Path(tmp) / "code.pot", Path(tmp) / "help.pot"
        _run(_tool("xgettext"), "--language=Python", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
             "--keyword=ngettext:1,2", "--add-comments=TRANSLATORS:", "--add-location=file", "--sort-by-file",
             "--package-name=digitize", "-o", str(code),
             *(str(p.relative_to(PACKAGE.parent)) for p in sources()), cwd=PACKAGE.parent)
        body = code.read_text(encoding="utf-8") if code.exists() else _po_entries([], "")
        code.write_text(body.replace("charset=CHARSET", "charset=UTF-8"), encoding="utf-8")  # the code's own
        helps.write_text(_po_entries(help_texts(), "command-line help"), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        _run(_tool("msgcat"), "--use-first", "--sort-by-file", "-o", str(target), str(code), str(helps))
    # The code formats with str.format ({name}), never with %: a "%" xgettext takes for a python-format
    # directive ("80 % of its words") would make msgmerge doubt a right translation.
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"^#, python-format\n", "", text, flags=re.M).replace(", python-format", "")
    target.write_text(text, encoding="utf-8")
    return target


def update(language: str = "id", compendium: list[Path] | None = None) -> Path:
    """``digitize.pot`` made again and merged into ``language``'s catalog; ``compendium``: .po files whose
    translations fill strings the catalog lacks (exact matches only)."""
    write_pot(POT)
    po = po_path(language)
    po.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = po
        if not po.exists():
            base = Path(tmp) / "new.po"
            _run(_tool("msginit"), "--no-translator", f"--locale={language}", "-i", str(POT), "-o", str(base))
            base.write_text(base.read_text(encoding="utf-8").replace(  # Indonesian: one form for every count
                "nplurals=INTEGER; plural=EXPRESSION;", "nplurals=1; plural=0;"), encoding="utf-8")
        extra: list[str] = []
        if compendium:
            merged = Path(tmp) / "compendium.po"
            _run(_tool("msgcat"), "--use-first", "-o", str(merged), *map(str, compendium))
            extra = ["-C", str(merged)]
        out = Path(tmp) / "out.po"
        _run(_tool("msgmerge"), "--quiet", "--no-fuzzy-matching", "--sort-by-file", *extra, "-o", str(out),
             str(base), str(POT))
        shutil.move(out, po)
    return po


def compile_catalogs() -> list[Path]:
    """Every language's .po compiled to its .mo (written to a temporary name, then renamed)."""
    made = []
    for po in sorted(i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        part = mo.with_suffix(".mo.part")
        _run(_tool("msgfmt"), "--check", "-o", str(part), str(po))
        part.replace(mo)
        made.append(mo)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compile", action="store_true", help="compile the catalogs to .mo only")
    parser.add_argument("--compendium", type=Path, nargs="*", help=".po files with translations to take in")
    args = parser.parse_args(argv)
    if args.compile:
        for mo in compile_catalogs():
            print(f"compiled {mo.relative_to(PACKAGE.parent)}")
        return 0
    po = update("id", args.compendium)
    print(f"updated {POT.relative_to(PACKAGE.parent)} and {po.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
