"""Confidential letters (Sifat: Rahasia / Sangat Rahasia / Terbatas, or a run marked confidential) go to
the restricted part with its own index; search and show leave them out unless asked by a user who may
read that part. The reading side runs as an unprivileged user (fake OCR: fast)."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from digitize import catalog
from digitize.errors import NotFoundError
from digitize.export import export_bag
from digitize.pipeline import ingest
from digitize.settings import load_settings
from digitize.verify import verify
from tests.conftest import REPO, make_page
from tests.fakes import FakeEngine

LETTERS = {
    "rahasia.png": ["PEMERINTAH PROVINSI JAMBI\nNomor : 800/17/BKD/2024\nSifat : Rahasia\n"
                    "Perihal : Hasil pemeriksaan disiplin pegawai\nJambi, 3 Maret 2024\npemeriksaan pegawai"],
    "terbatas.png": ["Sifat : Sangat Rahasia\nPerihal : Data pribadi pegawai\npemeriksaan pegawai arsip"],
    "biasa.png": ["PEMERINTAH PROVINSI JAMBI\nSifat : Biasa\nPerihal : Undangan rapat\npemeriksaan arsip"],
}


def letters(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in LETTERS:
        make_page(folder / name, label=name, dpi=None)
    return folder


def settings_at(archive: Path, **overrides):
    values = {"archive.path": archive, "ingest.jobs": 1, "ingest.settle_seconds": 0, **overrides}
    return load_settings(env={}, overrides=values, cwd=archive.parent)


def by_source(report):
    return {item["source"]: item for item in report.archived}


def test_confidential_letters_are_stored_apart_and_left_out_of_search_and_show(tmp_path):
    settings = settings_at(tmp_path / "arsip")
    report = ingest(letters(tmp_path / "inbox"), settings, engine=FakeEngine(LETTERS))
    docs = by_source(report)
    archive = tmp_path / "arsip"
    assert docs["rahasia.png"]["path"].startswith("restricted/documents/")
    assert docs["terbatas.png"]["path"].startswith("restricted/documents/")
    assert docs["biasa.png"]["path"].startswith("documents/")
    assert stat.S_IMODE((archive / "restricted").stat().st_mode) == 0o700  # no group configured: the owner's
    assert stat.S_IMODE((archive / docs["rahasia.png"]["path"]).stat().st_mode) == 0o600
    assert stat.S_IMODE((archive / docs["biasa.png"]["path"]).stat().st_mode) == 0o640

    hits = catalog.search(settings, "pemeriksaan")
    assert [h.id for h in hits] == [docs["biasa.png"]["id"]]  # the restricted ones are left out
    assert catalog.restricted_matches(settings, "pemeriksaan") == 2  # and counted for their owner
    assert catalog.restricted_matches(settings, "undangan") == 0
    everything = {h.id for h in catalog.search(settings, "pemeriksaan", restricted=True)}
    assert everything == {d["id"] for d in docs.values()}

    secret = docs["rahasia.png"]["id"]
    with pytest.raises(NotFoundError, match="is restricted: add --restricted"):
        catalog.show(settings, secret)
    view = catalog.show(settings, secret[:6], restricted=True)
    assert view.metadata["restricted"] == "sifat Rahasia"
    assert verify(settings).problems == []
    assert catalog.rebuild(settings) == 3
    assert catalog.restricted_matches(settings, "pemeriksaan") == 2
    assert [h.id for h in catalog.search(settings, "pemeriksaan")] == [docs["biasa.png"]["id"]]
    bag = export_bag(settings, tmp_path / "bag")
    assert bag.documents == 1  # a bag leaves restricted documents out unless asked
    assert export_bag(settings, tmp_path / "bag2", restricted=True).documents == 3


def test_a_run_marked_confidential_restricts_every_document(tmp_path):
    settings = settings_at(tmp_path / "arsip", **{"ingest.confidential": True})
    report = ingest(letters(tmp_path / "inbox"), settings, engine=FakeEngine(LETTERS))
    assert all(item["path"].startswith("restricted/") for item in report.archived)
    assert catalog.search(settings, "pemeriksaan") == []


def test_an_unknown_group_is_a_config_error(tmp_path):
    from digitize.errors import ConfigError, UsageError
    from digitize.settings import load_settings

    with pytest.raises(UsageError, match="restricted.group"):  # given as a flag would be
        settings_at(tmp_path / "arsip", **{"restricted.group": "no-such-group-here"})
    config = tmp_path / "digitize.toml"
    config.write_text('[restricted]\ngroup = "no-such-group-here"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="restricted.group"):  # in a config file
        load_settings(config, env={}, cwd=tmp_path)


def _as_nobody(args, groups=None, timeout=120):
    """Run `digitize ARGS` as the user nobody (only in ``groups``, if given): a real process started
    with setpriv when nobody can read this checkout, else a forked copy of this process that drops
    to nobody before it runs the CLI (a checkout under /root is closed to nobody)."""
    if _nobody_can_import():
        ids = ["--reuid=65534", "--regid=65534"]
        ids += [f"--groups={groups}"] if groups else ["--clear-groups"]
        return subprocess.run(["setpriv", *ids, sys.executable, "-m", "digitize", *args], cwd="/",
                              env=_NOBODY_ENV, capture_output=True, text=True, timeout=timeout)
    return _forked_as_nobody(args, [int(groups)] if groups else [])


_NOBODY_ENV = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "PYTHONDONTWRITEBYTECODE": "1",
               "COLUMNS": "200", "PYTHONPATH": str(REPO)}


def _nobody_can_import() -> bool:
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                           "import digitize.cli, whoosh, rich, typer"], cwd="/", env=_NOBODY_ENV,
                          capture_output=True, timeout=60)
    return done.returncode == 0


def _warm_up(cli, args):
    """Run the command once as root, output discarded, so that every module it needs is loaded before
    the fork: a checkout (and its Python) under /root cannot be read by nobody."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main([*args, "--restricted"] if "search" in args and "--restricted" not in args else list(args))
        except SystemExit:
            pass


