"""Archive files get the configured modes whatever the inputs' modes or the umask (fake OCR: fast)."""

import os
import stat

import pytest

from digitize.errors import ConfigError
from digitize.pipeline import ingest
from digitize.settings import load_settings
from tests.fakes import FakeEngine
from tests.test_pipeline import TEXTS


def modes(root) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {"file": set(), "dir": set()}
    for path in (root / "documents").rglob("*"):
        found["dir" if path.is_dir() else "file"].add(stat.S_IMODE(path.stat().st_mode))
    return found


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_archive_modes_do_not_follow_the_umask_or_the_inputs(tmp_path, inbox, umask):
    for scan in inbox.iterdir():
        scan.chmod(0o600 if umask == 0o000 else 0o666)
    settings = load_settings(env={}, overrides={"archive.path": tmp_path / "arsip", "ingest.settle_seconds": 0},
                             cwd=tmp_path)
    old = os.umask(umask)
    try:
        ingest(inbox, settings, engine=FakeEngine(TEXTS))
    finally:
        os.umask(old)
    archive = settings.archive.path
    assert modes(archive) == {"file": {0o640}, "dir": {0o750}}
    assert stat.S_IMODE((archive / "ledger.sqlite3").stat().st_mode) == 0o600
    assert not list(archive.glob(".ledger.*"))  # the ledger's temp file renamed, not left


def test_configured_modes_and_a_bad_one(tmp_path, inbox):
    config = tmp_path / "digitize.toml"
    config.write_text('[archive]\nfile_mode = "0600"\ndir_mode = "0700"\n')
    settings = load_settings(config, env={}, overrides={"archive.path": tmp_path / "arsip",
                                                        "ingest.settle_seconds": 0}, cwd=tmp_path)
    ingest(inbox, settings, engine=FakeEngine(TEXTS))
    assert modes(settings.archive.path) == {"file": {0o600}, "dir": {0o700}}
    config.write_text('[archive]\nfile_mode = "rw-r-----"\n')
    with pytest.raises(ConfigError, match="archive.file_mode"):
        load_settings(config, env={}, cwd=tmp_path)
