"""Throughput: ``digitize ingest`` itself against plain Tesseract on the same pages, same parallelism.

Three inputs, made from the real single-page scans of ``../shared/corpus`` (skew-derived,
skew-sbrunner and the five tesseract-test pages: 22 scans, skewed 0.25 to 15 degrees):

- ``singles``: the 22 scans as 22 files;
- ``doc10`` and ``doc50``: one multi-page TIFF of 10 and of 50 pages, the scans in turn (grey, 300 dpi).

For each input and ``--jobs`` 1 and 2, one after another on the same machine, in the same run:

- ``tesseract``: the ``tesseract`` program on every page image (``tesseract IMG - -l ind+eng``,
  text out), as many at a time as there are jobs; the baseline a clerk would compare with;
- ``floor``: Tesseract's library (tesserocr) with its models loaded once per process, reading every
  page's text, as many processes as jobs, timed after they start: nothing can be cheaper;
- ``digitize``: ``digitize ingest INBOX --archive NEW --jobs N --quiet`` as its own process, the
  whole run (start-up, preparation, OCR to PDF/A, classification, archive, ledger, index).

Every process runs Tesseract with one thread (``OMP_THREAD_LIMIT=1``). The table gives wall times,
digitize's ratio to each, pages per minute, the median preparation time per page (from the
ledger's stage timings) and the peak memory of a single worker process (its proportional set size,
sampled every 0.2 s). Ratios, not seconds, are what to compare: the machine is shared.

    make bench-throughput                          # all three inputs, jobs 1 and 2
    make bench-throughput BENCH_ARGS="--inputs singles --jobs 2"
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
LANG = "ind+eng"

from proctree import Sampler  # noqa: E402


def scans() -> list[Path]:
    """The 22 real single-page scans, in a fixed order."""
    found = sorted((CORPUS / "skew-derived").glob("*.png")) + sorted((CORPUS / "skew-sbrunner").glob("*.*g"))
    test = CORPUS / "tesseract-test"
    found += [test / name for name in ("8071_093.3B.tif", "8087_054.3B.tif", "deslant.tif", "eurotext.tif",
                                       "phototest.tif")]
    return [p for p in found if p.is_file()]


def make_inputs(work: Path, names: list[str]) -> dict[str, tuple[list[Path], list[Path]]]:
    """Per input: (the files ingest gets, the page images tesseract gets)."""
    from PIL import Image

    singles = scans()
    out: dict[str, tuple[list[Path], list[Path]]] = {}
    for name in names:
        if name == "singles":
            out[name] = (singles, singles)
            continue
        count = int(name.removeprefix("doc"))
        folder = work / name
        folder.mkdir()
        frames = []
        for n in range(count):
            with Image.open(singles[n % len(singles)]) as image:
                frames.append(Image.frombytes("L", image.size, image.convert("L").tobytes()))  # no PNG tags
        tiff = folder / f"{name}.tif"
        frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(300, 300))
        pages = []
        for n, frame in enumerate(frames, 1):  # after the TIFF: saving a PNG leaves its settings on the image
            page = folder / f"page-{n:03d}.png"
            frame.save(page, dpi=(300, 300))
            pages.append(page)
        out[name] = ([tiff], pages)
    return out


def env() -> dict[str, str]:
    return dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(REPO), DIGITIZE_INGEST__SETTLE_SECONDS="0")


def plain_tesseract(pages: list[Path], jobs: int) -> float:
    def one(page: Path) -> None:
        subprocess.run(["tesseract", str(page), "-", "-l", LANG], check=True, capture_output=True, env=env())

    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - started


_API = None


def _start_api() -> None:
    global _API
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import tesserocr

    from digitize.tesseract import tesseract_tessdata

    _API = tesserocr.PyTessBaseAPI(path=tesseract_tessdata()[0], lang=LANG)


def _read(page: str) -> int:
    _API.SetImageFile(page)
    return len(_API.GetUTF8Text())


def _ready(_: int) -> bool:
    return _API is not None


def floor(pages: list[Path], jobs: int) -> float:
    with get_context("spawn").Pool(jobs, initializer=_start_api) as pool:
        pool.map(_ready, range(jobs * 4))  # every process has loaded its models: not timed
        started = time.perf_counter()
        pool.map(_read, [str(p) for p in pages], chunksize=1)
        return time.perf_counter() - started


def ingest(files: list[Path], jobs: int, work: Path) -> dict[str, float]:
    inbox, archive = work / "inbox", work / "archive"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.rmtree(archive, ignore_errors=True)
    inbox.mkdir()
    for n, file in enumerate(files):
        shutil.copy(file, inbox / f"{n:02d}-{file.name}")
    args = [sys.executable, "-m", "digitize", "ingest", str(inbox), "--archive", str(archive), "--jobs", str(jobs),
            "--quiet"]
    started = time.perf_counter()
    with subprocess.Popen(args, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        with Sampler(proc.pid) as memory:
            out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"digitize ingest failed (exit {proc.returncode}): {(out + err).strip()[-800:]}")
    db = sqlite3.connect(archive / "ledger.sqlite3")
    try:
        pages = dict(db.execute("SELECT f.sha256, d.pages FROM files f JOIN documents d ON d.id = f.doc_id"))
        prepare = [seconds / max(pages.get(sha) or 1, 1)
                   for sha, seconds in db.execute("SELECT sha256, seconds FROM stages WHERE stage = 'prepare'")]
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        db.close()
    return {"digitize_s": elapsed, "prepare_s_per_page": statistics.median(prepare) if prepare else 0.0,
            "peak_worker_mb": memory.peak_worker_kb / 1024, "documents": documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", default="singles,doc10,doc50", help="comma-separated: singles, doc10, doc50")
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"{CORPUS} is missing: this benchmark reads the real scans of ../shared/corpus.")
    names = [n for n in args.inputs.split(",") if n]
    jobs_list = [int(j) for j in args.jobs.split(",") if j]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        work = Path(tmp)
        inputs = make_inputs(work, names)
        for name in names:
            files, pages = inputs[name]
            for jobs in jobs_list:
                print(f"{name}, {jobs} job(s): tesseract, floor, digitize ...", file=sys.stderr)
                row: dict[str, object] = {"input": name, "jobs": jobs, "pages": len(pages)}
                row["tesseract_s"] = plain_tesseract(pages, jobs)
                row["floor_s"] = floor(pages, jobs)
                row.update(ingest(files, jobs, work))
                row["vs_tesseract"] = row["digitize_s"] / row["tesseract_s"]
                row["vs_floor"] = row["digitize_s"] / row["floor_s"]
                row["pages_per_min"] = len(pages) / row["digitize_s"] * 60
                rows.append(row)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "throughput.json").write_text(json.dumps(rows, indent=2))
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    head = (f"{'input':<8} {'jobs':>4} {'pages':>5} {'tesseract s':>11} {'floor s':>8} {'digitize s':>10} "
            f"{'x tess':>7} {'x floor':>7} {'pages/min':>9} {'prep s/pg':>9} {'worker MB':>9}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['input']:<8} {r['jobs']:>4} {r['pages']:>5} {r['tesseract_s']:>11.1f} {r['floor_s']:>8.1f} "
              f"{r['digitize_s']:>10.1f} {r['vs_tesseract']:>7.2f} {r['vs_floor']:>7.2f} {r['pages_per_min']:>9.1f} "
              f"{r['prepare_s_per_page']:>9.2f} {r['peak_worker_mb']:>9.0f}")
    print("x tess: digitize ingest's wall time over plain tesseract's on the same page images with the same "
          "parallelism (target at most 1.3); x floor: over Tesseract's library with its models loaded.")


if __name__ == "__main__":
    main()
