"""The visible page: the scan drawn turned on a PDF page."""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import img2pdf
import numpy as np
import pikepdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.imaging import blank, cleanup, orientation, skew
from digitize.models import Page, SourceFile
from digitize.settings import PagesSettings
from digitize.stages import sanitize, separators


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
