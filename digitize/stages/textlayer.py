"""Read a prepared page with Tesseract, and lay the text it found over the scan as PDF/A.

This is the OCR path for pages digitize prepared itself (scans, image-only PDFs):

* one Tesseract run per page (``digitize.tesseract``: the program, or the library inside the
  process) writes hOCR (words, boxes, confidences), plain text (Tesseract's reading
  order) and an invisible-text PDF page (``textonly_pdf``: Tesseract's own renderer,
  the text layer OCRmyPDF's "sandwich" renderer used) together; ``page_text`` reads them;
* ``write_pdfa``: pikepdf lays each text page over its visible page as a form XObject;
  ``pikepdf.pdfa.save`` declares PDF/A (sRGB output intent, XMP) and validates the file
  it wrote.

Going through ``ocrmypdf.ocr`` instead costs about 0.2 s per call plus 0.2 s per page
before any OCR (measured with a no-op OCR engine), more than everything digitize adds
to a page; rendering the text layer from hOCR in Python (OCRmyPDF's fpdf2 renderer)
cost another 0.05-0.2 s per document, mostly subsetting its font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from digitize.errors import DocumentError
from digitize.i18n import _

_WORD = re.compile(rb"class='ocrx_word'[^>]*title='bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)'[^>]*>(.*?)</span>")


@dataclass
class PageText:
    """What Tesseract read on one prepared page."""

    hocr: Path
    text: str
    confidence: float | None  # mean word confidence, 0-100; None when no word was found
    words: int
    turned_words: int = 0  # words Tesseract read turned (taller than wide): the page lies on its side
    pdf: Path | None = None  # Tesseract's invisible-text page (textonly_pdf), sized like the image
    marks: tuple[WordMark, ...] = ()  # every word: (vertical centre in image pixels, confidence, turned)
    unsure: frozenset[str] = frozenset()  # words read with low confidence (``unsure_words``)

    def within(self, top: float, bottom: float) -> tuple[float | None, int, int]:
        """(mean confidence, words, turned words) of the words whose centre lies between two rows."""
        return summarize([m for m in self.marks if top <= m[0] < bottom])


WordMark = tuple[float, int, bool]


def hocr_marks(hocr: bytes) -> list[WordMark]:
    """Every word of an hOCR page: (vertical centre, confidence, read turned).

    Tesseract reads a page that lies on its side by turning its lines itself, often
    with confidence; its word boxes then stand taller than wide. A word of three
    letters or more that does is counted as turned.
    """
    marks = []
    for match in _WORD.finditer(hocr):
        x0, y0, x1, y1, conf = (int(v) for v in match.group(1, 2, 3, 4, 5))
        turned = len(re.sub(rb"<[^>]*>", b"", match.group(6)).strip()) >= 3 and (y1 - y0) > (x1 - x0)
        marks.append(((y0 + y1) / 2, conf, turned))
    return marks


UNSURE_CONFIDENCE = 75  # a word Tesseract read below this (0-100) is not trusted for a field's value
# A short number (one to three digits: a day, an agenda number) must be read more surely: Tesseract
# reads typed ones at 90 or more and a handwritten one filled into a typed form (``41`` for 42, ``23``
# for 28) at 70 to 85, so a short number read under this is not trusted for a nomor or a date.
UNSURE_DIGITS_CONFIDENCE = 88
_SHORT_NUMBER = re.compile(rb"^\W*\d{1,3}\W*$")


def unsure_words(hocr: bytes, below: int = UNSURE_CONFIDENCE,
                 below_digits: int = UNSURE_DIGITS_CONFIDENCE) -> frozenset[str]:
    """The words of an hOCR page read with a confidence under ``below`` (``below_digits`` for a short
    number) (handwriting, stamps, specks), without the punctuation around them. A one-letter word is
    kept too: a field's reader doubts only a whole segment of its value that equals one
    (``M`` of ``M/DinsosP3APMD.460/1/2017``), so a doubtful ``M`` elsewhere does no harm."""
    import html

    found = set()
    for match in _WORD.finditer(hocr):
        text = re.sub(rb"<[^>]*>", b"", match.group(6))
        limit = below_digits if _SHORT_NUMBER.match(text) else below
        if int(match.group(5)) < limit:
            word = html.unescape(re.sub(rb"<[^>]*>", b"", match.group(6)).decode("utf-8", "replace"))
            word = word.strip(" .,:;|'\"()[]")
            if any(c.isalnum() for c in word):
                found.add(word)
    return frozenset(found)


def summarize(marks: list[WordMark]) -> tuple[float | None, int, int]:
    """(mean word confidence or None, words, words read turned)."""
    if not marks:
        return None, 0, 0
    return sum(m[1] for m in marks) / len(marks), len(marks), sum(m[2] for m in marks)


def hocr_words(hocr: bytes) -> tuple[float | None, int, int]:
    """(mean word confidence, words, words Tesseract read turned) of an hOCR page."""
    return summarize(hocr_marks(hocr))


def mean_confidence(hocr: bytes) -> tuple[float | None, int]:
    """Mean word confidence in an hOCR document, and the number of words."""
    confidence, words, _ = hocr_words(hocr)
    return confidence, words


def page_text(out_base: Path) -> PageText:
    """What a Tesseract run that wrote ``out_base`` + ``.hocr``, ``.txt`` and ``.pdf`` found."""
    hocr = out_base.with_name(out_base.name + ".hocr")
    text = out_base.with_name(out_base.name + ".txt").read_text(encoding="utf-8", errors="replace")
    data = hocr.read_bytes()
    marks = hocr_marks(data)
    return PageText(hocr, text, *summarize(marks), pdf=out_base.with_name(out_base.name + ".pdf"), marks=tuple(marks),
                    unsure=unsure_words(data))


def preload() -> None:
    """Import what writing the PDF/A needs, once per process rather than inside the first document."""
    import pikepdf.pdfa  # noqa: F401


def write_pdfa(visible_pdf: Path, readings: list[PageText | None], output: Path, part: int,
               label: str = "") -> None:
    """Lay each page's text over the matching page of ``visible_pdf``; save as PDF/A-``part``b."""
    from pikepdf.pdfa import PdfaError
    from pikepdf.pdfa import save as save_pdfa

    with pikepdf.open(visible_pdf) as pdf:
        for n, reading in enumerate(readings):
            if reading is None or not reading.words or reading.pdf is None:
                continue
            with pikepdf.open(reading.pdf) as text:
                page = pdf.pages[n]
                page.add_overlay(text.pages[0], pikepdf.Rectangle(*[float(v) for v in page.mediabox]),
                                 shrink=True, expand=True)  # type: ignore[call-arg]  # pikepdf's stub lacks them
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["xmp:CreatorTool"] = "digitize"
        try:
            save_pdfa(pdf, output, f"{part}b", output_intent="sRGB")
        except PdfaError as exc:
            raise DocumentError(
                "pdfa-failed", _("{file}: the PDF/A written did not validate ({error}); please report it.")
                .format(file=label, error=exc)
            ) from exc
