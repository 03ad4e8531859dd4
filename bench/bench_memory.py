"""Memory of a long job: does a worker's memory stay flat over a 200-page document?

Builds one multi-page TIFF of N pages (default 200) from a real scan (``../shared/corpus``'s
``phototest.tif``, or a page of ``samples/`` without the corpus), runs the real ``digitize ingest``
on it (one worker, real Tesseract and OCRmyPDF) and samples, every half second, the resident memory
of the parent, of the worker process and of the whole process tree (the worker's Tesseract,
OCRmyPDF and Ghostscript children included). Prints a table of the worker's memory at each
quarter of the run and the ratio of the last quarter's median to the second quarter's: 1.0 is
flat. The baseline is the same run's second quarter (the first one still loads Tesseract's models
and the libraries).

    make bench-memory            # 200 pages
    make bench-memory BENCH_ARGS="--pages 50"
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
CORPUS_PAGE = REPO.parent / "shared" / "corpus" / "tesseract-test" / "phototest.tif"
SAMPLE_PAGE = REPO / "samples" / "nota-dinas-clean.png"


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children(current))
    return out


def is_python(pid: int) -> bool:
    try:
        return b"python" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False


def build(pages: int, target: Path) -> Path:
    page = Image.open(CORPUS_PAGE if CORPUS_PAGE.exists() else SAMPLE_PAGE).convert("L")
    frames = [page.copy() for _ in range(pages)]
    frames[0].save(target, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        build(args.pages, inbox / "panjang.tif")
        env = dict(os.environ, DIGITIZE_INGEST__SETTLE_SECONDS="0")
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "digitize", "ingest", str(inbox), "--archive",
                                 str(Path(tmp) / "arsip"), "--jobs", "1", "--quiet"], env=env)
        samples = []  # (seconds, parent kB, worker kB, tree kB)
        while proc.poll() is None:
            pids = tree(proc.pid)
            workers = [p for p in children(proc.pid) if is_python(p)]
            samples.append((time.monotonic() - started, rss_kb(proc.pid), sum(rss_kb(p) for p in workers),
                            sum(rss_kb(p) for p in pids)))
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"digitize ingest exited {proc.returncode}")
    working = [s for s in samples if s[2] > 0]  # while the worker exists
    quarters = [working[i * len(working) // 4:(i + 1) * len(working) // 4] for i in range(4)]
    print(f"digitize ingest of one {args.pages}-page TIFF, 1 worker: {elapsed:.0f} s, "
          f"{args.pages / elapsed * 60:.0f} pages/min, {len(samples)} samples")
    print(f"{'part of the run':<18}{'worker MB (median)':>20}{'worker MB (max)':>17}{'parent MB':>11}"
          f"{'tree MB (max)':>15}")
    for n, part in enumerate(quarters, start=1):
        if not part:
            continue
        print(f"{f'quarter {n}':<18}{statistics.median(s[2] for s in part) / 1024:>20.0f}"
              f"{max(s[2] for s in part) / 1024:>17.0f}{statistics.median(s[1] for s in part) / 1024:>11.0f}"
              f"{max(s[3] for s in part) / 1024:>15.0f}")
    first, second, last = (statistics.median(s[2] for s in quarters[i]) for i in (0, 1, 3))
    print(f"worker memory, last quarter / second quarter (1.00 = flat; the first quarter loads the models): "
          f"{last / second:.2f}")
    print(f"worker memory, last quarter / first quarter: {last / first:.2f}")
    print(f"peak of the whole tree: {max(s[3] for s in samples) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
