"""Every mistake a user can make at the command line: one line that says what to do, a documented
exit code, no traceback, and nothing written when the invocation itself is wrong."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from PIL import Image

from digitize.cli import main
from digitize.errors import ExitCode
from tests.conftest import make_page
from tests.fakes import FakeEngine

DOCUMENTED = {int(code) for code in ExitCode}
# Each command with what it needs (upper case: stand-ins expand() fills), so that the mistake is the only one
ALL_COMMANDS = ["ingest INBOX", "run JOB", "search QUERY", "show ID", "eval SCAN", "classify train",
                "classify eval", "classify confirm ID", "review", "quarantine list", "export BAG", "verify",
                "repair INDEX", "report", "status", "config show", "index rebuild", "index verify"]
STAND_INS = {"INBOX": ["inbox"], "JOB": ["job.toml"], "QUERY": ["surat"], "ID": ["abcd"], "SCAN": ["inbox/nota.png"],
             "BAG": ["--bagit", "bag"], "INDEX": ["--index"]}
LEAKS = re.compile(r"<(path|str|int|float|file|directory|bool|list\[[^>]*\])>|\{[a-z_]+\}")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An inbox with one good scan and an archive made from it (fake OCR), made once."""
    from digitize.pipeline import ingest
    from digitize.settings import load_settings

    root = tmp_path_factory.mktemp("template")
    inbox = root / "inbox"
    inbox.mkdir()
    make_page(inbox / "nota.png", label="nota")
    settings = load_settings(env={}, overrides={"archive.path": root / "arsip", "ingest.jobs": 1,
                                                "ingest.settle_seconds": 0}, cwd=root)
    ingest(inbox, settings, engine=FakeEngine({"nota.png": ["NOTA DINAS\nKepada Yth. Sekretaris"]}))
    (root / "job.toml").write_text('[job]\ninbox = ["inbox"]\n[archive]\npath = "arsip"\n', encoding="utf-8")
    return root


@pytest.fixture
def place(template, tmp_path, monkeypatch):
    """A copy of the template, with HOME and the environment of this test only."""
    here = tmp_path / "place"
    shutil.copytree(template, here)
    monkeypatch.setenv("HOME", str(here))
    for name in list(os.environ):
        if name.startswith("DIGITIZE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DIGITIZE_INGEST__SETTLE_SECONDS", "0")
    monkeypatch.chdir(here)
    return here


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def expand(command: str) -> list[str]:
    return [part for word in command.split() for part in STAND_INS.get(word, [word])]


MISTAKES: list[tuple[list[str], int]] = []
for command in ALL_COMMANDS:
    MISTAKES += [
        ([*expand(command), "--no-such-option"], ExitCode.USAGE),
        ([*expand(command), "--archive"], ExitCode.USAGE),  # an option without its value
        ([*expand(command), "--config", "missing.toml"], ExitCode.CONFIG),
    ]
