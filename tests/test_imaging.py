"""Image math of page preparation: skew, rotation, blank pages. Fast, no Tesseract."""

from __future__ import annotations

import io

import img2pdf
import numpy as np
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from digitize.imaging import blank, cleanup, skew
from digitize.stages.pages import _turn_page, estimate_dpi

WORDS = "surat undangan kepala dinas kearsipan perpustakaan kabupaten jayapura nomor perihal".split()


def text_page(dpi: int = 150, lines: int = 30, seed: int = 0, ink: int = 0) -> Image.Image:
    """A level A4 page of text lines at ``dpi`` (Pillow's built-in font: no font files needed)."""
    rng = np.random.default_rng(seed)
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=int(dpi * 0.16))
    y = int(dpi * 1.0)
    for _ in range(lines):
        text = " ".join(rng.choice(WORDS, size=8))
        draw.text((int(dpi * 1.0), y), text, fill=ink, font=font)
        y += int(dpi * 0.3)
    return page


LETTER = """Dengan hormat, Kepala Dinas Kearsipan dan Perpustakaan Kabupaten Jayapura mengundang
Bapak/Ibu untuk hadir pada Bimbingan Teknis Pengelolaan Arsip Dinamis tanggal 30 Oktober 2023
di Aula Lantai II, Jl. Raya Sentani No. 17. Demikian undangan ini kami sampaikan, atas
perhatian dan kehadiran Bapak/Ibu kami ucapkan terima kasih. Nomor 005/214/DISARPUS/2023."""


def letter_page(dpi: int = 150) -> Image.Image:
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=int(dpi * 0.14))
    for n in range(6):
        for m, line in enumerate(LETTER.splitlines()):
            draw.text((int(dpi * 0.8), int(dpi * (1 + n * 1.4 + m * 0.3))), line, fill=0, font=font)
    return page


def estimate(image: Image.Image, dpi: float) -> skew.SkewEstimate:
    return skew.estimate_skew(np.asarray(image), dpi)


@settings(max_examples=12, deadline=None)
@given(angle=st.floats(min_value=-15, max_value=15).map(lambda a: round(a, 2)))
def test_estimator_returns_the_angle_a_page_was_turned_by(angle):
    page = text_page()
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)  # CCW
    found = estimate(turned, 150)
    assert not found.vertical
    assert abs(found.angle - angle) <= 0.1, (angle, found)


def test_ascenders_tell_upright_from_upside_down():
    from digitize.imaging.orientation import ascender_ratio, detect

    upright = np.asarray(letter_page())
    ratio, lines = ascender_ratio(upright, 150)
    assert ratio >= 1.4 and lines >= 20
    assert ascender_ratio(upright[::-1, ::-1].copy(), 150)[0] <= 0.7
    def no_tesseract(*args):
        raise AssertionError("the ascender test alone decides this page")

    found = detect(upright[::-1, ::-1].copy(), 150, "eng", osd=no_tesseract, word_confidence=no_tesseract)
    assert found.rotate_cw == 180 and found.method == "ascenders"


def test_page_on_its_side_is_reported_vertical():
    found = estimate(text_page().rotate(90, expand=True), 150)
    assert found.vertical
    assert abs(found.angle) <= 0.1


def test_page_without_text_gives_zero_with_low_confidence():
    found = estimate(Image.new("L", (1240, 1754), 255), 150)
    assert found.angle == 0.0


@pytest.mark.parametrize("angle", [0, 90, 180, 270, 7.5, -12])
def test_rotate_keeps_every_pixel(angle):
    gray = np.full((200, 300), 255, np.uint8)
    gray[0:10, 0:10] = 0  # a corner mark must survive any turn
    out = skew.rotate(gray, angle)
    assert (out < 128).sum() >= 80
    if angle in (90, 270):
        assert out.shape == (300, 200)


