"""OCR quality and speed on ../shared/corpus: plain tesseract vs OCRmyPDF vs digitize, one table.

Usage: python bench/bench_ocr.py [--only GROUP] [--limit N] [--photos N]
                                 [--engines tesseract,tesserocr,ocrmypdf,digitize]
                                 [--lang eng] [--set KEY=VALUE ...] [--per-file]
       python bench/bench_ocr.py --variants [--only GROUP] [--limit N] [--photos N] [--set KEY=VALUE ...]

``--set KEY=VALUE`` (repeatable) overrides a digitize setting for this run, exactly as a config
file would (``--set pages.normalize_background=true``, ``--set pages.scale_by_text=false``); it
applies to digitize only, and the table's header line names the overrides used.

``--variants`` measures digitize's optional cleanup steps: plain tesseract once (the baseline),
then digitize once per variant on every file with text truth: "default" (the settings as they
are, with ``--set``); "no cleanup" (all five steps off; only when some step is on by default);
each of ``pages.remove_borders``, ``normalize_background``, ``stretch_contrast``, ``despeckle``,
``binarize`` switched on alone (the other four off; a variant that equals the default is not run
twice); "scale by dpi" (``pages.scale_by_text=false``: upscaled below ``upscale_below_dpi``, as
before letters were measured); "no scaling" (neither). Files without text truth
are left out (the cleanup steps act after skew and orientation are found, so they change only the
text). It prints one table: variant x group -> micro CER, BoW error, s/page.

Engines, all with ``-l eng`` (``--lang``) on this English corpus:

  tesseract  ``tesseract IMG - -l eng`` per page image; PDF pages rasterized first with
             ``pdftoppm -r 300`` (untimed). No skew or orientation handling.
  tesserocr  the same page images as ``tesseract``, read by Tesseract's library through tesserocr
             (the library digitize reads with; Tesseract 5.5 where Debian's program is 5.3), in a
             Python worker, models loaded inside the timing. No skew or orientation handling: it
             separates what digitize's preparation costs from what the library saves.
  ocrmypdf   ``ocrmypdf.ocr(..., deskew=True, clean=True, rotate_pages=True, output_type="pdf",
             optimize=0, jobs=1)`` with a text sidecar. Images without a credible resolution
             (none, or <= 96 dpi: OCRmyPDF's own rule) get ``image_dpi=300``; images with an
             alpha channel are flattened onto white first (untimed). The
             skew and rotation it applied are read from its log ("Deskew angle", "will rotate").
  digitize   ``digitize.evaluate`` (``process_document``, exactly as ``ingest`` runs it).

Groups (truth from corpus/README.md and the CSV files of each folder):

  clean    tesseract-test UNLV pages, eurotext, phototest; ocrmypdf/linn.png, typewriter.png
  skewed   skew-derived/*.png; skew-sbrunner/deskew-*.png (angles only, no text truth);
           ocrmypdf/skew.pdf, rotated_skew.pdf (linn.txt, angles from skew_orientation_gt.csv)
  rotated  tesseract-test/phototest-rotated-{L,R,180}.png, phototestrot.tif;
           orientation/testocr_all_orientations.pdf; ocrmypdf/cardinal.pdf
  photos   sroie-receipts/img/NNN.jpg: real receipt photos and scans, ``--photos N`` of them
           (default 10) spread evenly over the folder's sorted list. Truth: the transcripts of
           box/NNN.csv (rows ``x1,y1,...,x4,y4,transcript``) joined by newlines, in box order,
           which is not always reading order: the BoW error is the meaningful score there.
           Skew unknown; rotation 0 (all upright, by inspection).

Aggregate rows: "skewed+rotated" (the union of the skewed and rotated groups' files, shown when
both run) and "all" (every group run, photos included).

Conventions, converted to digitize's ``Page`` fields:

  skew      degrees, positive = text lines rise to the right (counter-clockwise skew).
            skew-derived ``expected_total_skew_ccw_deg``: as is. skew-sbrunner
            ``expected_angle_deg`` is the counter-clockwise turn that levels the page, so
            skew = -angle. skew_orientation_gt.csv: "N (clockwise as displayed)" = -N,
            "counter-clockwise" = +N. orientation_skew_gt.csv ``residual_skew_ccw_deg``: as is.
            Clean pages: skew-derived's ``source_base_skew_ccw_deg_estimate`` of their source
            (an estimate), phototest 0 (page 1 of the orientation PDF). OCRmyPDF's logged
            "Deskew angle" is the counter-clockwise turn it applies, so skew = -angle.
  rotation  degrees the page must be turned clockwise to be upright (``Page.rotation``).
            ``content_rotation_cw_deg`` (content turned clockwise by N) gives (360 - N) % 360.
            phototest-rotated-L and phototestrot.tif read bottom-to-top (90), -R top-to-bottom
            (270), -180 upside down (180): by inspection. Every other page is upright (0).
            OCRmyPDF's "will rotate" correction C turns the page counter-clockwise: (360 - C) % 360.

Measures, per group and engine (micro averages over the files with text truth):
CER, WER, bag-of-words error (``digitize.textmetrics``; multi-page files: all pages joined);
skew mean absolute error and max error over pages with a true angle and an estimate ("n" =
pages estimated / pages with a true angle); orientation = pages with the right rotation /
pages with a true rotation; seconds per page; peak memory. Plain tesseract estimates neither
skew nor orientation ("-"). A file an engine fails on counts as empty text.

Time: one OCR at a time, OMP_THREAD_LIMIT=1, engines interleaved file by file. tesseract: wall
time of its processes (start-up included). tesserocr, ocrmypdf and digitize: measured in the
worker around the OCR call (interpreter start-up and imports excluded; each file runs in a fresh
worker, so digitize and tesserocr load their models on every file, which ingest's long-lived
workers do once).

Memory: each engine runs on each file in its own process (tesseract itself; a Python worker
for ocrmypdf and digitize), reaped with ``os.wait4``, whose ``ru_maxrss`` is the peak resident
set of that process or of any descendant it waited for (tesseract, unpaper, ghostscript): the
largest single process of the tree, not their sum. The Python workers include the interpreter
with OCRmyPDF loaded.

Ratios (digitize rows): CER ratio = digitize micro CER / min(tesseract, ocrmypdf micro CER);
time ratio = digitize s/page / tesseract s/page (the issue's target: at most 1.3); vs lib =
digitize s/page / tesserocr s/page. The machine is shared: compare ratios.
Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus"

from digitize import textmetrics  # noqa: E402
from digitize.textmetrics import ErrorCount  # noqa: E402

ENGINES = ("tesseract", "tesserocr", "ocrmypdf", "digitize")
GROUPS = ("clean", "skewed", "rotated", "photos")
AGGREGATES = {"skewed+rotated": ("skewed", "rotated")}  # label -> groups; "all" is every group run
PHOTOS = 10  # receipts in the photos group unless --photos says otherwise
CLEANUP = ("remove_borders", "normalize_background", "stretch_contrast", "despeckle", "binarize")  # [pages]
FILE_TIMEOUT = 900  # seconds per engine per file


# --- the corpus and its ground truth -------------------------------------------------


@dataclass
class Case:
    group: str
    path: Path
    truth: str | None  # text of all pages; None = no text ground truth
    skew: list[float | None]  # per page, degrees, positive = lines rise to the right
    rotation: list[int | None]  # per page, degrees clockwise to turn it upright

    @property
    def name(self) -> str:
        return str(self.path.relative_to(CORPUS))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _signed_skew(value: str) -> float:
    """'1.87 (clockwise as displayed)' -> -1.87; '2.79 (counter-clockwise ...)' -> 2.79; '0' -> 0."""
    number = float(re.match(r"\s*[-+]?\d+(\.\d+)?", value).group())
    if "counter-clockwise" in value or "counterclockwise" in value:
        return number
    return -number if "clockwise" in value else number


def _upright_cw(content_rotation_cw: str) -> int:
    """Content turned N degrees clockwise must be turned (360 - N) % 360 clockwise to be upright."""
    return (360 - int(re.match(r"\s*\d+", content_rotation_cw).group())) % 360


def receipt_truth(box: Path) -> str:
    """An SROIE box file (``x1,y1,...,x4,y4,transcript`` per row; the transcript may hold commas)."""
    lines = []
    for row in box.read_text(encoding="utf-8-sig").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9 and parts[8].strip():
            lines.append(parts[8].strip())
    return "\n".join(lines)


def spread(items: list, n: int) -> list:
    """``n`` of ``items`` spread evenly over the list (all of them when there are not more)."""
    if n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(max(n, 0))]


def in_group(label: str, group: str) -> bool:
    """Does a file of ``group`` count in the table row ``label`` (a group, an aggregate or "all")?"""
    return label == "all" or group in AGGREGATES.get(label, (label,))


def row_labels(groups: list[str]) -> list[str]:
    """The groups run, then the aggregates whose groups all ran, then "all"."""
    return [*groups, *(a for a, parts in AGGREGATES.items() if all(g in groups for g in parts)), "all"]


def corpus_cases(corpus: Path, photos: int = PHOTOS) -> list[Case]:
    tt, om = corpus / "tesseract-test", corpus / "ocrmypdf"
    photo, linn = _text(tt / "phototest.gold.txt"), _text(om / "linn.txt")
    source_text = {"8071_093.3B.tif": _text(tt / "8071_093.3B.txt"),
                   "8087_054.3B.tif": _text(tt / "8087_054.3B.txt"),
                   "linn.png": linn, "typewriter.png": None}
    derived = _rows(corpus / "skew-derived" / "angles.csv")
    base_skew = {Path(r["source_file"]).name: float(r["source_base_skew_ccw_deg_estimate"]) for r in derived}

    cases = [
        Case("clean", tt / "8071_093.3B.tif", source_text["8071_093.3B.tif"], [base_skew["8071_093.3B.tif"]], [0]),
        Case("clean", tt / "8087_054.3B.tif", source_text["8087_054.3B.tif"], [base_skew["8087_054.3B.tif"]], [0]),
        Case("clean", tt / "eurotext.tif", _text(tt / "eurotext.txt"), [None], [0]),
        Case("clean", tt / "phototest.tif", photo, [0.0], [0]),
        Case("clean", om / "linn.png", linn, [base_skew["linn.png"]], [0]),
        Case("clean", om / "typewriter.png", None, [base_skew["typewriter.png"]], [0]),
    ]
    for row in derived:
        cases.append(Case("skewed", corpus / "skew-derived" / row["file"], source_text[Path(row["source_file"]).name],
                          [float(row["expected_total_skew_ccw_deg"])], [0]))
    for row in _rows(corpus / "skew-sbrunner" / "angles.csv"):
        cases.append(Case("skewed", corpus / "skew-sbrunner" / row["file"], None,
                          [-float(row["expected_angle_deg"])], [0]))
    ocrmypdf_gt: dict[str, list[dict[str, str]]] = {}
    for row in _rows(om / "skew_orientation_gt.csv"):
        ocrmypdf_gt.setdefault(row["file"], []).append(row)
    for name in ("skew.pdf", "rotated_skew.pdf"):
        rows = ocrmypdf_gt[name]
        cases.append(Case("skewed", om / name, "\n".join([linn] * len(rows)),
                          [_signed_skew(r["fine_skew_deg"]) for r in rows],
                          [_upright_cw(r["content_rotation_cw_deg"]) for r in rows]))

    for name, rotation in (("phototest-rotated-L.png", 90), ("phototest-rotated-R.png", 270),
                           ("phototest-rotated-180.png", 180), ("phototestrot.tif", 90)):
        cases.append(Case("rotated", tt / name, photo, [0.0], [rotation]))
    rows = sorted(_rows(corpus / "orientation" / "orientation_skew_gt.csv"), key=lambda r: int(r["page"]))
    truths = [_text((corpus / "orientation" / r["text_ground_truth"]).resolve()) for r in rows]
    cases.append(Case("rotated", corpus / "orientation" / "testocr_all_orientations.pdf", "\n".join(truths),
                      [float(r["residual_skew_ccw_deg"]) for r in rows],
                      [_upright_cw(r["content_rotation_cw_deg"]) for r in rows]))
    rows = sorted(ocrmypdf_gt["cardinal.pdf"], key=lambda r: int(r["page"]))
    cases.append(Case("rotated", om / "cardinal.pdf", "\n".join([linn] * len(rows)),
                      [_signed_skew(r["fine_skew_deg"]) for r in rows],
                      [_upright_cw(r["content_rotation_cw_deg"]) for r in rows]))

    receipts = corpus / "sroie-receipts"
    boxes = [b for b in sorted((receipts / "box").glob("*.csv")) if (receipts / "img" / f"{b.stem}.jpg").is_file()]
    for box in spread(boxes, photos):
        cases.append(Case("photos", receipts / "img" / f"{box.stem}.jpg", receipt_truth(box), [None], [0]))
    return cases


# --- running one engine on one file, in its own process ------------------------------


@dataclass
class Run:
    engine: str
    case: Case
    text: str = ""
    pages: int = 0
    seconds: float = 0.0
    peak_kb: int = 0
    skew: list[float | None] = field(default_factory=list)
    rotation: list[int | None] = field(default_factory=list)
    error: str | None = None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZE_")}
    env.update(OMP_THREAD_LIMIT="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def measured(argv: list[str], stdout: Path, cwd: Path) -> tuple[int, float, int, str]:
    """Run a program; return (exit code, wall seconds, peak RSS in KB of its tree, last output line)."""
    errfile = stdout.with_suffix(".stderr")
    with stdout.open("wb") as out, errfile.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=_env())
        timer = threading.Timer(FILE_TIMEOUT, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # reaps it: rusage of this process tree
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = (errfile.read_text(errors="replace") + stdout.read_text(errors="replace")).strip().splitlines()
    return proc.returncode, seconds, usage.ru_maxrss, lines[-1] if lines else ""


def page_images(path: Path, scratch: Path) -> list[Path]:
    """The page images plain tesseract reads: the image itself, or the PDF rasterized at 300 dpi."""
    if path.suffix.lower() != ".pdf":
        return [path]
    prefix = scratch / "page"
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(path), str(prefix)], check=True,
                   capture_output=True)
    return sorted(scratch.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def run_tesseract(case: Case, lang: str, scratch: Path) -> Run:
    run = Run("tesseract", case)
    texts = []
    for n, image in enumerate(page_images(case.path, scratch), start=1):
        out = scratch / f"tesseract-{n}.txt"
        code, seconds, peak, last = measured(["tesseract", str(image), "-", "-l", lang], out, scratch)
        run.seconds += seconds
        run.peak_kb = max(run.peak_kb, peak)
        if code != 0:
            run.error = f"tesseract exit {code}: {last}"
        texts.append(out.read_text(encoding="utf-8", errors="replace"))
    run.pages = len(texts)
    run.text = "\n".join(texts)
    run.skew = [None] * run.pages
    run.rotation = [None] * run.pages
    return run


def run_worker(engine: str, case: Case, lang: str, scratch: Path, overrides: dict[str, str] | None = None,
               label: str | None = None) -> Run:
    """``engine`` in a worker process; ``overrides`` are digitize settings; ``label`` names the run."""
    run = Run(label or engine, case)
    result = scratch / f"{engine}.json"
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--input", str(case.path),
            "--lang", lang, "--result", str(result)]
    for key, value in (overrides or {}).items():
        argv += ["--set", f"{key}={value}"]
    code, _, run.peak_kb, last = measured(argv, scratch / f"{engine}.stdout", scratch)
    if code != 0 or not result.is_file():
        run.error = f"{engine} worker exit {code}: {last}"
        return run
    data = json.loads(result.read_text(encoding="utf-8"))
    run.text, run.pages, run.seconds = data["text"], data["pages"], data["seconds"]
    run.skew, run.rotation, run.error = data["skew"], data["rotation"], data["error"]
    return run


# --- the worker side (runs in the child process) -------------------------------------


def worker_ocrmypdf(path: Path, lang: str, scratch: Path) -> dict:
    import logging

    import ocrmypdf
    import pikepdf
    from PIL import Image

    kwargs = {}
    source = path
    if path.suffix.lower() != ".pdf":
        with Image.open(path) as img:
            dpi = img.info.get("dpi")
            if not dpi or dpi[0] <= 96:  # OCRmyPDF's own rule: <= 96 dpi is not credible
                kwargs["image_dpi"] = 300
            if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
                source = scratch / "flattened.png"
                flat = img.convert("RGBA")
                background = Image.new("RGB", flat.size, "white")
                background.paste(flat, mask=flat.getchannel("A"))
                background.save(source, **({"dpi": dpi} if dpi and dpi[0] else {}))

    skew: dict[int, float] = {}
    rotation: dict[int, int] = {}
    turns = {"⬏": 90, "↻": 180, "⬑": 270}

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            page = getattr(record, "pageno", None)
            if not page:
                return
            message = record.getMessage()
            if message.startswith("Deskew angle:"):
                skew[page] = -float(message.split(":")[1])
            elif "will rotate" in message:
                rotation[page] = (360 - turns[message.strip()[-1]]) % 360
            elif "page is facing" in message:
                rotation[page] = 0

    logger = logging.getLogger("ocrmypdf")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(Listener(logging.DEBUG))
    logger.propagate = False
    out, sidecar = scratch / "ocrmypdf.pdf", scratch / "ocrmypdf.txt"
    error = None
    start = time.perf_counter()
    try:
        ocrmypdf.ocr(source, out, deskew=True, clean=True, rotate_pages=True, sidecar=sidecar,
                     language=lang.split("+"), jobs=1, progress_bar=False, output_type="pdf",
                     optimize=0, **kwargs)
    except Exception as exc:  # a failing file is reported in the table, the benchmark goes on
        error = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    seconds = time.perf_counter() - start
    pages, text = 0, ""
    if error is None:
        with pikepdf.open(out) as pdf:
            pages = len(pdf.pages)
        text = sidecar.read_text(encoding="utf-8", errors="replace")
    return {"text": text, "pages": pages, "seconds": seconds, "error": error,
            "skew": [skew.get(n) for n in range(1, pages + 1)],
            "rotation": [rotation.get(n) for n in range(1, pages + 1)]}


def digitize_settings(lang: str, scratch: Path, overrides: dict[str, str]):
    """The settings digitize runs with: as from the repository (no DIGITIZE_* environment), then overrides."""
    from digitize.settings import load_settings

    return load_settings(env={}, cwd=REPO, overrides={"ocr.lang": lang, "archive.path": scratch / "unused-archive",
                                                         **overrides})


def worker_digitize(path: Path, lang: str, scratch: Path, overrides: dict[str, str]) -> dict:
    from digitize.evaluate import TruthItem, evaluate

    settings = digitize_settings(lang, scratch, overrides)
    # the parent scores the text for every engine alike; the truth given here is not used
    (scored,) = evaluate([TruthItem(path, "")], settings).files
    return {"text": scored.text, "pages": scored.pages, "seconds": scored.seconds, "error": scored.error,
            "skew": scored.skew_deg, "rotation": scored.rotation}


def worker_tesserocr(path: Path, lang: str, scratch: Path) -> dict:
    """Plain Tesseract through the library digitize uses: each page image as it is, no preparation."""
    import tesserocr

    from digitize import tesseract

    images = page_images(path, scratch)  # untimed, as for plain tesseract
    tessdata = tesseract.tesseract_tessdata()[0]
    start = time.perf_counter()  # models loaded inside the timing, as digitize's first page does
    with tesserocr.PyTessBaseAPI(path=tessdata.rstrip("/") + "/", lang=lang) as api:
        texts = []
        for image in images:
            api.SetImageFile(str(image))
            texts.append(api.GetUTF8Text())
    seconds = time.perf_counter() - start
    return {"text": "\n".join(texts), "pages": len(texts), "seconds": seconds, "error": None,
            "skew": [None] * len(texts), "rotation": [None] * len(texts)}


def worker_main(args: argparse.Namespace) -> int:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        with tempfile.TemporaryDirectory(prefix=f"bench-{args.worker}-") as tmp:
            if args.worker == "digitize":
                data = worker_digitize(Path(args.input), args.lang, Path(tmp), parse_sets(args.set))
            elif args.worker == "tesserocr":
                data = worker_tesserocr(Path(args.input), args.lang, Path(tmp))
            else:
                data = worker_ocrmypdf(Path(args.input), args.lang, Path(tmp))
    except Exception as exc:  # reported as this file's failure; the benchmark goes on
        traceback.print_exc()
        data = {"text": "", "pages": 0, "seconds": 0.0, "skew": [], "rotation": [],
                "error": f"{type(exc).__name__}: {exc}".replace("\n", " ")}
    Path(args.result).write_text(json.dumps(data), encoding="utf-8")
    return 0


# --- scoring and the table -----------------------------------------------------------


def _per_page(truths: list, found: list) -> list[tuple]:
    """(true value, the engine's estimate or None) for every page with a true value."""
    return [(t, found[n] if n < len(found) else None) for n, t in enumerate(truths) if t is not None]


@dataclass
class Tally:
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    peak_kb: int = 0
    failed: int = 0
    chars: ErrorCount = field(default_factory=ErrorCount)
    words: ErrorCount = field(default_factory=ErrorCount)
    bow: ErrorCount = field(default_factory=ErrorCount)
    text_files: int = 0
    skew_errors: list[float] = field(default_factory=list)
    skew_truths: int = 0
    rot_right: int = 0
    rot_known: int = 0  # pages with a true rotation and an estimate
    rot_truths: int = 0

    def add(self, run: Run) -> None:
        case = run.case
        self.files += 1
        self.pages += run.pages
        self.seconds += run.seconds if run.pages else 0.0  # s/page over the pages that came out
        self.peak_kb = max(self.peak_kb, run.peak_kb)
        self.failed += bool(run.error)
        if case.truth is not None:
            self.text_files += 1
            self.chars += textmetrics.char_errors(case.truth, run.text)
            self.words += textmetrics.word_errors(case.truth, run.text)
            self.bow += textmetrics.bow_errors(case.truth, run.text)
        for truth, found in _per_page(case.skew, run.skew):
            self.skew_truths += 1
            if found is not None:
                self.skew_errors.append(abs(found - truth))
        for truth, found in _per_page(case.rotation, run.rotation):
            self.rot_truths += 1
            if found is not None:
                self.rot_known += 1
                self.rot_right += int(found) % 360 == truth

    @property
    def cer(self) -> float | None:
        return self.chars.rate if self.text_files else None

    @property
    def seconds_per_page(self) -> float | None:
        return self.seconds / self.pages if self.pages else None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None, fmt: str = ".2f") -> str:
    return "-" if value is None else format(value, fmt)


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "-"
    return "inf" if b == 0 and a > 0 else ("1.00" if b == 0 else f"{a / b:.2f}")


