"""The manual page is generated from the help: every command and option is in it, and the copy
``make install`` put in .venv is the one the help gives now."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from digitize import manpage
from digitize.cli import build_command
from digitize.errors import ExitCode
from tests.conftest import REPO


def test_every_command_option_and_exit_code_is_in_the_manual_page():
    page = manpage.render()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in manpage._commands(build_command()):
        assert f".SS {name}\n" in page
        assert f"digitize {name}" in readme, f"the README does not show `digitize {name}`"
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                assert param.opts[0] in page.replace("\\-", "-"), (name, param.opts)
    for code in ExitCode:
        assert f"\\fB{int(code)}\\fR" in page


def test_the_installed_page_is_the_current_help():
    installed = REPO / ".venv" / "share" / "man" / "man1" / "digitize.1"
    if not installed.is_file():
        pytest.skip("no .venv/share/man/man1/digitize.1: make install writes it")
    drop_date = lambda text: text.split("\n", 1)[1]  # noqa: E731 - the .TH line carries the day it was made
    assert drop_date(installed.read_text(encoding="utf-8")) == drop_date(manpage.render()), "run `make man`"


def test_man_reads_it():
    if not shutil.which("groff"):
        pytest.skip("groff is not installed")
    out = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-P-cbou"], input=manpage.render(), capture_output=True,
                         text=True, check=True)
    assert "digitize ingest [OPTIONS] INBOX" in out.stdout and "EXIT STATUS" in out.stdout
    assert "warning" not in out.stderr
