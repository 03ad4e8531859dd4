"""Terminal rendering for the CLI (rich). Library code never imports this module."""

from __future__ import annotations

import re
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from digitize.catalog import DocumentView
from digitize.index import SearchHit
from digitize.report import BatchReport

_HIGHLIGHT = re.compile(r"\*\*(.+?)\*\*")


def consoles() -> tuple[Console, Console]:
    return Console(), Console(stderr=True)


class RichProgress:
    """A progress bar on a terminal."""

    def __init__(self, console: Console):
        self.console = console
        self.bar = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=console, transient=False,
        )
        self.task = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def advance(self, label: str, status: str, detail: str = "") -> None:
        if status == "failed":
            self.console.print(f"[red]failed[/red] {escape(detail)}")
        self.bar.update(self.task, advance=1, description=escape(label))

    def stop(self) -> None:
        self.bar.stop()


class LineProgress:
    """Plain lines when stdout is not a terminal (cron, logs)."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total
        print(f"ingest: {total} file(s) to process", flush=True)

    def advance(self, label: str, status: str, detail: str = "") -> None:
        self.done += 1
        suffix = f": {detail}" if detail else ""
        print(f"[{self.done}/{self.total}] {status} {label}{suffix}", flush=True)

    def stop(self) -> None:
        pass


def progress_for(console: Console):
    return RichProgress(console) if console.is_terminal else LineProgress()


def print_report(console: Console, report: BatchReport) -> None:
    table = Table(title="digitize ingest summary", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    for name, value in [
        ("files seen", report.files_seen),
        ("new", report.new),
        ("  of which retried", report.retried),
        ("skipped (already archived)", report.skipped),
        ("ignored (not a scan)", report.ignored),
        ("failed", report.failed),
        ("documents archived", report.documents),
        ("pages", report.pages),
    ]:
        table.add_row(name, str(value))
    for doc_type, count in sorted(report.types.items()):
        table.add_row(f"  type {doc_type}", str(count))
    table.add_row("elapsed", f"{report.elapsed:.1f} s")
    table.add_row("pages per minute", f"{report.pages_per_minute}")
    table.add_row("archive", escape(report.archive))
    console.print(table)
    if report.failures:
        failures = Table(title="failures", title_justify="left")
        failures.add_column("file")
        failures.add_column("reason")
        failures.add_column("what to do")
        for failure in report.failures:
            failures.add_row(escape(failure.path), failure.reason, escape(failure.message))
        console.print(failures)


def _highlight(snippet: str) -> str:
    return _HIGHLIGHT.sub(lambda m: f"[bold yellow]{m.group(1)}[/bold yellow]", escape(snippet))


def print_hits(console: Console, query: str, hits: list[SearchHit]) -> None:
    if not hits:
        console.print(f"No documents match {escape(query)!r}.")
        return
    for rank, hit in enumerate(hits, start=1):
        pages = ", ".join(str(p) for p in hit.pages) or "-"
        console.print(
            f"[bold]{rank}. {hit.id}[/bold]  {hit.type}  {hit.date or 'undated'}  "
            f"page(s) {pages}  score {hit.score:.2f}"
        )
        console.print(f"   {escape(hit.title)}")
        console.print(f"   {_highlight(hit.snippet)}")
        console.print(f"   [dim]{escape(hit.path)}[/dim]")


def print_document(console: Console, view: DocumentView, full_text: bool) -> None:
    meta: dict[str, Any] = view.metadata
    table = Table(show_header=False, title=f"document {meta['id']}", title_justify="left")
    table.add_column("field")
    table.add_column("value")
    table.add_row("type", f"{meta['type']} ({meta.get('type_label', '')}, confidence {meta['type_confidence']})")
    table.add_row("title", escape(meta.get("title") or ""))
    table.add_row("date", meta.get("date") or "undated")
    for name, field in sorted(meta.get("fields", {}).items()):
        value = field.get("value") if isinstance(field, dict) else field
        page = f" (page {field['page']})" if isinstance(field, dict) and "page" in field else ""
        table.add_row(name, escape(f"{value}{page}"))
    table.add_row("version", f"{meta.get('version', 1)}" + (f", supersedes {meta['supersedes']}" if meta.get("supersedes") else ""))
    for source in meta.get("sources", []):
        table.add_row("source", escape(f"{source['path']} (sha256 {source['sha256'][:16]}...)"))
    for kind, path in view.files.items():
        table.add_row(kind, escape(path))
    table.add_row("created", f"{meta.get('created')} by digitize {meta.get('pipeline_version')}")
    console.print(table)
    pages = Table(title="pages", title_justify="left")
    for column in ("page", "chars", "size (px)", "dpi", "origin"):
        pages.add_column(column)
    for page in meta.get("pages", []):
        dpi = f"{page['dpi']}" + (" (estimated)" if page.get("dpi_estimated") else "")
        pages.add_row(str(page["number"]), str(page["text_chars"]),
                      f"{page['width_px']}x{page['height_px']}", dpi, page.get("origin", ""))
    console.print(pages)
    text = "\n\f\n".join(view.pages) if full_text else " ".join(" ".join(view.pages).split())[:600]
    console.print("[bold]text[/bold]" + ("" if full_text else " (excerpt; --text for all)"))
    console.print(escape(text), soft_wrap=True)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
