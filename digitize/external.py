"""One thin wrapper for the external programs digitize runs.

Argument lists only, never shell strings. A missing program raises
``MissingDependencyError`` with the package that provides it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from digitize.errors import MissingDependencyError

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
    return f"install it with `sudo apt-get install {package}` (or run `make install`)"


def require(program: str) -> str:
    """Return the program's full path, or raise a missing-dependency error."""
    found = shutil.which(program)
    if not found:
        raise MissingDependencyError(f"`{program}` was not found on PATH: {install_hint(program)}.")
    return found


def run(argv: list[str | Path], timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a program with an argument list; raise ``subprocess.CalledProcessError`` on failure."""
    args = [str(a) for a in argv]
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=True)
    except FileNotFoundError as exc:
        raise MissingDependencyError(
            f"`{args[0]}` was not found on PATH: {install_hint(args[0])}."
        ) from exc


def tesseract_version() -> str:
    out = run([require("tesseract"), "--version"], timeout=60)
    text = (out.stdout or out.stderr).decode("utf-8", "replace")
    return text.splitlines()[0].strip() if text else "tesseract (unknown version)"


def tesseract_tessdata() -> tuple[str, set[str]]:
    """The folder the ``tesseract`` program reads its language models from, and the languages there."""
    out = run([require("tesseract"), "--list-langs"], timeout=60)
    lines = (out.stdout + out.stderr).decode("utf-8", "replace").splitlines()
    folder = re.search(r'"([^"]+)"', lines[0]) if lines else None
    langs = {line.strip() for line in lines[1:] if line.strip() and " " not in line.strip()}
    return (folder.group(1) if folder else ""), langs


def check_tesseract(lang: str) -> tuple[str, str]:
    """Check that Tesseract and every language pack in ``lang`` (``ind+eng``) are installed.

    Returns the program's version and the folder its language models are in."""
    version = tesseract_version()
    folder, have = tesseract_tessdata()
    for code in [c for c in lang.split("+") if c]:
        if code not in have:
            raise MissingDependencyError(
                f"Tesseract language pack '{code}' is not installed: run "
                f"`sudo apt-get install tesseract-ocr-{code.replace('_', '-').lower()}` "
                f"(installed: {', '.join(sorted(have)) or 'none'})."
            )
    return version, folder


def pdf_page_texts(pdf: Path, timeout: float = 300) -> list[str]:
    """Text of every page of a PDF (poppler's pdftotext), one string per page."""
    out = run([require("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], timeout=timeout)
    pages = out.stdout.decode("utf-8", "replace").split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()  # pdftotext ends every page with a form feed
    return pages
