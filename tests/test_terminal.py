"""The CLI as clerks see it: on a real pseudo-terminal (progress with the file, pages per minute and
the time left; highlights without colour), and piped (full names, ids and paths, tab-separated,
no boxes, nothing cut). Each run is a real process with the fake OCR engine."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.conftest import make_page

ROOT = Path(__file__).resolve().parents[1]
LONG = "surat-masuk-dinas-kependudukan-dan-pencatatan-sipil-kabupaten-jayapura-2023-nomor-470-" + "x" * 40
CLI = """
import sys
from digitize.stages import ocr
from tests.fakes import FakeEngine
texts = {f"surat{n}.png": [f"SURAT DINAS\\nNomor : 800/{n}/BKD/2023\\nPerihal : Laporan kearsipan {n}\\n"
                           f"bimbingan teknis arsip"] for n in range(6)}
texts["LONG.png"] = ["daftar hadir peserta rapat"]
ocr._ENGINES["tesseract"] = lambda: FakeEngine(texts, delay=0.4)
from digitize.cli import main
main(sys.argv[1:])
""".replace("LONG", LONG)
BOXES = re.compile("[│┃┏┓┗┛━─╭╮╰╯…]")


def env(home: Path, **extra: str) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "DIGITIZE_INGEST__SETTLE_SECONDS": "0", **extra}


def on_a_terminal(args: list[str], home: Path, columns: int = 80, stdout_too: bool = False,
                  **extra: str) -> tuple[int, str, str]:
    """Run the CLI with stderr (and stdin; with ``stdout_too`` stdout as well) on a pseudo-terminal of
    ``columns``, else stdout to a file: (exit code, what the terminal showed, what the file got)."""
    try:
        master, slave = pty.openpty()
    except OSError as exc:  # a chroot or container without /dev/pts
        pytest.skip(f"no pseudo-terminal here ({exc}): mount devpts to run this test")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    out_path = home / "stdout.txt"
    settings = {"TERM": "xterm-256color", "COLUMNS": str(columns), **extra}
    with out_path.open("w") as out:
        process = subprocess.Popen([sys.executable, "-c", CLI, *args], cwd=ROOT, stdin=slave,
                                   stdout=slave if stdout_too else out, stderr=slave, env=env(home, **settings))
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            process.kill()
            pytest.fail("the CLI wrote nothing for 120 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    code = process.wait(timeout=60)
    return code, shown.decode("utf-8", "replace"), out_path.read_text(encoding="utf-8")


def piped(args: list[str], home: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CLI, *args], cwd=ROOT, capture_output=True, text=True,
                          env=env(home, **extra), timeout=300)


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in range(6):
        make_page(folder / f"surat{n}.png", label=f"surat {n}")
    make_page(folder / f"{LONG}.png", label="daftar hadir")
    (folder / f"{LONG}-rusak.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return folder


def test_progress_on_a_terminal_names_the_file_counts_pages_and_goes_to_stderr(tmp_path, inbox):
    code, shown, stdout = on_a_terminal(["ingest", str(inbox), "--archive", str(tmp_path / "arsip"), "--jobs", "1"],
                                        tmp_path)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert code == 1, plain  # the broken JPEG
    assert stdout == ""  # progress and summary are messages, not data: stdout redirected stays empty
    # while it runs, the file a worker has (with --jobs 1 the next one waits beside it); at the end the last
    # pages done of the 8 the files hold (7 images and the broken one, whose header says 1)
    assert re.search(r"\d of 8 pages, \d+ pages/min; now: (surat\d\.png|surat-masuk\S+) \(\+1 more\)", plain), plain
    assert re.search(r"\d of 8 pages, \d+ pages/min; last: \S+\.(png|jpg)", plain), plain
    assert "eta" in plain and "files" in plain
    assert "digitize ingest summary" in plain and "failures: 1" in plain


def test_an_indonesian_terminal_shows_progress_summary_and_failures_in_indonesian(tmp_path, inbox):
    """LANG=id_ID.UTF-8 (ui.language "auto"): the bar, the summary and the failure line are Indonesian;
    the file names, the reason code and the command names are as they are."""
    code, shown, _out = on_a_terminal(["ingest", str(inbox), "--archive", str(tmp_path / "arsip"), "--jobs", "1"],
                                      tmp_path, LANG="id_ID.UTF-8")
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert code == 1, plain
    assert re.search(r"\d dari 8 halaman, \d+ halaman/menit; sekarang: \S+", plain), plain
    assert "berkas" in plain and "pages/min" not in plain and "failures:" not in plain, plain
    assert "corrupt" in plain  # the reason code stays


def test_piped_output_has_every_full_name_id_and_path_and_no_boxes(tmp_path, inbox):
    archive = str(tmp_path / "arsip")
    done = piped(["ingest", str(inbox), "--archive", archive, "--jobs", "1"], tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert f"failures: 1\nfile\treason\twhat to do\n{LONG}-rusak.jpg\tcorrupt\t" in done.stderr
    quarantine = piped(["quarantine", "list", "--archive", archive], tmp_path)
    assert quarantine.stdout.splitlines()[0] == "file\treason\ttries\twhat to do"
    assert quarantine.stdout.splitlines()[1].startswith(f"{LONG}-rusak.jpg\tcorrupt\t1\t{LONG}-rusak.jpg: ")
    review = piped(["review", "--archive", archive, "--below", "1.01"], tmp_path)
    rows = [line.split("\t") for line in review.stdout.splitlines()]
    assert rows[0] == ["id", "type", "confidence", "date", "title", "source"]
    ids = {row[0] for row in rows[1:]}
    assert len(ids) == 7 and all(re.fullmatch(r"[0-9a-f]{12,}", i) for i in ids)
    assert f"{LONG}.png" in {row[5] for row in rows[1:]}
    search = piped(["search", "daftar hadir", "--archive", archive], tmp_path)
    hit = next(row for row in rows[1:] if row[5] == f"{LONG}.png")
    assert re.search(rf"   {re.escape(archive)}/documents/\S+/{hit[0]}\.pdf  id {hit[0]}  score", search.stdout)
    for output in (done.stderr, quarantine.stdout, review.stdout, search.stdout):
        assert not BOXES.search(output)
        assert all(len(line) < 2000 for line in output.splitlines())


@pytest.mark.parametrize("setting", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_highlights_stay_readable_without_colour(tmp_path, inbox, setting):
    archive = str(tmp_path / "arsip")
    piped(["ingest", str(inbox), "--archive", archive, "--jobs", "1"], tmp_path)
    code, shown, _ = on_a_terminal(["search", "bimbingan", "--archive", archive], tmp_path, stdout_too=True,
                                   **setting)
    assert code == 0, shown
    assert "**bimbingan**" in shown and "\x1b[1;33m" not in shown
