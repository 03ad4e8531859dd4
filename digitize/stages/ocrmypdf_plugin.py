"""OCRmyPDF plugin: hand Tesseract digitize's prepared page images, and keep word confidences.

Loaded by ``TesseractEngine`` through ``ocrmypdf.ocr(plugins=[...])``. Two hooks:

* ``rasterize_pdf_page``: instead of rendering the PDF page again, OCRmyPDF gets
  the image digitize prepared for OCR (upright, deskewed, cleaned), scaled to the
  pixel size OCRmyPDF asks for, so the text layer lines up with the page.
* ``get_ocr_engine``: Tesseract as usual, plus the mean word confidence of each
  page read from its hOCR and written to a small file for digitize.

Per-document data travels in OCRmyPDF's extra options (``digitize_ocr_images``,
``digitize_confidence_dir``), which reach its worker processes too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from PIL import Image

from digitize.stages.textlayer import mean_confidence

OCR_IMAGES = "digitize_ocr_images"
CONFIDENCE_DIR = "digitize_confidence_dir"
_PAGENO = re.compile(r"^(\d+)")


def _extra(options, key):
    extra = getattr(options, "extra_attrs", None) or {}
    return extra.get(key)


@hookimpl
def rasterize_pdf_page(input_file, output_file, raster_device, raster_dpi, pageno, page_dpi,
                       rotation, filter_vector, stop_on_soft_error, options, use_cropbox):
    images = _extra(options, OCR_IMAGES)
    if not images or rotation or pageno > len(images) or not images[pageno - 1]:
        return None  # not a page digitize prepared: OCRmyPDF renders it as usual
    with pikepdf.open(input_file) as pdf:
        box = [float(v) for v in pdf.pages[pageno - 1].mediabox]
    width_pt, height_pt = box[2] - box[0], box[3] - box[1]
    size = (round(width_pt / 72 * float(raster_dpi.x)), round(height_pt / 72 * float(raster_dpi.y)))
    dpi = page_dpi or raster_dpi
    with Image.open(images[pageno - 1]) as image:
        same_dpi = abs(float(image.info.get("dpi", (0, 0))[0]) - float(dpi.x)) < 0.5
        if (abs(image.width - size[0]) <= 1 and abs(image.height - size[1]) <= 1 and same_dpi
                and image.format == "PNG"):
            shutil.copyfile(images[pageno - 1], output_file)  # already what OCR needs: no re-encoding
            return output_file
        if abs(image.width - size[0]) > 1 or abs(image.height - size[1]) > 1:
            image = image.resize(size, Image.Resampling.LANCZOS)
        image.save(output_file, format="PNG", dpi=(float(dpi.x), float(dpi.y)), compress_level=1)
    return output_file


class ConfidenceTesseract(TesseractOcrEngine):
    """Tesseract through OCRmyPDF, recording each page's mean word confidence."""

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options):
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        folder = _extra(options, CONFIDENCE_DIR)
        number = _PAGENO.match(Path(output_hocr).name)
        if folder and number:
            conf, _ = mean_confidence(Path(output_hocr).read_bytes())
            Path(folder, f"{int(number.group(1))}.conf").write_text("" if conf is None else f"{conf:.2f}")


@hookimpl
def get_ocr_engine(options):
    return ConfidenceTesseract()
