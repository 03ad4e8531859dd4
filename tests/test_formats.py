"""Every input format reaches the archive (fake OCR engine, real page preparation)."""

from __future__ import annotations

import io
import json

import img2pdf
import pikepdf
import pytest
from PIL import Image

from digitize.pipeline import ingest
from digitize.settings import load_settings
from tests.conftest import make_page
from tests.fakes import FakeEngine


def settings_for(tmp_path, **overrides):
    base = {"archive.path": tmp_path / "arsip", "ingest.jobs": 1, "ingest.settle_seconds": 0}
    return load_settings(env={}, overrides=base | overrides, cwd=tmp_path)


def archived(settings) -> dict[str, dict]:
    metas = (json.loads(p.read_text()) for p in settings.archive.path.glob("documents/*/*/*.json"))
    return {m["sources"][0]["path"]: m for m in metas}


def page(mode="L") -> Image.Image:
    return Image.open(make_page(io.BytesIO(), fmt="PNG")).convert(mode)


def test_image_formats_and_tiff_compressions(tmp_path):
    import pillow_heif

    pillow_heif.register_heif_opener()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page("1").save(inbox / "g4.tif", compression="group4", dpi=(100, 100))
    page().save(inbox / "lzw.tif", compression="tiff_lzw", dpi=(100, 100))
    page("RGB").save(inbox / "jpeg-in-tiff.tif", compression="jpeg", dpi=(100, 100))
    page("RGB").save(inbox / "scan.bmp")
    page("RGB").save(inbox / "scan.webp")
    page("RGB").save(inbox / "phone.heic")
    rgba = page("RGBA")
    rgba.putalpha(200)
    rgba.save(inbox / "alpha.png")  # OCRmyPDF refuses alpha: it must be flattened
    page("P").save(inbox / "palette.png")
    Image.open(make_page(io.BytesIO(), fmt="PNG")).convert("I;16").save(inbox / "sixteen.png")
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine({}))
    assert report.failed == 0, report.failures
    assert set(archived(settings)) == {p.name for p in inbox.iterdir()}


def test_jpeg_exif_orientation_is_honoured(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    image = page("RGB")  # 850 x 1100
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: show rotated 90 degrees clockwise
    image.save(inbox / "phone.jpg", exif=exif)
    settings = settings_for(tmp_path, **{"pages.auto_rotate": False, "pages.deskew": False})
    ingest(inbox, settings, engine=FakeEngine({}))
    first = archived(settings)["phone.jpg"]["pages"][0]
    assert (first["width_px"], first["height_px"]) == (1100, 850)


def pdf_with_text_and_scan(path):
    """Page 1 has real text (a born-digital page); page 2 is only an image."""
    text_page = pikepdf.new()
    text_page.add_blank_page(page_size=(595, 842))
    font = text_page.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                      BaseFont=pikepdf.Name.Helvetica))
    sheet = text_page.pages[0]
    sheet.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    sheet.Contents = text_page.make_stream(
        b"BT /F1 14 Tf 72 760 Td (Surat keputusan tentang pengelolaan arsip dinamis daerah) Tj ET")
    scan = pikepdf.open(io.BytesIO(img2pdf.convert(make_page(io.BytesIO(), fmt="PNG").getvalue())))
    text_page.pages.extend(scan.pages)
    text_page.save(path)


def test_pdf_text_is_kept_and_only_pages_without_text_are_ocrd(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pdf_with_text_and_scan(inbox / "mixed.pdf")
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine({"mixed.pdf": ["ignored for page 1", "teks hasil ocr"]}))
    meta = archived(settings)["mixed.pdf"]
    assert [p["origin"] for p in meta["pages"]] == ["pdf-text", "pdf-raster"]
    text = next(settings.archive.path.glob("documents/*/*/*.txt")).read_text().split("\f")
    assert "pengelolaan arsip dinamis" in text[0] and text[1] == "teks hasil ocr"

    forced = settings_for(tmp_path, **{"archive.path": tmp_path / "arsip2", "ocr.force": True})
    ingest(inbox, forced, engine=FakeEngine({"mixed.pdf": ["ocr satu", "ocr dua"]}))
    meta = archived(forced)["mixed.pdf"]
    assert [p["origin"] for p in meta["pages"]] == ["pdf-raster", "pdf-image"]  # the scan page keeps its image


@pytest.mark.parametrize("mode", ["copy", "embed"])
def test_originals_kept_in_the_archive(tmp_path, mode):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "scan.png")
    settings = settings_for(tmp_path, **{"archive.keep_originals": mode})
    ingest(inbox, settings, engine=FakeEngine({}))
    meta = archived(settings)["scan.png"]
    if mode == "copy":
        kept = settings.archive.path / meta["files"]["original"]
        assert kept.read_bytes() == (inbox / "scan.png").read_bytes()
    else:
        with pikepdf.open(settings.archive.path / meta["files"]["pdf"]) as pdf:
            assert pdf.attachments["scan.png"].get_file().read_bytes() == (inbox / "scan.png").read_bytes()


def test_processed_originals_move_only_after_commit(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "scan.png")
    (inbox / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    settings = settings_for(tmp_path, **{"ingest.move_processed": True})
    report = ingest(inbox, settings, engine=FakeEngine({}))
    assert report.documents == 1 and report.failed == 1
    moved = list((inbox / "processed").rglob("scan.png"))
    assert len(moved) == 1 and not (inbox / "scan.png").exists()
    assert (inbox / "broken.png").exists(), "a failed file stays in the inbox"
    again = ingest(inbox, settings, engine=FakeEngine({}))
    assert again.files_seen == 1  # processed/ is not read again


def test_a_damaged_pdf_is_named_by_its_inbox_path_not_by_the_scratch_copy(tmp_path):
    from digitize.errors import DocumentError
    from digitize.models import SourceFile
    from digitize.stages.pages.pdf import _open_pdf

    scratch = tmp_path / "arsip" / ".scratch" / "host-1"
    scratch.mkdir(parents=True)
    copy = scratch / "source-534a4918e92c.pdf"
    copy.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    source = SourceFile(copy, "rusak/terpotong.pdf", copy.stat().st_size, 0.0, "5" * 64, "pdf")
    with pytest.raises(DocumentError) as caught:
        _open_pdf(source, scratch, settings_for(tmp_path).pages)
    message = str(caught.value)
    assert caught.value.reason == "corrupt" and message.startswith("rusak/terpotong.pdf: PDF is damaged")
    assert str(scratch) not in message and ".scratch" not in message and "trailer" in message
