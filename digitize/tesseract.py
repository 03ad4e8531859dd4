"""Tesseract, all of it: the ``tesseract`` program, its library inside the process, and OSD.

Nothing else in digitize calls Tesseract; ``stages.ocr.TesseractEngine`` reads pages through
this module and ``imaging.orientation`` gets its OSD and word confidences from here
(``stages.ocrmypdf_plugin`` extends OCRmyPDF's own Tesseract engine, which OCRmyPDF runs).

The program (through pytesseract): ``check_tesseract``, ``run_program`` (one page: hOCR,
text, invisible-text PDF), ``osd``, ``mean_word_confidence``.

The library (tesserocr): ``library_version``, ``library_languages``, ``library_read``,
``library_osd``.

The library: language models loaded once.
The ``tesseract`` program loads its language models on every call (0.08 s for ``eng``,
0.13 s for ``ind+eng`` here) and is the Debian 12 build (5.3.0). tesserocr's wheel
carries Tesseract 5.5.4 and reads the same tessdata files; on this machine it read a
300-dpi page with the same three outputs (hOCR, text, invisible-text PDF) in 1.8 s
where the program took 2.4 s, and ran OSD on a downscaled page in 0.03-0.1 s where the
program took 0.17-0.4 s, with the same answers. Each worker process keeps one API per
language set, and one for OSD.

The outputs are the program's: ``ProcessPages`` runs Tesseract's own renderers, so
``textlayer`` parses and lays them over the scan the same way whichever runs.
Leptonica and Tesseract print diagnostics on file descriptor 2; they are kept off the
terminal and returned with a failure.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract
import pytesseract.pytesseract
from PIL import Image

from digitize import external
from digitize.errors import DocumentError, MissingDependencyError
from digitize.i18n import _
from digitize.imaging import orientation

_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


# --- the program ---------------------------------------------------------------------------

def tesseract_version() -> str:
    out = external.run([external.require("tesseract"), "--version"], timeout=60)
    text = (out.stdout or out.stderr).decode("utf-8", "replace")
    return text.splitlines()[0].strip() if text else "tesseract (unknown version)"


def tesseract_tessdata() -> tuple[str, set[str]]:
    """The folder the ``tesseract`` program reads its language models from, and the languages there."""
    out = external.run([external.require("tesseract"), "--list-langs"], timeout=60)
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
                _("Tesseract language pack '{code}' is not installed: run "
                  "`sudo apt-get install tesseract-ocr-{package}` "
                  "(installed: {installed}).").format(code=code, package=code.replace("_", "-").lower(),
                                                      installed=", ".join(sorted(have)) or _("none"))
            )
    return version, folder


def run_program(image: Path, out_base: Path, lang: str, timeout: float, label: str = "") -> None:
    """OCR one page image with the ``tesseract`` program (one process per page); ``out_base``
    + ``.hocr``, ``.txt`` and ``.pdf`` (text only) are written. ``library_read`` writes the
    same three files with Tesseract's library, without loading the models again."""
    try:
        pytesseract.pytesseract.run_tesseract(str(image), str(out_base), "hocr txt pdf", lang,
                                              config="-c textonly_pdf=1", timeout=timeout)
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError(_("`tesseract` is not installed; run `make install`.")) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise DocumentError(
            "ocr-timeout", _("{file}: Tesseract took longer than {timeout:g} s on one page (ocr.timeout); "
                             "check the scan or raise the limit.").format(file=label, timeout=timeout)) from exc
    except pytesseract.TesseractError as exc:
        raise DocumentError("ocr-failed", _("{file}: Tesseract failed ({error}).")
                            .format(file=label, error=exc.message.strip())) from exc


def osd(gray: np.ndarray, dpi: float, timeout: float = 60,
        detect: Callable[[np.ndarray, float], tuple[int, float] | None] | None = None) -> tuple[int, float] | None:
    """Tesseract OSD: (degrees to turn clockwise, confidence), or None when it cannot tell.

    Scaled to ``imaging.orientation.OSD_DPI`` first.

    ``detect(small, dpi)`` runs OSD on the downscaled page (Tesseract's library, already
    loaded); without it the ``tesseract`` program runs."""
    small = orientation.scaled(gray, dpi, orientation.OSD_DPI)
    if detect is not None:
        return detect(small, orientation.OSD_DPI)
    try:
        text = pytesseract.image_to_osd(small, config="--psm 0 -c min_characters_to_try=20",
                                        timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError):
        return None  # too few characters, or Tesseract gave up
    rotate_m, conf_m = _ROTATE.search(text), _CONF.search(text)
    if not rotate_m or not conf_m:
        return None
    return int(rotate_m.group(1)) % 360, float(conf_m.group(1))


