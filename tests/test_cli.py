"""The command line: help for every command, exit codes, README kept in step."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitize.cli import app, main
from digitize.errors import ExitCode
from tests.conftest import REPO, make_page

COMMANDS = ["ingest", "search", "show", "eval", "index rebuild", "index verify", "quarantine list", "review",
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
    table = readme[readme.index("## Exit codes"):]
    table = table[:table.index("\n## ")]
    documented = {int(code) for code in re.findall(r"^\|\s*(\d+)\s*\|", table, re.MULTILINE)}
    assert documented == {int(code) for code in ExitCode}, "README's exit-code table and ExitCode differ"
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
    assert code == 0 and json.loads(out)["total"] == 1
    hit = json.loads(out)["hits"][0]
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


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    env["DIGITIZE_INGEST__SETTLE_SECONDS"] = "0"
    return env


def test_verbose_is_taken_anywhere_on_the_command_line():
    from digitize.cli import split_verbose

    assert split_verbose(["search", "x", "-v"]) == (True, ["search", "x"])
    assert split_verbose(["--verbose", "show", "abc"]) == (True, ["show", "abc"])
    assert split_verbose(["search", "--", "-v"]) == (False, ["search", "--", "-v"])


def test_unexpected_error_is_70_with_one_line_and_no_traceback(capsys, monkeypatch):
    from digitize import catalog

    def broken(*args, **kwargs):
        raise RuntimeError("index went\nsideways")

    monkeypatch.setattr(catalog, "find", broken)
    code, _, err = run(["search", "x"], capsys)
    assert code == ExitCode.INTERNAL == 70
    assert err.strip() == ("digitize: internal error in search: RuntimeError: index went sideways; "
                           "run again with --verbose and report it")

    for args in (["search", "x", "--verbose"], ["-v", "search", "x"]):
        code, _, err = run(args, capsys)
        assert code == 70
        assert "Traceback (most recent call last)" in err and "in broken" in err
        assert err.strip().splitlines()[-1].startswith("digitize: internal error in search: RuntimeError")


def test_ctrl_c_is_130_and_sigterm_is_143(capsys, monkeypatch):
    from digitize import catalog

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
        raise AssertionError("SIGTERM did not stop the command")

    previous = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(catalog, "find", ctrl_c)
    code, _, err = run(["search", "x"], capsys)
    assert code == ExitCode.INTERRUPTED
    assert err.strip() == "digitize: interrupted; run the same command again to resume."
    monkeypatch.setattr(catalog, "find", killed)
    code, _, err = run(["search", "x"], capsys)
    assert code == ExitCode.TERMINATED == 143
    assert err.strip() == "digitize: terminated (SIGTERM); run the same command again to resume."
    assert signal.getsignal(signal.SIGTERM) is previous, "main puts the old SIGTERM handler back"


SLOW_INGEST = """
import sys
from digitize.stages import ocr
from tests.fakes import FakeEngine

ocr._ENGINES["tesseract"] = lambda: FakeEngine({}, delay=float(sys.argv[1]), started=sys.argv[2])
from digitize.cli import main

main(sys.argv[3:])
"""


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
@pytest.mark.parametrize("signum, code, line", [
    (signal.SIGTERM, ExitCode.TERMINATED, "digitize: terminated (SIGTERM); run the same command again to resume."),
    (signal.SIGHUP, ExitCode.HANGUP,
     "digitize: terminated (SIGHUP: the terminal closed); run the same command again to resume."),
], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_ends_ingest_with_its_code_no_orphan_and_the_run_recorded_interrupted(tmp_path, signum,
                                                                                           code, line):
    from digitize.archive import Archive

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(4):
        make_page(inbox / f"p{n}.png", label=f"doc {n}", size=(300, 400))
    arsip, started = tmp_path / "arsip", tmp_path / "started"
    started.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_INGEST, "1.5", str(started), "ingest", str(inbox), "--archive", str(arsip),
         "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env(), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not any(started.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # until the worker is OCRing the first document
        assert proc.poll() is None, proc.communicate()
        workers = children(proc.pid)
        assert workers, "the pool's worker is running"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == line
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "no worker is left behind"
    assert "Traceback" not in err
    with sqlite3.connect(Archive(arsip).ledger_path) as db:
        rows = db.execute("SELECT status, finished, summary FROM runs").fetchall()
    assert len(rows) == 1 and rows[0][0] == "interrupted" and rows[0][1]
    assert json.loads(rows[0][2])["documents"] < 4, "the batch stopped before its end"


HEAVY = ("cv2", "numpy", "pikepdf", "sklearn", "PIL")
LIGHT_COMMANDS = """
import json, sys
from digitize.cli import main

results = []
for args in json.loads(sys.argv[1]):
    try:
        main(args)
    except SystemExit as exc:
        results.append([exc.code, sorted(m for m in {heavy!r} if m in sys.modules)])
print("RESULT " + json.dumps(results))
"""


def test_help_search_and_show_do_not_import_the_image_and_learning_stack(tmp_path):
    from digitize import catalog
    from digitize.archive import Archive
    from digitize.ledger import Ledger
    from digitize.settings import load_settings

    arsip = tmp_path / "arsip"
    archive = Archive(arsip)
    archive.ensure()
    Ledger(archive.ledger_path).close()
    catalog.rebuild(load_settings(env={}, overrides={"archive.path": arsip}, cwd=tmp_path))  # empty index
    commands = [["--help"], ["search", "halo", "--archive", str(arsip)],
                ["show", "abc123", "--archive", str(arsip)]]
    result = subprocess.run([sys.executable, "-c", LIGHT_COMMANDS.format(heavy=HEAVY), json.dumps(commands)],
                            capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path, timeout=120)
    line = next(out for out in result.stdout.splitlines() if out.startswith("RESULT "))
    (help_code, after_help), (search_code, after_search), (show_code, after_show) = json.loads(line[7:])
    assert (help_code, search_code, show_code) == (0, ExitCode.NO_MATCH, ExitCode.NOT_FOUND), result.stderr
    assert after_help == [] and after_search == [] and after_show == [], "heavy modules imported"


def test_quiet_failure_lines_start_with_the_time_and_are_never_wrapped(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "surat-masuk-dinas-kependudukan-dan-pencatatan-sipil-kabupaten-jayapura-2024-rusak.pdf"
    (inbox / name).write_bytes(b"%PDF-1.4 cut short")
    done = subprocess.run([sys.executable, "-m", "digitize", "ingest", str(inbox), "--archive", str(tmp_path / "a"),
                           "--quiet"], capture_output=True, text=True, env=dict(subprocess_env(), COLUMNS="80"),
                          timeout=120, cwd=tmp_path)
    assert done.returncode == ExitCode.PARTIAL and done.stdout == ""
    [line] = done.stderr.splitlines()
    stamp, rest = line.split(" ", 1)
    assert stamp[:4].isdigit() and stamp[10] == "T" and stamp.endswith("+00:00")
    assert rest.startswith(f"failed: {name}: ") and len(line) > 120  # one line, whatever the width
