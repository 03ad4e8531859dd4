"""OCR stage: make a searchable PDF/A-2b and return the text of every page.

``TesseractEngine`` drives Tesseract through OCRmyPDF's Python API: the page
images stay as they are and an invisible text layer is laid over them. The text
returned is read back from the output with ``pdftotext``, so it is exactly what
a PDF reader will find.

Engines are chosen by name (``ocr.engine``); tests register fakes.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol

import pikepdf

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.settings import OcrSettings


class OcrEngine(Protocol):
    name: str

    def check(self, settings: OcrSettings) -> dict[str, str]:
        """Raise ``MissingDependencyError`` when the engine cannot run; return version info."""

    def make_searchable(
        self, input_pdf: Path, output_pdf: Path, mode: str, settings: OcrSettings, label: str
    ) -> tuple[list[str], list[str]]:
        """Write a PDF/A to ``output_pdf``; return (text per page, warnings)."""


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_ocrmypdf_warnings() -> Iterator[list[str]]:
    """Keep OCRmyPDF's log lines out of the terminal; hand its warnings back as data."""
    logger = logging.getLogger("ocrmypdf")
    collector = _WarningCollector()
    old_propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = old_propagate


class TesseractEngine:
    name = "tesseract"

    def check(self, settings: OcrSettings) -> dict[str, str]:
        import ocrmypdf

        version = external.check_tesseract(settings.lang)
        external.require("pdftotext")
        external.require("pdftoppm")
        return {"engine": "tesseract", "tesseract": version, "ocrmypdf": ocrmypdf.__version__}

    def make_searchable(
        self, input_pdf: Path, output_pdf: Path, mode: str, settings: OcrSettings, label: str
    ) -> tuple[list[str], list[str]]:
        import ocrmypdf
        from ocrmypdf import exceptions as ox

        sidecar = output_pdf.with_suffix(".sidecar.txt")
        try:
            with _collect_ocrmypdf_warnings() as warnings:
                ocrmypdf.ocr(
                    input_pdf,
                    output_pdf,
                    language=[code for code in settings.lang.split("+") if code],
                    output_type="pdfa-2",
                    pdfa_backend=settings.pdfa_backend,
                    mode="skip" if mode == "skip-text" else "default",
                    jobs=1,
                    optimize=0,
                    progress_bar=False,
                    tesseract_timeout=settings.timeout,
                    sidecar=sidecar,
                )
        except ox.MissingDependencyError as exc:
            raise MissingDependencyError(f"OCRmyPDF cannot run: {exc}".strip()) from exc
        except ox.EncryptedPdfError as exc:
            raise DocumentError(
                "encrypted", f"{label}: PDF is encrypted; remove the password and ingest the copy."
            ) from exc
        except ox.ExitCodeException as exc:
            raise DocumentError(
                "ocr-failed", f"{label}: OCR failed ({type(exc).__name__}: {exc}).".replace("\n", " ")
            ) from exc
        with pikepdf.open(output_pdf) as pdf:
            count = len(pdf.pages)
        texts = sidecar.read_text(encoding="utf-8").split("\f")  # a form feed after every page
        if len(texts) == count + 1 and not texts[-1].strip():
            texts.pop()
        return texts, list(warnings)


_ENGINES: dict[str, type] = {"tesseract": TesseractEngine}


def register_engine(name: str, factory: type) -> None:
    """Make an engine selectable by ``ocr.engine = name`` (used by tests for fakes)."""
    _ENGINES[name] = factory


def get_engine(name: str) -> OcrEngine:
    from digitize.errors import ConfigError

    try:
        return _ENGINES[name]()
    except KeyError:
        raise ConfigError(
            f"Unknown OCR engine '{name}' in ocr.engine; available: {', '.join(sorted(_ENGINES))}."
        ) from None
