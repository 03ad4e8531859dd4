"""OCR stage: make a searchable PDF/A-2b and return the text of every page.

Two engines, chosen by name (``ocr.engine``); tests register fakes:

* ``tesseract`` (default): pages digitize prepared are read by Tesseract one call
  each (hOCR, text and an invisible-text page together; Tesseract's library inside the
  worker, ``digitize.tesseract``, or the program with ``ocr.in_process = false``), and ``textlayer`` lays that
  text over the scan; a PDF that already has text goes through OCRmyPDF, which keeps
  that text and OCRs only the pages without it;
* ``ocrmypdf``: every document goes through ``ocrmypdf.ocr`` with digitize's
  plugin, which hands it the prepared page images. The same kind of output,
  about 0.2 s per document and per page slower.

Page text is Tesseract's own reading order (its text output, or OCRmyPDF's sidecar).
"""

from __future__ import annotations

import functools
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pikepdf

from digitize import external, tesseract
from digitize.errors import DocumentError, MissingDependencyError
from digitize.i18n import N_, _
from digitize.settings import OcrSettings
from digitize.stages import textlayer
from digitize.stages.pages import PreparedDocument

# The notice of a document kept as plain PDF; ``digitize.verify`` knows it by its words "not PDF/A"
# (and their translation, "bukan PDF/A"), in whichever language its sidecar was written.
NOT_PDFA_NOTICE = N_("archived as PDF, not PDF/A: its text uses fonts that are not embedded and "
                     "could not be embedded (that needs Ghostscript 10.02.1 or later)")


class OcrEngine(ABC):
    """What the pipeline asks of an OCR engine. A new engine subclasses this and is added to ``ENGINES``.

    Every engine checks that it can run and makes a searchable PDF/A of a prepared document.
    An engine that can read one prepared page at a time says so with ``reads_pages = True``
    and implements ``read_page``: page preparation then reads pages ahead to settle their
    orientation, and the OCR stage reuses those readings. ``osd`` (orientation and script
    detection) returns None when the engine has none: preparation then decides from the page
    image alone.
    """

    name: ClassVar[str]
    reads_pages: ClassVar[bool] = False

    @abstractmethod
    def check(self, settings: OcrSettings) -> dict[str, str]:
        """Raise ``MissingDependencyError`` when the engine cannot run; return version info."""

    @abstractmethod
    def make_searchable(
        self, prepared: PreparedDocument, output_pdf: Path, settings: OcrSettings, label: str
    ) -> OcrOutput:
        """Write a PDF/A to ``output_pdf``; return the text and confidence of every page."""

    def read_page(self, image: Path, out_base: Path, settings: OcrSettings, label: str) -> textlayer.PageText:
        """OCR one prepared page image (only when ``reads_pages``)."""
        raise NotImplementedError(f"the {self.name} engine does not read single pages")

    def osd(self, gray: np.ndarray, dpi: float, settings: OcrSettings) -> tuple[int, float] | None:
        """(degrees to turn the page clockwise, confidence), or None when the engine cannot tell."""
        return None


@dataclass
class OcrOutput:
    texts: list[str]
    confidences: list[float | None]  # mean word confidence per page, None where not OCR'd
    warnings: list[str] = field(default_factory=list)  # the engine's own remarks (metadata only)
    notices: list[str] = field(default_factory=list)  # what the user should know (run summary too)
    unsure: list[frozenset[str]] = field(default_factory=list)  # per page: words read with low confidence


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


