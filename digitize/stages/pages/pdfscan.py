"""A PDF page that is one scanned image drawn upright over the whole page: use the image's own data."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pikepdf
from PIL import Image

# Content-stream operators that draw text or vector graphics (or an inline image): not a plain scan.
_TEXT_OR_VECTOR = frozenset(("Tj", "TJ", "'", '"', "re", "l", "c", "S", "f", "F", "B", "sh", "BI"))
_Matrix = list[float]  # a PDF transformation matrix [a b c d e f]


def _page_scan(page: pikepdf.Page, stem: Path) -> tuple[Image.Image, float, Path | None] | None:
    """The page's image when the page is exactly one image drawn upright over the whole page.

    Returns (image, dpi, path of the original JPEG data or None). Anything else (text,
    vector graphics, several images, a rotated or partial placement) returns None and
    the page is rendered instead.
    """
    try:
        xobject = _only_image(page)
        if xobject is None:
            return None
        matrix = _image_placement(page)
        if matrix is None or not _covers_page(matrix, page):
            return None
        return _scan_image(xobject, matrix[0], stem)
    except Exception:  # noqa: BLE001 - any trouble (e.g. JBIG2 without jbig2dec): render the page instead
        return None


def _only_image(page: pikepdf.Page) -> pikepdf.Object | None:
    """The page's one image XObject, on a page that is not rotated; None otherwise."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        return None
    images = dict(page.get_images())
    if len(images) != 1:
        return None
    (xobject,) = images.values()
    return xobject


def _image_placement(page: pikepdf.Page) -> _Matrix | None:
    """The matrix in force where the page's content draws its one XObject; None when it draws text,
    vector graphics, or other than exactly one XObject."""
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    drawn = 0
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op == "cm":
            matrix = _concat(matrix, [float(v) for v in instruction.operands])
        elif op == "Do":
            drawn += 1
        elif op in _TEXT_OR_VECTOR:
            return None
    return matrix if drawn == 1 else None


def _concat(m: _Matrix, by: _Matrix) -> _Matrix:
    """The current matrix ``m`` after a ``cm`` operator with ``by``."""
    a, b, c, d, e, f = by
    return [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
            e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]


def _covers_page(matrix: _Matrix, page: pikepdf.Page) -> bool:
    """Whether ``matrix`` draws the unit image upright (unturned, unmirrored) over nearly all the page."""
    box = [float(v) for v in page.mediabox]
    width_pt, height_pt = box[2] - box[0], box[3] - box[1]
    a, b, c, d, _, _ = matrix
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return False
    return not (a < 0.95 * width_pt or d < 0.95 * height_pt)


def _scan_image(xobject: pikepdf.Object, width_pt: float, stem: Path) -> tuple[Image.Image, float, Path | None]:
    """(image, dpi, path of the original JPEG data or None) of the image drawn ``width_pt`` points wide."""
    pdf_image = pikepdf.PdfImage(cast(pikepdf.Stream, xobject))  # an image XObject is a stream
    dpi = pdf_image.width / (width_pt / 72)
    original = None
    if pdf_image.filters == ["/DCTDecode"] and pdf_image.mode in ("L", "RGB"):
        original = stem.with_suffix(".jpg")
        original.write_bytes(xobject.read_raw_bytes())
        image: Image.Image = Image.open(original)
        image.load()
    else:
        image = pdf_image.as_pil_image()
    return image, round(dpi, 1), original
