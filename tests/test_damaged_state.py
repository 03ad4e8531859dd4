"""Damaged or dangerous archive states fail loudly with one clear error, or are recovered: never a
silent fresh start (fake OCR engine: fast)."""

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from digitize import catalog
from digitize.errors import ArchiveError, ConfigError, ExitCode
from digitize.fulltext import IndexedDocument, open_index
from digitize.fulltext.base import finish_swap, rebuild_index
from digitize.fulltext.query import parse
from digitize.fulltext.search import run
from digitize.ledger import Ledger
from digitize.pipeline import ingest
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS, settings_for, tree_digest


def runs(archive) -> list[tuple[int, str]]:
    db = sqlite3.connect(archive / "ledger.sqlite3")
    try:
        return [tuple(row) for row in db.execute("SELECT id, status FROM runs ORDER BY id")]
    finally:
        db.close()


@pytest.mark.parametrize("where", ["same", "archive-inside-inbox", "inbox-inside-archive"])
def test_inbox_and_archive_that_overlap_are_refused_before_anything_is_read(tmp_path, inbox, where):
    if where == "same":
        archive = inbox
    elif where == "archive-inside-inbox":
        archive = inbox / "arsip"
    else:
        archive = inbox.parent
    settings = settings_for(tmp_path)
    from dataclasses import replace

    settings = replace(settings, archive=replace(settings.archive, path=archive))
    before = tree_digest(tmp_path)
    with pytest.raises(ConfigError, match="inbox|archive") as raised:
        ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert raised.value.exit_code == ExitCode.CONFIG
    assert "\n" not in str(raised.value)
    assert tree_digest(tmp_path) == before  # nothing read into an archive, nothing created


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(p.read_bytes()[:3000]), "damaged"),
        (lambda p: p.write_bytes(b"not a database at all " * 200), "damaged"),
    ],
    ids=["empty", "truncated", "garbage"],
)
def test_a_damaged_ledger_is_an_error_never_a_fresh_start(tmp_path, inbox, damage, message):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    ledger = settings.archive.path / "ledger.sqlite3"
    for side in ("-wal", "-shm"):
        ledger.with_name(ledger.name + side).unlink(missing_ok=True)
    damage(ledger)
    damaged = ledger.read_bytes()
    with pytest.raises(ArchiveError, match=message) as raised:
        ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert "Restore ledger.sqlite3 from a backup" in str(raised.value)
    assert "digitize repair --ledger" in str(raised.value)
    assert raised.value.exit_code == ExitCode.ARCHIVE_IO
    assert ledger.read_bytes() == damaged  # not written over


