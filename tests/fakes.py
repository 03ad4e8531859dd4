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
