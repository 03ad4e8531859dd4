from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Keep every test away from the developer's config, environment and working directory."""
    for name in list(os.environ):
        if name.startswith("DIGITIZE_") or name in ("LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LANGUAGE", "en")  # messages in English whatever the developer's locale (tests of
    from digitize import i18n  # Indonesian set the language themselves)

    monkeypatch.setattr(i18n, "_current", None)  # chosen again at the first message of each test
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("DIGITIZE_INGEST__SETTLE_SECONDS", "0")  # test files are written just before ingest
    monkeypatch.chdir(tmp_path)


def make_page(path: Path, label: str = "page", size=(850, 1100), dpi=100, fmt=None, frames=1):
    """A small page image with a few dark marks (and a label) on white."""
    pages = []
    for n in range(frames):
        img = Image.new("L", size, 255)
        draw = ImageDraw.Draw(img)
        draw.text((60, 60 + 30 * n), f"{label} {n + 1}", fill=0)
        draw.rectangle((60, 200, 400, 220), fill=0)
        pages.append(img)
    kwargs = {"dpi": (dpi, dpi)} if dpi else {}
    if frames > 1:
        pages[0].save(path, format=fmt, save_all=True, append_images=pages[1:], **kwargs)
    else:
        pages[0].save(path, format=fmt, **kwargs)
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}: end-to-end corpus tests need ../shared/corpus")
    return CORPUS


def need_tools():
    missing = [t for t in ("tesseract", "pdftotext", "pdftoppm", "gs") if not shutil.which(t)]
    if missing:
        pytest.fail(f"end-to-end tests need {', '.join(missing)}: run `make install`")


@pytest.fixture
def inbox(tmp_path):
    """Three small scans (a 2-page TIFF, a PNG, a JPEG) and a text file, for the fake-engine tests."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "undangan.tif", frames=2)
    make_page(inbox / "nota.png", dpi=None)
    make_page(inbox / "misc.jpg", fmt="JPEG")
    (inbox / "notes.txt").write_text("not a scan")
    return inbox