def test_another_programs_database_is_not_taken_for_a_ledger(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.commit()
    db.close()
    with pytest.raises(ArchiveError, match="not a digitize ledger"):
        Ledger(path)
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    db.close()


def test_a_run_killed_earlier_is_recorded_interrupted_by_the_next(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    # a run whose process is gone (killed with -9): its row says running
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db = sqlite3.connect(settings.archive.path / "ledger.sqlite3")
    db.execute("INSERT INTO runs (started, status, pid, host) VALUES ('2026-01-01', 'running', ?, ?)",
               (int(dead.stdout), os.uname().nodename))
    db.execute("INSERT INTO runs (started, status) VALUES ('2025-01-01', 'running')")  # an older digitize's
    db.commit()
    db.close()
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert [status for _, status in runs(settings.archive.path)] == ["ok", "interrupted", "interrupted", "ok"]


def test_a_run_that_aborts_is_recorded_failed(tmp_path, inbox, monkeypatch):
    settings = settings_for(tmp_path)

    def disk_full(*args, **kwargs):
        raise ArchiveError("Cannot write the archive: No space left on device.")

    monkeypatch.setattr("digitize.pipeline.indexing.commit", disk_full)
    with pytest.raises(ArchiveError):
        ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert [status for _, status in runs(settings.archive.path)] == ["failed"]


def doc(doc_id: str, text: str) -> IndexedDocument:
    return IndexedDocument(id=doc_id, path=f"{doc_id}.pdf", type="lainnya", title="", date="", year="",
                           pages=[text])


@pytest.mark.parametrize("moment", ["between-the-renames", "while-writing-the-new-index"])
def test_an_index_rebuild_killed_at_any_moment_leaves_the_old_or_the_new_index(tmp_path, moment):
    path = tmp_path / "index"
    index = open_index(path)
    index.add([doc("old", "lama")])
    index.close()
    fresh, old = path.with_name("index.new"), path.with_name("index.old")
    rebuild_index(fresh.with_name("built"), "tantivy", [doc("new", "baru")])  # what the rebuild wrote
    shutil.copytree(fresh.with_name("built"), fresh)
    if moment == "between-the-renames":  # the new index complete, the old moved aside, then the kill
        path.rename(old)
        expected = ("new", "baru")
    else:  # the kill before the new index was complete
        (fresh / ".complete").unlink()
        expected = ("old", "lama")
    finish_swap(path)
    index = open_index(path)
    assert [hit.id for hit in run(index, parse(expected[1])).hits] == [expected[0]]
    assert index.count() == 1
    index.close()
    assert not old.exists()


def test_a_missing_index_is_rebuilt_by_the_next_ingest_and_search_names_the_fix(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    shutil.rmtree(settings.archive.path / "index")
    with pytest.raises(ArchiveError, match="index rebuild"):
        catalog.search(settings, "sekretaris")
    next_ingest_indexes_everything_again(settings, inbox, "index-missing")


def test_a_damaged_index_is_one_clear_error(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    for damaged in (settings.archive.path / "index").iterdir():  # every file but the index's own label
        if damaged.is_file() and damaged.name != "digitize-index.json":
            damaged.write_bytes(b"\x00garbage")
    with pytest.raises(ArchiveError, match="index rebuild"):
        catalog.search(settings, "sekretaris")
    with pytest.raises(ArchiveError, match="index rebuild"):
        ingest(inbox, settings, engine=FakeEngine(TEXTS))


def test_damaged_states_are_one_line_and_an_exit_code_at_the_command_line(tmp_path, inbox):
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    archive = settings.archive.path
    env = {**os.environ, "DIGITIZE_ARCHIVE": str(archive)}

    def digitize(*args):
        return subprocess.run([sys.executable, "-m", "digitize", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)

    overlap = digitize("ingest", str(archive.parent))
    assert overlap.returncode == ExitCode.CONFIG and "inside the inbox" in overlap.stderr
    (archive / "ledger.sqlite3").write_bytes(b"")
    for args in (("search", "sekretaris"), ("show", "abc"), ("ingest", str(inbox))):
        result = digitize(*args)
        assert result.returncode == ExitCode.ARCHIVE_IO, result.stderr
        assert "Traceback" not in result.stderr and "is empty" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_index_of_an_older_digitize_is_made_again_by_the_next_ingest(tmp_path, inbox):
    """After an upgrade the nightly job goes on: the writer rebuilds an old-format index from the
    sidecars (notice index-outdated); a search before that says to run `digitize index rebuild`."""
    settings = settings_for(tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    index = settings.archive.path / "index"
    shutil.rmtree(index)
    index.mkdir()
    (index / "_digitize-v2_0.toc").write_bytes(b"an index of digitize 0.x")
    with pytest.raises(ArchiveError, match="older digitize: run `digitize index rebuild`"):
        catalog.search(settings, "sekretaris")
    next_ingest_indexes_everything_again(settings, inbox, "index-outdated")


def next_ingest_indexes_everything_again(settings, inbox, notice):
    report = ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert [n.reason for n in report.notices] == [notice]
    assert catalog.search(settings, "sekretaris")[0].type == "nota_dinas"
    assert len(catalog.search(settings, "daftar OR sekretaris OR bimbingan")) == 3
