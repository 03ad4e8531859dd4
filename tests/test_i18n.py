"""Bahasa Indonesia: every message, help text and report has a translation, the catalog keeps every
placeholder, and the language is chosen as users expect (``ui.language``, then LANGUAGE, LC_ALL,
LC_MESSAGES, LANG; English by default)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from digitize import i18n, i18n_extract

pytestmark = pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is needed: run `make install`")

PO = i18n_extract.po_path("id")
ERROR_CLASSES = {"DocumentError", "UsageError", "ConfigError", "DigitizeError", "BadParameter"} | {
    match for path in i18n_extract.sources()
    for match in re.findall(r"^class (\w+(?:Error|Problem))\(", path.read_text(encoding="utf-8"), re.M)}


@pytest.fixture(scope="module")
def pot(tmp_path_factory) -> Path:
    return i18n_extract.write_pot(tmp_path_factory.mktemp("pot") / "digitize.pot")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> gettext.GNUTranslations:
    mo = tmp_path_factory.mktemp("mo") / "digitize.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(PO)], check=True, capture_output=True)
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_every_string_of_the_code_and_the_help_has_an_indonesian_translation(pot):
    """msgcmp: every msgid extracted now from the code and the help is translated in the .po (not
    untranslated, not fuzzy). A new message without a translation fails here: run `make messages`
    and translate it in digitize/locale/id/LC_MESSAGES/digitize.po."""
    done = subprocess.run(["msgcmp", str(PO), str(pot)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    assert len(re.findall(r"^msgid ", pot.read_text(encoding="utf-8"), re.M)) > 400  # the code's and the help's


def test_msgfmt_counts_every_message_translated():
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", last), last  # no "untranslated", no "fuzzy"


def _fields(text: str) -> list[tuple[str, str, str]]:
    try:
        return sorted((name, spec or "", conv or "") for _lit, name, spec, conv in string.Formatter().parse(text)
                      if name is not None)
    except ValueError:  # not a format string (a lone brace): the braces themselves must match
        return [("{", str(text.count("{")), ""), ("}", str(text.count("}")), "")]


def test_every_translation_keeps_the_placeholders_of_its_english(catalog):
    checked = 0
    for key, value in catalog._catalog.items():  # noqa: SLF001 - the compiled catalog's own table
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue  # the header
        english = msgid.split("\x00")  # singular and plural
        assert _fields(value) == _fields(english[-1]) or _fields(value) == _fields(english[0]), (msgid, value)
        checked += 1
    assert checked > 400


def test_commands_options_and_codes_stay_as_they_are_in_the_translations(catalog):
    """What a user types or a program reads is never translated: `--options`, `digitize commands`."""
    for key, value in catalog._catalog.items():  # noqa: SLF001
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]+", msgid):
            assert option in value, (option, msgid, value)
        for command in re.findall(r"`(digitize [a-z -]+?)`", msgid):
            assert command in value, (command, msgid, value)


def _scopes(tree: ast.AST):
    """(scope node, the nodes directly in it): functions, lambdas and comprehensions are scopes."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
             ast.GeneratorExp)

    def inside(node):
        for child in ast.iter_child_nodes(node):
            yield child
            if not isinstance(child, kinds):
                yield from inside(child)

    yield tree, list(inside(tree))
    for node in ast.walk(tree):
        if isinstance(node, kinds):
            yield node, list(inside(node))


def _binds_underscore(scope, nodes) -> bool:
    args = scope.args if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) else None
    if args and any(a.arg == "_" for a in [*args.args, *args.posonlyargs, *args.kwonlyargs]):
        return True
    return any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes)


def _calls(nodes, names):
    return [n for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names]


def test_no_scope_that_translates_also_binds_the_name_underscore():
    """`_, bw = cv2.threshold(...)` in a function that calls `_()` makes `_` local: UnboundLocalError."""
    problems = []
    for path in i18n_extract.sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope, nodes in _scopes(tree):
            if _calls(nodes, {"_"}) and _binds_underscore(scope, nodes):
                problems.append(f"{path.name}:{getattr(scope, 'lineno', 0)}")
    assert not problems, problems


def test_translated_texts_are_literals_and_format_fills_exactly_their_placeholders():
    problems = []
    for path in i18n_extract.sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_",
                                                                                               "ngettext"):
                texts = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
                if path.name != "i18n.py" and not (texts and all(_literal_or_marked(a) for a in texts)):
                    problems.append(f"{path.name}:{node.lineno}: {node.func.id}() of something else than literals")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
                    and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
                    and node.func.value.func.id in ("_", "ngettext")):
                inner = node.func.value.args
                if not inner or not isinstance(inner[0], ast.Constant):
                    continue
                wanted = {name.split(".")[0].split("[")[0] for _lit, name, _s, _c in
                          string.Formatter().parse(inner[0].value) if name}
                given = {k.arg for k in node.keywords}
                if None in given:
                    continue  # **mapping: checked when it runs
                if node.args or wanted != given:
                    problems.append(f"{path.name}:{node.lineno}: placeholders {sorted(wanted)}, given {sorted(given)}")
    assert not problems, problems


