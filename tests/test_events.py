"""Each document's event log (PREMIS-like), in the ledger and in its sidecar (fake OCR engine: fast)."""

import json
import subprocess
import sys

from digitize import catalog, events, training
from digitize.pipeline import ingest
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS, settings_for

ARCHIVING = ["ingested", "prepared", "ocred", "pdfa-written", "classified"]


def test_every_document_has_its_events_in_the_ledger_and_its_sidecar(tmp_path, inbox):
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert report.documents == 3
    for item in report.archived:
        view = catalog.show(settings, item["id"])
        assert [e["type"] for e in view.events] == [*ARCHIVING, "indexed"]
        assert [e["type"] for e in view.metadata["events"]] == ARCHIVING  # the sidecar: up to its archiving
        assert all(e["outcome"] == "success" and e["time"].endswith("+00:00") for e in view.events)
        assert view.events[0]["detail"].startswith(item["source"]) and "sha256" in view.events[0]["detail"]
        assert "digitize" in view.events[2]["agent"]
    undangan = next(a for a in report.archived if a["source"] == "undangan.tif")
    pages = catalog.show(settings, undangan["id"]).events[1]["detail"]
    assert pages.startswith("2 page(s)")

    training.confirm(settings, undangan["id"], "surat_undangan_khusus", new_type=True)
    view = catalog.show(settings, undangan["id"])
    assert [e["type"] for e in view.events][-2:] == ["retyped", "indexed"]
    assert view.events[-2]["detail"] == f"{undangan['type']} -> surat_undangan_khusus"
    assert view.metadata["events"][-1]["type"] == "retyped"


def test_show_events_at_the_command_line(tmp_path, inbox):
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    doc_id = report.archived[0]["id"]
    base = [sys.executable, "-m", "digitize", "show", doc_id[:8], "--events", "--archive", str(settings.archive.path)]
    shown = subprocess.run([*base, "--json"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert [e["type"] for e in json.loads(shown.stdout)["events"]] == [*ARCHIVING, "indexed"]
    table = subprocess.run(base, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert table.returncode == 0 and "pdfa-written" in table.stdout and "classified" in table.stdout


def test_an_unknown_event_type_is_a_bug_not_a_record():
    import pytest

    with pytest.raises(AssertionError):
        events.event("scanned-by-magic")
