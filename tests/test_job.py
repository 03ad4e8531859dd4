"""Job files: validated like the config file, a dry run that says why, a run that logs and reports
(fake OCR: fast); the shipped pipelines/*.toml run for real (slow)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitize.errors import ConfigError
from digitize.job import dry_run, load_job, run_job
from tests.conftest import REPO, need_tools
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS


def shipped_nightly_job(tmp_path: Path, inbox: Path) -> Path:
    """pipelines/nightly.toml as it ships, with ``inbox`` in, and the archive and log in ``tmp_path``."""
    job = tmp_path / "nightly.toml"
    job.write_text((REPO / "pipelines" / "nightly.toml").read_text()
                   .replace('["../samples"]', json.dumps([str(inbox)]))
                   .replace('"../archive/reports/nightly.log"', json.dumps(str(tmp_path / "nightly.log")))
                   .replace('path = "../archive"', f"path = {json.dumps(str(tmp_path / 'arsip'))}")
                   .replace("settle_seconds = 3", "settle_seconds = 0"))
    return job


def write_job(tmp_path, body: str) -> Path:
    path = tmp_path / "jobs" / "malam.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(body)
    return path


JOB = """
[job]
inboxes = ["../inbox"]
log = "../logs/malam.log"
on_finish = ["{python}", "-c", "import sys; open(sys.argv[2], 'w').write(sys.argv[1])", "{{report}}", "{done}"]

[archive]
path = "../arsip"

