"""How many pages an input file holds, read from its header: for the progress bar's pages planned."""

from __future__ import annotations

from digitize.models import SourceFile


def page_count(source: SourceFile) -> int | None:
    """The pages of ``source``: a PDF's page tree, a TIFF's frames, 1 for any other image; None when
    the file cannot tell (damaged, encrypted: the worker that reads it says why). The file is only
    opened for reading, and neither decoded nor copied."""
    try:
        if source.kind == "pdf":
            import pikepdf

            with pikepdf.open(source.path) as pdf:
                return len(pdf.pages)
        if source.kind == "tiff":
            from PIL import Image

            with Image.open(source.path) as img:
                return int(getattr(img, "n_frames", 1))
    except Exception:  # noqa: BLE001 - any reason it cannot be read is the worker's to report
        return None
    return 1
