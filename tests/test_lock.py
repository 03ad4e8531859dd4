"""One writer per archive: a second writer exits at once (code 8) naming the holder, or waits; a gone
holder's lock is taken over with a notice; searches never wait."""

import json
import os
import subprocess
import sys
import time

import pytest

from digitize import catalog
from digitize.errors import BusyError, ExitCode
from digitize.lock import LOCK_NAME, archive_lock, holder
from digitize.pipeline import ingest
from tests.conftest import REPO, SAMPLES, need_tools
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS, settings_for

HOLD = """
import sys, time
from pathlib import Path
from digitize.lock import archive_lock
with archive_lock(Path(sys.argv[1]), "ingest"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold(archive, seconds):
    """Another process holding the archive's lock for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(archive), str(seconds)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_exits_at_once_naming_the_holder(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    other = hold(settings.archive.path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(BusyError) as raised:
            ingest(inbox, settings, engine=FakeEngine(TEXTS))
        assert time.monotonic() - started < 1.0
        assert raised.value.exit_code == ExitCode.BUSY == 8
        assert f"pid {other.pid}" in str(raised.value) and "--wait" in str(raised.value)
        for writer in (lambda: catalog.rebuild(settings),):
            with pytest.raises(BusyError):
                writer()
        assert holder(settings.archive.path)["pid"] == other.pid
        started = time.monotonic()
        assert catalog.search(settings, "bimbingan")  # a search never waits for the lock
        assert time.monotonic() - started < 5
    finally:
        other.kill()
        other.wait()


def test_a_writer_given_wait_waits_for_the_holder(tmp_path, inbox):
    from dataclasses import replace

    settings = settings_for(tmp_path)
    settings.archive.path.mkdir()
    other = hold(settings.archive.path, 1.5)
    waiting = replace(settings, archive=replace(settings.archive, lock_wait=30.0))
    report = ingest(inbox, waiting, engine=FakeEngine(TEXTS))
    assert other.wait(timeout=10) == 0
    assert report.documents == 3
    assert not any(n.reason == "stale-lock" for n in report.notices)  # released cleanly


def test_the_lock_of_a_killed_writer_is_taken_over_with_a_notice(tmp_path, inbox):
    settings = settings_for(tmp_path)
    settings.archive.path.mkdir()
    other = hold(settings.archive.path, 60)
    other.kill()  # kill -9: the kernel drops its lock, its name stays in the file
    other.wait()
    assert json.loads((settings.archive.path / LOCK_NAME).read_text())["pid"] == other.pid
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert report.documents == 3
    [notice] = [n for n in report.notices if n.reason == "stale-lock"]
    assert f"pid {other.pid}" in notice.message and "which is gone" in notice.message
    assert holder(settings.archive.path) is None
    assert (settings.archive.path / LOCK_NAME).read_text() == ""  # released: no holder named


def test_the_lock_is_reentrant_and_not_inherited_by_workers(tmp_path):
    root = tmp_path / "arsip"
    root.mkdir()
    with archive_lock(root, "repair"):
        with archive_lock(root, "ingest"):
            pass
        assert holder(root)["command"] == "repair"  # still held after the inner writer
        child = subprocess.run([sys.executable, "-c", HOLD, str(root), "0"], capture_output=True, text=True,
                               cwd=REPO, timeout=30)
        assert child.returncode == 1 and "is busy" in child.stderr
        pid = os.fork()
        if pid == 0:  # a forked child (a worker) does not share its parent's lock: it cannot take it
            import fcntl

            fd = os.open(root / LOCK_NAME, os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os._exit(3)  # it got the lock: it would have kept the archive locked after its parent died
            except OSError:
                os._exit(0)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert holder(root) is None


@pytest.mark.slow
def test_two_real_ingests_started_together_never_both_write(tmp_path):
    """Real Tesseract and OCRmyPDF: the second `digitize ingest` exits 8 within a second, naming the first;
    a third with --wait waits and then finds nothing left to do."""
    need_tools()
    inbox = tmp_path / "scans"
    inbox.mkdir()
    for name in ("nota-dinas-clean.png", "surat-tugas-150dpi.jpg", "keputusan-2-pages.pdf"):
        (inbox / name).write_bytes((SAMPLES / name).read_bytes())
    archive = tmp_path / "arsip"
    cli = [sys.executable, "-m", "digitize", "ingest", str(inbox), "--archive", str(archive), "--json"]
    env = dict(os.environ, DIGITIZE_INGEST__SETTLE_SECONDS="0")
    first = subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while holder(archive) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert holder(archive)["pid"] == first.pid
    started = time.monotonic()
    second = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == ExitCode.BUSY and time.monotonic() - started < 10  # the CLI's start-up included
    assert f"pid {first.pid}" in second.stderr and "Traceback" not in second.stderr
    third = subprocess.run([*cli, "--wait", "600"], env=env, capture_output=True, text=True, timeout=900)
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err
    assert json.loads(out)["documents"] == 3
    assert third.returncode == 0, third.stderr
    assert (json.loads(third.stdout)["new"], json.loads(third.stdout)["documents"]) == (0, 0)
