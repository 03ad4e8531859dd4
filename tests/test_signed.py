"""Born-digital PDFs, signed or not: text from their own layer, a signed PDF never rewritten.

The fast tests use the fake OCR engine (the pipeline's logic: what is kept, what the metadata
says); the slow ones run the real OCRmyPDF and the two born-digital regulations of ../shared/realdocs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from digitize import catalog
from digitize.pipeline import ingest
from digitize.stages import signatures
from digitize.stages.ocr import sidecar_pages
from tests.conftest import REPO, need_tools
from tests.fakes import FakeEngine
from tests.pdfs import sign, tamper, text_pdf
from tests.test_formats import archived, settings_for

LETTER = [
    ["PEMERINTAH PROVINSI CONTOH", "Nomor: 800/123/BKD/2024", "Perihal: Undangan rapat koordinasi"],
    ["Demikian surat ini disampaikan.", "Kepala Badan Kepegawaian Daerah"],
    ["Lampiran: daftar peserta rapat", "1. Budi Santoso", "2. Siti Aminah"],
]
REALDOCS = REPO.parent / "shared" / "realdocs"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def layer_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8").split("\f")[:-1]


@pytest.fixture
def letters(tmp_path) -> Path:
    """An inbox with an unsigned born-digital letter, the same letter signed, and a tampered signed copy."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    work = tmp_path / "made"
    work.mkdir()
    text_pdf(inbox / "unsigned.pdf", LETTER)
    sign(text_pdf(work / "to-sign.pdf", LETTER[:2]), inbox / "signed.pdf", name="Budi Santoso")
    tamper(sign(text_pdf(work / "to-tamper.pdf", LETTER[1:]), work / "signed2.pdf", name="Siti Aminah"),
           inbox / "tampered.pdf", old=b"Lampiran", new=b"Lampirin")
    return inbox


def test_sidecar_pages_expand_the_ranges_ocrmypdf_skipped():
    assert sidecar_pages("[OCR skipped on page(s) 1-4]", 4) == ["", "", "", ""]
    assert sidecar_pages("[OCR skipped on page(s) 1]\fteks dua\f[OCR skipped on page(s) 3-4]", 4) == [
        "", "teks dua", "", ""]
    assert sidecar_pages("satu\fdua\f", 2) == ["satu", "dua"]
    assert sidecar_pages("satu\f", 2) == ["satu", ""]  # the last page read had no text


def test_signatures_are_found_reported_and_removed_from_the_copy_ocr_reads(tmp_path, letters):
    signed, tampered = letters / "signed.pdf", letters / "tampered.pdf"
    assert signatures.is_signed_file(signed) and not signatures.is_signed_file(letters / "unsigned.pdf")
    (good,) = signatures.read(signed)
    assert good["signer"] == "Budi Santoso" and good["intact"] and good["valid"]
    assert good["certificate_subject"] == "CN=Budi Santoso,O=Pemerintah Provinsi Contoh,C=ID"
    assert good["signing_time"] and good["coverage"] == "ENTIRE_FILE"
    (bad,) = signatures.read(tampered)
    assert bad["signer"] == "Siti Aminah" and bad["intact"] is False
    copy = signatures.unsigned_copy(signed, tmp_path / "unsigned-copy.pdf")
    assert not signatures.is_signed_file(copy)
    with pikepdf.open(copy) as pdf:
        assert "/AcroForm" not in pdf.Root and len(pdf.pages) == 2


def test_a_visible_signature_stays_visible_on_the_unsigned_copy(tmp_path):
    signed = sign(text_pdf(tmp_path / "letter.pdf", LETTER[:1]), tmp_path / "signed.pdf", visible=True)
    copy = signatures.unsigned_copy(signed, tmp_path / "copy.pdf")
    with pikepdf.open(copy) as pdf:
        page = pdf.pages[0]
        assert not list(page.obj.get("/Annots", [])) and list(page.Resources.XObject)  # drawn into the page
    assert "Digitally signed by Budi Santoso" in layer_texts(copy)[0]


