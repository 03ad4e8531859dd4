"""SIGTERM as an exception: while a ``TermSignal`` context is active, SIGTERM raises
``digitize.errors.Terminated`` (a ``KeyboardInterrupt``) in the main thread, so the
pipeline stops as it does for Ctrl-C and records the run as interrupted.

A signal handler's exception surfaces wherever the main thread is. Two places would
lose it: the fork hooks (``os.fork`` runs them when the pool starts a worker; raising
inside logging's would also leave its lock held) and other "unraisable" spots
(``__del__``, weakref callbacks). SIGTERM is therefore held back while a fork is under
way, and sent again when it has been swallowed, until it lands in ordinary code.
Forked workers get the default SIGTERM back (they die at once).

The fork hooks are registered on the first ``TermSignal`` entered, not on import.
"""

from __future__ import annotations

import logging  # noqa: F401  (imported before our fork hooks are registered: see _register)
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from digitize.errors import Terminated


class TermSignal:
    """While ``main`` runs, SIGTERM raises ``Terminated`` in the main thread.

    A signal handler's exception surfaces wherever the main thread is. Two
    places would lose it: the fork hooks (``os.fork`` runs them when the pool
    starts a worker; raising inside logging's would also leave its lock held)
    and other "unraisable" spots (``__del__``, weakref callbacks). SIGTERM is
    therefore held back while a fork is under way, and sent again when it has
    been swallowed, until it lands in ordinary code.
    """

    def __init__(self) -> None:
        self.terminated = False
        self.signum = signal.SIGTERM  # the signal that ended the run: SIGTERM or SIGHUP
        self.previous_hup: Callable[[int, FrameType | None], Any] | int | None = None
        self.pid = os.getpid()
        self.previous: Callable[[int, FrameType | None], Any] | int | None = None
        self.installed = False
        self.forking = False
        self.deferred = False
        self.unraisable: Callable[[sys.UnraisableHookArgs], Any] = sys.unraisablehook  # replaced on __enter__

    def handle(self, signum, frame) -> None:
        if os.getpid() != self.pid:  # a forked child that has not reset it: die as by default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.terminated = True
        self.signum = signum
        if self.forking:
            self.deferred = True
            return
        raise Terminated()

    def _again(self) -> None:
        os.kill(os.getpid(), self.signum)

    def before_fork(self) -> None:
        self.forking = True

    def after_fork_in_parent(self) -> None:
        self.forking = False
        if self.deferred:
            self.deferred = False
            self._again()

    def _unraisable(self, info) -> None:
        if isinstance(info.exc_value, Terminated) and os.getpid() == self.pid:
            # it fell where Python ignores exceptions (a finalizer): deliver it once more, a moment later,
            # once this hook has returned (raised inside the hook it would be ignored again, and printed)
            import threading

            timer = threading.Timer(0.05, self._again)
            timer.daemon = True
            timer.start()
        else:
            self.unraisable(info)

    def __enter__(self) -> TermSignal:
        _register()
        _ACTIVE.append(self)
        try:
            self.previous = signal.signal(signal.SIGTERM, self.handle)
            self.previous_hup = signal.signal(signal.SIGHUP, self.handle)  # a closed terminal, systemd reload
            self.installed = True
        except ValueError:  # not the main thread (embedded use): leave signals alone
            return self
        self.unraisable, sys.unraisablehook = sys.unraisablehook, self._unraisable
        return self

    def __exit__(self, *exc: object) -> None:
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        if self.installed:
            signal.signal(signal.SIGTERM, self.previous)
            signal.signal(signal.SIGHUP, self.previous_hup)
            sys.unraisablehook = self.unraisable


_ACTIVE: list[TermSignal] = []
_REGISTERED = False


def _before_fork() -> None:
    if _ACTIVE:
        _ACTIVE[-1].before_fork()


def _after_fork_in_parent() -> None:
    if _ACTIVE:
        _ACTIVE[-1].after_fork_in_parent()


def _after_fork_in_child() -> None:
    """Worker processes forked by the pipeline keep the default SIGTERM (they die at once)."""
    if _ACTIVE and _ACTIVE[-1].installed:
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
        except ValueError:  # forked from another thread: the handler's own pid check applies
            pass
        sys.unraisablehook = _ACTIVE[-1].unraisable
    _ACTIVE.clear()


def _register() -> None:
    """Our fork hooks, once per process. logging is imported first: its hooks then run
    inside ours (last registered, first run before the fork)."""
    global _REGISTERED
    if not _REGISTERED:
        os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                            after_in_child=_after_fork_in_child)
        _REGISTERED = True