def _forked_as_nobody(args, groups):
    import io

    from digitize import cli

    _warm_up(cli, args)
    outputs = [os.pipe(), os.pipe()]
    pid = os.fork()
    if pid == 0:  # the child: no way back to root
        code = 70
        try:
            os.setgroups(groups)
            os.setgid(65534)
            os.setuid(65534)
            os.chdir("/")  # the test's own folder is closed to nobody
            os.dup2(outputs[0][1], 1)
            os.dup2(outputs[1][1], 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
            os.environ.update(COLUMNS="200")
            cli.main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    for _, write in outputs:
        os.close(write)
    texts = []
    for read, _ in outputs:
        with os.fdopen(read, "rb") as handle:
            texts.append(handle.read().decode("utf-8", "replace"))
    _, status = os.waitpid(pid, 0)
    return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), texts[0], texts[1])


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="switching to an unprivileged user needs root and setpriv")
def test_an_unprivileged_user_never_sees_a_restricted_letter():
    root = Path(tempfile.mkdtemp(prefix="digitize-restricted-", dir="/tmp"))
    try:
        root.chmod(0o755)
        archive = root / "arsip"
        # the main part readable by everyone on this PC; the restricted part by the owner and group "users"
        settings = settings_at(archive, **{"archive.file_mode": "0644", "archive.dir_mode": "0755",
                                           "restricted.group": "users"})
        archive.mkdir(mode=0o755)
        archive.chmod(0o755)
        report = ingest(letters(root / "inbox"), settings, engine=FakeEngine(LETTERS))
        docs = by_source(report)
        # what a forked reader needs is loaded while still root (see _as_nobody)
        catalog.search(settings, "pemeriksaan", restricted=True)
        catalog.show(settings, docs["rahasia.png"]["id"], restricted=True)
        secret = archive / docs["rahasia.png"]["path"]
        assert stat.S_IMODE((archive / "restricted").stat().st_mode) == 0o750
        assert (archive / "restricted").stat().st_gid == 100 and secret.stat().st_gid == 100

        outsider = _as_nobody(["search", "pemeriksaan", "--json", "--archive", str(archive)])
        assert outsider.returncode == 0, outsider.stderr
        assert docs["rahasia.png"]["id"] not in outsider.stdout and docs["biasa.png"]["id"] in outsider.stdout
        assert "restricted" not in outsider.stderr  # not even how many secret letters match
        asked = _as_nobody(["search", "pemeriksaan", "--restricted", "--archive", str(archive)])
        assert asked.returncode == 5 and "You may not read the restricted part" in asked.stderr
        assert "Traceback" not in asked.stderr
        shown = _as_nobody(["show", docs["rahasia.png"]["id"], "--restricted", "--archive", str(archive)])
        assert shown.returncode == 5 and docs["rahasia.png"]["id"] not in shown.stdout
        peek = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", str(secret)],
                              capture_output=True, timeout=30)
        assert peek.returncode != 0  # the file itself is closed to other users
        public = _as_nobody(["show", docs["biasa.png"]["id"], "--archive", str(archive)])
        assert public.returncode == 0 and "Undangan rapat" in public.stdout  # from the sidecar (ledger is 0600)

        member = _as_nobody(["search", "pemeriksaan", "--restricted", "--json", "--archive", str(archive)],
                            groups="100")
        assert member.returncode == 0, member.stderr
        assert docs["rahasia.png"]["id"] in member.stdout
        told = _as_nobody(["search", "pemeriksaan", "--archive", str(archive)], groups="100")
        assert "2 restricted document(s) also match" in told.stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_document_made_confidential_later_leaves_the_main_index(tmp_path):
    settings = settings_at(tmp_path / "arsip")
    inbox = letters(tmp_path / "inbox")
    public = by_source(ingest(inbox, settings, engine=FakeEngine(LETTERS)))["biasa.png"]["id"]
    assert [h.id for h in catalog.search(settings, "pemeriksaan")] == [public]
    again = ingest(inbox, settings_at(tmp_path / "arsip", **{"ingest.confidential": True}),
                   engine=FakeEngine(LETTERS), force=True)
    assert all(item["path"].startswith("restricted/") for item in again.archived)
    assert catalog.search(settings, "pemeriksaan") == []
    assert public in {h.id for h in catalog.search(settings, "pemeriksaan", restricted=True)}
    assert verify(settings).problems == []