def test_signed_pdf_kept_byte_for_byte_and_embedded_with_its_signatures_reported(tmp_path, letters):
    settings = settings_for(tmp_path)  # keep_originals is "none": a signed PDF is kept all the same
    before = {p.name: sha256(p) for p in letters.iterdir()}
    report = ingest(letters, settings, engine=FakeEngine({}))
    assert report.failed == 0, report.failures
    docs = archived(settings)
    root = settings.archive.path
    for name, signer, intact in (("signed.pdf", "Budi Santoso", True), ("tampered.pdf", "Siti Aminah", False)):
        meta = docs[name]
        assert sha256(root / meta["files"]["original"]) == before[name] == meta["sources"][0]["sha256"]
        with pikepdf.open(root / meta["files"]["pdf"]) as pdf:
            embedded = pdf.attachments[name]
            assert embedded.get_file().read_bytes() == (letters / name).read_bytes()
            assert embedded.obj.AFRelationship == pikepdf.Name.Source
            assert [spec.objgen for spec in pdf.Root.AF] == [embedded.obj.objgen]
            assert not signatures.is_signed(pdf)  # the rendition carries no signature its bytes would break
        (sig,) = meta["signatures"]
        assert (sig["file"], sig["signer"], sig["intact"]) == (name, signer, intact)
        assert [p["origin"] for p in meta["pages"]] == ["pdf-text", "pdf-text"]
    assert any("changed after signing" in n for n in docs["tampered.pdf"]["notices"])
    from rich.console import Console

    from digitize.console import print_document

    console = Console(record=True, width=300)
    print_document(console, catalog.show(settings, docs["signed.pdf"]["id"]), False)
    shown = console.export_text()
    assert "pdf (rendition)" in shown and "original (signed)" in shown and "Budi Santoso" in shown
    assert "original" not in docs["unsigned.pdf"]["files"] and "signatures" not in docs["unsigned.pdf"]
    assert {p.name: sha256(p) for p in letters.iterdir()} == before  # inputs untouched


@pytest.mark.slow
def test_born_digital_and_signed_pdfs_through_ocrmypdf(tmp_path, letters):
    """Real OCRmyPDF: no page is OCR'd, the text is the layer's own, a signed PDF's rendition is PDF/A-3."""
    need_tools()
    import io

    import img2pdf

    from tests.conftest import make_page

    mixed = pikepdf.open(text_pdf(tmp_path / "made" / "two-text-pages.pdf", LETTER[:2]))
    scan = pikepdf.open(io.BytesIO(img2pdf.convert(make_page(io.BytesIO(), "halaman tiga", fmt="PNG").getvalue())))
    mixed.pages.extend(scan.pages)
    mixed.save(letters / "mixed.pdf")  # two pages with text, then a scan: OCRmyPDF's sidecar skips a range
    settings = settings_for(tmp_path)
    report = ingest(letters, settings)
    assert report.failed == 0, report.failures
    docs = archived(settings)
    root = settings.archive.path

    unsigned = docs["unsigned.pdf"]
    assert len(unsigned["pages"]) == 3 and all(p["origin"] == "pdf-text" for p in unsigned["pages"])
    assert all(p["confidence"] is None for p in unsigned["pages"])  # nothing was OCR'd
    text = (root / unsigned["files"]["txt"]).read_text(encoding="utf-8").split("\f")
    assert text == layer_texts(letters / "unsigned.pdf")
    with pikepdf.open(root / unsigned["files"]["pdf"]) as pdf:
        assert len(pdf.pages) == 3 and pdf.open_metadata().get("pdfaid:part") == "2"

    meta = docs["mixed.pdf"]
    assert [p["origin"] for p in meta["pages"]] == ["pdf-text", "pdf-text", "pdf-raster"]
    text = (root / meta["files"]["txt"]).read_text(encoding="utf-8").split("\f")
    assert text[:2] == layer_texts(letters / "mixed.pdf")[:2] and "halaman" in text[2].lower()

    for name, signer, intact in (("signed.pdf", "Budi Santoso", True), ("tampered.pdf", "Siti Aminah", False)):
        meta = docs[name]
        original, rendition = root / meta["files"]["original"], root / meta["files"]["pdf"]
        assert sha256(original) == sha256(letters / name)
        with pikepdf.open(rendition) as pdf:
            assert pdf.open_metadata().get("pdfaid:part") == "3", meta["notices"]
            assert pdf.attachments[name].get_file().read_bytes() == original.read_bytes()
            assert pdf.attachments[name].obj.AFRelationship == pikepdf.Name.Source
            assert pdf.Root.AF[0].objgen == pdf.attachments[name].obj.objgen
        from pikepdf.pdfa import validate_written

        assert not validate_written(rendition, "3b").findings
        (sig,) = meta["signatures"]
        assert (sig["signer"], sig["intact"]) == (signer, intact)
        text = (root / meta["files"]["txt"]).read_text(encoding="utf-8").split("\f")
        assert text == layer_texts(letters / name)
    assert "Lampirin" in (root / docs["tampered.pdf"]["files"]["txt"]).read_text(encoding="utf-8")

    hits = catalog.search(settings, "Kepala Badan Kepegawaian")
    assert {Path(h.path) for h in hits} == {root / docs[n]["files"]["pdf"] for n in (
        "signed.pdf", "unsigned.pdf", "tampered.pdf", "mixed.pdf")}  # the archived PDFs: renditions when signed
    view = catalog.show(settings, docs["signed.pdf"]["id"])
    assert view.files["pdf"].endswith(".pdf") and view.files["original"].endswith(".original.pdf")


