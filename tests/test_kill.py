"""``kill -9`` at random moments of ``ingest`` and of ``index rebuild``: after the next run the archive,
ledger and index equal those of an uninterrupted run, and nothing is left inside or outside the archive.

Each run is a real process (the fake OCR engine, a real process pool, the real ledger and index)."""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitize import catalog
from digitize.settings import load_settings
from tests.conftest import make_page

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

RUN = """
import sys
from pathlib import Path
from digitize.settings import load_settings
from digitize.pipeline import ingest
from digitize import catalog
from tests.fakes import FakeEngine
inbox, archive, what = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
settings = load_settings(env={}, overrides={"archive.path": archive, "ingest.jobs": 2,
                                           "ingest.settle_seconds": 0}, cwd=archive.parent)
texts = {f"surat{n}.png": [f"SURAT DINAS\\nNomor : 800/{n}/BKD/2023\\nPerihal : Laporan {n}\\nkata{n} arsip"]
         for n in range(8)}
if what == "ingest":
    ingest(inbox, settings, engine=FakeEngine(texts, delay=0.15))
else:
    catalog.rebuild(settings)
"""


def run(inbox: Path, archive: Path, what: str, tmp: Path, kill_after: float | None = None) -> int:
    env = {"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "PATH": "/usr/bin:/bin", "HOME": str(tmp)}
    process = subprocess.Popen([sys.executable, "-c", RUN, str(inbox), str(archive), what], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    if kill_after is None:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return 0
    time.sleep(kill_after)
    import os

    try:
        os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, as a power cut would
    except ProcessLookupError:
        pass
    process.wait(timeout=30)
    return process.returncode


def state(archive: Path) -> dict:
    """What must equal an uninterrupted run's: the documents' files, the ledger's documents, the index."""
    files = {}
    for path in sorted((archive / "documents").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".json":  # the run that wrote it differs
                meta = json.loads(data)
                for key in ("run", "created", "archived", "checksums", "events"):  # times differ
                    meta.pop(key, None)
                data = json.dumps(meta, sort_keys=True).encode()
            files[str(path.relative_to(archive))] = data if path.suffix != ".pdf" else len(data) > 0
    db = sqlite3.connect(archive / "ledger.sqlite3")
    docs = sorted(tuple(r) for r in db.execute("SELECT id, type, pdf_path, txt_sha256, indexed FROM documents"))
    db.close()
    settings = load_settings(env={}, overrides={"archive.path": archive}, cwd=archive.parent)
    hits = {n: [h.id for h in catalog.search(settings, f"kata{n}")] for n in range(8)}
    return {"files": files, "documents": docs, "hits": hits}


def leftovers(archive: Path, tmp: Path) -> list[str]:
    inside = [str(p) for p in archive.rglob("*") if p.name.endswith(".part") or ".scratch" in p.parts
              or p.name in ("index.new", "index.old")]
    outside = [str(p) for p in tmp.rglob("*")]
    return inside + outside


def test_kill_9_at_random_moments_then_a_full_run_equals_an_uninterrupted_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(8):
        make_page(inbox / f"surat{n}.png", label=f"surat {n}")
    reference, archive = tmp_path / "reference", tmp_path / "arsip"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    started = time.perf_counter()
    run(inbox, reference, "ingest", tmp)
    duration = time.perf_counter() - started
    expected = state(reference)
    assert len(expected["documents"]) == 8
    chance = random.Random(20261202)
    kills = 0
    for _ in range(12):  # ingest killed at random moments, each resumed by the next
        if run(inbox, archive, "ingest", tmp, kill_after=chance.uniform(0.2, duration)) != 0:
            kills += 1
    for _ in range(8):  # index rebuild killed at random moments (20 kills in all)
        run(inbox, archive, "rebuild", tmp, kill_after=chance.uniform(0.2, 2.5))
    run(inbox, archive, "ingest", tmp)
    assert kills >= 3  # later runs have less left to do, so fewer of their kills land mid-work
    assert state(archive) == expected
    assert leftovers(archive, tmp) == []
    db = sqlite3.connect(archive / "ledger.sqlite3")
    statuses = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY id")]
    db.close()
    assert "running" not in statuses and statuses[-1] == "ok"


CLI = """
import sys
from digitize.stages import ocr
from tests.fakes import FakeEngine
texts = {f"surat{n}.png": [f"SURAT DINAS\\nNomor : 800/{n}/BKD/2023\\nPerihal : Laporan {n}\\nkata{n} arsip"]
         for n in range(8)}
ocr._ENGINES["tesseract"] = lambda: FakeEngine(texts, delay=0.15)
from digitize.cli import main
main(sys.argv[1:])
"""


def test_sigterm_at_random_moments_stops_cleanly_leaves_no_orphan_and_the_next_run_completes(tmp_path):
    """SIGTERM to the parent alone (what systemd's KillMode=mixed and `timeout` send) through the real CLI:
    exit 143 or 0, no worker left in its process group, and after one more run the same archive as an
    uninterrupted run."""
    import os

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(8):
        make_page(inbox / f"surat{n}.png", label=f"surat {n}")
    reference, archive, tmp = tmp_path / "reference", tmp_path / "arsip", tmp_path / "tmp"
    tmp.mkdir()
    run(inbox, reference, "ingest", tmp)
    env = {"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "PATH": "/usr/bin:/bin", "HOME": str(tmp),
           "DIGITIZE_INGEST__SETTLE_SECONDS": "0"}
    args = ["ingest", str(inbox), "--archive", str(archive), "--jobs", "2", "--quiet"]
    chance = random.Random(20261203)
    codes = []
    for _ in range(10):
        process = subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        time.sleep(chance.uniform(0.3, 2.5))
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        codes.append(process.returncode)
        # -15: the signal came while Python itself was starting, before digitize set its handler (nothing begun)
        assert process.returncode in (0, 143, -15), err
        assert "Traceback" not in err
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)  # anyone left in its process group (a worker)?
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError("a worker outlived its parent's SIGTERM")
    final = subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert codes.count(143) >= 3  # most signals landed while it worked
    assert state(archive) == state(reference)
    assert leftovers(archive, tmp) == []
    db = sqlite3.connect(archive / "ledger.sqlite3")
    statuses = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY id")]
    db.close()
    # a signal during start-up, before the run is recorded, leaves no run; every recorded one is interrupted
    assert set(statuses[:-1]) <= {"interrupted", "ok"} and statuses[-1] == "ok"
    # a fast machine finishes the 8 scans in two or three runs; later signals land in runs with nothing to do
    assert 1 <= statuses.count("interrupted") <= codes.count(143)


def test_a_sigterm_that_falls_in_a_finalizer_is_delivered_again_after_it():
    """Python ignores an exception raised in a finalizer (and prints it); SIGTERM arriving there is
    delivered once more after the hook has returned, so the run still stops, without a traceback."""
    import gc

    from digitize.errors import Terminated
    from digitize.signals import TermSignal

    class Finalized:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises Terminated here, inside __del__
            for _ in range(1000):
                pass

    import os

    printed = []
    previous = sys.unraisablehook
    try:
        with TermSignal() as term:
            term.unraisable = printed.append  # what Python would print: nothing may reach it
            Finalized()
            gc.collect()
            with pytest.raises(Terminated):
                time.sleep(2)  # delivered again, a moment later, here
    finally:
        sys.unraisablehook = previous
    assert printed == []
