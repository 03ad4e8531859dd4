"""Search at archive scale: both index backends on the same synthetic archive, in one run.

Builds (or reuses) a synthetic archive of N documents in digitize's own format (``search_corpus.py``:
Indonesian government letters with OCR noise, about 10 pages each), then for each backend:

- build: ``digitize index rebuild --backend NAME`` as a user runs it (its own process): wall time,
  documents per second, peak memory of that process and its helpers together (the sum of their
  proportional set sizes, sampled every 0.2 s), index size;
- warm latency: the product's search (parse, find, pages, snippet) with the index opened once, over a
  fixed mix of 240 queries (words, two words, phrases, OR, NOT, prefixes, fuzzy, type, year and date
  ranges, nomor as printed, NIPs with spaces); p50 / p95 / p99 in milliseconds;
- cold: the wall time of a whole ``digitize search`` process (median of 5);
- known items: of the sample documents' nomor and a phrase from their first page, how often the
  document itself comes first.

The same machine, the same documents and the same queries for both; the baseline is Whoosh, the
engine the project started with. Prints a table and writes ``bench/out/search.json`` (one object per
backend). The archive stays in ``bench/out/search-N/`` with each backend's index beside it
(``index`` is the default backend's), so a query can be rerun by hand:

    make bench-search                                  # 100,000 documents, about a million pages
    make bench-search BENCH_ARGS="--docs 2000"          # a smaller run (CI)
    .venv/bin/digitize search 'nomor:"800/045/BKPSDM/IV/2021"' --archive bench/out/search-2000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from proctree import Sampler  # noqa: E402
from search_corpus import VERSION, queries, write_archive  # noqa: E402

BACKENDS = ("tantivy", "whoosh")


def build(archive: Path, backend: str, env: dict[str, str]) -> dict[str, float]:
    """``digitize index rebuild`` in its own process; its wall time and the peak memory of the whole
    process tree (the rebuild and its analysing helpers), sampled every 0.2 s."""
    args = [sys.executable, "-m", "digitize", "index", "rebuild", "--archive", str(archive), "--backend", backend,
            "--quiet"]
    started = time.perf_counter()
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        with Sampler(proc.pid) as memory:
            out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"index rebuild --backend {backend} failed: {err.strip()[-800:]}")
    size = sum(p.stat().st_size for p in (archive / "index").rglob("*") if p.is_file())
    return {"build_s": elapsed, "peak_rss_mb": memory.peak_tree_kb / 1024, "index_mb": size / 1e6}


def warm(archive: Path, backend: str, mix: list[str]) -> dict[str, float]:
    from digitize.fulltext import open_index
    from digitize.fulltext.query import parse
    from digitize.fulltext.search import run

    index = open_index(archive / "index", backend, readonly=True)
    try:
        for text in mix[:20]:  # warm-up: the OS cache and the index's own
            run(index, parse(text))
        times = []
        for text in mix:
            started = time.perf_counter()
            run(index, parse(text))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        index.close()
    times.sort()
    pick = lambda f: times[min(len(times) - 1, int(round(f * (len(times) - 1))))]  # noqa: E731
    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "max_ms": times[-1]}


def known_items(archive: Path, backend: str, sample) -> dict[str, int]:
    from digitize.fulltext import open_index
    from digitize.fulltext.query import parse
    from digitize.fulltext.search import run

    index = open_index(archive / "index", backend, readonly=True)
    first = tried = 0
    try:
        for doc in sample[:50]:
            words = doc.pages[0].split("\n")[12].split()[:6]  # a line of the body, OCR noise and all
            for text in (f'"{doc.nomor}"', f'"{" ".join(words)}"'):
                tried += 1
                hits = run(index, parse(text), limit=3).hits
                first += bool(hits) and hits[0].id == doc.id
    finally:
        index.close()
    return {"known_first": first, "known_tried": tried}


def cold(archive: Path, env: dict[str, str]) -> float:
    args = [sys.executable, "-m", "digitize", "search", "bimbingan teknis", "--archive", str(archive), "-n", "10"]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, text=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents in the synthetic archive")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated, default both")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    archive = args.out / f"search-{args.docs}"
    stamp = archive / "bench-corpus.json"
    env = dict(os.environ, PYTHONPATH=str(REPO), DIGITIZE_INGEST__SETTLE_SECONDS="0")
    env.pop("DIGITIZE_CONFIG", None)
    info = json.loads(stamp.read_text()) if stamp.exists() else {}
    if info.get("version") == VERSION:
        print(f"reusing the archive {archive} ({info['docs']} documents, {info['pages']} pages)", file=sys.stderr)
    else:
        shutil.rmtree(archive, ignore_errors=True)
        print(f"writing a synthetic archive of {args.docs} documents to {archive} ...", file=sys.stderr)
        started = time.perf_counter()
        pages, _ = write_archive(archive, args.docs)
        info = {"docs": args.docs, "pages": pages, "version": VERSION}
        stamp.write_text(json.dumps(info))
        print(f"  {pages} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from search_corpus import Corpus

    corpus = Corpus()  # the same seed: the same documents; keep every 97th as known items
    sample = [corpus.document(n) for n in range(0, min(args.docs, 97 * 60), 1)][::97]
    mix = queries(sample)
    rows = []
    for backend in backends:
        print(f"{backend}: building ...", file=sys.stderr)
        shutil.rmtree(archive / "index", ignore_errors=True)
        row: dict[str, object] = {"backend": backend, "docs": info["docs"], "pages": info["pages"]}
        built = build(archive, backend, env)
        row.update(built)
        row["build_docs_per_s"] = info["docs"] / built["build_s"]
        row["build_pages_per_s"] = info["pages"] / built["build_s"]
        print(f"{backend}: {len(mix)} warm queries ...", file=sys.stderr)
        row.update(warm(archive, backend, mix))
        row.update(known_items(archive, backend, sample))
        row["cold_search_ms"] = cold(archive, env)
        rows.append(row)
        kept = archive / f"index.{backend}"
        shutil.rmtree(kept, ignore_errors=True)
        (archive / "index").rename(kept)
    default = backends[0]
    if (archive / f"index.{default}").exists():
        shutil.copytree(archive / f"index.{default}", archive / "index")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "search.json").write_text(json.dumps(rows, indent=2))
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    base = next((r for r in rows if r["backend"] == "whoosh"), None)
    head = (f"{'backend':<8} {'docs':>7} {'pages':>8} {'build s':>8} {'docs/s':>7} {'pages/s':>8} {'peak MB':>8} "
            f"{'index MB':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'cold ms':>8} {'known 1st':>10}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['backend']:<8} {r['docs']:>7} {r['pages']:>8} {r['build_s']:>8.1f} {r['build_docs_per_s']:>7.0f} "
              f"{r['build_pages_per_s']:>8.0f} {r['peak_rss_mb']:>8.0f} {r['index_mb']:>9.0f} {r['p50_ms']:>7.1f} "
              f"{r['p95_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['cold_search_ms']:>8.0f} "
              f"{r['known_first']:>4}/{r['known_tried']:<5}")
    if base is not None:
        for r in rows:
            if r is not base:
                print(f"{r['backend']} vs whoosh (same documents, same queries, same machine): build "
                      f"{base['build_s'] / r['build_s']:.1f}x faster, p95 {base['p95_ms'] / r['p95_ms']:.1f}x "
                      f"lower, peak memory {base['peak_rss_mb'] / r['peak_rss_mb']:.1f}x lower")


if __name__ == "__main__":
    main()