COLUMNS = [("group", 14, "<"), ("engine", 9, "<"), ("files", 5, ">"), ("pages", 5, ">"), ("CER", 7, ">"),
           ("WER", 7, ">"), ("BoW err", 7, ">"), ("skew MAE", 8, ">"), ("skew max", 8, ">"),
           ("skew n", 7, ">"), ("orient", 7, ">"), ("s/page", 6, ">"), ("peak MB", 7, ">"),
           ("CER ratio", 9, ">"), ("time ratio", 10, ">"), ("vs lib", 6, ">"), ("failed", 6, ">")]


def _line(cells: list[str]) -> str:
    return "  ".join(format(c, f"{align}{width}") for c, (_, width, align) in zip(cells, COLUMNS, strict=True))


def table(runs: list[Run], engines: list[str], groups: list[str]) -> str:
    lines = [_line([c for c, _, _ in COLUMNS]), _line(["-" * w for _, w, _ in COLUMNS])]
    for group in row_labels(groups):
        tallies = {}
        for engine in engines:
            tally = Tally()
            for run in runs:
                if run.engine == engine and in_group(group, run.case.group):
                    tally.add(run)
            tallies[engine] = tally
        others = [tallies[e].cer for e in ("tesseract", "ocrmypdf") if e in tallies and tallies[e].cer is not None]
        for engine, t in tallies.items():
            if not t.files:
                continue
            ours = engine == "digitize"
            lines.append(_line([
                group, engine, str(t.files), str(t.pages), _pct(t.cer),
                _pct(t.words.rate if t.text_files else None), _pct(t.bow.rate if t.text_files else None),
                _num(sum(t.skew_errors) / len(t.skew_errors) if t.skew_errors else None),
                _num(max(t.skew_errors) if t.skew_errors else None),
                f"{len(t.skew_errors)}/{t.skew_truths}" if t.skew_errors else "-",
                f"{t.rot_right}/{t.rot_truths}" if t.rot_known else "-",
                _num(t.seconds_per_page), f"{t.peak_kb / 1024:.0f}",
                _ratio(t.cer, min(others)) if ours and others else "-",
                _ratio(t.seconds_per_page, tallies["tesseract"].seconds_per_page)
                if ours and "tesseract" in tallies else "-",
                _ratio(t.seconds_per_page, tallies["tesserocr"].seconds_per_page)
                if ours and "tesserocr" in tallies and tallies["tesserocr"].files else "-",
                str(t.failed),
            ]))
        lines.append("")
    return "\n".join(lines)