MISTAKES += [
    (["frobnicate"], ExitCode.USAGE),
    (["ingest"], ExitCode.USAGE),
    (["ingest", "no-such-folder"], ExitCode.USAGE),
    (["ingest", "inbox/nota.png"], ExitCode.USAGE),  # a file, not a folder
    (["ingest", "inbox", "--jobs", "-1"], ExitCode.USAGE),
    (["ingest", "inbox", "--jobs", "two"], ExitCode.USAGE),
    (["ingest", "inbox", "--jobs", "1.5"], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", "id"], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", "ind,eng"], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", ""], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", "ind++eng"], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", "ind eng"], ExitCode.USAGE),
    (["ingest", "inbox", "--lang", "in-d"], ExitCode.USAGE),
    (["ingest", "inbox", "--wait", "soon"], ExitCode.USAGE),
    (["ingest", "inbox", "--log"], ExitCode.USAGE),
    (["ingest", "inbox", "--archive", "arsip", "--jobs", "-3", "--lang", "id"], ExitCode.USAGE),
    (["run"], ExitCode.USAGE),
    (["run", "no-such-job.toml"], ExitCode.USAGE),
    (["search", "--limit", "many"], ExitCode.USAGE),
    (["search", "surat", "--offset", "-"], ExitCode.USAGE),
    (["search", "surat", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["show"], ExitCode.USAGE),
    (["show", "ffffffffff", "--archive", "arsip"], ExitCode.NOT_FOUND),
    (["show", "zz%_", "--archive", "arsip"], ExitCode.NOT_FOUND),
    (["show", "abc", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["show", "x", "--page", "many", "--archive", "arsip"], ExitCode.USAGE),
    (["classify", "confirm"], ExitCode.USAGE),
    (["classify", "confirm", "ffffffff", "surat_undangan", "--archive", "arsip"], ExitCode.NOT_FOUND),
    (["classify", "confirm", "ffffffff", "Surat Undangan", "--archive", "arsip"], ExitCode.USAGE),
    (["classify", "train", "no-such.csv", "--archive", "arsip"], ExitCode.USAGE),
    (["classify", "frob"], ExitCode.USAGE),
    (["review", "--below", "low", "--archive", "arsip"], ExitCode.USAGE),
    (["report", "run-999999", "--archive", "arsip"], ExitCode.NOT_FOUND),
    (["report", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["status", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["verify", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["repair", "--index", "--archive", "no-such-archive"], ExitCode.ARCHIVE_IO),
    (["repair", "--archive", "arsip"], ExitCode.USAGE),  # nothing asked for
    (["export", "--archive", "arsip"], ExitCode.USAGE),
    (["index"], ExitCode.USAGE),
    (["index", "frob"], ExitCode.USAGE),
    (["quarantine"], ExitCode.USAGE),
    (["config", "show", "--archive", "arsip", "--lang", "id"], ExitCode.USAGE),
    (["eval"], ExitCode.USAGE),
    (["eval", "no-such-scan.png"], ExitCode.USAGE),
    (["--no-such-global"], ExitCode.USAGE),
    (["search", "surat", "--archive", "arsip", "--limit", "0"], ExitCode.USAGE),
    (["ingest", "inbox", "--archive", "arsip", "--wait", "-5"], ExitCode.USAGE),
    (["show", "", "--archive", "arsip"], ExitCode.USAGE),
]


def test_there_are_a_hundred_mistakes():
    assert len(MISTAKES) >= 100


@pytest.mark.parametrize("args, code", MISTAKES, ids=[" ".join(a)[:60] for a, _ in MISTAKES])
def test_a_mistake_is_one_line_and_a_documented_code(place, capsys, args, code):
    before = sorted(p.relative_to(place) for p in place.rglob("*") if ".lock" not in p.name)
    got, out, err = run(args, capsys)
    assert "Traceback" not in out + err
    assert got in DOCUMENTED
    assert got == code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and ": error: " in lines[0], err  # one line, naming the command, saying what to do
    if code == ExitCode.USAGE:
        assert not (place / "no-such-archive").exists()
        after = sorted(p.relative_to(place) for p in place.rglob("*") if ".lock" not in p.name)
        assert after == before  # a wrong invocation writes nothing


@pytest.mark.parametrize("lang, fix", [("id", "use 'ind': ind."), ("ind,eng", "not ',': ind+eng."),
                                       ("id+en", "ind+eng")])
def test_language_mistakes_name_the_right_code(place, capsys, lang, fix):
    code, _, err = run(["ingest", "inbox", "--archive", "arsip2", "--lang", lang], capsys)
    assert code == ExitCode.USAGE and fix in err and "apt-get" not in err
    assert not (place / "arsip2").exists()


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_help_has_no_internal_type_names_and_answers_to_h(place, capsys, command):
    words = [w for w in command.split() if w not in STAND_INS]
    code, out, _ = run([*words, "-h"], capsys)
    assert code == 0 and "Usage: digitize" in out
    assert not LEAKS.findall(out), LEAKS.findall(out)


def test_tiny_thin_and_vanishing_inputs_have_reasons_of_their_own(place, capsys):
    inbox = place / "odd"
    inbox.mkdir()
    Image.new("L", (1, 1), 255).save(inbox / "dot.png")
    Image.new("L", (60000, 20), 255).save(inbox / "strip.png")
    code, out, err = run(["ingest", "odd", "--archive", "arsip", "--json"], capsys)
    assert code == ExitCode.PARTIAL and "Traceback" not in out + err
    assert '"reason": "too-small"' in out and "internal-error" not in out