class TesseractEngine(OcrEngine):
    name = "tesseract"
    reads_pages = True  # ``read_page`` reads one prepared page: preparation may read ahead to settle orientation

    def __init__(self) -> None:
        self.tessdata = ""  # found by ``check`` (in the parent), used by the library in the workers

    def check(self, settings: OcrSettings) -> dict[str, str]:
        import ocrmypdf

        # the program: OSD and reading with ocr.in_process = false, PDFs with text through OCRmyPDF
        version, folder = tesseract.check_tesseract(settings.lang)
        external.require("pdftotext")
        external.require("pdftoppm")
        info = {"engine": self.name, "tesseract": version, "ocrmypdf": ocrmypdf.__version__}
        if settings.in_process and self.reads_pages:
            self.tessdata = settings.tessdata or folder
            if settings.tessdata:  # not the program's folder, which check_tesseract has looked in
                have = tesseract.library_languages(self.tessdata)
                missing = [code for code in settings.lang.split("+") if code and code not in have]
                if missing:
                    raise MissingDependencyError(
                        _("Tesseract language pack(s) {packs} not found in {folder}; "
                          "install them (`make install`) or set ocr.tessdata to the folder that holds them.")
                        .format(packs=", ".join(missing), folder=self.tessdata))
            info.update(tesseract=tesseract.library_version(), tesseract_program=version)
        return info

    def _library(self, settings: OcrSettings) -> bool:
        """Whether Tesseract's library (loaded in this process) reads, rather than the program."""
        return settings.in_process and bool(self.tessdata)

    def read_page(self, image: Path, out_base: Path, settings: OcrSettings, label: str) -> textlayer.PageText:
        """OCR one prepared page image (also used by page preparation to check orientation)."""
        if self._library(settings):
            tesseract.library_read(image, out_base, settings.lang, self.tessdata, settings.timeout, label)
        else:
            tesseract.run_program(image, out_base, settings.lang, settings.timeout, label)
        return textlayer.page_text(out_base)

    def osd(self, gray: np.ndarray, dpi: float, settings: OcrSettings) -> tuple[int, float] | None:
        """Tesseract OSD on a page: (degrees to turn clockwise, confidence), or None."""
        detect = functools.partial(tesseract.library_osd, self.tessdata) if self._library(settings) else None
        return tesseract.osd(gray, dpi, detect=detect)

    def make_searchable(
        self, prepared: PreparedDocument, output_pdf: Path, settings: OcrSettings, label: str
    ) -> OcrOutput:
        if prepared.mode != "images":
            return ocrmypdf_searchable(prepared, output_pdf, settings, label)
        work = output_pdf.parent / "ocr"
        work.mkdir(exist_ok=True)
        known = prepared.readings or [None] * len(prepared.pages)
        readings: list[textlayer.PageText | None] = []
        for page, image, reading in zip(prepared.pages, prepared.ocr_images, known, strict=True):
            if reading is None and image and not page.blank:  # blank pages are kept, not OCR'd
                reading = self.read_page(Path(image), work / f"page-{page.number:04d}", settings, label)
            readings.append(None if page.blank else reading)
        textlayer.write_pdfa(prepared.ocr_input, readings, output_pdf, settings.pdfa_part, label)
        return OcrOutput([r.text if r else "" for r in readings], [r.confidence if r else None for r in readings],
                         unsure=[r.unsure if r else frozenset() for r in readings])


class OcrmypdfEngine(TesseractEngine):
    """Every document through ``ocrmypdf.ocr`` (slower; kept for comparison and as a fallback)."""

    name = "ocrmypdf"
    reads_pages = False  # OCRmyPDF reads every page itself: preparation must not read pages ahead

    def make_searchable(
        self, prepared: PreparedDocument, output_pdf: Path, settings: OcrSettings, label: str
    ) -> OcrOutput:
        return ocrmypdf_searchable(prepared, output_pdf, settings, label)


def ocrmypdf_searchable(prepared: PreparedDocument, output_pdf: Path, settings: OcrSettings,
                        label: str) -> OcrOutput:
    """OCRmyPDF makes the PDF/A; prepared page images reach it through digitize's plugin."""
    from ocrmypdf import exceptions as ox

    sidecar = output_pdf.with_suffix(".sidecar.txt")
    conf_dir = output_pdf.parent / "confidence"
    conf_dir.mkdir(exist_ok=True)
    to_ocr = [p.number for p in prepared.pages if not p.blank and p.origin != "pdf-text"]
    options = _ocrmypdf_options(prepared, settings, sidecar, conf_dir, to_ocr)
    warnings: list[str] = []
    notices: list[str] = []
    try:
        try:
            _run_ocrmypdf_pdfa(prepared, output_pdf, settings, options, warnings)
        except (ox.PdfaConversionFailedError, ox.MissingDependencyError) as exc:
            if not _can_fall_back_to_pdf(prepared, settings, exc):
                raise
            _run_ocrmypdf(prepared.ocr_input, output_pdf, dict(options, output_type="pdf"), warnings)
            notices.append(_(NOT_PDFA_NOTICE))
    except ox.MissingDependencyError as exc:
        raise MissingDependencyError(_("OCRmyPDF cannot run: {error}").format(error=exc).strip()) from exc
    except ox.EncryptedPdfError as exc:
        raise DocumentError(
            "encrypted", _("{file}: PDF is encrypted; remove the password and ingest the copy.").format(file=label)
        ) from exc
    except ox.ExitCodeException as exc:
        raise DocumentError(
            "ocr-failed", _("{file}: OCR failed ({error}).").format(file=label, error=f"{type(exc).__name__}: {exc}")
            .replace("\n", " ")
        ) from exc
    texts, confidences = _ocrmypdf_results(output_pdf, sidecar, conf_dir, prepared, to_ocr)
    return OcrOutput(texts, confidences, list(warnings), notices)


def _ocrmypdf_options(prepared: PreparedDocument, settings: OcrSettings, sidecar: Path, conf_dir: Path,
                      to_ocr: list[int]) -> dict[str, Any]:
    from digitize.stages import ocrmypdf_plugin

    options: dict[str, Any] = dict(
        language=[code for code in settings.lang.split("+") if code],
        pdfa_backend=settings.pdfa_backend,
        mode="skip" if prepared.mode == "skip-text" else "default",
        jobs=1,
        use_threads=True,  # already in a worker process: no second process pool
        optimize=0,
        progress_bar=False,
        tesseract_timeout=settings.timeout,
        sidecar=sidecar,
        oversample=prepared.oversample,
        plugins=[ocrmypdf_plugin.__file__],
        digitize_ocr_images=prepared.ocr_images,
        digitize_confidence_dir=str(conf_dir),
    )
    if to_ocr and len(to_ocr) < len(prepared.pages) and prepared.mode == "images":
        options["pages"] = ",".join(str(n) for n in to_ocr)  # blank pages are kept, not OCR'd
    return options


