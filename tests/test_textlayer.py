"""Reading Tesseract's hOCR (fast, no Tesseract) and the orientation check built on it."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitize import tesseract
from digitize.imaging import orientation
from digitize.settings import PagesSettings
from digitize.stages import pages
from digitize.stages.textlayer import PageText, hocr_words


def hocr(words: list[tuple[str, tuple[int, int, int, int], int]]) -> bytes:
    spans = "\n".join(
        f"<span class='ocrx_word' id='word_1_{n}' title='bbox {x0} {y0} {x1} {y1}; x_wconf {conf}'>{text}</span>"
        for n, (text, (x0, y0, x1, y1), conf) in enumerate(words, start=1))
    return (f"<div class='ocr_page' id='page_1' title='bbox 0 0 2000 3000'>"
            f"<span class='ocr_line' id='line_1_1' title=\"bbox 0 0 2000 60; baseline 0 -5\">{spans}</span>"
            "</div>").encode()


def test_hocr_words_mean_confidence_and_count():
    data = hocr([("Surat", (10, 10, 110, 40), 90), ("Undangan", (120, 10, 300, 40), 80), ("a", (310, 10, 320, 40), 40)])
    assert hocr_words(data) == (70.0, 3, 0)
    assert hocr_words(b"<div class='ocr_page'></div>") == (None, 0, 0)


def test_words_standing_taller_than_wide_are_counted_as_turned():
    """Tesseract reads a page lying on its side by turning its lines: its word boxes stand up."""
    data = hocr([("HARDWARE", (1937, 59, 1975, 400), 95), ("TRADING", (1937, 420, 1975, 700), 92),
                 ("No", (1900, 10, 1930, 40), 90), ("<strong>TOTAL</strong>", (1800, 50, 1840, 300), 88)])
    assert hocr_words(data) == (91.25, 4, 3)  # "No" is too short to tell


@pytest.mark.parametrize("conf,words,turned,upright", [
    (92.0, 60, 0, True), (68.0, 100, 4, True),  # a clean page; a receipt
    (54.8, 60, 0, False), (86.7, 168, 126, False),  # upside down; on its side, read well by turning lines
    (95.0, 5, 0, False), (None, 0, 0, False),  # too few words to tell; nothing read
])
def test_reads_upright(conf, words, turned, upright):
    assert orientation.reads_upright(conf, words, turned) is upright


def _page() -> np.ndarray:
    gray = np.full((1169, 827), 255, np.uint8)
    gray[200:220, 100:700] = 0  # some ink; the fake reader decides what it "says"
    return gray


class FakeReader:
    """Reads an image as confident text only when it was turned the given number of degrees.

    Its 60 words lie evenly down the page, or only in its top tenth (``top_only``)."""

    def __init__(self, upright_turn: int, top_only: bool = False):
        self.upright_turn, self.top_only, self.calls = upright_turn, top_only, []

    def __call__(self, image: Path, out_base: Path) -> PageText:
        self.calls.append(image.name)
        turn = int(re.match(r"ocr-\d+-?(\d*)", image.stem).group(1) or 0)
        conf = 93.0 if turn == self.upright_turn else 45.0
        with Image.open(image) as img:
            height = img.height * (0.1 if self.top_only else 1.0)
        marks = tuple((height * (i + 0.5) / 60, conf, False) for i in range(60))
        return PageText(out_base, "text", conf, 60, marks=marks)

    def osd(self, gray, dpi):
        return tesseract.osd(gray, dpi)  # tests replace it


def settle(builder, page):
    """Prepare the page's OCR image as it stands, then settle its orientation: (turn, reading, path, made)."""
    make = functools.partial(builder._ocr_image, dpi=100.0, number=1, upscale=False, bilevel=False)
    made = make(_page())
    turn, reading, (path, _) = builder._settle_orientation(page, _page(), 100.0, made, make)
    return turn, reading, path, made


def test_confident_reading_settles_orientation_and_is_kept(tmp_path):
    builder = pages._Builder(tmp_path, PagesSettings(), "ind+eng")
    builder.reader = reader = FakeReader(0)
    turn, reading, path, made = settle(builder, pages.Page(1, None))
    assert (turn, path) == (0.0, made[0]) and reading.confidence == 93.0
    assert reader.calls == ["ocr-0001.tif"]  # one reading, no OSD, no second pass


