"""Domain exceptions. Each carries the exit code the CLI turns it into.

Only ``digitize.cli.main`` catches these and exits; library code raises them.

Exit codes (documented in the README):
    0  everything succeeded
    1  the batch finished but some documents failed
    2  usage error (reserved by click/typer)
    3  bad configuration
    4  a required program or language pack is missing
    5  the archive cannot be read or written
    6  the requested document does not exist
  130  interrupted (Ctrl-C)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_MISSING_DEPENDENCY = 4
EXIT_ARCHIVE_IO = 5
EXIT_NOT_FOUND = 6
EXIT_INTERRUPTED = 130


class DigitizeError(Exception):
    """Base of all errors that end a command. The message is one line that says what to do."""

    exit_code = EXIT_PARTIAL


class ConfigError(DigitizeError):
    exit_code = EXIT_CONFIG


class MissingDependencyError(DigitizeError):
    exit_code = EXIT_MISSING_DEPENDENCY


class ArchiveError(DigitizeError):
    exit_code = EXIT_ARCHIVE_IO


class NotFoundError(DigitizeError):
    exit_code = EXIT_NOT_FOUND


class DocumentError(DigitizeError):
    """One document cannot be processed; the batch goes on.

    ``reason`` is a short stable code recorded in the ledger (``corrupt``,
    ``unsupported``, ``ocr-failed``, ...); the message says what to do.
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
