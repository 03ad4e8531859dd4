"""A normal (non-editable) install of the wheel works on its own: the built-in classification
rules and KKA scheme ship inside the package, nothing is read from the source checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, need_tools

pytestmark = pytest.mark.slow

# what a build reads; the rest (.git, .venv, build output, archives) stays out of the copy
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                ".hypothesis", "archive")


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
        ) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=env,
                            timeout=timeout)
    assert result.returncode == 0, f"{cmd} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def clean_env(home: Path) -> dict[str, str]:
    """The environment without anything that would point Python or digitize at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DIGITIZE_", "PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env["DIGITIZE_INGEST__SETTLE_SECONDS"] = "0"  # the scan is copied in just before ingest
    return env


def test_wheel_installs_and_classifies_with_built_in_rules(tmp_path):
    need_tools()
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = clean_env(home)

    # build the wheel from a copy of the checkout (pip builds in the source tree: keep the checkout clean)
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=IGNORE)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", dist, source,
        cwd=tmp_path, env=env)
    wheels = list(dist.glob("digitize-*.whl"))
    assert len(wheels) == 1, wheels

    # a fresh venv with only the wheel; the dependencies come from this venv's site-packages via a .pth
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet",
        wheels[0], cwd=tmp_path, env=env)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path, env=env).stdout.strip())
    (site / "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    # digitize comes from the new venv, with its defaults as package data
    where = tmp_path / "elsewhere"
    where.mkdir()
    found = run(python, "-c", "import digitize, digitize.defaults as d; print(digitize.__file__); "
                "print(d.path('classes.toml').is_file(), d.path('kka.toml').is_file())", cwd=where, env=env)
    module, data = found.stdout.strip().splitlines()
    assert Path(module).resolve().is_relative_to(site.resolve()), module
    assert not Path(module).resolve().is_relative_to(REPO.resolve()), module
    assert data == "True True"

    # and the installed command archives a nota dinas, classified by the built-in rules
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "nota-dinas-clean.png", inbox)
    archive = tmp_path / "archive"
    result = subprocess.run([str(venv / "bin" / "digitize"), "ingest", str(inbox), "--archive", str(archive),
                             "--jobs", "1", "--json"], capture_output=True, text=True, cwd=where, env=env,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["types"] == {"nota_dinas": 1}, summary
    sidecars = [p for p in archive.rglob("*.json") if p.with_suffix(".pdf").is_file()]
    assert len(sidecars) == 1, sorted(archive.rglob("*"))
    meta = json.loads(sidecars[0].read_text(encoding="utf-8"))
    assert meta["type"] == "nota_dinas"
