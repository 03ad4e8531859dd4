"""The pipeline's logic with a fake OCR engine: fast, no Tesseract."""

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from digitize import catalog
from digitize.errors import ArchiveError, DocumentError, MissingDependencyError
from digitize.pipeline import ingest
from digitize.settings import load_settings
from tests.conftest import make_page
from tests.fakes import FakeEngine

UNDANGAN = ["PEMERINTAH KABUPATEN JAYAPURA\nSentani, 25 Oktober 2023\nPerihal : Undangan\n"
            "Dengan hormat, kami mengundang Bapak/Ibu", "mengikuti bimbingan teknis pengelolaan arsip"]
TEXTS = {
    "undangan.tif": UNDANGAN,
    "nota.png": ["NOTA DINAS\nKepada Yth. : Sekretaris\nDari : Kepala Biro\nJambi, 2 Mei 2022"],
    "misc.jpg": ["daftar hadir peserta"],
}


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def settings_for(tmp_path, jobs=1):
    return load_settings(env={}, overrides={"archive.path": tmp_path / "arsip", "ingest.jobs": jobs,
                                           "ingest.settle_seconds": 0},
                         cwd=tmp_path)


def test_ingest_archives_indexes_and_is_idempotent(tmp_path, inbox):
    settings = settings_for(tmp_path)
    before = tree_digest(inbox)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert (report.files_seen, report.new, report.failed, report.ignored) == (3, 3, 0, 1)
    assert report.documents == 3 and report.pages == 4
    assert report.types == {"surat_undangan": 1, "nota_dinas": 1, "unclassified": 1}
    assert report.exit_code == 0

    archive = settings.archive.path
    meta_path = next(archive.glob("documents/surat_undangan/2023/*.json"))
    meta = json.loads(meta_path.read_text())
    for key in ("id", "sources", "pages", "type", "type_confidence", "created", "pipeline_version"):
        assert key in meta
    assert meta["sources"][0]["path"] == "undangan.tif"
    assert meta["sources"][0]["sha256"] == hashlib.sha256((inbox / "undangan.tif").read_bytes()).hexdigest()
    assert [p["number"] for p in meta["pages"]] == [1, 2]
    assert meta["date"] == "2023-10-25"
    assert meta_path.with_suffix(".txt").read_text().split("\f") == UNDANGAN
    assert meta_path.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert (archive / "documents" / "nota_dinas" / "2022").is_dir()
    assert (archive / "documents" / "unclassified" / "undated").is_dir()
    nota = json.loads(next(archive.glob("documents/nota_dinas/*/*.json")).read_text())
    assert nota["pages"][0]["dpi_estimated"] is True

    db = sqlite3.connect(archive / "ledger.sqlite3")
    assert db.execute("SELECT count(*) FROM files WHERE status = 'done'").fetchone() == (3,)
    assert db.execute("SELECT count(*) FROM documents WHERE indexed = 1 AND pdf_sha256 IS NOT NULL").fetchone() == (3,)
    assert db.execute("SELECT count(*) FROM pages WHERE confidence = 90.0").fetchone() == (4,)
    stages = {row[0] for row in db.execute("SELECT stage FROM stages")}
    assert {"prepare", "ocr", "classify", "extract", "archive"} <= stages

    hits = catalog.search(settings, '"bimbingan teknis"')
    assert [(h.id, h.pages) for h in hits] == [(meta["id"], [2])]
    assert Path(hits[0].path).is_file()

    again = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert (again.new, again.skipped, again.documents) == (0, 3, 0)
    assert tree_digest(inbox) == before, "inputs must never change"
    assert not list(archive.rglob("*.part")), "no temporary files left in the archive"


