"""Domain exceptions. Each carries the exit code the CLI turns it into.

Only ``digitize.cli.main`` catches these and exits; library code raises them.
``ExitCode`` is the one list of exit codes; the README's table shows the same.
"""

from __future__ import annotations

from enum import IntEnum

from digitize.i18n import N_


class ExitCode(IntEnum):
    """The process exit codes of ``digitize`` (documented in the README)."""

    OK = 0  # everything succeeded
    PARTIAL = 1  # the batch finished but some documents failed
    NO_MATCH = 1  # `digitize search` found nothing (like grep)
    USAGE = 2  # usage error (reserved by click/typer)
    CONFIG = 3  # bad configuration
    MISSING_DEPENDENCY = 4  # a required program or language pack is missing
    ARCHIVE_IO = 5  # the archive cannot be read or written
    NOT_FOUND = 6  # the requested document does not exist
    DAMAGED = 7  # `digitize verify` found missing, changed or extra files (or index/ledger drift)
    BUSY = 8  # another digitize is writing the archive (its lock is held)
    INTERNAL = 70  # an unexpected error: a bug in digitize (EX_SOFTWARE)
    HANGUP = 129  # stopped by SIGHUP (128 + 1): its terminal closed
    INTERRUPTED = 130  # interrupted (Ctrl-C, SIGINT)
    TERMINATED = 143  # stopped by SIGTERM (128 + 15)


EXIT_MEANINGS = {  # one line each, for the manual page (the README's table says the same); shown with _()
    ExitCode.OK: N_("everything succeeded"),
    ExitCode.PARTIAL: N_("the batch finished but some files failed (listed in the summary and the ledger); "
                         "digitize search found nothing"),
    ExitCode.USAGE: N_("usage error: wrong command or option, or a wrong value given by an option; nothing is written"),
    ExitCode.CONFIG: N_("bad configuration: a wrong value in a config or job file or the environment"),
    ExitCode.MISSING_DEPENDENCY: N_("a required program or Tesseract language pack is missing"),
    ExitCode.ARCHIVE_IO: N_("the archive cannot be read or written"),
    ExitCode.NOT_FOUND: N_("the requested document does not exist"),
    ExitCode.DAMAGED: N_("digitize verify found missing, changed or extra files, or index or ledger drift"),
    ExitCode.BUSY: N_("another digitize is writing the archive; run again later or give --wait SECONDS"),
    ExitCode.INTERNAL: N_("internal error: a bug in digitize; run again with --verbose and report it"),
    ExitCode.HANGUP: N_("stopped by SIGHUP (its terminal closed); run the same command again to resume"),
    ExitCode.INTERRUPTED: N_("interrupted (Ctrl-C); run the same command again to resume"),
    ExitCode.TERMINATED: N_("stopped by SIGTERM; the run is recorded as interrupted; run the same command again"),
}


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when the process gets SIGTERM.

    A ``KeyboardInterrupt`` so that code which cleans up after Ctrl-C (the
    pipeline records the run as interrupted and cancels its workers) does the
    same for a ``kill``; ``digitize.cli.main`` exits with ``ExitCode.TERMINATED``.
    """


class DigitizeError(Exception):
    """Base of all errors that end a command. The message is one line that says what to do."""

    exit_code: ExitCode = ExitCode.PARTIAL


class UsageError(DigitizeError):
    """A command given without what it needs (checked after parsing)."""

    exit_code = ExitCode.USAGE


class ConfigError(DigitizeError):
    """A setting's value is wrong; ``key`` names it (``"ingest.jobs"``) when one setting is to blame."""

    exit_code = ExitCode.CONFIG

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.key = key


class MissingDependencyError(DigitizeError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class ArchiveError(DigitizeError):
    exit_code = ExitCode.ARCHIVE_IO


class BusyError(DigitizeError):
    exit_code = ExitCode.BUSY


class NotFoundError(DigitizeError):
    exit_code = ExitCode.NOT_FOUND


class DocumentError(DigitizeError):
    """One document cannot be processed; the batch goes on.

    ``reason`` is a short stable code recorded in the ledger (``corrupt``,
    ``unsupported``, ``ocr-failed``, ...); the message says what to do.
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
