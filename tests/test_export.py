"""``digitize export --bagit``: a bag of the selected documents that bagit validates (fake OCR: fast)."""

import json
import subprocess
import sys
from pathlib import Path

import bagit
import pytest

from digitize.errors import ArchiveError, ConfigError
from digitize.export import export_bag
from digitize.pipeline import ingest
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS, settings_for, tree_digest


def test_the_whole_archive_as_a_valid_bag_and_nothing_changed(tmp_path, inbox):
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    before = tree_digest(settings.archive.path / "documents")
    done = export_bag(settings, tmp_path / "bag")
    assert done.documents == 3 and done.files == 3 * 4  # pdf, txt, json, events per document
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()  # raises on a missing or changed payload file
    assert {"sha256", "sha512"} <= set(bag.algorithms)
    payload = sorted(Path(p).name for p in bag.payload_files())
    for item in report.archived:
        assert f"{item['id']}.pdf" in payload and f"{item['id']}.events.json" in payload
    events = json.loads(next((tmp_path / "bag" / "data").rglob("*.events.json")).read_text())
    assert [e["type"] for e in events][:2] == ["ingested", "prepared"]
    assert tree_digest(settings.archive.path / "documents") == before  # export reads only
    assert not list(tmp_path.glob(".bag.*"))  # the staging folder was renamed, not left
    checked = subprocess.run([sys.executable, str(Path(sys.executable).parent / "bagit.py"), "--validate",
                              str(tmp_path / "bag")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr


def test_a_query_selects_the_documents(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    done = export_bag(settings, tmp_path / "bag", "sekretaris")
    assert done.documents == 1
    bagit.Bag(str(tmp_path / "bag")).validate()


def test_a_changed_archive_file_is_not_exported_and_a_bag_folder_is_not_overwritten(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    (tmp_path / "taken").mkdir()
    with pytest.raises(ConfigError, match="already exists"):
        export_bag(settings, tmp_path / "taken")
    pdf = next((settings.archive.path / "documents").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"x")
    with pytest.raises(ArchiveError, match="changed since it was archived"):
        export_bag(settings, tmp_path / "bag")
    assert not (tmp_path / "bag").exists() and not list(tmp_path.glob(".bag.*"))