def test_bad_file_fails_alone_and_is_retried(tmp_path, inbox):
    settings = settings_for(tmp_path)
    good = (inbox / "misc.jpg").read_bytes()
    (inbox / "broken.jpg").write_bytes(good[: len(good) // 3])
    engine = FakeEngine(TEXTS, fail={"nota.png": "ocr-failed"})
    report = ingest(inbox, settings, engine=engine)
    assert report.documents == 2
    assert {f.path: f.reason for f in report.failures} == {"broken.jpg": "corrupt", "nota.png": "ocr-failed"}
    assert report.exit_code == 1
    db = sqlite3.connect(settings.archive.path / "ledger.sqlite3")
    rows = dict(db.execute("SELECT path, reason FROM files WHERE status = 'failed'").fetchall())
    assert rows == {"broken.jpg": "corrupt", "nota.png": "ocr-failed"}

    retry = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert (retry.new, retry.retried, retry.skipped, retry.documents, retry.failed) == (2, 2, 2, 1, 1)
    assert db.execute("SELECT attempts FROM files WHERE path = 'broken.jpg'").fetchone() == (2,)


def test_changed_file_becomes_a_new_version(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    first = catalog.search(settings, "daftar")[0].id
    make_page(inbox / "misc.jpg", label="rescan", fmt="JPEG")
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert report.new == 1
    second = next(a for a in report.archived if a["source"] == "misc.jpg")["id"]
    assert second != first
    meta = catalog.show(settings, second).metadata
    assert (meta["version"], meta["supersedes"]) == (2, first)
    assert catalog.show(settings, first).metadata["version"] == 1  # the old version is kept


def test_process_pool_gives_the_same_archive(tmp_path, inbox):
    settings = settings_for(tmp_path, jobs=2)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert report.documents == 3 and report.failed == 0
    assert len(list(settings.archive.path.glob("documents/*/*/*.pdf"))) == 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_crashes_fails_only_its_own_file(tmp_path, inbox, jobs):
    """Native code (Tesseract, an image decoder) can kill the worker process: the batch goes on."""
    settings = settings_for(tmp_path, jobs=jobs)
    before = tree_digest(inbox)
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS, crash={"nota.png"}))
    assert report.documents == 2 and report.failed == 1 and report.exit_code == 1
    (failure,) = report.failures
    assert failure.reason == "worker-crashed"
    assert failure.message.startswith("nota.png: the worker process died while processing it")
    assert {p.stem for p in settings.archive.path.glob("documents/*/*/*.pdf")}.isdisjoint({"nota"})
    assert tree_digest(inbox) == before  # inputs untouched
    rows = catalog.quarantine(settings)
    assert [(r["path"], r["reason"]) for r in rows] == [("nota.png", "worker-crashed")]
    again = ingest(inbox, settings, engine=FakeEngine(TEXTS))  # the next run tries it again
    assert (again.new, again.documents, again.failed) == (1, 1, 0)


def test_index_rebuild_from_sidecars_and_recovery_of_unindexed(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    archive = settings.archive.path
    import shutil

    shutil.rmtree(archive / "index")
    assert catalog.rebuild(settings) == 3
    assert catalog.search(settings, "sekretaris")[0].type == "nota_dinas"

    # a run killed between the ledger commit and the index commit: the next run indexes it
    db = sqlite3.connect(archive / "ledger.sqlite3")
    db.execute("UPDATE documents SET indexed = 0")
    db.commit()
    shutil.rmtree(archive / "index")
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert catalog.search(settings, "sekretaris")[0].type == "nota_dinas"


def test_archive_that_cannot_be_written(tmp_path, inbox):
    (tmp_path / "arsip").write_text("a file, not a folder")
    with pytest.raises(ArchiveError, match="Cannot write to the archive"):
        ingest(inbox, settings_for(tmp_path), engine=FakeEngine(TEXTS))


def test_search_without_archive(tmp_path):
    with pytest.raises(ArchiveError, match="No archive"):
        catalog.search(settings_for(tmp_path), "x")


def test_blank_pages_are_flagged_and_kept_unless_the_job_drops_them(tmp_path):
    from PIL import Image

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "doc.tif", frames=2)
    frames = [Image.open(inbox / "doc.tif")]
    frames[0].seek(0)
    pages = [frames[0].copy(), Image.new("L", (850, 1100), 255)]
    pages[0].save(inbox / "doc.tif", save_all=True, append_images=pages[1:], dpi=(100, 100))
    texts = {"doc.tif": ["kop surat", ""]}
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine(texts))
    assert [(n.path, n.page) for n in report.blank_pages] == [("doc.tif", 2)]
    meta = json.loads(next(settings.archive.path.glob("documents/*/*/*.json")).read_text())
    assert [p["blank"] for p in meta["pages"]] == [False, True]

    settings = load_settings(env={}, overrides={"archive.path": tmp_path / "arsip2", "pages.drop_blank": True,
                                                         "ingest.settle_seconds": 0},
                             cwd=tmp_path)
    ingest(inbox, settings, engine=FakeEngine(texts))
    meta = json.loads(next(settings.archive.path.glob("documents/*/*/*.json")).read_text())
    assert len(meta["pages"]) == 1 and "dropped" in meta["notices"][0]
    import pikepdf

    with pikepdf.open(next(settings.archive.path.glob("documents/*/*/*.pdf"))) as pdf:
        assert len(pdf.pages) == 1


