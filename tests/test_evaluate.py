"""digitize eval: where the ground truth comes from, and scoring with a fake OCR engine (fast)."""

import json

import pytest

from digitize.errors import ConfigError
from digitize.evaluate import evaluate, find_truths, read_manifest, truth_path_for
from digitize.settings import load_settings
from tests.conftest import make_page
from tests.fakes import FakeEngine

TRUTH = "Surat Keputusan Bupati\nNomor 12 Tahun 2023"


@pytest.fixture
def scans(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    make_page(folder / "sk.png")
    make_page(folder / "nota.tif", frames=2)
    return folder


def settings_for(tmp_path):
    return load_settings(env={}, overrides={"archive.path": tmp_path / "arsip"}, cwd=tmp_path)


# --- truth lookup --------------------------------------------------------------------


def test_default_truth_is_beside_the_scan(scans):
    (scans / "sk.txt").write_text(TRUTH, encoding="utf-8")
    (item,) = find_truths([scans / "sk.png"])
    assert item.truth == TRUTH and item.truth_path == scans / "sk.txt"
    assert truth_path_for(scans / "a.b.tif") == scans / "a.b.txt"


def test_truth_dir(scans, tmp_path):
    gt = tmp_path / "gt"
    gt.mkdir()
    (gt / "sk.txt").write_text("from the folder", encoding="utf-8")
    (scans / "sk.txt").write_text("beside, not used", encoding="utf-8")
    (item,) = find_truths([scans / "sk.png"], truth_dir=gt)
    assert item.truth == "from the folder"


def test_missing_truth_names_the_scan_the_path_and_the_fix(scans, tmp_path):
    with pytest.raises(ConfigError) as info:
        find_truths([scans / "sk.png"])
    message = str(info.value)
    assert "sk.png" in message and str(scans / "sk.txt") in message
    assert "--truth" in message and "--manifest" in message and "\n" not in message
    gt = tmp_path / "gt"
    gt.mkdir()
    with pytest.raises(ConfigError, match=r"no ground truth at .*gt/sk\.txt"):
        find_truths([scans / "sk.png"], truth_dir=gt)


def test_truth_must_be_utf8(scans):
    (scans / "sk.txt").write_bytes("Pemerintah Kabupaten \xe9".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        find_truths([scans / "sk.png"])


def test_manifest_paths_are_relative_to_it(scans, tmp_path):
    (tmp_path / "truth").mkdir()
    (tmp_path / "truth" / "sk.txt").write_text(TRUTH, encoding="utf-8")
    (tmp_path / "truth" / "nota.txt").write_text("nota dinas", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,truth\nscans/sk.png,truth/sk.txt\n\nscans/nota.tif,truth/nota.txt\n",
                        encoding="utf-8")
    assert read_manifest(manifest) == [(tmp_path / "scans/sk.png", tmp_path / "truth/sk.txt"),
                                       (tmp_path / "scans/nota.tif", tmp_path / "truth/nota.txt")]
    # no files: every listed scan
    assert [i.truth for i in find_truths([], manifest=manifest)] == [TRUTH, "nota dinas"]
    # files: looked up in the manifest, whatever path spelling was used
    (item,) = find_truths([scans / ".." / "scans" / "nota.tif"], manifest=manifest)
    assert item.truth == "nota dinas"


def test_manifest_errors(scans, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,text\nscans/sk.png,sk.txt\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="header `file,truth`"):
        find_truths([], manifest=manifest)
    manifest.write_text("file,truth\nscans/sk.png,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        find_truths([], manifest=manifest)
    manifest.write_text("file,truth\nscans/sk.png,missing.txt\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing.txt"):
        find_truths([], manifest=manifest)
    with pytest.raises(ConfigError, match="not listed in manifest"):
        find_truths([scans / "nota.tif"], manifest=manifest)
    with pytest.raises(ConfigError, match="not both"):
        find_truths([scans / "sk.png"], truth_dir=tmp_path, manifest=manifest)


# --- scoring with a fake engine --------------------------------------------------------


def test_evaluate_scores_every_file_and_micro_averages(scans, tmp_path):
    (scans / "sk.txt").write_text(TRUTH, encoding="utf-8")
    (scans / "nota.txt").write_text("NOTA DINAS\n\nKepada Yth. Sekretaris", encoding="utf-8")
    items = find_truths([scans / "sk.png", scans / "nota.tif"])
    engine = FakeEngine({
        str(scans / "sk.png"): ["Surat Keputusan Bupati Nomor 12 Tahun 2O23"],  # one wrong char
        str(scans / "nota.tif"): ["NOTA DINAS", "Kepada Yth.  Sekretaris"],  # pages are joined
    })
    result = evaluate(items, settings_for(tmp_path), engine=engine)
    sk, nota = result.files
    assert (sk.pages, nota.pages) == (1, 2)
    assert sk.chars.edits == 1 and sk.chars.length == len("Surat Keputusan Bupati Nomor 12 Tahun 2023")
    assert sk.words.edits == 1 and sk.words.length == 7
    assert sk.bow.edits == 2  # "2023" missing, "2o23" extra
    assert nota.chars.edits == nota.words.edits == nota.bow.edits == 0
    assert result.chars.edits == 1 and result.chars.length == sk.chars.length + nota.chars.length
    assert result.pages == 3 and result.failed == 0 and result.exit_code == 0
    assert len(nota.skew_deg) == len(nota.rotation) == 2
    assert sk.seconds > 0 and result.seconds_per_page > 0

    data = json.loads(json.dumps(result.as_json()))
    assert set(data) == {"files", "overall"}
    assert {"file", "pages", "cer", "wer", "bow_error", "skew_deg", "rotation", "confidence",
            "seconds_per_page", "error"} <= set(data["files"][0])
    assert data["overall"]["cer"] == pytest.approx(1 / result.chars.length, abs=1e-4)
    assert "text" not in data["files"][0]


def test_failed_file_counts_as_empty_output(scans, tmp_path):
    (scans / "sk.txt").write_text(TRUTH, encoding="utf-8")
    (item,) = find_truths([scans / "sk.png"])
    engine = FakeEngine(fail={str(scans / "sk.png"): "ocr-failed"})
    result = evaluate([item], settings_for(tmp_path), engine=engine)
    (scored,) = result.files
    assert scored.error and "fake OCR failure" in scored.error
    assert scored.chars.rate == 1.0 and result.exit_code == 1


def test_eval_command_json_and_exit_codes(scans, tmp_path, capsys, monkeypatch):
    from digitize.cli import main
    from digitize.stages import ocr

    monkeypatch.setattr(ocr, "_ENGINES", {"tesseract": lambda: FakeEngine({str(scans / "sk.png"): [TRUTH]})})
    gt = tmp_path / "gt"
    gt.mkdir()
    (gt / "sk.txt").write_text(TRUTH, encoding="utf-8")

    def run(*args):
        with pytest.raises(SystemExit) as info:
            main(list(args))
        return info.value.code, *capsys.readouterr()

    code, out, _ = run("eval", str(scans / "sk.png"), "--truth", str(gt), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["cer"] == 0.0 and data["files"][0]["pages"] == 1

    code, out, _ = run("eval", str(scans / "sk.png"), "--truth", str(gt))
    assert code == 0 and "sk.png" in out and "overall" in out

    code, _, err = run("eval", str(scans / "nota.tif"), "--truth", str(gt))
    assert code == 3 and "nota.tif" in err and "nota.txt" in err and err.count("\n") == 1

    code, _, _ = run("eval", "--truth", str(gt))
    assert code == 2  # neither files nor a manifest


# --- end to end: real Tesseract ------------------------------------------------------


@pytest.mark.slow
def test_eval_phototest_with_real_tesseract(corpus, tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import need_tools

    need_tools()
    gt = tmp_path / "gt"
    gt.mkdir()
    shutil.copyfile(corpus / "tesseract-test" / "phototest.gold.txt", gt / "phototest.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZE_")}
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "digitize", "eval", str(corpus / "tesseract-test" / "phototest.tif"),
         "--truth", str(gt), "--lang", "eng", "--json"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"files", "overall"}
    (scored,) = data["files"]
    assert {"file", "truth", "pages", "cer", "wer", "bow_error", "skew_deg", "rotation", "confidence",
            "seconds_per_page", "error"} <= set(scored)
    assert {"files", "pages", "cer", "wer", "bow_error", "seconds_per_page"} <= set(data["overall"])
    assert scored["pages"] == 1 and scored["error"] is None
    assert scored["cer"] < 0.1 and data["overall"]["cer"] < 0.1
    assert not list(tmp_path.glob("archive*")), "eval writes no archive"
