"""The scan formats digitize reads, by file-name extension: the one table of them."""

from __future__ import annotations

EXTENSION_KINDS = {
    ".pdf": "pdf", ".tif": "tiff", ".tiff": "tiff", ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg",
    ".png": "png", ".bmp": "bmp", ".webp": "webp", ".heic": "heif", ".heif": "heif",
}
SCAN_EXTENSIONS = tuple(EXTENSION_KINDS)