def test_rescan_with_the_same_text_is_reported_as_probable_duplicate(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    body = ("Kepala Dinas Kearsipan dan Perpustakaan mengundang seluruh pengelola arsip perangkat daerah "
            "untuk mengikuti bimbingan teknis pengelolaan arsip dinamis yang diselenggarakan di aula dinas "
            "pada hari Senin tanggal tiga puluh Oktober")
    make_page(inbox / "scan.png", label="first")
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine({"scan.png": [body]}))
    make_page(inbox / "rescan.png", label="second")  # other bytes, nearly the same text
    report = ingest(inbox, settings, engine=FakeEngine({"rescan.png": [body.replace("Senin", "Selasa")]}))
    assert report.documents == 1
    assert [d.path for d in report.duplicates] == ["rescan.png"]
    meta = json.loads(next(p for p in settings.archive.path.glob("documents/*/*/*.json")
                           if json.loads(p.read_text())["sources"][0]["path"] == "rescan.png").read_text())
    assert meta["probable_duplicate_of"]["similarity"] >= 0.5


class NoTesseract(FakeEngine):  # module level: pickled into the worker processes
    def make_searchable(self, prepared, output_pdf, settings, label):
        raise MissingDependencyError("`tesseract` is not installed; run `make install`.")


def test_missing_program_stops_the_batch_with_its_own_error(tmp_path, inbox):
    """A missing program is no document's fault: ingest stops (exit 4 in the CLI), it does not
    record every file as an internal error."""
    with pytest.raises(MissingDependencyError, match="make install"):
        ingest(inbox, settings_for(tmp_path), engine=NoTesseract(TEXTS))


def test_tiny_and_thin_images_fail_as_too_small_not_as_internal_errors(tmp_path):
    from PIL import Image

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    Image.new("L", (1, 1), 255).save(inbox / "dot.png")
    Image.new("L", (60000, 20), 255).save(inbox / "strip.png")
    Image.new("L", (15, 400), 255).save(inbox / "sliver.png")
    make_page(inbox / "nota.png")
    report = ingest(inbox, settings_for(tmp_path), engine=FakeEngine(TEXTS))
    reasons = {f.path: f.reason for f in report.failures}
    assert reasons == {"dot.png": "too-small", "strip.png": "too-small", "sliver.png": "too-small"}
    strip = next(f for f in report.failures if f.path == "strip.png")
    assert "60000x20 pixels, too thin (3000:1)" in strip.message and "scan the whole page" in strip.message
    assert report.documents == 1


def test_a_file_removed_during_the_run_is_vanished(tmp_path, monkeypatch):
    from digitize.models import SourceFile
    from digitize.pipeline import prepare
    from digitize.stages.discover import examine_file

    gone = tmp_path / "gone.png"
    rejected = examine_file(gone, "gone.png")
    assert (rejected.reason, rejected.message) == (
        "vanished", "gone.png: was removed while the run was going on; put it back in the inbox to process it.")
    source = SourceFile(gone, "gone.png", 10, 0.0, "0" * 64, "png")
    with pytest.raises(DocumentError) as caught:
        prepare._copy(source, tmp_path / "copy.png")
    assert caught.value.reason == "vanished" and str(caught.value).startswith("gone.png: the file was removed")
    assert not (tmp_path / "copy.png").exists()
