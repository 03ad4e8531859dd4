"""The command line: help for every command, exit codes, README kept in step."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.cli import app, main
from tests.conftest import REPO, make_page

COMMANDS = ["ingest", "search", "show", "eval", "index rebuild", "quarantine list", "review",
            "classify train", "classify eval", "classify confirm"]


def run(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    code, out, _ = run([*command.split(), "--help"], capsys)
    assert code == 0
    assert "--archive" in out
    assert len(out.strip().splitlines()) > 3


def test_readme_documents_every_command_and_exit_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"digitize {command}" in readme, f"README does not show `digitize {command}`"
    for code in ("0", "1", "2", "3", "4", "5", "6", "130"):
        assert re.search(rf"^\|\s*{code}\s*\|", readme, re.MULTILINE), f"exit code {code} not in README"
    assert "make run" in readme and "make test" in readme


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_usage_error_is_2(capsys):
    code, _, _ = run(["ingest"], capsys)
    assert code == 2


def test_bad_config_is_3_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ocr]\nlanguage = 'ind'\n")
    (tmp_path / "inbox").mkdir()
    code, _, err = run(["ingest", str(tmp_path / "inbox"), "--config", str(bad)], capsys)
    assert code == 3
    assert err.strip().count("\n") == 0 and "ocr.language" in err


def test_missing_tesseract_is_4(tmp_path):
    (tmp_path / "inbox").mkdir()
    make_page(tmp_path / "inbox" / "a.png")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZE_")}
    env["PATH"] = str(tmp_path / "empty-bin")
    result = subprocess.run([sys.executable, "-m", "digitize", "ingest", str(tmp_path / "inbox"),
                             "--archive", str(tmp_path / "arsip")], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 4, result.stderr
    assert "tesseract" in result.stderr and "apt-get install tesseract-ocr" in result.stderr
    assert not (tmp_path / "arsip").exists(), "nothing is written when a dependency is missing"


def test_unwritable_archive_is_5(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "arsip").write_text("not a folder")
    code, _, err = run(["search", "x", "--archive", str(tmp_path / "arsip")], capsys)
    assert code == 5 and "No archive" in err


def test_show_unknown_document_is_6(tmp_path, capsys, monkeypatch):
    from digitize.stages import ocr
    from tests.fakes import FakeEngine

    monkeypatch.setattr(ocr, "_ENGINES", {"tesseract": lambda: FakeEngine({"a.png": ["halo dunia"]})})
    (tmp_path / "inbox").mkdir()
    make_page(tmp_path / "inbox" / "a.png")
    arsip = str(tmp_path / "arsip")
    code, out, _ = run(["ingest", str(tmp_path / "inbox"), "--archive", arsip, "--json", "--jobs", "1"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary["documents"] == 1 and summary["exit_code"] == 0
    doc_id = summary["archived"][0]["id"]

    code, out, _ = run(["search", "halo", "--archive", arsip, "--json"], capsys)
    hit = json.loads(out)[0]
    assert {"id", "path", "sources", "type", "pages", "score", "snippet"} <= set(hit)
    assert hit["id"] == doc_id and Path(hit["path"]).is_file()

    code, out, _ = run(["show", doc_id[:6], "--archive", arsip], capsys)
    assert code == 0 and doc_id in out and "halo dunia" in out
    code, _, err = run(["show", "ffffffff", "--archive", arsip], capsys)
    assert code == 6 and "digitize search" in err
    code, out, _ = run(["index", "rebuild", "--archive", arsip], capsys)
    assert code == 0 and "Indexed 1 document" in out


def test_typer_app_is_importable_without_side_effects():
    assert app.info.name == "digitize"
