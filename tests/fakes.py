"""A fake OCR engine: no Tesseract, canned text per source file. Picklable, so it
also runs in the process pool."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pikepdf

from digitize.errors import DocumentError
from digitize.stages.ocr import OcrEngine, OcrOutput


class FakeEngine(OcrEngine):
    name = "fake"

    def __init__(self, texts: dict[str, list[str]] | None = None, fail: dict[str, str] | None = None,
                 crash: set[str] | None = None, delay: float = 0.0, started: str | None = None):
        self.texts = texts or {}
        self.fail = fail or {}  # label -> reason: simulate an OCR failure on that file
        self.crash = crash or set()  # labels on which native code "crashes": the worker process dies
        self.delay = delay  # seconds each document takes: a slow engine, to interrupt a running batch
        self.started = started  # a folder: each document's OCR, as it starts, leaves a file named by its label

    def check(self, settings) -> dict[str, str]:
        return {"engine": "fake"}

    def make_searchable(self, prepared, output_pdf: Path, settings, label):
        if self.started:
            (Path(self.started) / Path(label).name).touch()
        if self.delay:
            time.sleep(self.delay)
        if label in self.crash:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
        if label in self.fail:
            raise DocumentError(self.fail[label], f"{label}: fake OCR failure")
        with pikepdf.open(prepared.ocr_input) as pdf:
            count = len(pdf.pages)
        shutil.copyfile(prepared.ocr_input, output_pdf)
        texts = list(self.texts.get(label, []))
        texts += [""] * (count - len(texts))
        return OcrOutput(texts[:count], [90.0] * count)


class FakePageEngine(FakeEngine):
    """A fake that reads single pages (as the Tesseract engine does), so a job's pages become units of
    work of their own. Each reading leaves ``<label>.<page>.<pid>`` in ``readings`` (which process read
    which page); ``fail_pages`` / ``crash_pages``: (label, page) pairs whose reading fails or kills the worker."""

    name = "fake-pages"
    reads_pages = True

    def __init__(self, texts=None, readings: str | None = None, fail_pages=(), crash_pages=(), **kwargs):
        super().__init__(texts, **kwargs)
        self.readings = readings
        self.fail_pages = set(fail_pages)
        self.crash_pages = set(crash_pages)

    def read_page(self, image: Path, out_base: Path, settings, label):
        from digitize.stages import textlayer

        number = int(image.stem.split("-")[1])  # ocr-NNNN[...]: the page's place in the job
        if (label, number) in self.crash_pages:
            os.kill(os.getpid(), signal.SIGKILL)
        if (label, number) in self.fail_pages:
            raise DocumentError("ocr-failed", f"{label}: fake OCR failure on page {number}")
        if self.readings:
            (Path(self.readings) / f"{Path(label).name}.{number}.{os.getpid()}").touch()
        hocr = out_base.with_suffix(".hocr")
        hocr.write_bytes(b"")
        return textlayer.PageText(hocr, f"page {number} text", 95.0, 40)

    def make_searchable(self, prepared, output_pdf: Path, settings, label):
        if any(lab == label for lab, _ in self.crash_pages):  # run again whole: it dies there too
            os.kill(os.getpid(), signal.SIGKILL)
        output = super().make_searchable(prepared, output_pdf, settings, label)
        if prepared.readings and all(prepared.readings):  # read already (as units): their text, in order
            output.texts = [reading.text for reading in prepared.readings]
        return output