[ingest]
jobs = 1
settle_seconds = 0
patterns = ["*.tif", "*.png", "*.pdf"]
"""


def test_a_job_runs_its_inboxes_logs_each_event_reports_and_calls_on_finish(tmp_path, inbox):
    (inbox / "rusak.pdf").write_bytes(b"%PDF-1.4 cut short")
    done = tmp_path / "on-finish.txt"
    path = write_job(tmp_path, JOB.format(python=sys.executable, done=done))
    job, settings = load_job(path, env={})
    assert settings.archive.path.resolve() == (tmp_path / "arsip").resolve()  # relative to the job file
    assert settings.ingest.patterns == ["*.tif", "*.png", "*.pdf"]

    plan = {row["file"]: (row["action"], row["reason"]) for row in dry_run(job, settings)}
    assert plan["undangan.tif"] == ("process", "new")
    assert plan["misc.jpg"][0] == "skip" and "ingest.patterns" in plan["misc.jpg"][1]
    assert plan["notes.txt"] == ("skip", "not a scan by its name")
    assert not (tmp_path / "arsip").exists()  # a dry run writes nothing

    result = run_job(job, settings, engine=FakeEngine(TEXTS))
    assert result.exit_code == 1  # rusak.pdf failed; the rest archived
    [report] = result.reports
    assert (report.documents, report.failed) == (2, 1)
    assert done.read_text() == report.report_path and Path(report.report_path).exists()
    lines = (tmp_path / "logs" / "malam.log").read_text().splitlines()
    assert any(" INFO job=malam file=undangan.tif done " in line for line in lines)
    assert any(" ERROR job=malam file=rusak.pdf failed " in line for line in lines)
    assert lines[-1].split()[1:4] == ["ERROR", "job=malam", f"run={report.run_id}"]
    assert all(line[:4].isdigit() and "T" in line.split()[0] for line in lines)  # ISO time first

    again = {row["file"]: row for row in dry_run(job, settings)}
    assert again["undangan.tif"]["reason"].startswith("already archived as document ")
    assert again["rusak.pdf"]["reason"].startswith("retry: failed before (corrupt)")


@pytest.mark.parametrize("body, message", [
    ("[job]\ninboxes = []\n", "job.inboxes"),
    ("[job]\ninboxes = ['x']\nmin_free = 3\n", "Unknown key 'job.min_free'"),
    ("[job]\ninboxes = ['x']\n[ingest]\nsettle = 3\n", "Unknown setting 'ingest.settle'"),
    ("[job]\ninboxes = ['x']\non_finish = 'mail'\n", "job.on_finish"),
    ("[ingest]\njobs = 1\n", "no [job] table"),
], ids=["no-inbox", "unknown-job-key", "unknown-setting", "on-finish-string", "no-job"])
def test_a_bad_job_file_is_a_config_error_naming_the_key(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_job(write_job(tmp_path, body), env={})


def test_job_settings_sit_between_the_config_file_and_the_environment(tmp_path):
    config = tmp_path / "digitize.toml"
    config.write_text("[ocr]\nlang = 'eng'\n[ingest]\njobs = 3\n")
    path = write_job(tmp_path, "[job]\ninboxes = ['.']\n[ingest]\njobs = 2\nsettle_seconds = 7\n")
    _, settings = load_job(path, config, env={"DIGITIZE_INGEST__SETTLE_SECONDS": "1"})
    assert (settings.ocr.lang, settings.ingest.jobs, settings.ingest.settle_seconds) == ("eng", 2, 1.0)
    _, flagged = load_job(path, config, overrides={"ingest.jobs": 1}, env={})
    assert flagged.ingest.jobs == 1


def test_a_job_below_its_free_disk_threshold_does_not_start(tmp_path, inbox):
    from digitize.errors import ArchiveError

    path = write_job(tmp_path, "[job]\ninboxes = ['../inbox']\n[ingest]\nmin_free_mb = 1000000000\n"
                               "[archive]\npath = '../arsip'\n")
    job, settings = load_job(path, env={})
    with pytest.raises(ArchiveError, match="under ingest.min_free_mb 1000000000: nothing was started"):
        run_job(job, settings, engine=FakeEngine(TEXTS))
    assert not (tmp_path / "arsip" / "ledger.sqlite3").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nightly", "backlog"])
def test_the_shipped_job_files_run(tmp_path, name):
    """pipelines/nightly.toml and backlog.toml as they ship (on samples/), with real Tesseract and OCRmyPDF;
    only the archive and the log are moved into the test's folder."""
    need_tools()
    env = dict(os.environ, DIGITIZE_ARCHIVE=str(tmp_path / "arsip"), DIGITIZE_INGEST__SETTLE_SECONDS="0")
    log = tmp_path / f"{name}.log"
    cli = [sys.executable, "-m", "digitize", "run", str(REPO / "pipelines" / f"{name}.toml")]
    planned = subprocess.run([*cli, "--dry-run", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert planned.returncode == 0, planned.stderr
    assert sum(r["action"] == "process" for r in json.loads(planned.stdout)) == 8
    done = subprocess.run([*cli, "--log", str(log), "--json"], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    [run] = json.loads(done.stdout)["runs"]
    assert (run["documents"], run["failed"]) == (8, 0)
    assert Path(run["report"]).is_file() and Path(run["report"]).with_suffix(".txt").is_file()
    assert "status=ok documents=8" in log.read_text().splitlines()[-1]


def test_a_disk_filling_up_during_a_run_stops_it_cleanly_and_the_next_run_resumes(tmp_path, inbox, monkeypatch):
    import sqlite3
    from collections import namedtuple

    from digitize import archive as archive_module
    from digitize.errors import ArchiveError
    from digitize.pipeline import ingest
    from tests.test_pipeline import settings_for

    usage = namedtuple("usage", "total used free")
    calls = []

    def filling(path):
        calls.append(path)  # plenty at the start and for the first document, then 10 MB
        return usage(10**12, 0, 10**12 if len(calls) <= 2 else 10 * 10**6)

    settings = settings_for(tmp_path)
    real = archive_module.shutil.disk_usage
    monkeypatch.setattr(archive_module.shutil, "disk_usage", filling)
    with pytest.raises(ArchiveError, match="the run stopped cleanly; free some space and run it again"):
        ingest(inbox, settings, engine=FakeEngine(TEXTS))
    db = sqlite3.connect(settings.archive.path / "ledger.sqlite3")
    assert db.execute("SELECT status FROM runs").fetchall() == [("failed",)]
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    db.close()
    monkeypatch.setattr(archive_module.shutil, "disk_usage", real)  # space freed
    again = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert (again.new, again.skipped, again.documents) == (2, 1, 2)


@pytest.mark.slow
def test_the_nightly_job_on_a_mixed_inbox_of_real_scans_and_bad_files(tmp_path, corpus):
    """Over 30 real scans of ../shared/corpus (skewed, rotated, receipts, magazine pages) and 4 bad files,
    through the shipped nightly job with real Tesseract and OCRmyPDF: the good ones archived, each bad
    one quarantined with its reason, the report and the log written, exit 1 (the documented code)."""
    import shutil

    need_tools()
    inbox = tmp_path / "scan"
    for folder, pattern in (("skew-sbrunner", "deskew-*.png"), ("skew-derived", "*.png"),
                            ("tesseract-test", "*.tif"), ("tesseract-test", "*.png"),
                            ("sroie-receipts/img", "0[01]*.jpg"),
                            ("ocrmypdf", "*.png")):
        target = inbox / folder.split("/")[0]
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((corpus / folder).glob(pattern)):
            shutil.copy(path, target / path.name)
    bad = {"rusak/terpotong.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog", "rusak/kosong.jpg": b"",
           "rusak/bukan-gambar.png": b"this is not a PNG at all", "rusak/palsu.tif": b"II*\x00garbage"}
    for rel, data in bad.items():
        (inbox / rel).parent.mkdir(exist_ok=True)
        (inbox / rel).write_bytes(data)
    good = sum(1 for p in inbox.rglob("*") if p.is_file()) - len(bad)
    assert good >= 30
    job = shipped_nightly_job(tmp_path, inbox)
    done = subprocess.run([sys.executable, "-m", "digitize", "run", str(job), "--quiet"], capture_output=True,
                          text=True, timeout=1500, env={k: v for k, v in os.environ.items()
                                                        if not k.startswith("DIGITIZE_")})
    assert done.returncode == 1, done.stderr  # PARTIAL: the batch finished, some files quarantined
    report = json.loads(sorted((tmp_path / "arsip" / "reports").glob("run-*.json"))[-1].read_text())
    assert report["failed"] == len(bad) and report["documents"] == good
    assert {f["path"] for f in report["failures"]} == set(bad)
    assert all(f["reason"] and f["message"] for f in report["failures"])
    assert report["rotated_pages"] and report["deskewed_pages"]  # real scans needed both
    failures = [line for line in done.stderr.splitlines() if " failed: " in line]
    assert len(failures) == len(bad)
    log = (tmp_path / "nightly.log").read_text().splitlines()
    assert sum(" ERROR job=nightly file=rusak/" in line for line in log) == len(bad)
    assert log[-1].split()[1] == "ERROR" and f"failed={len(bad)}" in log[-1] and f"documents={good}" in log[-1]
