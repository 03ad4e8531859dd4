"""``digitize verify`` finds what changed and reads only; ``digitize repair`` puts it right (fake OCR: fast;
the real pipeline in ``test_verify_real_archive``)."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pikepdf
import pytest

from digitize.errors import ExitCode, UsageError
from digitize.fulltext import IndexedDocument, open_index
from digitize.pipeline import ingest
from digitize.repair import repair
from digitize.verify import pdf_findings, verify
from tests.conftest import SAMPLES, need_tools
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS, settings_for, tree_digest


def kinds(report) -> list[tuple[str, str]]:
    return sorted((p.kind, p.path) for p in report.problems)


def archived(tmp_path, inbox):
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert report.documents == 3
    return settings, settings.archive.path, {item["source"]: item for item in report.archived}


def row(archive, doc_id):
    db = sqlite3.connect(archive / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return dict(db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone())
    finally:
        db.close()


def test_an_intact_archive_verifies_clean_and_verify_writes_nothing(tmp_path, inbox):
    settings, archive, _ = archived(tmp_path, inbox)
    before = tree_digest(archive)
    report = verify(settings)
    assert report.problems == [] and report.exit_code == ExitCode.OK
    assert report.documents == 3 and report.files == 9  # pdf, txt, json each
    assert tree_digest(archive) == before  # not even SQLite's -shm / -wal files
    assert not list(archive.glob("ledger.sqlite3-*"))


def test_each_damage_is_found_by_path_and_kind_and_repaired(tmp_path, inbox):
    settings, archive, docs = archived(tmp_path, inbox)
    pdf = archive / docs["undangan.tif"]["path"]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    pdf.write_bytes(bytes(data))
    txt = (archive / docs["nota.png"]["path"]).with_suffix(".txt")
    txt.unlink()
    sidecar = (archive / docs["misc.jpg"]["path"]).with_suffix(".json")
    sidecar.write_bytes(sidecar.read_bytes()[:200])
    stray = pdf.parent / "surat-lama.docx"
    stray.write_bytes(b"PK\x03\x04 not archived by digitize")
    rel = lambda p: str(p.relative_to(archive))  # noqa: E731
    before = tree_digest(archive)

    report = verify(settings)
    assert report.exit_code == ExitCode.DAMAGED
    assert kinds(report) == sorted([("changed", rel(pdf)), ("missing", rel(txt)), ("changed", rel(sidecar)),
                                    ("sidecar-damaged", rel(sidecar)), ("extra", rel(stray))])
    assert tree_digest(archive) == before  # verify changed nothing

    fixed = repair(settings, extra=True, from_inbox=inbox, engine=FakeEngine(TEXTS))
    assert {(a.action, a.path) for a in fixed.actions} >= {("extra", rel(stray)), ("from-inbox", rel(pdf)),
                                                          ("from-inbox", rel(txt)), ("from-inbox", rel(sidecar))}
    assert all("not repaired" not in a.outcome for a in fixed.actions)
    assert fixed.remaining.problems == [] and fixed.exit_code == 0
    assert verify(settings).problems == []
    # nothing that was archived is deleted: the damaged copies and the stray file are in lost+found
    kept = {p.name for p in (archive / "lost+found").rglob("*") if p.is_file()}
    assert kept == {pdf.name, sidecar.name, stray.name}
    db = sqlite3.connect(archive / "ledger.sqlite3")
    repaired = {r[0] for r in db.execute("SELECT doc_id FROM events WHERE type = 'repaired'")}
    db.close()
    assert repaired == {docs[name]["id"] for name in ("undangan.tif", "nota.png", "misc.jpg")}


def test_verify_record_adds_a_verified_event_per_document(tmp_path, inbox):
    from digitize.verify import record

    settings, archive, docs = archived(tmp_path, inbox)
    (archive / docs["nota.png"]["path"]).unlink()
    assert record(settings, verify(settings)) == 3
    db = sqlite3.connect(archive / "ledger.sqlite3")
    got = dict(db.execute("SELECT doc_id, outcome FROM events WHERE type = 'verified'").fetchall())
    db.close()
    assert got == {docs["undangan.tif"]["id"]: "success", docs["misc.jpg"]["id"]: "success",
                   docs["nota.png"]["id"]: "failure"}


def test_a_document_whose_source_is_gone_is_reported_not_repaired(tmp_path, inbox):
    settings, archive, docs = archived(tmp_path, inbox)
    (archive / docs["nota.png"]["path"]).unlink()
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    fixed = repair(settings, from_inbox=elsewhere, engine=FakeEngine(TEXTS))
    assert [a.outcome for a in fixed.actions if a.action == "from-inbox"][0].startswith("not repaired: its source")
    assert fixed.exit_code == ExitCode.DAMAGED
    assert [p.kind for p in fixed.remaining.problems] == ["missing"]


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_lost_ledger_is_rebuilt_from_the_sidecars(tmp_path, inbox, damage):
    settings, archive, docs = archived(tmp_path, inbox)
    doc_id = docs["undangan.tif"]["id"]
    original = row(archive, doc_id)
    ledger = archive / "ledger.sqlite3"
    if damage == "missing":
        ledger.unlink()
    else:
        ledger.write_bytes(b"this is not a database " * 100)
    report = verify(settings)
    assert [p.kind for p in report.problems] == [f"ledger-{damage if damage == 'missing' else 'damaged'}"]
    assert report.reference == "sidecars" and report.documents == 3  # fixity still checked, from the sidecars

    fixed = repair(settings, ledger=True)
    assert fixed.exit_code == 0, fixed.remaining.problems
    rebuilt = row(archive, doc_id)
    for column in ("type", "title", "date", "pdf_path", "pdf_sha256", "txt_sha256", "json_sha256", "pages", "nomor"):
        assert rebuilt[column] == original[column], column
    assert rebuilt["indexed"] == 1  # the intact index holds it
    if damage == "garbage":
        kept = list(archive.glob("ledger.sqlite3.damaged-*"))
        assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    again = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert (again.new, again.skipped, again.documents) == (0, 3, 0)  # the files are known as done again
    db = sqlite3.connect(ledger)
    history = [r[0] for r in db.execute("SELECT type FROM events WHERE doc_id = ? ORDER BY id", (doc_id,))]
    db.close()
    assert history[:2] == ["ingested", "prepared"] and history[-1] == "repaired"


def test_index_drift_missing_extra_and_stale_is_found_and_rebuilt(tmp_path, inbox):
    settings, archive, docs = archived(tmp_path, inbox)
    gone, stale = docs["nota.png"]["id"], docs["misc.jpg"]["id"]
    index = open_index(archive / "index")
    index.delete([gone])
    meta = json.loads((archive / docs["misc.jpg"]["path"]).with_suffix(".json").read_text())
    index.add([IndexedDocument.from_metadata(dict(meta, type="surat_keputusan"), ["x"]),
               IndexedDocument("feedbeef0000", "documents/x/2020/feedbeef0000.pdf", "laporan", "", "", "2020", ["y"])])
    index.close()
    report = verify(settings)
    assert sorted((p.kind, p.doc_id) for p in report.problems) == [
        ("index-extra", "feedbeef0000"), ("index-missing", gone), ("index-stale", stale)]
    assert all(p.repair == "digitize repair --index" for p in report.problems)
    fixed = repair(settings, index=True)
    assert fixed.exit_code == 0 and verify(settings).problems == []


def test_leftovers_of_a_gone_writer_are_found_but_not_a_live_one(tmp_path, inbox):
    settings, archive, docs = archived(tmp_path, inbox)
    folder = (archive / docs["nota.png"]["path"]).parent
    dead = folder / ".x.pdf.99999999.abc.part"
    dead.write_bytes(b"half")
    live = folder / f".y.pdf.{os.getpid()}.abc.part"
    live.write_bytes(b"being written")
    scratch = archive / ".scratch" / f"{os.uname().nodename}-99999999"
    scratch.mkdir(parents=True)
    (scratch / "copy-of-scan.png").write_bytes(b"personal data")
    report_part = archive / "reports" / ".run-000009.json.99999999.abc.part"  # a kill while a report was written
    report_part.write_bytes(b'{"run": 9')
    report = verify(settings)
    assert {(p.kind, p.path) for p in report.problems} == {
        ("leftover", str(dead.relative_to(archive))), ("leftover", str(scratch.relative_to(archive))),
        ("leftover", str(report_part.relative_to(archive)))}
    repair(settings, extra=True)
    assert not dead.exists() and not scratch.exists() and not report_part.exists() and live.exists()


def test_the_next_run_clears_a_half_written_report_a_kill_left(tmp_path, inbox):
    settings, archive, _ = archived(tmp_path, inbox)
    report_part = archive / "reports" / ".run-000009.json.99999999.abc.part"
    report_part.write_bytes(b'{"run": 9')
    restricted_part = archive / "restricted" / ".x.json.99999999.abc.part"
    restricted_part.parent.mkdir(exist_ok=True)
    restricted_part.write_bytes(b"half")
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert not report_part.exists() and not restricted_part.exists()


def test_full_checks_find_a_pdf_that_is_not_pdfa(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Surat Keputusan) Tj ET")
    pdf.save(tmp_path / "plain.pdf")
    found = {f.kind for f in pdf_findings(tmp_path / "plain.pdf", "plain.pdf", "x", expect_text=True)}
    assert found == {"not-pdfa", "fonts-not-embedded"}  # it has text: no no-text-layer finding
    blank = pikepdf.new()
    blank.add_blank_page()
    blank.save(tmp_path / "blank.pdf")
    assert "no-text-layer" in {f.kind for f in pdf_findings(tmp_path / "blank.pdf", "blank.pdf", "x", True)}
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 nothing else")
    assert [f.kind for f in pdf_findings(tmp_path / "broken.pdf", "broken.pdf", "x", True)] == ["pdf-damaged"]


def test_repair_without_an_action_says_which_to_give(tmp_path, inbox):
    settings, _, _ = archived(tmp_path, inbox)
    with pytest.raises(UsageError, match="--index, --ledger, --extra or --from-inbox"):
        repair(settings)


@pytest.mark.slow
def test_verify_real_archive(tmp_path):
    """The real pipeline (Tesseract, OCRmyPDF, the index): four kinds of damage found by the CLI, with
    its exit code; repaired; `verify --full` finds PDF/A, fonts and text layers in order."""
    need_tools()
    inbox = tmp_path / "scans"
    inbox.mkdir()
    for name in ("nota-dinas-clean.png", "keputusan-2-pages.pdf"):
        shutil.copy(SAMPLES / name, inbox / name)
    archive = tmp_path / "arsip"
    cli = [sys.executable, "-m", "digitize"]
    env = dict(os.environ, DIGITIZE_INGEST__SETTLE_SECONDS="0", COLUMNS="200")
    done = subprocess.run([*cli, "ingest", str(inbox), "--archive", str(archive), "--json"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)["archived"]
    full = subprocess.run([*cli, "verify", "--full", "--json", "--archive", str(archive)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert full.returncode == 0, full.stdout
    assert json.loads(full.stdout)["problems"] == []

    pdf = archive / items[0]["path"]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 0x40
    pdf.write_bytes(bytes(data))
    (archive / items[1]["path"]).with_suffix(".txt").unlink()
    sidecar = (archive / items[1]["path"]).with_suffix(".json")
    sidecar.write_bytes(sidecar.read_bytes()[:150])
    (archive / "documents" / "catatan.txt").write_text("stray")
    before = tree_digest(archive)
    checked = subprocess.run([*cli, "verify", "--json", "--archive", str(archive)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == ExitCode.DAMAGED
    found = {(p["kind"], p["path"]) for p in json.loads(checked.stdout)["problems"]}
    assert found >= {("changed", items[0]["path"]), ("missing", items[1]["path"][:-4] + ".txt"),
                     ("sidecar-damaged", items[1]["path"][:-4] + ".json"), ("extra", "documents/catatan.txt")}
    assert tree_digest(archive) == before
    fixed = subprocess.run([*cli, "repair", "--extra", "--from-inbox", str(inbox), "--archive", str(archive)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "The archive is intact" in fixed.stdout
    again = subprocess.run([*cli, "verify", "--full", "--archive", str(archive)], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "The archive is intact" in again.stdout
