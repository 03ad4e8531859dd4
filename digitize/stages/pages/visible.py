"""The visible page: the scan drawn turned on a PDF page."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import img2pdf
import pikepdf
from PIL import Image

from digitize.stages.pages.images import _normalise

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder


def _add_visible(builder: _Builder, path: Path | None, dpi: float, turn_cw: float, image: Image.Image,
                 number: int) -> None:
    """The page the PDF/A shows: ``path`` (the scan's own file data) or else ``image`` saved losslessly.

    The pixels are drawn as stored, turned by ``turn_cw``: the page as it was read (an EXIF
    orientation is applied before, to ``image``, never by img2pdf, whose check for one also
    decodes a whole PNG a second time)."""
    layout = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    data = None
    if path is not None:
        try:
            data = img2pdf.convert(str(path), layout_fun=layout, rotation=img2pdf.Rotation.none)
        except Exception:  # noqa: BLE001 - a variant img2pdf cannot embed as it is: save the pixels instead
            data = None
    if data is None:
        path = builder.scratch / f"page-{number:04d}.png"
        (image if image.mode in ("1", "L", "RGB") else _normalise(image)).save(path, format="PNG")
        data = img2pdf.convert(str(path), layout_fun=layout, rotation=img2pdf.Rotation.none)
    one = pikepdf.open(io.BytesIO(data))
    page = one.pages[0]
    if turn_cw % 360:
        _turn_page(one, page, turn_cw)
    builder.pdf.pages.append(page)


def _turn_page(pdf: pikepdf.Pdf, page: pikepdf.Page, turn_cw: float) -> None:
    """Draw the page's content turned clockwise by ``turn_cw`` degrees on a canvas that holds it all."""
    box = [float(v) for v in page.mediabox]
    w, h = box[2] - box[0], box[3] - box[1]
    phi = math.radians(-turn_cw)  # PDF space has y up: clockwise on screen is a negative angle
    c, s = math.cos(phi), math.sin(phi)
    if abs(c) < 1e-12:
        c = 0.0
    if abs(s) < 1e-12:
        s = 0.0
    new_w, new_h = abs(w * c) + abs(h * s), abs(w * s) + abs(h * c)
    e = new_w / 2 - (c * w / 2 - s * h / 2)
    f = new_h / 2 - (s * w / 2 + c * h / 2)
    page.contents_add(pikepdf.Stream(pdf, f"q {c:.6f} {s:.6f} {-s:.6f} {c:.6f} {e:.4f} {f:.4f} cm\n".encode()),
                      prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
    page.mediabox = pikepdf.Array([0, 0, new_w, new_h])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]
