"""Seconds per page: plain `tesseract` vs digitize's whole per-document work, same pages, same run.

Usage: python bench/bench_ocr_speed.py [FILES...]   (default: every scan in samples/)

Both run one at a time with OMP_THREAD_LIMIT=1. Plain tesseract reads each scan as it is
(a multi-page TIFF in one call; PDF pages rasterized at 300 dpi first, untimed) and writes
text only. digitize runs prepare, OCR to
PDF/A through OCRmyPDF, text extraction, classification and field extraction. Report the
ratio, not the seconds: the machine is shared and noisy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitize.models import DocumentJob  # noqa: E402
from digitize.settings import load_settings  # noqa: E402
from digitize.stages import classify  # noqa: E402
from digitize.stages.discover import discover  # noqa: E402
from digitize.stages.ocr import TesseractEngine  # noqa: E402
from digitize.worker import WorkerContext, document_id, init_worker, process_document  # noqa: E402


def plain_tesseract(images: list[Path], lang: str) -> float:
    start = time.perf_counter()
    for image in images:
        subprocess.run(["tesseract", str(image), "-", "-l", lang], check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    init_worker()
    settings = load_settings(env={}, cwd=REPO)
    lang = settings.ocr.lang
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        sources = [Path(a) for a in argv] or sorted(p for p in (REPO / "samples").iterdir())
        for src in sources:
            if src.is_file():
                shutil.copy(src, inbox / src.name)
        found = discover(inbox, settings.ingest.extensions).files
        engine = TesseractEngine()
        ctx = WorkerContext(settings, engine, classify.load_rules(settings.classify.rules),
                            engine.check(settings.ocr))
        rows = []
        for source in found:
            scratch = Path(tmp) / source.rel
            scratch.mkdir()
            if source.kind == "pdf":
                subprocess.run(["pdftoppm", "-r", "300", "-png", str(source.path), str(scratch / "p")], check=True)
                images = sorted(scratch.glob("p*.png"))
            else:
                images = [source.path]
            base = plain_tesseract(images, lang)
            start = time.perf_counter()
            result = process_document(DocumentJob(document_id([(source.sha256, None)]), (source,)), ctx)
            ours = time.perf_counter() - start
            n = sum(len(doc.pages) for doc in result.documents) if hasattr(result, "documents") else 1
            status = "ok" if hasattr(result, "documents") else f"FAILED {result.reason}"
            rows.append((source.rel, n, base / n, ours / n, ours / base, status))
    print(f"{'file':34} {'pages':>5} {'tesseract s/p':>14} {'digitize s/p':>13} {'ratio':>6}  status")
    for name, n, b, o, r, status in rows:
        print(f"{name:34} {n:5d} {b:14.2f} {o:13.2f} {r:6.2f}  {status}")
    total_pages = sum(r[1] for r in rows)
    base_total = sum(r[1] * r[2] for r in rows)
    ours_total = sum(r[1] * r[3] for r in rows)
    print(f"{'TOTAL':34} {total_pages:5d} {base_total / total_pages:14.2f} "
          f"{ours_total / total_pages:13.2f} {ours_total / base_total:6.2f}")
    return 0


if __name__ == "__main__":
    os.environ["OMP_THREAD_LIMIT"] = "1"
    sys.exit(main(sys.argv[1:]))