def test_blank_page_with_noise_bleed_through_shadow_and_punch_holes():
    rng = np.random.default_rng(1)
    bleed = np.asarray(text_page(ink=200, lines=20))  # light text showing through from the back
    page = np.full(bleed.shape, 245, np.uint8)
    page[rng.integers(0, page.shape[0], 400), rng.integers(0, page.shape[1], 400)] = 40  # dust specks
    page = np.minimum(page, bleed)
    page[:, :12] = 60  # scanner shadow along the edge
    for cy in (500, 1250):  # two punch holes, 6 mm across, near the left edge
        yy, xx = np.ogrid[: page.shape[0], : page.shape[1]]
        page[(yy - cy) ** 2 + (xx - 60) ** 2 <= 18 ** 2] = 20
    result = blank.check_blank(page, 150)
    assert result.blank, result


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=400), st.floats(0, 100))
def test_paper_level_from_the_histogram_is_numpys_percentile(values, q):
    gray = np.array(values, dtype=np.uint8).reshape(-1, 1)
    assert blank._percentile(gray, q) == pytest.approx(float(np.percentile(gray, q)), abs=1e-9)


def test_page_with_a_few_lines_is_not_blank():
    page = np.asarray(text_page(lines=3))
    result = blank.check_blank(page, 150)
    assert not result.blank and result.components > 15


def test_turned_pdf_page_has_the_turned_size():
    image = Image.new("L", (300, 600), 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = pikepdf.open(io.BytesIO(img2pdf.convert(buffer.getvalue(),
                                                  layout_fun=img2pdf.get_fixed_dpi_layout_fun((100, 100)))))
    page = pdf.pages[0]
    _turn_page(pdf, page, 90)
    box = [float(v) for v in page.mediabox]
    assert box[2] == pytest.approx(432) and box[3] == pytest.approx(216)


def test_dpi_estimate_from_page_size():
    assert estimate_dpi(1240, 1754) == 150
    assert estimate_dpi(2480, 3508) == 300
    assert estimate_dpi(1654, 2339) == 200


def test_cleanup_steps_keep_size_and_type():
    gray = np.asarray(text_page())
    for out in (cleanup.normalize_background(gray, 150), cleanup.despeckle(gray, 150),
                cleanup.remove_dark_borders(gray), cleanup.stretch_contrast(gray),
                cleanup.binarize_adaptive(gray, 150)):
        assert out.shape == gray.shape and out.dtype == np.uint8
    up, dpi = cleanup.upscale(gray, 150, 300)
    assert dpi == 300 and up.shape == (gray.shape[0] * 2, gray.shape[1] * 2)


@pytest.mark.parametrize("dpi", [100, 150, 300])
def test_text_height_follows_the_type_size(dpi):
    """The same 11-point-ish type measures in proportion to the resolution it was drawn at."""
    height = cleanup.text_height(np.asarray(text_page(dpi=dpi)))
    assert height is not None
    per_inch = height / dpi
    assert 0.05 < per_inch < 0.16, (dpi, height)


def test_text_height_is_none_without_letters():
    assert cleanup.text_height(np.full((800, 600), 255, np.uint8)) is None


def test_text_scale_brings_small_and_large_type_to_target_only():
    assert cleanup.text_scale(11, 15, 22, 44) == 2.0  # small: up, at most 2x
    assert cleanup.text_scale(5, 15, 22, 44) == 2.0
    assert cleanup.text_scale(18, 15, 22, 44) == 1.0  # Tesseract reads this size well: untouched
    assert cleanup.text_scale(88, 15, 22, 44) == 0.5  # large: down, at most by half
    gray = np.asarray(text_page(dpi=100))
    up, dpi = cleanup.scale(gray, 100.0, 2.0)
    assert dpi == 200.0 and up.shape == (gray.shape[0] * 2, gray.shape[1] * 2)
    same, dpi = cleanup.scale(gray, 100.0, 1.02)
    assert same is gray and dpi == 100.0
