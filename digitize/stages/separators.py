"""Separator sheets: a page with a barcode or QR code that starts a new document.

Read with zxing-cpp. A code whose text, upper-cased without spaces or dashes,
is one of ``ingest.separator_values`` (``PATCHT`` by default: the PATCH-T sheet
printed as a Code 39 barcode) is a separator. A code starting with ``DIGITIZE:``
is a separator too, and carries metadata for the next document:
``DIGITIZE:type=surat_keputusan;box=12``. Separator pages are not archived.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

PREFIX = "DIGITIZE:"
_WORK_DPI = 200.0


@dataclass(frozen=True)
class Separator:
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def _normal(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch not in " -_")


def parse_metadata(text: str) -> dict[str, str]:
    body = text[len(PREFIX):]
    pairs = (item.split("=", 1) for item in body.split(";") if "=" in item)
    return {key.strip().lower(): value.strip() for key, value in pairs if key.strip()}


def find_separator(gray: np.ndarray, dpi: float, values: list[str]) -> Separator | None:
    """The separator code on this page, if any."""
    scale = min(1.0, _WORK_DPI / dpi) if dpi > 0 else 1.0
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    wanted = {_normal(v) for v in values}
    for code in zxingcpp.read_barcodes(small):
        text = code.text or ""
        if text.upper().startswith(PREFIX):
            return Separator(text, parse_metadata(text))
        if _normal(text) in wanted:
            return Separator(text)
    return None
