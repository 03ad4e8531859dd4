"""Review, confirmation, training and the trained model's use by the next ingest (fake OCR)."""

import json

import pytest

from digitize import catalog, training
from digitize.errors import ConfigError, NotFoundError, UsageError
from digitize.pipeline import ingest
from digitize.settings import load_settings
from tests.conftest import make_page
from tests.fakes import FakeEngine

KAS = "DAFTAR INVENTARIS BARANG\nruangan meja kursi lemari rak {n} unit kondisi baik"
PAJAK = "JADWAL PIKET JAGA MALAM\npetugas keamanan regu {n} pos gerbang ronda"


def settings_for(tmp_path):
    return load_settings(env={}, overrides={"archive.path": tmp_path / "arsip", "ingest.jobs": 1,
                                            "ingest.settle_seconds": 0}, cwd=tmp_path)


def test_review_confirm_train_and_use(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    texts = {}
    for n in range(6):
        for kind, body in (("kas", KAS), ("pajak", PAJAK)):
            name = f"{kind}-{n}.png"
            make_page(inbox / name, label=name)
            texts[name] = [body.format(n=n).replace("\\\n", "\n")]
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(texts))
    waiting = training.review(settings, 0.5)
    assert len(waiting) == 12 and {row["type"] for row in waiting} == {"unclassified"}

    for row in waiting:
        source = row["source_path"]
        right = "daftar_inventaris" if source.startswith("kas") else "jadwal_piket"
        result = training.confirm(settings, row["id"][:10], right, new_type=True)  # a prefix of the id
        assert result["id"] == row["id"] and (settings.archive.path / result["pdf"]).is_file()
    assert training.review(settings, 0.5) == []
    moved = json.loads(next(settings.archive.path.glob("documents/daftar_inventaris/*/*.json")).read_text())
    assert moved["type_confirmed"] is True
    assert catalog.search(settings, "type:daftar_inventaris")

    report = training.cross_validate(settings, None, folds=3)
    assert report.macro_f1 == 1.0
    summary = training.train(settings, None)
    assert summary["labels"] == {"daftar_inventaris": 6, "jadwal_piket": 6}

    new_inbox = tmp_path / "new"
    new_inbox.mkdir()
    make_page(new_inbox / "baru.png", label="baru")
    result = ingest(new_inbox, settings, engine=FakeEngine({"baru.png": [PAJAK.format(n=99)]}))
    assert result.types == {"jadwal_piket": 1}


def test_training_needs_two_types(tmp_path):
    csv = tmp_path / "one.csv"
    csv.write_text("text,label\nsatu,a\ndua,a\n")
    with pytest.raises(ConfigError, match="two types"):
        training.train(settings_for(tmp_path), csv)


def test_confirm_checks_the_type_against_the_scheme(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "kas-1.png", label="kas-1")
    settings = settings_for(tmp_path)
    report = ingest(inbox, settings, engine=FakeEngine({"kas-1.png": [KAS.format(n=1)]}))
    doc_id = report.archived[0]["id"]
    with pytest.raises(UsageError) as caught:  # a misspelt type of the built-in scheme
        training.confirm(settings, doc_id, "surat_undngan")
    assert str(caught.value) == ("'surat_undngan' is not a type of the scheme; did you mean surat_undangan? "
                                 "Add --new-type to create it (the types: `digitize config show` names the "
                                 "rules file).")
    assert caught.value.exit_code == 2
    assert not list(settings.archive.path.glob("documents/surat_undngan"))  # nothing moved
    with pytest.raises(UsageError, match="not a type name"):
        training.confirm(settings, doc_id, "Surat Undangan")
    with pytest.raises(NotFoundError, match="No document with id 'ffff_'"):
        training.confirm(settings, "ffff_", "surat_undangan")  # no wildcard in a prefix
    assert training.confirm(settings, doc_id[:8], "surat_undangan")["type"] == "surat_undangan"
    assert training.confirm(settings, doc_id, "buku_kas", new_type=True)["type"] == "buku_kas"
    assert training.confirm(settings, doc_id[:8], "buku_kas")["previous_type"] == "buku_kas"  # now of the archive
