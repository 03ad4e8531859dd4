"""Tesseract's library in the worker and the tesseract program: same outputs, clear failures.

Real Tesseract on a real sample page (about a second each).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from digitize import tesseract
from digitize.errors import DocumentError, MissingDependencyError
from digitize.settings import OcrSettings
from digitize.stages import textlayer
from digitize.stages.ocr import TesseractEngine
from tests.conftest import CORPUS, SAMPLES

pytestmark = pytest.mark.slow
PAGE = SAMPLES / "nota-dinas-clean.png"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    found = TesseractEngine()
    found.check(OcrSettings(lang="ind+eng"))
    return found


def test_library_and_program_read_a_page_alike(engine, tmp_path):
    lib = engine.read_page(PAGE, tmp_path / "lib", OcrSettings(lang="ind+eng"), "nota")
    prog = engine.read_page(PAGE, tmp_path / "prog", OcrSettings(lang="ind+eng", in_process=False), "nota")
    for reading in (lib, prog):
        assert reading.words >= 80 and reading.confidence > 80
        assert {"nota", "dinas", "kepada"} <= set(words(reading.text))
        with pikepdf.open(reading.pdf) as pdf:  # Tesseract's invisible-text page, ready to overlay
            assert len(pdf.pages) == 1
    same = set(words(lib.text)) & set(words(prog.text))
    assert len(same) >= 0.9 * len(set(words(prog.text)))  # Tesseract 5.5 (library) and 5.3 (Debian's program)


def test_the_models_are_loaded_once_per_process(engine, tmp_path, monkeypatch):
    """Every page after the first reuses the process's loaded API: no model loading per page."""
    made = []
    real = tesseract._import()

    class Counting:
        PSM = real.PSM

        def __getattr__(self, name):
            return getattr(real, name)

        def PyTessBaseAPI(self, *args, **kwargs):  # noqa: N802 - tesserocr's name
            made.append(kwargs.get("lang"))
            return real.PyTessBaseAPI(*args, **kwargs)

    monkeypatch.setattr(tesseract, "_APIS", {})
    monkeypatch.setattr(tesseract, "_import", lambda: Counting())
    readings = [engine.read_page(PAGE, tmp_path / f"p{n}", OcrSettings(lang="ind+eng"), "nota") for n in range(3)]
    assert made == ["ind+eng"]
    assert [r.words for r in readings] == [readings[0].words] * 3 and readings[0].words >= 80


def test_check_names_the_library_version_and_the_program(engine):
    info = engine.check(OcrSettings(lang="ind+eng"))
    assert info["tesseract"].startswith("tesseract 5.")
    assert info["tesseract_program"].startswith("tesseract")
    assert engine.tessdata and Path(engine.tessdata).is_dir()


def test_a_file_tesseract_cannot_read_fails_that_page_and_keeps_the_terminal_clean(engine, tmp_path, capfd):
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00 this is not really a TIFF")
    with pytest.raises(DocumentError) as caught:
        engine.read_page(broken, tmp_path / "out", OcrSettings(lang="ind+eng"), "broken.tif")
    assert caught.value.reason == "ocr-failed"
    assert str(caught.value).startswith("broken.tif: Tesseract failed (")
    assert capfd.readouterr().err == ""  # Leptonica's complaints are in the message, not on the terminal


def test_language_models_missing_from_the_folder_is_a_missing_dependency(tmp_path):
    with pytest.raises(MissingDependencyError, match=r"ind, eng not found in .*ocr\.tessdata"):
        TesseractEngine().check(OcrSettings(lang="ind+eng", tessdata=str(tmp_path)))


def test_program_mode_does_not_load_the_library(tmp_path, monkeypatch):
    engine = TesseractEngine()
    settings = OcrSettings(lang="eng", in_process=False)
    engine.check(settings)

    def refuse(*args, **kwargs):
        raise AssertionError("the library was used although ocr.in_process is false")

    monkeypatch.setattr(tesseract, "library_read", refuse)
    reading = engine.read_page(PAGE, tmp_path / "p", settings, "nota")
    assert isinstance(reading, textlayer.PageText) and reading.words > 50


@pytest.mark.parametrize("in_process", [True, False], ids=["library", "program"])
def test_a_page_over_the_time_limit_fails_alone_and_the_next_is_read(engine, tmp_path, in_process):
    big = CORPUS / "tesseract-test" / "8071_093.3B.tif"  # about 2 s to read
    if not big.is_file():
        big = SAMPLES / "laporan-multipage.tif"
    with pytest.raises(DocumentError) as caught:
        engine.read_page(big, tmp_path / "slow", OcrSettings(lang="ind+eng", timeout=0.2, in_process=in_process),
                         "big.tif")
    assert caught.value.reason == "ocr-timeout"
    assert "longer than 0.2 s on one page (ocr.timeout)" in str(caught.value)
    next_page = engine.read_page(PAGE, tmp_path / "next", OcrSettings(lang="ind+eng", in_process=in_process), "nota")
    assert next_page.words >= 80