def mean_word_confidence(gray: np.ndarray, lang: str, timeout: float = 60) -> float:
    """Mean confidence of the words Tesseract finds (0 when it finds none)."""
    try:
        data = pytesseract.image_to_data(gray, lang=lang, config="--psm 6", timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, RuntimeError):
        return 0.0
    confs = [float(c) for c, t in zip(data["conf"], data["text"], strict=False) if float(c) >= 0 and t.strip()]
    return sum(confs) / len(confs) if confs else 0.0


# --- the library -------------------------------------------------------------------------

_APIS: dict[tuple[str, str], Any] = {}  # (tessdata, lang or "osd") -> PyTessBaseAPI, per process
_READ_VARIABLES = [(name, "1") for name in  # Tesseract's own renderers: hOCR, text, invisible-text PDF
                   ("tessedit_create_hocr", "tessedit_create_txt", "tessedit_create_pdf", "textonly_pdf")]
_OSD_VARIABLES = [("min_characters_to_try", "20")]


def library_version() -> str:
    """Version of the Tesseract library tesserocr carries (``tesseract 5.5.4``)."""
    tesserocr = _import()
    return tesserocr.tesseract_version().splitlines()[0].strip()


def library_languages(tessdata: str) -> list[str]:
    return list(_import().get_languages(_as_dir(tessdata))[1])


def library_read(image: Path, out_base: Path, lang: str, tessdata: str, timeout: float, label: str = "") -> None:
    """OCR one page image; ``out_base`` + ``.hocr``, ``.txt`` and ``.pdf`` (text only) are written."""
    api = _api(tessdata, lang)
    start = time.perf_counter()
    with _stderr_kept() as messages:
        ok = api.ProcessPages(str(out_base), str(image), timeout=int(timeout * 1000))
    if ok:
        return
    if time.perf_counter() - start >= timeout:
        raise DocumentError(
            "ocr-timeout", _("{file}: Tesseract took longer than {timeout:g} s on one page (ocr.timeout); "
                             "check the scan or raise the limit.").format(file=label, timeout=timeout))
    detail = "; ".join(line for line in messages[0].splitlines()[-3:] if line.strip()) or _("no message")
    raise DocumentError("ocr-failed", _("{file}: Tesseract failed ({error}).").format(file=label, error=detail))


def library_osd(tessdata: str, small: np.ndarray, dpi: float) -> tuple[int, float] | None:
    """Tesseract OSD on a (downscaled) page: (degrees to turn clockwise, confidence), or None."""
    api = _api(tessdata, "osd")
    with _stderr_kept():
        api.SetImage(Image.fromarray(small))
        api.SetSourceResolution(int(round(dpi)))
        found = api.DetectOrientationScript()
    if not found:
        return None  # too few characters
    return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])  # it reports how the page lies


def _import():
    try:
        import tesserocr
    except ImportError as exc:  # a platform without a tesserocr wheel
        raise MissingDependencyError(
            _("the Python package tesserocr cannot be loaded ({error}); run `make install`, "
              "or set ocr.in_process = false to run the tesseract program instead.").format(error=exc)) from exc
    return tesserocr


def _as_dir(tessdata: str) -> str:
    return tessdata if tessdata.endswith("/") else tessdata + "/"


def _api(tessdata: str, lang: str):
    """This process's API for ``lang`` (``"osd"``: orientation only), loaded on first use."""
    key = (tessdata, lang)
    api = _APIS.get(key)
    if api is None:
        tesserocr = _import()
        osd_only = lang == "osd"
        try:
            with _stderr_kept():
                api = tesserocr.PyTessBaseAPI(path=_as_dir(tessdata), lang=lang,
                                              psm=tesserocr.PSM.OSD_ONLY if osd_only else tesserocr.PSM.AUTO)
        except RuntimeError as exc:
            if osd_only:
                message = _("Tesseract cannot load '{lang}' from {folder} ({error}); install tesseract-ocr-osd "
                            "(`make install`) or set ocr.tessdata to the folder that holds them.")
            else:
                message = _("Tesseract cannot load '{lang}' from {folder} ({error}); install the language packs "
                            "(`make install`) or set ocr.tessdata to the folder that holds them.")
            raise MissingDependencyError(message.format(lang=lang, folder=tessdata, error=exc)) from exc
        for name, value in (_OSD_VARIABLES if osd_only else _READ_VARIABLES):
            api.SetVariable(name, value)
        _APIS[key] = api
    return api


@contextmanager
def _stderr_kept() -> Iterator[list[str]]:
    """Send what native code writes on file descriptor 2 to a scratch file; yield its text after."""
    found = [""]
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield found
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            found[0] = sink.read().decode("utf-8", "replace")
