"""Memory of a process and its descendants, from /proc (Linux), for the benchmarks.

``Sampler(pid)`` polls every 0.2 s in a thread and keeps, over the run, the peak of the whole tree
(the sum of proportional set sizes: shared pages counted once overall) and the peak of any single
process but the root (a worker).
"""

from __future__ import annotations

import threading
from pathlib import Path


def tree(root: int) -> set[int]:
    """``root`` and every process descending from it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    found, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


def pss_kb(pid: int) -> int:
    """The proportional set size of ``pid`` in kB (0 when it is gone)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


class Sampler:
    """Peak memory of the tree under ``pid`` while the ``with`` block runs."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.peak_tree_kb = 0
        self.peak_worker_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = {pid: pss_kb(pid) for pid in tree(self.pid)}
            self.peak_tree_kb = max(self.peak_tree_kb, sum(sizes.values()))
            workers = [size for pid, size in sizes.items() if pid != self.pid]
            self.peak_worker_kb = max([self.peak_worker_kb, *workers])
            self._stop.wait(self.every)
