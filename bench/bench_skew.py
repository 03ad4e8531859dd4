"""Skew estimation on ../shared/corpus: digitize vs the `deskew` package vs Tesseract's own estimate.

Usage: python bench/bench_skew.py [--per-file]

Files: every image of ``skew-derived`` and ``skew-sbrunner`` (truth from their ``angles.csv``,
read by ``bench_ocr.corpus_cases``: positive = text lines rise to the right).

Estimators, one after the other on each file, in this process (image decoding untimed):

  digitize   ``digitize.imaging.skew.estimate_skew`` on the grey page at its resolution
             (from the file, else estimated from the pixel size, as ingest does).
  deskew     ``deskew.determine_skew`` (PyPI ``deskew``, the "bench" extra) on the grey page;
             it returns the angle to turn the image counter-clockwise, so skew = -angle.
  tesseract  ``tesseract IMG stdout --psm 2``: the "Deskew angle" Tesseract (Leptonica's page
             layout) reports, the estimate OCRmyPDF's ``--deskew`` uses; radians, with the
             sign such that skew = -angle (checked on the derived files). Wall time of the process.

Columns: pages, mean absolute error, worst error, pages within 0.1 and 0.5 degrees, seconds
per page, and time as a ratio to digitize in the same run (the machine is shared: compare ratios).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

sys.dont_write_bytecode = True
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_ocr import CORPUS, corpus_cases  # noqa: E402
from digitize.imaging import skew  # noqa: E402
from digitize.stages.pages import estimate_dpi  # noqa: E402

_DESKEW_ANGLE = re.compile(r"Deskew angle:\s*([-+]?[\d.]+)")


@dataclass
class Tally:
    errors: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failed: int = 0


def estimate_digitize(gray: np.ndarray, dpi: float, path: Path) -> float:
    return skew.estimate_skew(gray, dpi, 15.0).angle


def estimate_deskew(gray: np.ndarray, dpi: float, path: Path) -> float:
    from deskew import determine_skew

    angle = determine_skew(gray)
    return 0.0 if angle is None else -float(angle)


def estimate_tesseract(gray: np.ndarray, dpi: float, path: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(["tesseract", str(path), "stdout", "--psm", "2"], capture_output=True, text=True,
                         env=env, timeout=600)
    found = _DESKEW_ANGLE.search(out.stdout + out.stderr)
    return -math.degrees(float(found.group(1))) if found else 0.0


ESTIMATORS = {"digitize": estimate_digitize, "deskew": estimate_deskew, "tesseract": estimate_tesseract}


def _gray(path: Path) -> tuple[np.ndarray, float]:
    with Image.open(path) as image:
        dpi = image.info.get("dpi", (0, 0))[0] or 0
        dpi = float(dpi) if 100 <= float(dpi) <= 1200 else estimate_dpi(*image.size)
        return np.asarray(image.convert("L")), dpi


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-file", action="store_true", help="Also print every file's estimates.")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"bench-skew: the shared corpus is not at {CORPUS}; see its README.md.", file=sys.stderr)
        return 2
    try:
        import deskew  # noqa: F401
    except ImportError:
        print("bench-skew: the `deskew` package is missing; `make bench-skew` installs it (.[bench]).",
              file=sys.stderr)
        return 2
    cases = [c for c in corpus_cases(CORPUS, photos=0)
             if c.path.parent.name in ("skew-derived", "skew-sbrunner") and c.skew[0] is not None]
    sets = ["skew-derived", "skew-sbrunner", "all"]
    tallies = {(group, name): Tally() for group in sets for name in ESTIMATORS}
    counts = {group: 0 for group in sets}
    rows = []
    for case in cases:
        gray, dpi = _gray(case.path)
        truth = case.skew[0]
        groups = (case.path.parent.name, "all")
        for group in groups:
            counts[group] += 1
        found = {}
        for name, estimate in ESTIMATORS.items():
            start = time.perf_counter()
            try:
                value = estimate(gray, dpi, case.path)
            except Exception as exc:  # noqa: BLE001 - one estimator failing on one file is a result
                print(f"{name} failed on {case.name}: {exc}", file=sys.stderr)
                value = None
            seconds = time.perf_counter() - start
            for group in groups:
                tally = tallies[(group, name)]
                tally.seconds += seconds
                if value is None:
                    tally.failed += 1
                else:
                    tally.errors.append(abs(value - truth))
            found[name] = value
        rows.append((case.name, truth, found))
        print(f"{case.name}: truth {truth:+.2f} " + " ".join(
            f"{n} {'-' if v is None else f'{v:+.2f}'}" for n, v in found.items()), file=sys.stderr, flush=True)

    print(f"\nbench-skew: {len(cases)} pages; errors in degrees. skew-derived: exact angles applied to real "
          "scans; skew-sbrunner: whole-degree truths (a rounding error of up to 0.5 is in the truth)\n")
    print(f"{'set':14} {'estimator':10} {'pages':>5} {'MAE':>6} {'max':>6} {'<=0.1':>6} {'<=0.5':>6} "
          f"{'s/page':>7} {'time ratio':>10} {'failed':>6}")
    for group in sets:
        base = tallies[(group, "digitize")].seconds / counts[group]
        for name in ESTIMATORS:
            t = tallies[(group, name)]
            e = np.array(t.errors) if t.errors else np.array([np.nan])
            per_page = t.seconds / counts[group]
            print(f"{group:14} {name:10} {len(t.errors):5d} {np.nanmean(e):6.2f} {np.nanmax(e):6.2f} "
                  f"{int((e <= 0.1).sum()):6d} {int((e <= 0.5).sum()):6d} {per_page:7.2f} "
                  f"{per_page / base:10.2f} {t.failed:6d}")
        print()
    if args.per_file:
        print(f"\n{'file':45} {'truth':>7} " + " ".join(f"{n:>9}" for n in ESTIMATORS))
        for name, truth, found in rows:
            print(f"{name:45} {truth:+7.2f} " + " ".join(
                f"{'-':>9}" if v is None else f"{v:+9.2f}" for v in found.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