def _born_digital_rows() -> list[dict[str, str]]:
    with (REALDOCS / "documents.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["capture"] == "born-digital"]


@pytest.mark.slow
def test_born_digital_regulations_from_realdocs_are_archived_with_their_pages(tmp_path):
    if not (REALDOCS / "documents.csv").is_file():
        pytest.skip(f"real documents not found at {REALDOCS}")
    need_tools()
    rows = _born_digital_rows()
    assert len(rows) == 2
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for row in rows:  # copies in the test's own temporary folder, never in the repository
        shutil.copy(REALDOCS / row["file"], inbox / Path(row["file"]).name)
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings)
    assert report.failed == 0, report.failures
    docs = archived(settings)
    for row in rows:
        meta = docs[Path(row["file"]).name]
        pages = int(row["pages"])
        assert len(meta["pages"]) == pages and all(p["origin"] == "pdf-text" for p in meta["pages"])
        with pikepdf.open(settings.archive.path / meta["files"]["pdf"]) as pdf:
            assert len(pdf.pages) == pages
        text = (settings.archive.path / meta["files"]["txt"]).read_text(encoding="utf-8")
        assert "GUBERNUR BALI" in text.upper()


def test_signed_pdf_in_a_job_of_several_files_is_kept_too(tmp_path, letters):
    """Pages of a signed PDF rasterized with a scan into one document: the signed file is still kept."""
    from tests.conftest import make_page

    inbox = tmp_path / "batch"
    (inbox / "surat").mkdir(parents=True)
    shutil.copy(letters / "signed.pdf", inbox / "surat" / "a-signed.pdf")
    make_page(inbox / "surat" / "b-scan.png")
    settings = settings_for(tmp_path, **{"ingest.group": "folder", "pages.rasterize_dpi": 100})
    report = ingest(inbox, settings, engine=FakeEngine({}))
    assert report.failed == 0, report.failures
    metas = [json.loads(p.read_text()) for p in settings.archive.path.glob("documents/*/*/*.json")]
    (meta,) = [m for m in metas if any(s["path"].endswith("a-signed.pdf") for s in m["sources"])]
    assert [s["signer"] for s in meta["signatures"]] == ["Budi Santoso"]
    kept = [settings.archive.path / rel for key, rel in meta["files"].items() if key.startswith("original")]
    assert [sha256(p) for p in kept] == [sha256(letters / "signed.pdf")]


def test_a_damaged_signature_is_reported_and_the_pdf_still_archived_as_it_is(tmp_path, letters):
    """A signature whose CMS cannot be parsed: recorded with its error, the file kept byte for byte."""
    import re

    data = (letters / "signed.pdf").read_bytes()
    start = re.search(rb"/Contents <([0-9a-fA-F]+)>", data).start(1)  # type: ignore[union-attr]
    inbox = tmp_path / "damaged"
    inbox.mkdir()
    (inbox / "damaged.pdf").write_bytes(data[:start] + b"0" * 200 + data[start + 200:])
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine({}))
    assert report.failed == 0, report.failures
    meta = archived(settings)["damaged.pdf"]
    (sig,) = meta["signatures"]
    assert sig["intact"] is False and sig["error"]
    assert sha256(settings.archive.path / meta["files"]["original"]) == sha256(inbox / "damaged.pdf")


def test_a_signed_pdf_with_active_content_is_reported_not_rewritten(tmp_path):
    """Its signature covers its bytes, so the original kept beside the document keeps its JavaScript;
    the notice says so, and the copy the rendition is made from has none."""
    from digitize.models import SourceFile
    from digitize.settings import PagesSettings
    from digitize.stages.pages.pdf import _open_pdf

    work = tmp_path / "made"
    work.mkdir()
    plain = text_pdf(work / "letter.pdf", LETTER[:1])
    with pikepdf.open(plain, allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.save(plain)
    signed = sign(plain, tmp_path / "signed.pdf", name="Budi Santoso")
    before = sha256(signed)
    source = SourceFile(signed, "signed.pdf", signed.stat().st_size, signed.stat().st_mtime, before, "pdf")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    used, notices = _open_pdf(source, scratch, PagesSettings())
    assert len(notices) == 1 and "signed original" in notices[0] and "open action" in notices[0]
    assert "kept byte-identical" in notices[0]
    with pikepdf.open(used) as pdf:
        assert "/OpenAction" not in pdf.Root
    assert sha256(signed) == before