def variants_table(runs: list[Run], labels: list[str], groups: list[str]) -> str:
    """One row per variant (and the tesseract baseline): micro CER, BoW error and s/page per group."""
    columns = [g for g in row_labels(groups)
               if any(in_group(g, r.case.group) and r.case.truth is not None for r in runs)]
    cell = 20  # "CER    BoW  s/p" under each group
    head = [f"{'variant':21}" + "".join(f"  {g:>{cell}}" for g in columns) + "  failed",
            f"{'':21}" + "".join(f"  {'CER':>6} {'BoW':>6} {'s/p':>6}" for _ in columns),
            f"{'-' * 21}" + "".join(f"  {'-' * cell}" for _ in columns) + "  ------"]
    lines = list(head)
    for label in labels:
        cells, failed = [], 0
        for group in columns:
            tally = Tally()
            for run in runs:
                if run.engine == label and in_group(group, run.case.group):
                    tally.add(run)
            cells.append(f"  {_pct(tally.cer):>6} {_pct(tally.bow.rate if tally.text_files else None):>6} "
                         f"{_num(tally.seconds_per_page):>6}")
            if group == "all":
                failed = tally.failed
        lines.append(f"{label[:21]:21}" + "".join(cells) + f"  {failed:6d}")
    return "\n".join(lines)


