"""Job files (``pipelines/*.toml``): one unattended batch, as IT staff schedule it.

A job file has a ``[job]`` table of its own and any sections of the config file (``[archive]``,
``[ingest]``, ``[pages]``, ``[ocr]``, ...), validated the same way and applied over the config file
(environment variables and flags still win). Paths are relative to the job file's folder::

    [job]
    inboxes = ["/srv/scan/masuk"]   # folders to ingest, in order
    log = "/var/log/digitize/nightly.log"   # one line per event, appended
    on_finish = ["/usr/local/bin/kirim-laporan", "{report}"]   # run at the end with the report's path

    [archive]
    path = "/srv/arsip"

    [ingest]
    patterns = ["*.pdf", "*.tif"]
    move_processed = true
    min_free_mb = 2000              # refuse to start, and stop cleanly, below this much free disk

``digitize run JOB`` runs it; ``--dry-run`` lists what would be processed and why every other file
is skipped, and writes nothing."""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.errors import ConfigError, UsageError
from digitize.i18n import _
from digitize.settings import Settings, load_settings

JOB_KEYS = {"name": str, "inboxes": list, "log": str, "on_finish": list}
ON_FINISH_TIMEOUT = 600  # seconds


@dataclass(frozen=True)
class Job:
    path: Path
    name: str
    inboxes: list[Path]
    log: Path | None = None
    on_finish: list[str] = field(default_factory=list)


