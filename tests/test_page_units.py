"""Pages as units of parallel work: a long document's pages are prepared and read on every worker,
and the archive is the same as when one process does the whole document."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from digitize import catalog
from digitize.models import SourceFile
from digitize.pipeline import ingest
from digitize.pipeline.executor import SerialExecutor
from digitize.settings import load_settings
from digitize.stages import pages
from digitize.stages.pages import units
from tests.conftest import make_page, need_tools
from tests.fakes import FakePageEngine


def settings_for(tmp_path, jobs=2, **overrides):
    base = {"archive.path": tmp_path / "arsip", "ingest.jobs": jobs, "ingest.settle_seconds": 0}
    return load_settings(env={}, overrides=base | overrides, cwd=tmp_path)


def lined_page(n: int, size=(850, 1100), blank=False, turn=0.0) -> Image.Image:
    img = Image.new("L", size, 255)
    if not blank:
        draw = ImageDraw.Draw(img)
        for row in range(14):
            y = 120 + row * 60
            for col in range(8):
                x = 80 + col * 90 + (n * 7 + row * 3) % 20
                draw.rectangle((x, y, x + 60, y + 14), fill=0)
    return img.rotate(turn, expand=True, fillcolor=255) if turn else img


def source_for(path: Path, kind: str) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(path=path, rel=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                      mtime=path.stat().st_mtime, kind=kind)


def summary(documents):
    return [[(p.number, p.source_page, p.blank, p.rotation, p.skew_deg, p.width, p.height, p.dpi) for p in d.pages]
            for d in documents]


@pytest.mark.parametrize("split", [None, pages.Splitting(blank_pages=True)])
def test_units_prepare_the_pages_the_whole_job_would(tmp_path, split):
    frames = [lined_page(1), lined_page(2, turn=3.0), lined_page(3, blank=True), lined_page(4, turn=-2.0)]
    tif = tmp_path / "batch.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], dpi=(100, 100))
    settings = settings_for(tmp_path).pages
    source = source_for(tif, "tiff")
    whole_dir, unit_dir = tmp_path / "whole", tmp_path / "units"
    whole_dir.mkdir()
    unit_dir.mkdir()
    whole = pages.prepare([source], whole_dir, settings, split=split)
    planned = units.plan([source], unit_dir, settings, split)
    assert planned is not None and [u.number for u in planned.units] == [1, 2, 3, 4]
    assert [u.index for u in planned.units] == [0, 1, 2, 3]
    done = [units.prepare_unit(u, unit_dir, settings, "ind+eng", split, None) for u in reversed(planned.units)]
    assembled = units.assemble(done, unit_dir, settings, "ind+eng", split, planned.warnings)
    assert summary(assembled) == summary(whole)
    assert len(assembled) == (2 if split else 1)
    assert [p.rotation for p in assembled[0].pages][:2] == [0, 0]
    assert abs(assembled[0].pages[1].skew_deg - 3.0) < 0.5  # the turned page measured, not the first one's value
    for ours, theirs in zip(assembled, whole, strict=True):
        with pikepdf.open(ours.ocr_input) as a, pikepdf.open(theirs.ocr_input) as b:
            assert len(a.pages) == len(b.pages) == len(ours.pages)
            assert [list(p.mediabox) for p in a.pages] == [list(p.mediabox) for p in b.pages]
        assert len(set(ours.ocr_images)) == len(ours.ocr_images)  # every page its own OCR image


def test_a_lone_pdf_with_text_is_not_split(tmp_path):
    from tests.pdfs import text_pdf

    pdf = text_pdf(tmp_path / "born.pdf", [["Surat edaran tentang jam kerja pegawai negeri sipil"]] * 3)
    assert units.plan([source_for(pdf, "pdf")], tmp_path, settings_for(tmp_path).pages, None) is None


def test_a_long_document_keeps_both_workers_busy(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "perda.tif", frames=8, dpi=300)
    read = tmp_path / "read"
    read.mkdir()
    settings = settings_for(tmp_path, jobs=2)
    report = ingest(inbox, settings, engine=FakePageEngine(readings=str(read)))
    assert (report.documents, report.failed) == (1, 0)
    marks = [p.name.rsplit(".", 2) for p in read.iterdir()]
    assert sorted(int(page) for _, page, _ in marks) == list(range(1, 9))  # every page read once
    assert len({pid for *_, pid in marks}) == 2  # by both workers
    (pdf,) = settings.archive.path.glob("documents/*/*/*.pdf")
    with pikepdf.open(pdf) as archived:
        assert len(archived.pages) == 8
    text = pdf.with_suffix(".txt").read_text(encoding="utf-8")
    assert [chunk.strip() for chunk in text.split("\f")] == [f"page {n} text" for n in range(1, 9)]
    assert not (settings.archive.path / ".scratch").exists() or not any((settings.archive.path / ".scratch").iterdir())


def test_a_page_that_fails_fails_its_document_alone(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "a.tif", frames=5, dpi=300)
    make_page(inbox / "b.tif", frames=3, dpi=300)
    settings = settings_for(tmp_path, jobs=2)
    report = ingest(inbox, settings, engine=FakePageEngine(fail_pages={("a.tif", 4)}))
    assert (report.documents, report.failed) == (1, 1)
    (failure,) = report.failures
    assert (failure.path, failure.reason) == ("a.tif", "ocr-failed")
    assert "page 4" in failure.message
    assert [(r["path"], r["reason"]) for r in catalog.quarantine(settings)] == [("a.tif", "ocr-failed")]
    scratch = settings.archive.path / ".scratch"
    assert not scratch.exists() or not any(scratch.rglob("*"))  # no copy of the scan left behind
    again = ingest(inbox, settings, engine=FakePageEngine())  # the next run tries it again
    assert (again.new, again.documents, again.failed) == (1, 1, 0)


def test_workers_start_once_per_run_not_once_per_document(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(6):
        make_page(inbox / f"surat-{n}.png", label=f"surat {n}", dpi=300)
    read = tmp_path / "read"
    read.mkdir()
    report = ingest(inbox, settings_for(tmp_path, jobs=2), engine=FakePageEngine(readings=str(read)))
    assert (report.documents, report.failed) == (6, 0)
    marks = [p.name.rsplit(".", 2) for p in read.iterdir()]
    assert len(marks) == 6
    assert len({pid for *_, pid in marks}) <= 2  # six documents, the same two worker processes


def test_a_page_that_kills_its_worker_fails_only_its_document(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "a.tif", frames=4, dpi=300)
    make_page(inbox / "b.tif", label="lain", frames=4, dpi=300)
    settings = settings_for(tmp_path, jobs=2)
    report = ingest(inbox, settings, engine=FakePageEngine(crash_pages={("a.tif", 2)}))
    assert (report.documents, report.failed) == (1, 1)
    (failure,) = report.failures
    assert (failure.path, failure.reason) == ("a.tif", "worker-crashed")


@pytest.mark.slow
def test_real_pages_read_as_units_give_the_whole_documents_text(tmp_path, corpus):
    """Real Tesseract: a 4-page TIFF of real scans read page by page on two workers gives the
    same text, page for page, as one process reading the whole document."""
    need_tools()
    names = ["skew-derived/27_linn_rot+4.00.png", "skew-sbrunner/deskew-2.png",
             "tesseract-test/phototest.tif", "skew-derived/29_typewriter_rot+7.00.png"]
    frames = []
    for name in names:
        with Image.open(corpus / name) as image:
            frames.append(Image.frombytes("L", image.size, image.convert("L").tobytes()))
    texts = {}
    for jobs in (1, 2):
        inbox = tmp_path / f"inbox{jobs}"
        inbox.mkdir()
        frames[0].save(inbox / "dokumen.tif", save_all=True, append_images=frames[1:], dpi=(300, 300))
        settings = settings_for(tmp_path / f"run{jobs}", jobs=jobs)
        executor = SerialExecutor() if jobs == 1 else None  # the whole document in one process, or units
        report = ingest(inbox, settings, executor=executor)
        assert (report.documents, report.failed) == (1, 0), report.failures
        (pdf,) = settings.archive.path.glob("documents/*/*/*.pdf")
        texts[jobs] = pdf.with_suffix(".txt").read_text(encoding="utf-8").split("\f")
        with pikepdf.open(pdf) as archived:
            assert len(archived.pages) == 4
    assert len(texts[2]) == len(texts[1]) >= 4
    assert texts[2] == texts[1]
    assert "quick brown dog" in texts[2][2]  # phototest, third page
