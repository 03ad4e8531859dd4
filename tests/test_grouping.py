"""Grouping files into documents, and separator sheets (fake OCR engine, real zxing-cpp)."""

import json
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image

from digitize.models import SourceFile
from digitize.pipeline import ingest
from digitize.settings import load_settings
from digitize.stages.grouping import group
from tests.conftest import make_page
from tests.fakes import FakeEngine


def sf(rel: str, mtime: float = 0.0) -> SourceFile:
    return SourceFile(Path("/in") / rel, rel, 1, mtime, rel.ljust(64, "0"), "png")


def names(groups):
    return [[f.rel for f in g] for g in groups]


def test_file_folder_and_pattern_grouping():
    files = [sf("a/scan_10.png"), sf("a/scan_2.png"), sf("a/other_1.png"), sf("b/x.png")]
    assert names(group(files, "file")) == [[f.rel] for f in files]
    assert names(group(files, "folder")) == [["a/other_1.png", "a/scan_2.png", "a/scan_10.png"], ["b/x.png"]]
    assert names(group(files, "pattern")) == [["a/other_1.png"], ["a/scan_2.png", "a/scan_10.png"], ["b/x.png"]]


def test_time_gap_grouping():
    files = [sf("s_1.png", 0), sf("s_2.png", 10), sf("s_3.png", 200), sf("s_4.png", 230)]
    assert names(group(files, "time-gap", time_gap=60)) == [["s_1.png", "s_2.png"], ["s_3.png", "s_4.png"]]


def code_page(text: str, fmt=zxingcpp.BarcodeFormat.QRCode) -> Image.Image:
    code = Image.fromarray(np.array(zxingcpp.create_barcode(text, fmt).to_image(scale=4)))
    page = Image.new("L", (850, 1100), 255)
    page.paste(code, (60, 400))
    return page


def settings_for(tmp_path, **overrides):
    base = {"archive.path": tmp_path / "arsip", "ingest.jobs": 1, "ingest.settle_seconds": 0}
    return load_settings(env={}, overrides=base | overrides, cwd=tmp_path)


def test_separator_sheets_split_a_batch_and_carry_metadata(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pages = [Image.open(make_page(tmp_path / f"p{n}.png", label=f"doc {n}")) for n in range(3)]
    sheets = [code_page("DIGITIZE:type=nota_dinas;box=12"), code_page("PATCHT", zxingcpp.BarcodeFormat.Code39)]
    frames = [pages[0], sheets[0], pages[1], pages[2], sheets[1], pages[0].rotate(180)]
    frames[0].save(inbox / "batch.tif", save_all=True, append_images=frames[1:], dpi=(100, 100))
    settings = settings_for(tmp_path, **{"ingest.separators": True})
    report = ingest(inbox, settings, engine=FakeEngine({"batch.tif": ["satu", "dua", "tiga"]}))
    assert report.failed == 0
    assert (report.documents, report.separators, report.pages) == (3, 2, 4)
    metas = sorted((json.loads(p.read_text()) for p in settings.archive.path.glob("documents/*/*/*.json")),
                   key=lambda m: m["sources"][0]["pages"])
    assert [m["sources"][0]["pages"] for m in metas] == [[1], [3, 4], [6]]
    assert len({m["id"] for m in metas}) == 3
    second = metas[1]
    assert second["type"] == "nota_dinas" and second["type_confidence"] == 1.0
    assert second["fields"]["separator"]["value"] == {"type": "nota_dinas", "box": "12"}
    again = ingest(inbox, settings, engine=FakeEngine({}))
    assert (again.new, again.documents) == (0, 0)


def test_folder_grouping_makes_one_document_of_many_files(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "berkas-12").mkdir(parents=True)
    for n in (1, 2, 10):
        make_page(inbox / "berkas-12" / f"hal_{n}.png", label=f"halaman {n}")
    settings = settings_for(tmp_path, **{"ingest.group": "folder"})
    report = ingest(inbox, settings, engine=FakeEngine({}))
    assert (report.documents, report.pages) == (1, 3)
    meta = json.loads(next(settings.archive.path.glob("documents/*/*/*.json")).read_text())
    assert [s["path"] for s in meta["sources"]] == ["berkas-12/hal_1.png", "berkas-12/hal_2.png",
                                                    "berkas-12/hal_10.png"]
    assert [p["source"] for p in meta["pages"]] == [s["path"] for s in meta["sources"]]