def load_job(path: Path, config: Path | None = None, overrides: dict[str, Any] | None = None,
             env: dict[str, str] | None = None) -> tuple[Job, Settings]:
    """The job of ``path`` and its settings (defaults < config file < job file < environment < flags)."""
    if not path.is_file():
        raise UsageError(_("Job file {path} does not exist: give a file such as pipelines/nightly.toml.").format(
            path=path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("Job file {path} cannot be read as TOML: {error}").format(path=path, error=exc)) from exc
    table = data.get("job")
    if not isinstance(table, dict):
        raise ConfigError(_("Job file {path} has no [job] table: add one with at least inboxes = "
                            "[\"FOLDER\"].").format(path=path))
    for key, value in table.items():
        kind = JOB_KEYS.get(key)
        if kind is None:
            raise ConfigError(_("Unknown key 'job.{key}' in {path}; known: {known}.").format(
                key=key, path=path, known=", ".join(JOB_KEYS)))
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(_("job.{key} in {path} must be a {kind}, not {value!r}.").format(
                key=key, path=path, kind=kind.__name__, value=value))
    if not table.get("inboxes") or not all(isinstance(i, str) for i in table["inboxes"]):
        raise ConfigError(_("job.inboxes in {path} must list at least one folder, e.g. inboxes = "
                            "[\"/srv/scan\"].").format(path=path))
    if not all(isinstance(a, str) for a in table.get("on_finish", [])):
        raise ConfigError(_("job.on_finish in {path} must be a list of strings: the program and its "
                            "arguments.").format(path=path))
    base = path.resolve().parent
    settings = load_settings(config, env=env, overrides=overrides, job_file=path)
    job = Job(path=path, name=table.get("name") or path.stem,
              inboxes=[(base / i).resolve() for i in table["inboxes"]],
              log=(base / table["log"]).resolve() if table.get("log") else None,
              on_finish=list(table.get("on_finish", [])))
    return job, settings


def finish_command(job: Job, report_path: str | None) -> str | None:
    """Run the job's ``on_finish`` command with the report's path; return a notice when it failed."""
    if not job.on_finish:
        return None
    args = [a.replace("{report}", report_path or "") for a in job.on_finish]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=ON_FINISH_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _("job.on_finish {program} could not run: {error}").format(program=args[0], error=exc)
    if done.returncode != 0:
        return _("job.on_finish {program} exited {code}: {stderr}").format(
            program=args[0], code=done.returncode, stderr=done.stderr.strip()[:200])
    return None


@dataclass
class JobResult:
    job: Job
    reports: list[Any] = field(default_factory=list)  # one BatchReport per inbox
    notices: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((int(r.exit_code) for r in self.reports), default=0)

    def as_json(self) -> dict[str, Any]:
        return {"job": self.job.name, "file": str(self.job.path), "exit_code": self.exit_code,
                "notices": self.notices, "runs": [r.as_json() for r in self.reports]}


def run_job(job: Job, settings: Settings, progress: Any = None, log: Path | None = None,
            engine: Any = None) -> JobResult:
    """Ingest each of the job's inboxes in turn; log each event; run ``on_finish`` at the end."""
    from digitize.eventlog import EventLog, LogProgress
    from digitize.pipeline import ingest
    from digitize.report import NoProgress

    result = JobResult(job)
    log_path = log or job.log
    events = EventLog(log_path, f"job={job.name}") if log_path else None
    try:
        for inbox in job.inboxes:
            shown = progress or NoProgress()
            if events:
                events.write("INFO", f"inbox={inbox}")
                shown = LogProgress(shown, events)
            report = ingest(inbox, settings, engine=engine, progress=shown)
            result.reports.append(report)
            if isinstance(shown, LogProgress):
                shown.failures(report)
            if events:
                for item in (*report.notices, *report.duplicates):
                    events.write("WARNING", f"file={item.path} {item.reason} {item.message}")
                events.write("ERROR" if report.failed else "INFO",
                              f"run={report.run_id} status={'partial' if report.failed else 'ok'} "
                              f"documents={report.documents} pages={report.pages} failed={report.failed} "
                              f"report={report.report_path}")
    except BaseException as exc:
        if events:
            events.write("ERROR", _("stopped: {kind}: {error}").format(kind=type(exc).__name__, error=exc).strip())
        raise
    last = result.reports[-1].report_path if result.reports else None
    notice = finish_command(job, last)
    if notice:
        result.notices.append(notice)
        if events:
            events.write("WARNING", notice)
    return result


def dry_run(job: Job, settings: Settings) -> list[dict[str, str]]:
    """What a run would do with each file of the job's inboxes, and why; writes nothing."""
    from digitize.archive import Archive
    from digitize.ledger import open_read_only
    from digitize.stages.discover import discover

    ingest = settings.ingest
    archive = Archive.from_settings(settings)
    db = open_read_only(archive.ledger_path) if archive.ledger_path.exists() else None
    wanted = {e.lower() for e in ingest.extensions}
    rows: list[dict[str, str]] = []
    try:
        for inbox in job.inboxes:
            if not inbox.is_dir():
                raise ConfigError(_("Inbox {inbox} of {job} is not a folder: fix job.inboxes.").format(
                    inbox=inbox, job=job.path))
            found = discover(inbox, ingest.extensions, ingest.follow_symlinks, settle_seconds=ingest.settle_seconds,
                             skip_dirs=(ingest.processed_dir,), patterns=ingest.patterns)
            for rel in found.ignored:
                why = (_("not a scan by its name") if Path(rel).suffix.lower() not in wanted
                       else _("does not match ingest.patterns {patterns}").format(patterns=ingest.patterns))
                rows.append({"inbox": str(inbox), "file": rel, "action": "skip", "reason": why})
            for rel in found.deferred:
                rows.append({"inbox": str(inbox), "file": rel, "action": "skip",
                             "reason": _("still being written: the next run takes it")})
            for bad in found.rejected:
                rows.append({"inbox": str(inbox), "file": bad.rel, "action": "refuse", "reason": bad.message})
            for source in found.files:
                row = db.execute("SELECT status, doc_id, reason FROM files WHERE sha256 = ?",
                                 (source.sha256,)).fetchone() if db else None
                if row and row["status"] == "done":
                    entry = {"action": "skip",
                             "reason": _("already archived as document {doc_id}").format(doc_id=row["doc_id"])}
                elif row:
                    entry = {"action": "process",
                             "reason": _("retry: failed before ({reason})").format(reason=row["reason"])}
                else:
                    entry = {"action": "process", "reason": _("new")}
                rows.append({"inbox": str(inbox), "file": source.rel, **entry})
    finally:
        if db is not None:
            db.close()
    return rows