def per_file(runs: list[Run]) -> str:
    lines = [f"{'file':48} {'engine':9} {'pages':>5} {'CER':>7} {'BoW err':>7} {'skew found/true':>22} "
             f"{'rotation found/true':>22} {'s/page':>6} {'MB':>5}  error"]
    for run in runs:
        case = run.case
        cer = bow = None
        if case.truth is not None:
            cer = textmetrics.cer(case.truth, run.text)
            bow = textmetrics.bow_error(case.truth, run.text)
        skew = (" ".join(_num(v, "+.1f") for v in run.skew[:3]) + " / "
                + " ".join(_num(v, "+.1f") for v in case.skew[:3]))
        rot = (" ".join(_num(v, "d") for v in run.rotation[:4]) + " / "
               + " ".join(_num(v, "d") for v in case.rotation[:4]))
        spp = run.seconds / run.pages if run.pages else None
        lines.append(f"{case.name[:48]:48} {run.engine:9} {run.pages:5d} {_pct(cer):>7} {_pct(bow):>7} "
                     f"{skew[:22]:>22} {rot[:22]:>22} {_num(spp):>6} {run.peak_kb / 1024:5.0f}  {run.error or ''}")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["pages.binarize=true", ...]`` -> ``{"pages.binarize": "true"}``; raises ValueError on a bad item."""
    sets = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or "." not in key:
            raise ValueError(f"--set {item!r}: write SECTION.KEY=VALUE, e.g. pages.binarize=true")
        sets[key] = value.strip()
    return sets


def describe(sets: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sets.items()) or "none"


def cleanup_variants(lang: str, sets: dict[str, str]) -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    """The --variants runs as (label, overrides on top of ``sets``), and notes on what "default" is."""
    with tempfile.TemporaryDirectory(prefix="bench-ocr-check-") as tmp:
        def pages(overrides: dict[str, str]):
            return digitize_settings(lang, Path(tmp), {**sets, **overrides}).pages  # refuses bad keys

        default = pages({})
        on = [step for step in CLEANUP if getattr(default, step)]
        variants: list[tuple[str, dict[str, str]]] = [("default", {})]
        scaling = (f"scaled so letters are {default.min_text_px:g}-{default.max_text_px:g} px (to "
                   f"{default.target_text_px:g})" if default.scale_by_text else
                   f"upscaled below {default.upscale_below_dpi} dpi")
        notes = [f"default = cleanup steps on: {', '.join(on) or 'none'}; {scaling}"]
        if on:
            variants.append(("no cleanup", {f"pages.{step}": "false" for step in CLEANUP}))
        for step in CLEANUP:
            alone = {f"pages.{other}": str(other == step).lower() for other in CLEANUP}
            if pages(alone) == default:
                notes.append(f"{step} alone = default (not run twice)")
            else:
                variants.append((step, alone))
        if default.scale_by_text:
            variants.append(("scale by dpi", {"pages.scale_by_text": "false"}))
        variants.append(("no scaling", {"pages.scale_by_text": "false", "pages.upscale_below_dpi": "0"}))
        for _, overrides in variants:
            pages(overrides)
    return variants, notes


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=GROUPS, help="Run one corpus group.")
    parser.add_argument("--limit", type=int, help="At most N files per group.")
    parser.add_argument("--photos", type=int, default=PHOTOS,
                        help=f"Receipts in the photos group, spread over the folder (default {PHOTOS}).")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="Comma-separated subset of tesseract,ocrmypdf,digitize.")
    parser.add_argument("--lang", default="eng", help="Tesseract languages for every engine (default: eng).")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="Override a digitize setting (repeatable), e.g. --set pages.binarize=true.")
    parser.add_argument("--variants", action="store_true",
                        help="Tesseract once, then digitize once per cleanup variant; one table variant x group.")
    parser.add_argument("--per-file", action="store_true", help="Also print one line per file and engine.")
    parser.add_argument("--worker", choices=("tesserocr", "ocrmypdf", "digitize"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


@dataclass
class Job:
    label: str  # the engine's name in the table, or the variant's
    engine: str
    overrides: dict[str, str] = field(default_factory=dict)  # digitize settings


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args)
    if not CORPUS.is_dir():
        print(f"bench-ocr: the shared corpus is not at {CORPUS}; it is needed beside the repository "
              "(../shared/corpus, see its README.md).", file=sys.stderr)
        return 2
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or not engines:
        print(f"bench-ocr: unknown engine(s) {', '.join(unknown) or '(none given)'}; "
              f"choose from {','.join(ENGINES)}.", file=sys.stderr)
        return 2
    from digitize.errors import ConfigError

    try:
        sets = parse_sets(args.set)
        variants, notes = cleanup_variants(args.lang, sets)  # also refuses unknown keys and bad values
    except (ValueError, ConfigError) as exc:
        print(f"bench-ocr: {exc}", file=sys.stderr)
        return 2
    if args.variants:
        jobs = [Job("tesseract", "tesseract")] + [Job(name, "digitize", {**sets, **variant})
                                                  for name, variant in variants]
    else:
        jobs = [Job(e, e, sets if e == "digitize" else {}) for e in engines]

    groups = [args.only] if args.only else list(GROUPS)
    cases, skipped = [], 0
    all_cases = corpus_cases(CORPUS, args.photos)
    for group in groups:
        in_this = [c for c in all_cases if c.group == group]
        if args.variants:  # only the text changes between variants
            skipped += sum(c.truth is None for c in in_this)
            in_this = [c for c in in_this if c.truth is not None]
        cases += in_this[: args.limit] if args.limit else in_this
    groups = [g for g in groups if any(c.group == g for c in cases)]
    os.environ["OMP_THREAD_LIMIT"] = "1"
    runs: list[Run] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        subprocess.run(["tesseract", str(CORPUS / "tesseract-test" / "phototest.tif"), "-", "-l", args.lang],
                       capture_output=True, env=_env())  # warm the disk cache, untimed
        total = len(cases) * len(jobs)
        for i, case in enumerate(cases):
            for j, job in enumerate(jobs):
                scratch = Path(tmp) / f"{i:03d}-{j:02d}-{job.engine}"
                scratch.mkdir()
                if job.engine == "tesseract":
                    run = run_tesseract(case, args.lang, scratch)
                else:
                    run = run_worker(job.engine, case, args.lang, scratch, job.overrides, job.label)
                runs.append(run)
                done = i * len(jobs) + j + 1
                cer = "" if case.truth is None else f" CER {_pct(textmetrics.cer(case.truth, run.text))}"
                print(f"[{done:3d}/{total}] {job.label:9} {case.name} {run.pages} p {run.seconds:.1f} s{cer}"
                      + (f"  FAILED {run.error}" if run.error else ""), file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    per_group = ", ".join(f"{g} {sum(c.group == g for c in cases)}" for g in groups)
    sampling = (f"at most {args.limit} files per group" if args.limit else "no --limit")
    sampling += f", photos: {sum(c.group == 'photos' for c in cases)} receipts (--photos {args.photos})"
    if args.variants:
        print(f"\nbench-ocr --variants: {len(cases)} files with text truth ({per_group}; {sampling}; "
              f"{skipped} files without text truth left out), lang {args.lang}, {elapsed:.0f} s in all")
        print(f"digitize overrides under every variant: {describe(sets)}; {'; '.join(notes)}")
        print("variants: " + "; ".join(f"{name} = {describe(v) if v else 'no change'}" for name, v in variants))
        print("micro averages; s/p = seconds per page; see bench/bench_ocr.py for definitions\n")
        print(variants_table(runs, [job.label for job in jobs], groups))
    else:
        print(f"\nbench-ocr: {len(cases)} files ({per_group}; {sampling}), lang {args.lang}, "
              f"digitize overrides: {describe(sets)}, {elapsed:.0f} s in all; "
              "micro averages; see bench/bench_ocr.py for definitions\n")
        print(table(runs, engines, groups))
    if args.per_file:
        print(per_file(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
