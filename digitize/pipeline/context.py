"""What the stages of one job share: the run's context and the job's scratch folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitize.models import SourceFile
from digitize.settings import Settings
from digitize.stages import classify as classify_stage
from digitize.stages.ocr import OcrEngine, get_engine


@dataclass(frozen=True)
class WorkerContext:
    """Everything a worker needs, picklable: settings, the checked engine, the loaded rules and scheme."""

    settings: Settings
    engine: OcrEngine
    rules: classify_stage.RuleSet
    ocr_info: dict[str, str]
    kka: Any = None  # digitize.kka.Scheme
    model_path: Path | None = None  # the archive's trained classifier, loaded once per process
    scratch_root: Path | None = None  # where jobs' scratch folders go (inside the archive); None: the system's
    language: str = "en"  # of the messages a worker writes: the run's, chosen where it started (i18n.active)


def make_context(settings: Settings, engine: OcrEngine | None = None, *,
                 model_path: Path | None = None, scratch_root: Path | None = None) -> WorkerContext:
    """The one way to build a ``WorkerContext``: the engine checked (in this process), rules and scheme loaded."""
    from digitize import i18n, kka

    engine = engine or get_engine(settings.ocr.engine)
    ocr_info = dict(engine.check(settings.ocr), lang=settings.ocr.lang)
    rules = classify_stage.load_rules(settings.classify.rules)
    scheme = kka.load_scheme(settings.classify.kka, settings.classify.kka_scheme)
    return WorkerContext(settings, engine, rules, ocr_info, scheme, model_path, scratch_root, i18n.active())


class Scratch:
    """A job's private scratch folder (mode 0700). It names every file the stages write there and is
    removed when the job ends; with ``ingest.keep_failed_scratch`` a failed job's folder is kept for
    inspection (it holds copies of the scans: delete it when done).

    While the job runs, the folder is also the temp folder of this process and of the programs it
    starts (``TMPDIR``): what OCRmyPDF, Tesseract and Ghostscript write goes there too, so no copy
    of a scan is left outside the archive."""

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="digitize-", dir=parent))
        self._saved = (tempfile.tempdir, os.environ.get("TMPDIR"))
        tempfile.tempdir = str(self.root)
        os.environ["TMPDIR"] = str(self.root)

    @classmethod
    def at(cls, root: Path) -> Scratch:
        """The scratch folder ``root`` another task of the same job made (a fanned-out job's page, or
        its finish), as this process's temp folder while the task runs."""
        scratch = cls.__new__(cls)
        scratch.root = root
        scratch._saved = (tempfile.tempdir, os.environ.get("TMPDIR"))
        tempfile.tempdir = str(root)
        os.environ["TMPDIR"] = str(root)
        return scratch

    def copy_of(self, source: SourceFile) -> Path:
        return self.root / f"source-{source.sha256[:12]}{source.path.suffix.lower()}"

    def document(self, number: int) -> Path:
        """The folder of the job's ``number``-th document (1-based); its PDF is ``out.pdf`` there."""
        folder = self.root / f"doc-{number}"
        folder.mkdir(exist_ok=True)
        return folder

    def close(self, keep: bool = False) -> Path | None:
        """Remove the folder; or keep it and return where it is."""
        tempfile.tempdir, tmpdir = self._saved
        if tmpdir is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = tmpdir
        if keep:
            return self.root
        shutil.rmtree(self.root, ignore_errors=True)
        return None
