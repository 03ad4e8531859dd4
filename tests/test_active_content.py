"""No archived PDF carries active content: JavaScript, actions (open, page, annotation, bookmark,
chained), launch / URI / remote links, embedded files and /AF associated files."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from digitize.pipeline import ingest
from digitize.stages.sanitize import sanitized_copy
from tests.conftest import need_tools
from tests.pdfs import text_pdf
from tests.test_formats import archived, settings_for

ACTIVE_MARKS = ("/JavaScript", "/JS", "/Launch", "/URI", "/EmbeddedFile", "/GoToR", "/AF", "/OpenAction")


def hostile(path: Path) -> Path:
    """A born-digital letter with every kind of active content a hostile or careless PDF may carry."""
    text_pdf(path, [["PEMERINTAH KABUPATEN CONTOH", "Nomor : 800/1/BKD/2024", "Perihal : Undangan"],
                    ["Demikian disampaikan."]])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('x')")))
        exe = pdf.make_stream(b"MZ\x90\x00 an executable", Type=Name.EmbeddedFile)
        spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=pikepdf.String("run.exe"),
                                            UF=pikepdf.String("run.exe"), EF=Dictionary(F=exe)))
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
        first = pdf.make_indirect(Dictionary(Title=pikepdf.String("Buka"), Parent=outlines, A=js))
        second = pdf.make_indirect(Dictionary(
            Title=pikepdf.String("Halaman 2"), Parent=outlines, Prev=first,
            A=Dictionary(S=Name.GoTo, D=pikepdf.Array([pdf.pages[1].obj, Name.Fit]), Next=js)))
        first.Next = second
        outlines.First, outlines.Last, outlines.Count = first, second, 2
        pdf.Root.Outlines = outlines
        pdf.Root.AF = pikepdf.Array([spec])
        pdf.Root.OpenAction = js
        pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=pikepdf.Array([pikepdf.String("run.exe"), spec])))
        page = pdf.pages[0].obj
        page.AF = pikepdf.Array([spec])
        page.Annots = pdf.make_indirect(pikepdf.Array([
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 20],
                                         A=Dictionary(S=Name.URI, URI=pikepdf.String("http://example.invalid")))),
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 30, 100, 50],
                                         A=Dictionary(S=Name.Launch, F=pikepdf.String("run.exe")))),
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 60, 20, 80],
                                         FS=spec)),
        ]))
        pdf.save(path)
    return path


def active_content(path: Path) -> list[str]:
    """Every active mark reachable from the document's root (what a reader would find)."""
    found = []
    with pikepdf.open(path) as pdf:
        pending, seen = [pdf.Root], set()
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                if obj.is_indirect:
                    if obj.objgen in seen:
                        continue
                    seen.add(obj.objgen)
                for key in obj.keys():
                    if key in ("/Parent", "/P"):
                        continue
                    if key in ACTIVE_MARKS or (key == "/S" and str(obj[key]) in ACTIVE_MARKS) or \
                            (key == "/Type" and str(obj[key]) == "/EmbeddedFile"):
                        found.append(key if key != "/S" and key != "/Type" else str(obj[key]))
                    pending.append(obj[key])
            elif isinstance(obj, pikepdf.Array):
                pending.extend(obj)
    return found


def test_the_sanitizer_removes_every_kind_of_active_content(tmp_path):
    source = hostile(tmp_path / "hostile.pdf")
    assert {"/JavaScript", "/JS", "/Launch", "/URI", "/EmbeddedFile", "/AF", "/OpenAction"} <= set(
        active_content(source))
    before = source.read_bytes()
    clean, removed = sanitized_copy(source, tmp_path / "clean.pdf")
    assert clean == tmp_path / "clean.pdf" and source.read_bytes() == before  # the input is never changed
    assert active_content(clean) == []
    assert "associated files" in removed and "2 bookmark action(s)" in removed
    assert "page 1 associated files" in removed and "page 1 link action" in removed
    with pikepdf.open(clean) as pdf:  # the text and the bookmarks' titles stay
        assert len(pdf.pages) == 2 and str(pdf.Root.Outlines.First.Title) == "Buka"


@pytest.mark.slow
def test_no_archived_pdf_has_active_content_text_layer_pdfs_included(tmp_path):
    """Real OCRmyPDF on a born-digital PDF (its own text layer, no OCR): the archival PDF/A is clean."""
    need_tools()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hostile(inbox / "surat.pdf")
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings)
    assert report.failed == 0, report.failures
    assert any("removed active content" in n.message for n in report.notices)
    doc = archived(settings)["surat.pdf"]
    pdf = settings.archive.path / doc["files"]["pdf"]
    assert active_content(pdf) == []
    assert all(p["origin"] == "pdf-text" for p in doc["pages"])