def test_low_confidence_reading_tries_the_other_way_up(tmp_path, monkeypatch):
    monkeypatch.setattr(tesseract, "osd", lambda gray, dpi: None)  # OSD cannot tell
    builder = pages._Builder(tmp_path, PagesSettings(), "ind+eng")
    builder.reader = reader = FakeReader(180)
    page = pages.Page(1, None)
    turn, reading, path, made = settle(builder, page)
    assert turn == 180.0 and page.rotation == 180
    assert path.name == "ocr-0001-180.tif" and reading is None  # the OCR stage reads it whole
    assert reader.calls == ["ocr-0001.tif", "ocr-0001-180-band.tif"]  # upside down: its middle third only


def test_without_words_in_the_middle_third_the_whole_page_is_read_upside_down(tmp_path, monkeypatch):
    monkeypatch.setattr(tesseract, "osd", lambda gray, dpi: None)
    builder = pages._Builder(tmp_path, PagesSettings(), "ind+eng")
    builder.reader = reader = FakeReader(180, top_only=True)
    page = pages.Page(1, None)
    turn, reading, path, made = settle(builder, page)
    assert (turn, page.rotation, path.name) == (180.0, 180, "ocr-0001-180.tif") and reading.confidence == 93.0
    assert reader.calls == ["ocr-0001.tif", "ocr-0001-180.tif"]


def test_no_clear_evidence_leaves_the_page_as_scanned(tmp_path, monkeypatch):
    monkeypatch.setattr(tesseract, "osd", lambda gray, dpi: None)
    builder = pages._Builder(tmp_path, PagesSettings(), "ind+eng")
    builder.reader = reader = FakeReader(90)  # neither candidate reads well
    page = pages.Page(1, None)
    turn, reading, path, made = settle(builder, page)
    assert (turn, page.rotation, path) == (0.0, 0, made[0]) and reading is not None
    assert reader.calls == ["ocr-0001.tif", "ocr-0001-180-band.tif"]


def test_sure_osd_turns_the_page_and_it_is_read_again_later(tmp_path, monkeypatch):
    monkeypatch.setattr(tesseract, "osd", lambda gray, dpi: (90, 12.0))
    builder = pages._Builder(tmp_path, PagesSettings(), "ind+eng")
    builder.reader = FakeReader(1)  # nothing reads well as it stands
    page = pages.Page(1, None)
    turn, reading, path, made = settle(builder, page)
    assert (turn, page.rotation, reading) == (90.0, 90, None) and path.exists()


def test_reading_done_while_preparing_is_counted_as_ocr_time():
    from digitize.pipeline.runner import Clock

    clock = Clock()
    clock.run("prepare", lambda: None)
    clock.run("prepare", lambda: None)  # a job of several documents adds up
    clock.seconds["prepare"] += 2.0
    clock.move(1.5, "prepare", "ocr")
    assert clock.seconds["ocr"] == 1.5 and 0.5 <= clock.seconds["prepare"] < 0.6


def test_unsure_words_are_the_low_confidence_ones_without_punctuation():
    from digitize.stages.textlayer import unsure_words

    hocr = (b"<span class='ocrx_word' id='w1' title='bbox 0 0 10 10; x_wconf 96'>Nomor</span>"
            b"<span class='ocrx_word' id='w2' title='bbox 0 0 10 10; x_wconf 58'>:09g</span>"
            b"<span class='ocrx_word' id='w3' title='bbox 0 0 10 10; x_wconf 31'>0341</span>"
            b"<span class='ocrx_word' id='w4' title='bbox 0 0 10 10; x_wconf 20'>/</span>"
            b"<span class='ocrx_word' id='w5' title='bbox 0 0 10 10; x_wconf 60'>M</span>")
    assert unsure_words(hocr) == {"09g", "0341", "M"}


def test_a_short_number_must_be_read_more_surely_than_a_word():
    """A handwritten day or agenda number filled into a typed letter reads at 70-85; typed ones at 90+."""
    from digitize.stages.textlayer import unsure_words

    def word(text: bytes, conf: int) -> bytes:
        return b"<span class='ocrx_word' id='w' title='bbox 0 0 10 10; x_wconf %d'>%s</span>" % (conf, text)

    hocr = word(b"23", 80) + word(b"Januari", 80) + word(b"2020", 80) + word(b"41,", 87) + word(b"28", 93)
    assert unsure_words(hocr) == {"23", "41"}