def _run_ocrmypdf_pdfa(prepared: PreparedDocument, output_pdf: Path, settings: OcrSettings,
                       options: dict[str, Any], warnings: list[str]) -> None:
    """OCRmyPDF's PDF/A. With ``pdfa_backend = "auto"``, OCRmyPDF refuses a PDF that has text when the
    Ghostscript it would fall back to is 10.0.0-10.02.0 (Debian 12), before it tries its own conversion:
    such a PDF asks for that conversion alone (``internal``; it validates what it writes, and fails
    when fonts are not embedded), decided before the run rather than after a refused one."""
    backend = settings.pdfa_backend
    if prepared.mode == "skip-text" and backend == "auto" and _ghostscript_refuses_text_pdfs(settings):
        backend = "internal"
    _run_ocrmypdf(prepared.ocr_input, output_pdf,
                  dict(options, output_type=f"pdfa-{settings.pdfa_part}", pdfa_backend=backend), warnings)


def _run_ocrmypdf(input_pdf: Any, output_pdf: Path, options: dict[str, Any], warnings: list[str]) -> None:
    import ocrmypdf

    with _collect_ocrmypdf_warnings() as messages:
        try:
            ocrmypdf.ocr(input_pdf, output_pdf, **options)
        finally:
            warnings += messages


def _can_fall_back_to_pdf(prepared: PreparedDocument, settings: OcrSettings, exc: Exception) -> bool:
    """A born-digital PDF whose fonts are not embedded cannot become PDF/A without Ghostscript
    embedding them, and OCRmyPDF refuses Ghostscript 10.0.0-10.02.0 (Debian 12) on PDFs with
    text: such a document is kept as a plain PDF, and the user told."""
    from ocrmypdf import exceptions as ox

    if prepared.mode != "skip-text":
        return False
    return not isinstance(exc, ox.MissingDependencyError) or _ghostscript_refuses_text_pdfs(settings)


def _ocrmypdf_results(output_pdf: Path, sidecar: Path, conf_dir: Path, prepared: PreparedDocument,
                      to_ocr: list[int]) -> tuple[list[str], list[float | None]]:
    """The text (OCRmyPDF's sidecar) and mean word confidence (digitize's plugin) of every page.

    Pages OCRmyPDF did not OCR get no text here: the pipeline keeps the text their own layer has."""
    with pikepdf.open(output_pdf) as pdf:
        count = len(pdf.pages)
    texts = sidecar_pages(sidecar.read_text(encoding="utf-8"), count)
    skipped = {p.number for p in prepared.pages} - set(to_ocr)
    texts = ["" if n in skipped else t for n, t in enumerate(texts, start=1)]
    confidences: list[float | None] = []
    for n in range(1, count + 1):
        path = conf_dir / f"{n}.conf"
        value = path.read_text().strip() if path.exists() else ""
        confidences.append(float(value) if value else None)
    return texts, confidences


_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")


def sidecar_pages(sidecar: str, count: int) -> list[str]:
    """OCRmyPDF's sidecar text, one string per page.

    A form feed separates pages, but a run of pages OCRmyPDF did not OCR is one placeholder,
    ``[OCR skipped on page(s) 1-4]`` (``merge_sidecars``): a PDF with text on every page has
    a one-line sidecar whatever its page count. Each skipped page becomes an empty string."""
    pages: list[str] = []
    for chunk in sidecar.split("\f"):
        skipped = _SKIPPED.fullmatch(chunk.strip())
        if skipped:
            first = int(skipped.group(1))
            pages += [""] * (int(skipped.group(2) or first) - first + 1)
        else:
            pages.append(chunk)
    if len(pages) == count + 1 and not pages[-1].strip():
        pages.pop()  # a form feed after the last page
    return pages


def _ghostscript_refuses_text_pdfs(settings: OcrSettings) -> bool:
    """Whether OCRmyPDF refuses this Ghostscript for PDF/A of PDFs that have text (10.0.0 to 10.02.0)."""
    if settings.pdfa_backend == "internal":
        return False
    from ocrmypdf._exec import ghostscript
    from packaging.version import Version

    try:
        return Version("10.0.0") <= ghostscript.version() < Version("10.02.1")
    except Exception:  # noqa: BLE001 - no Ghostscript at all: OCRmyPDF's own error stands
        return False


_ENGINES: dict[str, type[OcrEngine]] = {"tesseract": TesseractEngine, "ocrmypdf": OcrmypdfEngine}


def get_engine(name: str) -> OcrEngine:
    from digitize.errors import ConfigError

    try:
        return _ENGINES[name]()
    except KeyError:
        raise ConfigError(
            _("Unknown OCR engine '{name}' in ocr.engine; available: {engines}.")
            .format(name=name, engines=", ".join(sorted(_ENGINES)))
        ) from None
