"""Every run leaves its report on disk; `digitize report` and `digitize status` read them (fake OCR: fast)."""

import json
import stat
import subprocess
import sys

from digitize import runreport
from digitize.pipeline import ingest
from tests.fakes import FakeEngine
from tests.test_lock import hold
from tests.test_pipeline import TEXTS, settings_for


def test_each_run_writes_its_json_and_text_report(tmp_path, inbox):
    (inbox / "rusak.pdf").write_bytes(b"%PDF-1.4 truncated")
    settings = settings_for(tmp_path)
    first = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    archive = settings.archive.path
    path = archive / "reports" / "run-000001.json"
    assert first.report_path == str(path)
    data = json.loads(path.read_text())
    assert (data["run"], data["status"], data["files_seen"], data["new"], data["failed"], data["documents"]) == \
        (1, "partial", 4, 4, 1, 3)
    assert data["failures"][0]["path"] == "rusak.pdf" and data["failures"][0]["reason"] == "corrupt"
    assert data["started"] <= data["finished"]
    text = path.with_suffix(".txt").read_text()
    assert "digitize run 1: partial" in text and "failed: 1" in text
    assert "  rusak.pdf: corrupt: " in text  # every failure with file and reason, on one line
    assert "│" not in text and "…" not in text  # plain lines, nothing cut
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    runs = runreport.runs(settings)
    assert [r["id"] for r in runs] == [2, 1] and runs[0]["report"].endswith("run-000002.txt")
    assert runreport.one(settings, "1")["status"] == "partial"
    assert runreport.one(settings, None)["run"] == 2


def test_status_tells_totals_last_success_and_a_run_in_progress(tmp_path, inbox):
    settings = settings_for(tmp_path)
    assert ingest(inbox, settings, engine=FakeEngine(TEXTS)).exit_code == 0
    status = runreport.status(settings)
    assert (status["documents"], status["pages"], status["quarantined"]) == (3, 4, 0)
    assert status["last_run"]["status"] == "ok" and status["last_success"] == status["last_run"]["finished"]
    assert status["running"] is None and status["free_bytes"] > 0
    other = hold(settings.archive.path, 30)
    try:
        assert runreport.status(settings)["running"]["pid"] == other.pid
        shown = subprocess.run([sys.executable, "-m", "digitize", "status", "--json", "--archive",
                                str(settings.archive.path)], capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0 and json.loads(shown.stdout)["running"]["pid"] == other.pid
    finally:
        other.kill()
        other.wait()
