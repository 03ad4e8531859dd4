"""Read a prepared page with Tesseract, and lay the text it found over the scan as PDF/A.

This is the OCR path for pages digitize prepared itself (scans, image-only PDFs):

* ``read_page``: one Tesseract run per page writes hOCR (words, boxes, confidences)
  and plain text (Tesseract's reading order) together;
* ``write_pdfa``: OCRmyPDF's hOCR parser and text renderer turn the hOCR into
  invisible text pages, which pikepdf lays over the visible pages as form XObjects;
  ``pikepdf.pdfa.save`` declares PDF/A (sRGB output intent, XMP) and validates the
  file it wrote.

Going through ``ocrmypdf.ocr`` instead costs about 0.2 s per call plus 0.2 s per
page before any OCR (measured with a no-op OCR engine), which alone is more than the
whole budget for preparing a page; the result is the same kind of file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
import pytesseract
import pytesseract.pytesseract

from digitize.errors import DocumentError, MissingDependencyError

_WORD = re.compile(rb"class='ocrx_word'[^>]*title='bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)'[^>]*>(.*?)</span>")


@dataclass
class PageText:
    """What Tesseract read on one prepared page."""

    hocr: Path
    text: str
    confidence: float | None  # mean word confidence, 0-100; None when no word was found
    words: int
    turned_words: int = 0  # words Tesseract read turned (taller than wide): the page lies on its side


def hocr_words(hocr: bytes) -> tuple[float | None, int, int]:
    """(mean word confidence, words, words Tesseract read turned) of an hOCR page.

    Tesseract reads a page that lies on its side by turning its lines itself, often
    with confidence; its word boxes then stand taller than wide. A word of three
    letters or more that does is counted as turned.
    """
    values: list[int] = []
    turned = 0
    for match in _WORD.finditer(hocr):
        x0, y0, x1, y1, conf = (int(v) for v in match.group(1, 2, 3, 4, 5))
        values.append(conf)
        if len(re.sub(rb"<[^>]*>", b"", match.group(6)).strip()) >= 3 and (y1 - y0) > (x1 - x0):
            turned += 1
    return (sum(values) / len(values) if values else None), len(values), turned


def mean_confidence(hocr: bytes) -> tuple[float | None, int]:
    """Mean word confidence in an hOCR document, and the number of words."""
    confidence, words, _ = hocr_words(hocr)
    return confidence, words


def read_page(image: Path, out_base: Path, lang: str, timeout: float, label: str = "") -> PageText:
    """OCR one page image; ``out_base`` + ``.hocr`` / ``.txt`` are written."""
    try:
        pytesseract.pytesseract.run_tesseract(str(image), str(out_base), "hocr txt", lang, timeout=int(timeout))
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError("`tesseract` is not installed; run `make install`.") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise DocumentError(
            "ocr-timeout", f"{label}: Tesseract took longer than {timeout:.0f} s on one page (ocr.timeout); "
            "check the scan or raise the limit.") from exc
    except pytesseract.TesseractError as exc:
        raise DocumentError("ocr-failed", f"{label}: Tesseract failed ({exc.message.strip()}).") from exc
    hocr = out_base.with_name(out_base.name + ".hocr")
    text = out_base.with_name(out_base.name + ".txt").read_text(encoding="utf-8", errors="replace")
    return PageText(hocr, text, *hocr_words(hocr.read_bytes()))


@lru_cache(maxsize=1)
def _fonts():
    """OCRmyPDF's fonts for invisible text, loaded once per process."""
    import ocrmypdf
    from ocrmypdf.font import MultiFontManager

    return MultiFontManager(Path(ocrmypdf.__file__).parent / "data")


def preload() -> None:
    """Import the renderer and load its fonts (about 0.5 s, once per process)."""
    import ocrmypdf.fpdf_renderer  # noqa: F401
    import ocrmypdf.hocrtransform  # noqa: F401
    import pikepdf.pdfa  # noqa: F401

    _fonts()


def render_text_pages(hocr_files: list[Path], output: Path) -> None:
    """One invisible-text PDF page per hOCR file, sized from the image and its resolution."""
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer
    from ocrmypdf.hocrtransform import HocrParser

    pages = []
    for index, path in enumerate(hocr_files):
        tree = HocrParser(path).parse()
        pages.append((index, tree, tree.dpi or 300.0))
    Fpdf2MultiPageRenderer(pages_data=pages, multi_font_manager=_fonts(), invisible_text=True).render(output)


def write_pdfa(visible_pdf: Path, readings: list[PageText | None], output: Path, part: int, work: Path,
               label: str = "") -> None:
    """Lay each page's text over the matching page of ``visible_pdf``; save as PDF/A-``part``b."""
    from pikepdf.pdfa import PdfaError
    from pikepdf.pdfa import save as save_pdfa

    read = [(n, r) for n, r in enumerate(readings) if r is not None and r.words]
    text_pdf = work / "text-layer.pdf"
    with pikepdf.open(visible_pdf) as pdf:
        if read:
            render_text_pages([r.hocr for _, r in read], text_pdf)
            with pikepdf.open(text_pdf) as text:
                for (n, _), text_page in zip(read, text.pages):
                    page = pdf.pages[n]
                    page.add_overlay(text_page, pikepdf.Rectangle(*[float(v) for v in page.mediabox]),
                                     shrink=True, expand=True)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["xmp:CreatorTool"] = "digitize"
        try:
            save_pdfa(pdf, output, f"{part}b", output_intent="sRGB")
        except PdfaError as exc:
            raise DocumentError(
                "pdfa-failed", f"{label}: the PDF/A written did not validate ({exc}); please report it."
            ) from exc
