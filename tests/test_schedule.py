"""The scheduling recipes in pipelines/: the systemd units pass `systemd-analyze verify` without a warning,
and the crontab line runs under `env -i` as cron would."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, need_tools
from tests.test_job import shipped_nightly_job

UNITS = REPO / "pipelines" / "systemd"


def units_for_here(tmp_path: Path) -> list[Path]:
    """The units with this checkout's paths and the current user in place of /srv/digitize and arsip."""
    import grp
    import pwd

    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    out = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text().replace("/srv/digitize", str(REPO))
        text = text.replace("User=arsip", f"User={user}").replace("Group=arsip", f"Group={group}")
        (tmp_path / unit.name).write_text(text)
        out.append(tmp_path / unit.name)
    return out


def test_the_service_runs_the_shipped_nightly_job_with_the_settings_the_readme_names():
    service = (UNITS / "digitize-nightly.service").read_text()
    for line in ("Type=oneshot", "Nice=10", "IOSchedulingClass=idle", "TimeoutStopSec=120", "KillMode=mixed",
                 "ExecStart=/srv/digitize/.venv/bin/digitize run /srv/digitize/pipelines/nightly.toml"):
        assert line in service
    assert "OnCalendar=*-*-* 01:30:00" in (UNITS / "digitize-nightly.timer").read_text()


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed here")
def test_the_systemd_units_verify_cleanly(tmp_path):
    done = subprocess.run(["systemd-analyze", "verify", *map(str, units_for_here(tmp_path))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr


@pytest.mark.slow
def test_the_cron_line_runs_under_env_i_as_cron_would(tmp_path):
    """The crontab's command, with this checkout for /srv/digitize and a job like the shipped one (samples
    in, the archive and log in the test's folder), in cron's bare environment."""
    need_tools()
    inbox = tmp_path / "scan"
    inbox.mkdir()
    for name in ("nota-dinas-clean.png", "surat-tugas-150dpi.jpg"):
        shutil.copy(SAMPLES / name, inbox / name)
    job = shipped_nightly_job(tmp_path, inbox)
    cron = (REPO / "pipelines" / "digitize.cron").read_text().splitlines()
    env = dict(line.split("=", 1) for line in cron if "=" in line and not line.startswith("#") and " " not in line)
    [entry] = [line for line in cron if line and line[0].isdigit()]
    command = entry.split(None, 6)[6]  # minute hour day month weekday user COMMAND
    command = command.replace("/srv/digitize", str(REPO)).replace("pipelines/nightly.toml", str(job))
    done = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), f"HOME={tmp_path}",
                           env["SHELL"], "-c", command], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "" and done.stderr == ""  # --quiet: cron mails nothing when all went well
    log = (tmp_path / "nightly.log").read_text()
    assert "status=ok documents=2" in log
    assert len(list((tmp_path / "arsip" / "reports").glob("run-*.json"))) == 1
