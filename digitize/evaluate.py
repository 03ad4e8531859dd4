"""Measure OCR quality: run scans that have a ground-truth text through the
pipeline's per-document work and score what comes out.

Each file is one job through the worker stages ``ingest`` runs (``digitize.pipeline``:
page preparation, OCR to PDF/A, text per page), on an executor (by default one at a
time in this process, with one Tesseract thread); nothing is written to an archive. Files are not
grouped into documents; if separator sheets split a file, all its pages count. The text of all pages,
joined, is compared with the ground truth (``digitize.textmetrics``: CER and WER
after collapsing whitespace, and the order-independent bag-of-words error).
Per file it also reports what page preparation found on every page (skew,
rotation), the mean OCR confidence and the seconds per page.

Where the ground truth comes from (``find_truths``), for a scan ``NAME.ext``:

* default: ``NAME.txt`` beside the scan;
* ``truth_dir``: ``truth_dir/NAME.txt``;
* ``manifest``: a CSV file with a header row and the columns ``file`` and
  ``truth``; both are paths relative to the CSV's folder (or absolute).

Truth files are UTF-8 text. A file that cannot be processed counts as empty
output (every reference character is an error) and is reported with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize import textmetrics
from digitize.csvrows import read_rows
from digitize.errors import ConfigError, ExitCode
from digitize.i18n import _
from digitize.models import DocumentFailure, Page
from digitize.pipeline.context import make_context
from digitize.pipeline.executor import Executor, SerialExecutor
from digitize.pipeline.files import run_files
from digitize.pipeline.state import JobResult
from digitize.report import NoProgress, Progress
from digitize.settings import Settings
from digitize.stages.discover import Rejected
from digitize.stages.ocr import OcrEngine
from digitize.textmetrics import ErrorCount

MANIFEST_COLUMNS = ("file", "truth")


@dataclass(frozen=True)
class TruthItem:
    """A scan to evaluate and its ground-truth text (all pages, in reading order)."""

    path: Path
    truth: str
    truth_path: Path | None = None  # where the text was read from; None when given in memory

    @property
    def label(self) -> str:
        return str(self.path)


@dataclass
class FileEvaluation:
    """The score of one file. ``text`` is the OCR output (kept out of the JSON)."""

    file: str
    truth_path: str | None
    pages: int = 0
    chars: ErrorCount = field(default_factory=ErrorCount)
    words: ErrorCount = field(default_factory=ErrorCount)
    bow: ErrorCount = field(default_factory=ErrorCount)
    skew_deg: list[float | None] = field(default_factory=list)  # per page; None = not measured
    rotation: list[int | None] = field(default_factory=list)  # per page, degrees clockwise
    confidence: float | None = None  # mean of the pages' OCR confidence, 0-100
    seconds: float = 0.0
    error: str | None = None  # one-line reason when the file could not be processed
    text: str = ""

    @property
    def seconds_per_page(self) -> float | None:
        return self.seconds / self.pages if self.pages else None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "truth": self.truth_path,
            "pages": self.pages,
            **_scores(self),
            "skew_deg": [None if s is None else round(s, 2) for s in self.skew_deg],
            "rotation": list(self.rotation),
            "confidence": None if self.confidence is None else round(self.confidence, 1),
            "seconds": round(self.seconds, 3),
            "seconds_per_page": _round(self.seconds_per_page, 3),
            "error": self.error,
        }


@dataclass
class Evaluation:
    """Scores of every file and the micro-averaged totals."""

    files: list[FileEvaluation]
    ocr_info: dict[str, str] = field(default_factory=dict)

    @property
    def chars(self) -> ErrorCount:
        return textmetrics.total(f.chars for f in self.files)

    @property
    def words(self) -> ErrorCount:
        return textmetrics.total(f.words for f in self.files)

    @property
    def bow(self) -> ErrorCount:
        return textmetrics.total(f.bow for f in self.files)

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    @property
    def seconds(self) -> float:
        return sum(f.seconds for f in self.files if f.pages)

    @property
    def seconds_per_page(self) -> float | None:
        return self.seconds / self.pages if self.pages else None

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.error)

    @property
    def confidence(self) -> float | None:
        """Mean OCR confidence over the files that report one, weighted by pages."""
        rated = [(f.confidence, f.pages) for f in self.files if f.confidence is not None and f.pages]
        weight = sum(n for _unused, n in rated)
        return sum(c * n for c, n in rated) / weight if weight else None

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.failed else ExitCode.OK

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [f.as_json() for f in self.files],
            "overall": {
                "files": len(self.files),
                "failed": self.failed,
                "pages": self.pages,
                "averaging": "micro: sum of edits / sum of reference lengths",
                **_scores(self),
                "confidence": None if self.confidence is None else round(self.confidence, 1),
                "seconds": round(self.seconds, 3),
                "seconds_per_page": _round(self.seconds_per_page, 3),
                "ocr": self.ocr_info,
                "exit_code": self.exit_code,
            },
        }


def _scores(tally) -> dict[str, Any]:
    """CER, WER and bag-of-words error with their counts, for a file or for the whole run."""
    return {
        "cer": _round(tally.chars.rate),
        "wer": _round(tally.words.rate),
        "bow_error": _round(tally.bow.rate),
        "chars": _counts(tally.chars),
        "words": _counts(tally.words),
        "bow_words": _counts(tally.bow),
    }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _counts(count: ErrorCount) -> dict[str, int]:
    return {"edits": count.edits, "reference": count.length}


# --- where the ground truth comes from ------------------------------------------------


def _no_truth(scan: Path, expected: Path, how: str) -> ConfigError:
    if how == "beside":
        message = _("{scan}: no ground truth at {expected}; put its text there (UTF-8), give --truth DIR with a "
                    "folder holding {name}, or list the scan in --manifest CSV (columns file,truth).")
    elif how == "dir":
        message = _("{scan}: no ground truth at {expected}; put its text there (UTF-8) or list the scan in "
                    "--manifest CSV (columns file,truth).")
    else:
        message = _("{scan}: no ground truth at {expected}; fix the `truth` column of the manifest (paths "
                    "relative to it) or create that file.")
    return ConfigError(message.format(scan=scan, expected=expected, name=expected.name))


def read_truth(path: Path, scan: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(_("{scan}: ground truth {path} is not UTF-8 text; save it as UTF-8.")
                          .format(scan=scan, path=path)) from None
    except OSError as exc:
        raise ConfigError(_("{scan}: cannot read ground truth {path} ({error}).")
                          .format(scan=scan, path=path, error=exc.strerror)) from None


def truth_path_for(scan: Path, truth_dir: Path | None = None) -> Path:
    """``NAME.txt`` for ``NAME.ext``: in ``truth_dir`` when given, else beside the scan."""
    name = scan.with_suffix(".txt").name
    return (truth_dir / name) if truth_dir is not None else scan.with_suffix(".txt")


def read_manifest(manifest: Path) -> list[tuple[Path, Path]]:
    """The (scan, truth file) pairs of a manifest CSV, paths resolved against its folder."""
    base = manifest.parent
    pairs = []
    for line, row in read_rows(manifest, MANIFEST_COLUMNS, _("Manifest")):
        if not row.get("file") or not row.get("truth"):
            raise ConfigError(_("Manifest {manifest}, line {line}: both `file` and `truth` must be given.")
                              .format(manifest=manifest, line=line))
        pairs.append((base / row["file"], base / row["truth"]))
    return pairs


def find_truths(
    files: Sequence[Path], *, truth_dir: Path | None = None, manifest: Path | None = None
) -> list[TruthItem]:
    """Pair every scan with its ground truth; raise ``ConfigError`` naming the first scan without.

    With a manifest and no ``files``, every scan the manifest lists is evaluated.
    """
    if truth_dir is not None and manifest is not None:
        raise ConfigError(_("Give the ground truth either as a folder (--truth) or a manifest (--manifest), "
                            "not both."))
    if truth_dir is not None and not truth_dir.is_dir():
        raise ConfigError(_("Ground-truth folder {folder} does not exist: fix --truth.").format(folder=truth_dir))
    if manifest is None:
        pairs = [(scan, truth_path_for(scan, truth_dir)) for scan in files]
    else:
        listed = read_manifest(manifest)
        if not files:
            pairs = listed
        else:
            by_path = {scan.resolve(): truth for scan, truth in listed}
            pairs = []
            for scan in files:
                if scan.resolve() not in by_path:
                    raise ConfigError(
                        _("{scan}: not listed in manifest {manifest}; add a row `{name},TRUTH.txt` "
                          "(paths relative to the manifest).").format(scan=scan, manifest=manifest, name=scan.name)
                    )
                pairs.append((scan, by_path[scan.resolve()]))
    items = []
    for scan, truth in pairs:
        if not scan.is_file():
            raise ConfigError(_("{scan}: scan not found; fix the path (in the manifest: relative to it).")
                              .format(scan=scan))
        if not truth.is_file():
            how = "manifest" if manifest is not None else ("dir" if truth_dir is not None else "beside")
            raise _no_truth(scan, truth, how)
        items.append(TruthItem(scan, read_truth(truth, scan), truth))
    return items


# --- running -------------------------------------------------------------------------


def evaluate(
    items: Sequence[TruthItem],
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """OCR every item (one at a time unless ``executor`` says otherwise) and score it against its truth."""
    ctx = make_context(settings, engine)
    executor = executor or SerialExecutor()
    progress = progress or NoProgress()
    scored: dict[int, FileEvaluation] = {}
    progress.start(len(items))
    try:
        for number, outcome in run_files([(item.path, str(item.path)) for item in items], ctx, executor):
            item = items[number]
            if isinstance(outcome, Rejected):
                result = _score(item, FileEvaluation(item.label, _truth_path(item), error=outcome.message))
            else:
                result = _score(item, _evaluated(item, outcome))
            scored[number] = result
            progress.advance(item.label, "failed" if result.error else "done", result.error or "")
    finally:
        progress.stop()
    return Evaluation([scored[n] for n in range(len(items))], ctx.ocr_info)


def _truth_path(item: TruthItem) -> str | None:
    return None if item.truth_path is None else str(item.truth_path)


def _evaluated(item: TruthItem, outcome: JobResult | DocumentFailure) -> FileEvaluation:
    """What one job made of the file: all its pages, in order, even where separator sheets split it."""
    scored = FileEvaluation(item.label, _truth_path(item))
    if isinstance(outcome, DocumentFailure):
        scored.error = outcome.message
        scored.seconds = sum(outcome.stage_seconds.values())
    else:
        scored.seconds = outcome.seconds
        _fill_pages(scored, [page for doc in outcome.documents for page in doc.pages])
        scored.text = "\f".join(doc.text for doc in outcome.documents)
    return scored


def _score(item: TruthItem, scored: FileEvaluation) -> FileEvaluation:
    scored.chars = textmetrics.char_errors(item.truth, scored.text)
    scored.words = textmetrics.word_errors(item.truth, scored.text)
    scored.bow = textmetrics.bow_errors(item.truth, scored.text)
    return scored


def _fill_pages(scored: FileEvaluation, pages: list[Page]) -> None:
    scored.pages = len(pages)
    scored.skew_deg = [p.skew_deg for p in pages]
    scored.rotation = [p.rotation for p in pages]
    confidences = [p.confidence for p in pages if p.confidence is not None]
    scored.confidence = sum(confidences) / len(confidences) if confidences else None
