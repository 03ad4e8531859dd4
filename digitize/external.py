"""One thin wrapper for the external programs digitize runs.

Argument lists only, never shell strings. A missing program raises
``MissingDependencyError`` with the package that provides it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from digitize.errors import MissingDependencyError
from digitize.i18n import _

# program -> Debian package that provides it
PACKAGES = {
    "tesseract": "tesseract-ocr",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "gs": "ghostscript",
    "unpaper": "unpaper",
    "qpdf": "qpdf",
}


def install_hint(program: str) -> str:
    package = PACKAGES.get(program, program)
    return _("install it with `sudo apt-get install {package}` (or run `make install`)").format(package=package)


def require(program: str) -> str:
    """Return the program's full path, or raise a missing-dependency error."""
    found = shutil.which(program)
    if not found:
        raise MissingDependencyError(_("`{program}` was not found on PATH: {hint}.").format(
            program=program, hint=install_hint(program)))
    return found


def run(argv: list[str | Path], timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a program with an argument list; raise ``subprocess.CalledProcessError`` on failure."""
    args = [str(a) for a in argv]
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=True)
    except FileNotFoundError as exc:
        raise MissingDependencyError(
            _("`{program}` was not found on PATH: {hint}.").format(program=args[0], hint=install_hint(args[0]))
        ) from exc



def pdf_page_texts(pdf: Path, count: int | None = None, timeout: float = 300) -> list[str]:
    """Text of every page of a PDF (poppler's pdftotext), one string per page.

    pdftotext ends every page with a form feed; a page whose own text holds one would shift
    every later page, so when ``count`` (the PDF's page count) is given and the split does not
    match it, each page is read on its own."""
    pages = _pdftotext(pdf, [], timeout).split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()
    if count is not None and len(pages) != count:
        pages = [_pdftotext(pdf, ["-f", str(n), "-l", str(n)], timeout).removesuffix("\f") for n in
                 range(1, count + 1)]
    return pages


def _pdftotext(pdf: Path, pages: list[str], timeout: float) -> str:
    out = run([require("pdftotext"), "-enc", "UTF-8", *pages, str(pdf), "-"], timeout=timeout)
    return out.stdout.decode("utf-8", "replace")