def _literal_or_marked(node: ast.AST) -> bool:
    """A string literal, ``N_("literal")``, or a name (a module constant marked with ``N_`` where it is set)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
        return all(_literal_or_marked(a) for a in node.args)
    return isinstance(node, ast.Name | ast.Attribute)


def _words(node: ast.AST) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return 0
    return sum(bool(re.search(r"[A-Za-z]{2,}", word)) for word in text.split())  # "ocr-failed" is one


def test_error_messages_go_through_the_catalog():
    """An error raised with an English sentence that is not `_()` is a message Indonesian users would
    see in English. (Reason codes, a single word, are not sentences.)"""
    problems = []
    for path in i18n_extract.sources():
        if path.name in ("i18n.py", "i18n_extract.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (getattr(node.func, "id", None) in ERROR_CLASSES
                                               or getattr(node.func, "attr", None) in ERROR_CLASSES):
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("message", "msg"))]:
                    if _words(arg) >= 2:
                        problems.append(f"{path.relative_to(i18n_extract.PACKAGE.parent)}:{node.lineno}")
    assert not problems, problems


def test_the_language_is_chosen_as_gettext_does():
    assert i18n.chosen("auto", {}) == "en"
    assert i18n.chosen("auto", {"LANG": "id_ID.UTF-8"}) == "id"
    assert i18n.chosen("auto", {"LANG": "C.UTF-8"}) == "en"
    assert i18n.chosen("auto", {"LANGUAGE": "id:en", "LANG": "en_US.UTF-8"}) == "id"
    assert i18n.chosen("auto", {"LANGUAGE": "", "LC_ALL": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}) == "en"
    assert i18n.chosen("auto", {"LC_MESSAGES": "in_ID", "LANG": "C"}) == "id"  # the old code of Indonesian
    assert i18n.chosen("en", {"LANG": "id_ID.UTF-8"}) == "en"  # ui.language wins over the environment
    assert i18n.chosen("id", {}) == "id"


ROOT = Path(__file__).resolve().parents[1]


def _cli(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """The real command line in a process of its own, with only ``env`` (and a PATH) for an environment."""
    import sys

    full = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT), "COLUMNS": "200",
            "DIGITIZE_INGEST__SETTLE_SECONDS": "0", **env}
    return subprocess.run([sys.executable, "-m", "digitize", *args], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def compiled() -> None:
    i18n_extract.compile_catalogs()  # what `make install` does: the CLI reads the compiled catalog


def _in(catalog, msgid: str, **values: object) -> str:
    text = catalog.gettext(msgid)
    assert text != msgid, f"no translation of {msgid!r}"
    return text.format(**values) if values else text


def test_an_indonesian_locale_gives_indonesian_errors_and_help_and_english_stays_the_default(
        tmp_path, catalog, compiled):
    wrong = _cli(["ingest", "tidak-ada"], tmp_path, LANG="id_ID.UTF-8")
    detail = _in(catalog, "Directory '{path}' does not exist.", path="tidak-ada")
    inner = _in(catalog, "Invalid value for {name}: {detail}", name="'INBOX'", detail=detail)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == _in(catalog, "{command}: error: {message} (see `{command} --help`)",
                                       command="digitize ingest", message=inner)
    english = _cli(["ingest", "tidak-ada"], tmp_path, LANG="C.UTF-8")
    assert english.stderr.strip() == ("digitize ingest: error: Invalid value for 'INBOX': Directory 'tidak-ada' "
                                      "does not exist. (see `digitize ingest --help`)")
    shown = _cli(["ingest", "-h"], tmp_path, LANG="id_ID.UTF-8").stdout
    assert _in(catalog, "Job control") in shown and _in(catalog, "Usage: ").strip() in shown
    assert "digitize ingest /srv/scan/masuk --archive /srv/arsip" in shown  # examples are typed as they are
    assert "Process every new scan" not in shown and "Examples:" not in shown


def test_ui_language_in_the_config_wins_over_the_environment(tmp_path, catalog, compiled):
    config = tmp_path / "digitize.toml"
    config.write_text('[ui]\nlanguage = "id"\n', encoding="utf-8")
    missing = tmp_path / "belum-ada"
    said = _cli(["status", "--archive", str(missing), "--config", str(config)], tmp_path, LANGUAGE="en")
    assert said.returncode != 0 and said.stderr.startswith("digitize: galat: "), said.stderr
    english = _cli(["status", "--archive", str(missing)], tmp_path, LANG="id_ID.UTF-8", DIGITIZE_UI__LANGUAGE="en")
    assert english.stderr.startswith("digitize: error: "), english.stderr


def test_a_run_in_indonesian_reports_in_indonesian_what_the_workers_found(tmp_path, catalog, compiled):
    inbox = tmp_path / "masuk"
    inbox.mkdir()
    (inbox / "kosong.jpg").write_bytes(b"")
    (inbox / "rusak.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # read, and refused, by a worker
    done = _cli(["ingest", str(inbox), "--archive", str(tmp_path / "arsip")], tmp_path, LANG="id_ID.UTF-8")
    assert done.returncode == 1, done.stderr
    assert _in(catalog, "{file}: file is empty (0 bytes); scan the page again.", file="kosong.jpg") in done.stderr
    assert "rusak.png" in done.stderr and "corrupt" in done.stderr and ".scratch" not in done.stderr
    assert "cannot be decoded" not in done.stderr and "failures" not in done.stderr, done.stderr
    report = (tmp_path / "arsip" / "reports" / "run-000001.txt").read_text(encoding="utf-8")
    assert report.splitlines()[0].startswith(_in(catalog, "digitize run {run}: {status}", run=1, status="")
                                             .strip()), report
    assert _in(catalog, "files seen: {count}", count=2) in report and "files seen" not in report
