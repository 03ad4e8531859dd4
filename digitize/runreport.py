"""Each run's report on disk, and the archive's status, for IT staff who read the result in the morning.

Every ``ingest`` run writes ``<archive>/reports/run-<id>.json`` (everything the batch report holds,
with the run's id, times and outcome) and ``run-<id>.txt`` (the same as plain lines, no table
drawing, nothing cut), written whole and renamed into place by the parent. ``digitize report``
lists past runs or prints one; ``digitize status`` tells the archive's totals, the last run and the
last successful one, a run in progress, the quarantine count and the free disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from digitize.archive import Archive, atomic_write
from digitize.errors import NotFoundError
from digitize.i18n import _
from digitize.report import BatchReport
from digitize.settings import Settings

REPORTS = "reports"
SUCCESS = ("ok", "partial")  # a run that finished (partial: some files quarantined, the rest archived)


def report_name(run_id: int) -> str:
    return f"run-{run_id:06d}"


def write(archive: Archive, run_id: int, started: str, finished: str, status: str,
          report: BatchReport) -> Path:
    """Write the run's JSON and text reports; return the JSON's path."""
    data = {"run": run_id, "started": started, "finished": finished, "status": status, **report.as_json()}
    folder = archive.root / REPORTS
    base = folder / report_name(run_id)
    atomic_write(base.with_suffix(".txt"), render(data).encode("utf-8"), archive.file_mode, archive.dir_mode)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    atomic_write(base.with_suffix(".json"), body, archive.file_mode, archive.dir_mode)
    return base.with_suffix(".json")


def render(data: dict[str, Any]) -> str:
    """The report as plain text: one fact per line, grep-able, for a terminal, a mail or a log."""
    lines = [_("digitize run {run}: {status}").format(run=data["run"], status=data["status"]),
             _("inbox: {inbox}").format(inbox=data["inbox"]), _("archive: {archive}").format(archive=data["archive"]),
             _("started: {time}").format(time=data["started"]), _("finished: {time}").format(time=data["finished"]),
             _("elapsed: {seconds} s ({rate} pages per minute)").format(seconds=data["elapsed_seconds"],
                                                                         rate=data["pages_per_minute"]), ""]
    for label, key in ((_("files seen: {count}"), "files_seen"), (_("new: {count}"), "new"),
                       (_("retried: {count}"), "retried"), (_("skipped (already archived): {count}"), "skipped"),
                       (_("ignored (not a scan): {count}"), "ignored"),
                       (_("deferred (still being written): {count}"), "deferred"), (_("failed: {count}"), "failed"),
                       (_("documents archived: {count}"), "documents"), (_("pages: {count}"), "pages")):
        lines.append(label.format(count=data[key]))
    for doc_type, count in data["types"].items():
        lines.append(_("type {type}: {count}").format(type=doc_type, count=count))
    page_of = _("{path} page {page} (document {doc_id})")
    page_with = _("{path} page {page} (document {doc_id}): {detail}")
    sections = ((_("failures: {count}"), "failures", "{path}: {reason}: {message}"),
                (_("notices: {count}"), "notices", "{message}"),
                (_("probable duplicates: {count}"), "probable_duplicates", "{message}"),
                (_("pages to check or rescan (low OCR confidence): {count}"), "low_confidence_pages",
                 _("{path} page {page} (document {doc_id}): confidence {confidence}")),
                (_("blank pages (kept, flagged): {count}"), "blank_pages", page_of),
                (_("rotated pages: {count}"), "rotated_pages", page_with),
                (_("deskewed pages: {count}"), "deskewed_pages", page_with),
                (_("archived: {count}"), "archived", "{source} -> {path} ({type})"))
    for title, key, fmt in sections:
        items = data.get(key) or []
        if items:
            lines += ["", title.format(count=len(items))]
            lines += ["  " + fmt.format(**item) for item in items]
    return "\n".join(lines) + "\n"


def runs(settings: Settings) -> list[dict[str, Any]]:
    """Every run in the ledger, newest first, with its headline counts."""
    from digitize.ledger import open_read_only

    archive = Archive.from_settings(settings)
    archive.require_existing()
    db = open_read_only(archive.ledger_path)
    try:
        rows = [dict(r) for r in db.execute("SELECT id, started, finished, inbox, status, summary FROM runs "
                                            "ORDER BY id DESC")]
    finally:
        db.close()
    out = []
    for row in rows:
        summary = json.loads(row.pop("summary") or "{}")
        row.update({k: summary.get(k) for k in ("new", "failed", "documents", "pages", "elapsed_seconds")})
        path = archive.root / REPORTS / f"{report_name(row['id'])}.txt"
        row["report"] = str(path) if path.exists() else None
        out.append(row)
    return out


def one(settings: Settings, run: str | None) -> dict[str, Any]:
    """A run's report (the last one when ``run`` is None): its JSON, read back."""
    archive = Archive.from_settings(settings)
    folder = archive.root / REPORTS
    found = sorted(folder.glob("run-*.json")) if folder.is_dir() else []
    if run is None:
        if not found:
            raise NotFoundError(_("No run report in {folder} yet: run `digitize ingest` first.").format(folder=folder))
        path = found[-1]
    else:
        number = run.removeprefix("run-")
        path = folder / f"{report_name(int(number))}.json" if number.isdigit() else folder / f"{run}.json"
        if not path.exists():
            raise NotFoundError(_("No report of run {run} in {folder}: `digitize report` lists the runs.").format(
                run=run, folder=folder))
    return dict(json.loads(path.read_text(encoding="utf-8")))


def status(settings: Settings) -> dict[str, Any]:
    """The archive at a glance, for a person or a monitoring system (``last_success``)."""
    from digitize.ledger import open_read_only
    from digitize.lock import holder

    archive = Archive.from_settings(settings)
    archive.require_existing()
    db = open_read_only(archive.ledger_path)
    try:
        documents = db.execute("SELECT count(*), coalesce(sum(pages), 0) FROM documents").fetchone()
        types = dict(db.execute("SELECT type, count(*) FROM documents GROUP BY type ORDER BY type").fetchall())
        quarantined = db.execute("SELECT count(*) FROM files WHERE status = 'failed'").fetchone()[0]
        last = db.execute("SELECT id, started, finished, status FROM runs WHERE status != 'running' "
                          "ORDER BY id DESC LIMIT 1").fetchone()
        success = db.execute(f"SELECT id, finished FROM runs WHERE status IN {SUCCESS} "
                             "ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    usage = shutil.disk_usage(archive.root)
    running = holder(archive.root)
    return {
        "archive": str(archive.root),
        "documents": documents[0], "pages": documents[1], "types": types, "quarantined": quarantined,
        "last_run": dict(last) if last else None,
        "last_success": success["finished"] if success else None,
        "last_success_run": success["id"] if success else None,
        "running": running,
        "free_bytes": usage.free, "free_percent": round(usage.free / usage.total * 100, 1) if usage.total else None,
    }
