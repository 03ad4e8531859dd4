"""One batch of everything a scanner room can throw at digitize (issue: fail safely).

Real Tesseract and OCRmyPDF. Good files must be archived and searchable; every bad
file is refused with its reason; the inputs are byte-identical afterwards; nothing
but the good documents is written to the archive.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import threading
import time
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import SAMPLES, need_tools
from tests.test_e2e import cli

pytestmark = pytest.mark.slow


def text_image(text: str, fmt: str = "PNG") -> bytes:
    page = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=60)
    for n, line in enumerate(text.split("\n")):
        draw.text((150, 120 + n * 110), line, fill=0, font=font)
    out = io.BytesIO()
    page.save(out, format=fmt, dpi=(300, 300))
    return out.getvalue()


def snapshot(root: Path) -> dict[bytes, str]:
    found = {}
    for dirpath, _, files in os.walk(os.fsencode(root)):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                found[path] = "special"
                continue
            try:
                with open(path, "rb") as handle:
                    found[path] = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                found[path] = "unreadable"
    return found


def test_one_batch_of_good_and_bad_input(tmp_path):
    need_tools()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside = tmp_path / "outside.png"
    outside.write_bytes(text_image("rahasia di luar kotak masuk"))

    # good files
    shutil.copy(SAMPLES / "nota-dinas-clean.png", inbox / "nota-dinas-clean.png")
    metachar = "surat $(touch PWNED) `id`; rm -rf ~ | & 'x'.png"
    (inbox / metachar).write_bytes(text_image("Undangan rapat koordinasi kearsipan daerah"))
    os.makedirs(os.fsencode(inbox / "lama"))
    with open(os.fsencode(inbox / "lama") + b"/arsip-\xe9t\xe9.png", "wb") as handle:  # Latin-1 name
        handle.write(text_image("Laporan inventaris arsip statis kecamatan"))
    (inbox / ("a" * 200 + ".jpg")).write_bytes(text_image("Surat edaran penertiban arsip dinamis", "JPEG"))
    active = pikepdf.open(io.BytesIO(img2pdf.convert(text_image("Berita acara serah terima berkas pegawai"))))
    active.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    active.attachments["payload.txt"] = pikepdf.AttachedFileSpec(active, b"hidden payload")
    active.save(inbox / "active-content.pdf")

    # bad files
    (inbox / "empty.jpg").write_bytes(b"")
    jpeg = (SAMPLES / "surat-tugas-150dpi.jpg").read_bytes()
    (inbox / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 3])
    tiff = (SAMPLES / "laporan-multipage.tif").read_bytes()
    (inbox / "truncated.tif").write_bytes(tiff[: len(tiff) // 2])
    pdf = (SAMPLES / "keputusan-2-pages.pdf").read_bytes()
    (inbox / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    secret = pikepdf.open(inbox / "active-content.pdf")
    secret.save(inbox / "encrypted.pdf", encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))
    Image.new("1", (20000, 20000), 1).save(inbox / "bomb.png")  # 400 MP, a few kB on disk
    Image.new("L", (1, 1), 255).save(inbox / "dot.png")
    Image.new("L", (60000, 20), 255).save(inbox / "strip.png")
    frames = [Image.new("L", (200, 280), 255) for _ in range(60)]
    frames[0].save(inbox / "many-pages.tif", save_all=True, append_images=frames[1:])
    (inbox / "liar.jpg").write_bytes(text_image("bukan jpeg"))
    os.mkfifo(inbox / "pipe.png")
    os.symlink(outside, inbox / "link.png")
    if os.geteuid() != 0:
        (inbox / "unreadable.png").write_bytes(text_image("tidak boleh dibaca"))
        os.chmod(inbox / "unreadable.png", 0)

    # a file the scanner is still writing while the batch starts
    growing = inbox / "growing.jpg"
    growing.write_bytes(jpeg[:1000])
    stop = threading.Event()

    def keep_writing():
        while not stop.is_set():
            with growing.open("ab") as handle:
                handle.write(b"\0" * 100)
            time.sleep(0.2)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    old = time.time() - 3600
    for path in inbox.iterdir():
        if path.name != "growing.jpg" and path.is_file() and not path.is_symlink():
            os.utime(path, (old, old))
    config = tmp_path / "job.toml"
    config.write_text("[ingest]\nsettle_seconds = 2\njobs = 2\n[pages]\nmax_pages = 50\n")
    try:
        before = {k: v for k, v in snapshot(inbox).items() if not k.endswith(b"growing.jpg")}
        env_cli = cli("ingest", "inbox", "--archive", "arsip", "--config", str(config), "--json", cwd=tmp_path,
                      settle=None)
    finally:
        stop.set()
        writer.join()
    assert env_cli.returncode == 1, env_cli.stderr
    summary = json.loads(env_cli.stdout)
    reasons = {f["path"]: f["reason"] for f in summary["failures"]}
    expected = {
        "empty.jpg": "empty", "truncated.jpg": "corrupt", "truncated.tif": "corrupt",
        "truncated.pdf": "corrupt", "encrypted.pdf": "encrypted", "bomb.png": "too-large",
        "many-pages.tif": "too-many-pages", "liar.jpg": "extension-mismatch", "pipe.png": "not-a-file",
        "link.png": "symlink", "dot.png": "too-small", "strip.png": "too-small",
    }
    if os.geteuid() != 0:
        expected["unreadable.png"] = "unreadable"
    assert reasons == expected
    for failure in summary["failures"]:
        assert "\n" not in failure["message"] and failure["message"].startswith(failure["path"])
    assert summary["deferred"] == 1  # growing.jpg: next run
    assert summary["documents"] == 5 and summary["exit_code"] == 1
    assert any("removed active content" in n["message"] for n in summary["notices"])
    assert not (tmp_path / "PWNED").exists() and not (inbox / "PWNED").exists()

    # inputs untouched
    after = {k: v for k, v in snapshot(inbox).items() if not k.endswith(b"growing.jpg")}
    assert after == before

    # only the good documents, their sidecars, the ledger and the index in the archive
    archive = tmp_path / "arsip"
    docs = sorted(p.name for p in (archive / "documents").rglob("*") if p.is_file())
    assert len(docs) == 15 and all(Path(d).suffix in (".pdf", ".txt", ".json") for d in docs)
    assert sorted(p.name for p in archive.iterdir()) == [".lock", "documents", "index", "ledger.sqlite3"] + \
        sorted(p.name for p in archive.iterdir() if p.name.startswith("ledger.sqlite3-")) + ["reports"]
    for pdf_path in (archive / "documents").rglob("*.pdf"):
        with pikepdf.open(pdf_path) as out:
            assert "/OpenAction" not in out.Root and len(out.attachments) == 0
            assert b"/JavaScript" not in pdf_path.read_bytes()

    # the good files are searchable
    for phrase, source in [("rapat koordinasi kearsipan", metachar), ("inventaris arsip statis", "lama/arsip-"),
                           ("penertiban arsip dinamis", "a" * 200), ("serah terima berkas", "active-content.pdf"),
                           ("lemari arsip bergerak", "nota-dinas-clean.png")]:
        hits = json.loads(cli("search", f'"{phrase}"', "--archive", "arsip", "--json", cwd=tmp_path).stdout)["hits"]
        assert hits and hits[0]["sources"][0]["path"].startswith(source), (phrase, hits[:1])

    quarantine = cli("quarantine", "list", "--archive", "arsip", "--json", cwd=tmp_path)
    assert quarantine.returncode == 0
    listed = {row["path"]: row["reason"] for row in json.loads(quarantine.stdout)}
    assert listed == expected
