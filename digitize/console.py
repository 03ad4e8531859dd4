"""Terminal rendering for the CLI (rich). Library code never imports this module."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:  # only for annotations: the CLI imports this module for every command
    from digitize.catalog import DocumentView
    from digitize.evaluate import Evaluation
    from digitize.evaluate_fields import FieldsEvaluation
    from digitize.fulltext.search import Results
    from digitize.repair import RepairReport
    from digitize.report import BatchReport
    from digitize.verify import VerifyReport

from digitize.i18n import N_, _, ngettext
from digitize.textout import _HIGHLIGHT, hit_head, hit_tail, safe, safe_text, summary_line


def consoles() -> tuple[Console, Console]:
    return Console(), Console(stderr=True)


def print_table(console: Console, title: str | None, columns: list[str], rows: list[list[Any]],
                plain_title: bool = False) -> None:
    """A table: on a terminal boxed, long cells folded onto more lines (never cut with an ellipsis);
    elsewhere (a pipe, a file, cron mail) a header line and one line per row, fields separated by
    tabs, nothing wrapped, cut or boxed. Every cell is shown with ``safe`` (no control characters).
    ``plain_title``: print the title off a terminal too (a message on stderr, not data on stdout).
    ``columns``: English names (marked with ``N_``): the header line off a terminal keeps them, for
    programs that read it (``cut``, ``awk``); the boxed table shows them in the user's language."""
    cells = [[safe(str(value)) for value in row] for row in rows]
    if not console.is_terminal:
        if title and plain_title:
            print(title, file=console.file)
        print("\t".join(columns), file=console.file)
        for row in cells:
            print("\t".join(cell.replace("\t", "\\t") for cell in row), file=console.file)
        console.file.flush()
        return
    table = Table(title=escape(title) if title else None, title_justify="left")
    for column in columns:
        table.add_column(escape(_(column)), overflow="fold")
    for row in cells:
        table.add_row(*(escape(cell) for cell in row))
    console.print(table)


class CountProgress:
    """A bar counting documents of a known total, on stderr (``index rebuild``)."""

    def __init__(self, console: Console, title: str):
        from rich.progress import TimeRemainingColumn

        self.bar = Progress(TextColumn(f"[bold]{escape(title)}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False)
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        self.bar.stop()


class RichProgress:
    """A progress bar on a terminal: files done of files planned, pages done and pages per minute,
    the time left at the rate so far, and the file being worked on (``begin``)."""

    def __init__(self, console: Console, title: str = "ingest"):
        from rich.progress import TimeRemainingColumn

        self.console = console
        self.bar = Progress(
            TextColumn(f"[bold]{escape(title)}"), BarColumn(), MofNCompleteColumn(), TextColumn(_("files")),
            TimeElapsedColumn(), TextColumn(_("eta")), TimeRemainingColumn(), TextColumn("{task.description}"),
            console=console, transient=False,
        )
        self.task: TaskID | None = None
        self.pages = 0
        self.started = 0.0
        self.working: list[str] = []  # handed to a worker and not finished, oldest first
        self.planned_pages: int | None = None

    def start(self, total: int) -> None:
        self.started = time.monotonic()
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def planned(self, pages: int | None) -> None:
        self.planned_pages = pages

    def begin(self, label: str) -> None:
        self.working.append(label)
        self._describe(0, label)

    def advance(self, label: str, status: str, detail: str = "", pages: int = 0) -> None:
        if status == "failed":
            self.console.print(_("[red]failed[/red] {detail}").format(detail=escape(safe(detail))))
        if label in self.working:
            self.working.remove(label)
        self.pages += pages
        self._describe(1, label)

    def _describe(self, advance: int, label: str) -> None:
        """The bar's text: pages, the rate, and the file being worked on (the oldest one handed to a
        worker, with how many others are too), or the one that finished last when none is."""
        assert self.task is not None, "start() first"
        minutes = max(time.monotonic() - self.started, 1e-6) / 60
        values = {"pages": self.pages, "rate": self.pages / minutes, "planned": self.planned_pages}
        if self.working and self.planned_pages is not None:
            text = _("{pages} of {planned} pages, {rate:.0f} pages/min; now: {file}").format(
                file=safe(self.working[0]), **values)
        elif self.working:
            text = _("{pages} pages, {rate:.0f} pages/min; now: {file}").format(file=safe(self.working[0]), **values)
        elif self.planned_pages is not None:
            text = _("{pages} of {planned} pages, {rate:.0f} pages/min; last: {file}").format(file=safe(label),
                                                                                              **values)
        else:
            text = _("{pages} pages, {rate:.0f} pages/min; last: {file}").format(file=safe(label), **values)
        if self.working and len(self.working) > 1:
            text += " " + _("(+{count} more)").format(count=len(self.working) - 1)
        self.bar.update(self.task, advance=advance, description=escape(text))

    def stop(self) -> None:
        self.bar.stop()

    def note(self, message: str) -> None:
        self.console.print(escape(message), soft_wrap=True)


# the outcome of a file, as the plain progress lines show it
_STATUSES = {"done": N_("done"), "failed": N_("failed")}


class LineProgress:
    """Plain lines when the console is not a terminal (cron, logs): one per file, never wrapped."""

    def __init__(self, title: str = "ingest", file: Any = None) -> None:
        self.title = title
        self.file = file
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total
        print(_("{title}: {count} file(s) to process").format(title=self.title, count=total), file=self.file,
              flush=True)

    def advance(self, label: str, status: str, detail: str = "", pages: int = 0) -> None:
        self.done += 1
        suffix = f": {safe(detail)}" if detail else ""
        shown = _STATUSES.get(status)
        values = {"done": self.done, "total": self.total, "status": _(shown) if shown else status,
                  "file": safe(label)}
        if pages:
            line = ngettext("[{done}/{total}] {status} {file} ({pages} page)",
                            "[{done}/{total}] {status} {file} ({pages} pages)", pages).format(pages=pages, **values)
        else:
            line = _("[{done}/{total}] {status} {file}").format(**values)
        print(line + suffix, file=self.file, flush=True)

    def stop(self) -> None:
        pass

    def note(self, message: str) -> None:
        print(f"{self.title}: {message}", file=self.file, flush=True)


def progress_for(console: Console, title: str = "ingest"):
    return RichProgress(console, title) if console.is_terminal else LineProgress(title, console.file)


def print_report(console: Console, report: BatchReport) -> None:
    """The ingest summary, then what the clerk must look at: failures, duplicates, notices, deferred
    files, blank and low-confidence pages, each by file (and page)."""
    counts = [
        (_("files seen"), report.files_seen),
        (_("new"), report.new),
        ("  " + _("of which retried"), report.retried),
        (_("skipped (already archived)"), report.skipped),
        (_("ignored (not a scan)"), report.ignored),
        (_("deferred (still being written: next run)"), report.deferred),
        (_("failed"), report.failed),
        (_("documents archived"), report.documents),
        (_("pages"), report.pages),
        *(("  " + _("type {type}").format(type=doc_type), count) for doc_type, count in sorted(report.types.items())),
        (_("blank pages (kept, flagged)"), len(report.blank_pages)),
        (_("pages to check or rescan"), len(report.low_confidence)),
        (_("elapsed"), f"{report.elapsed:.1f} s"),
        (_("pages per minute"), f"{report.pages_per_minute}"),
        (_("archive"), report.archive),
    ]
    if console.is_terminal:
        table = Table(title=_("digitize ingest summary"), show_header=False, title_justify="left")
        table.add_column("what")
        table.add_column("value", justify="right", overflow="fold")
        for name, value in counts:
            table.add_row(escape(name), escape(safe(str(value))))
        console.print(table)
    else:
        print(_("digitize ingest summary:"), file=console.file)
        for name, value in counts:
            print(f"{name.strip()}: {safe(str(value))}", file=console.file)
    if report.failures:
        print_table(console, _("failures: {count}").format(count=len(report.failures)),
                    [N_("file"), N_("reason"), N_("what to do")],
                    [[f.path, f.reason, f.message] for f in report.failures], plain_title=True)
    for title, items in ((N_("probable duplicates (archived; check if rescans): {count}"), report.duplicates),
                         (N_("notices (archived; digitize changed or kept something): {count}"), report.notices)):
        if items:
            print_table(console, _(title).format(count=len(items)), [N_("file"), N_("notice")],
                        [[item.path, item.message] for item in items], plain_title=True)
    if report.deferred_files:
        print_table(console, _("deferred (still being written; the next run takes them): {count}")
                    .format(count=report.deferred),
                    [N_("file")], [[rel] for rel in report.deferred_files], plain_title=True)
    if report.blank_pages:
        print_table(console, _("blank pages (kept, flagged)"), [N_("file"), N_("page"), N_("document")],
                    [[n.path, n.page, n.doc_id] for n in report.blank_pages], plain_title=True)
    if report.low_confidence:
        print_table(console, _("check or rescan (low OCR confidence)"),
                    [N_("file"), N_("page"), N_("document"), N_("confidence")],
                    [[n.path, n.page, n.doc_id, n.confidence] for n in report.low_confidence], plain_title=True)
    if report.report_path:
        print(_("report: {path}").format(path=safe(report.report_path)), file=console.file, flush=True)


def _highlight(snippet: str, console: Console) -> str:
    """Matches (``**word**``) in bold yellow; kept as ``**word**`` where the terminal shows no colour
    or style (``NO_COLOR``, ``TERM=dumb``), so they stay visible."""
    if console.no_color or console.color_system is None:
        return escape(snippet)
    return _HIGHLIGHT.sub(lambda m: f"[bold yellow]{m.group(1)}[/bold yellow]", escape(snippet))


def print_results(console: Console, offset: int, results: Results) -> None:
    """The hits on a terminal, best first, matches highlighted (pipes get :func:`textout.results_text`)."""
    if not results.hits:
        return
    console.print(summary_line(offset, results), markup=False, soft_wrap=True, highlight=False)
    for hit in results.hits:
        console.print(f"[bold]{escape(hit_head(hit))}[/bold]", soft_wrap=True, highlight=False)
        if hit.nomor and hit.title:
            console.print(f"   {escape(safe(hit.title))}", soft_wrap=True, highlight=False)
        console.print(f"   {_highlight(safe(hit.snippet), console)}", soft_wrap=True, highlight=False)
        console.print(f"   [dim]{escape(hit_tail(hit))}[/dim]", soft_wrap=True, highlight=False)


def print_events(console: Console, view: DocumentView) -> None:
    """The document's event log, oldest first."""
    table = Table(title=_("events of document {id}").format(id=view.metadata["id"]), title_justify="left")
    for column in (_("time"), _("event"), _("outcome"), _("agent"), _("detail")):
        table.add_column(column)
    for item in view.events:
        table.add_row(item["time"], item["type"], item["outcome"], escape(item["agent"]), escape(item["detail"] or ""))
    console.print(table)


def print_document(console: Console, view: DocumentView, full_text: bool) -> None:
    meta: dict[str, Any] = view.metadata
    table = Table(show_header=False, title=_("document {id}").format(id=meta["id"]), title_justify="left")
    table.add_column("field")
    table.add_column("value")
    table.add_row(_("type"), _("{type} ({label}, confidence {confidence})").format(
        type=meta["type"], label=meta.get("type_label", ""), confidence=meta["type_confidence"]))
    table.add_row(_("title"), escape(meta.get("title") or ""))
    table.add_row(_("date"), meta.get("date") or _("undated"))
    for name, field in sorted(meta.get("fields", {}).items()):
        items = field if isinstance(field, list) else [field]
        shown = []
        for item in items:
            value = item.get("value") if isinstance(item, dict) else item
            extra = f" {item['label']}" if isinstance(item, dict) and item.get("label") else ""
            if isinstance(item, dict) and item.get("page"):
                shown.append(_("{value} (page {page})").format(value=f"{value}{extra}", page=item["page"]))
            else:
                shown.append(f"{value}{extra}")
        table.add_row(name, escape("; ".join(shown)))
    version = f"{meta.get('version', 1)}"
    if meta.get("supersedes"):
        version = _("{version}, supersedes {id}").format(version=version, id=meta["supersedes"])
    table.add_row(_("version"), version)
    for source in meta.get("sources", []):
        table.add_row(_("source"), escape(f"{source['path']} (sha256 {source['sha256'][:16]}...)"))
    signed = {"pdf": _("pdf (rendition)"), "original": _("original (signed)")} if meta.get("signatures") else {}
    for kind, path in view.files.items():
        table.add_row(signed.get(kind, kind), escape(path))
    for sig in meta.get("signatures", []):
        state = _("intact") if sig.get("intact") else _("NOT intact: changed after signing")
        table.add_row(_("signature"),
                      escape(f"{sig.get('signer')}, {sig.get('signing_time')}, {state} ({sig['file']})"))
    table.add_row(_("created"), _("{time} by digitize {version}").format(time=meta.get("created"),
                                                                         version=meta.get("pipeline_version")))
    console.print(table)
    pages = Table(title=_("pages"), title_justify="left")
    for column in (_("page"), _("chars"), _("size (px)"), "dpi", _("skew"), _("turned"), _("confidence"),
                   _("origin")):
        pages.add_column(column)
    for page in meta.get("pages", []):
        dpi = f"{page['dpi']}"
        if page.get("dpi_estimated"):
            dpi = _("{dpi} (estimated)").format(dpi=dpi)
        skew = "-" if page.get("skew_deg") is None else f"{page['skew_deg']:+.2f}°"
        conf = "-" if page.get("confidence") is None else f"{page['confidence']:.0f}"
        origin = page.get("origin", "")
        if page.get("blank"):
            origin = _("{origin}, blank").format(origin=origin)
        pages.add_row(str(page["number"]), str(page["text_chars"]), f"{page['width_px']}x{page['height_px']}",
                      dpi, skew, f"{page.get('rotation', 0)}°", conf, origin)
    console.print(pages)
    if full_text:
        print_pages(console, view, range(1, len(view.pages) + 1))
        return
    text = " ".join(" ".join(view.pages).split())[:600]
    console.print(_("[bold]text[/bold] (excerpt; --text for all, --page N for one page)"))
    console.print(escape(text), soft_wrap=True)


def print_pages(console: Console, view: DocumentView, numbers: range | list[int], marked: str | None = None) -> None:
    """The text of the pages ``numbers``, each under a ``--- page N of M ---`` line; ``marked``: the text
    of one page with its matches wrapped in ``**`` (highlighted on a terminal)."""
    total = len(view.pages)
    for number in numbers:
        console.print(_("--- page {number} of {total} ---").format(number=number, total=total), markup=False,
                      soft_wrap=True, highlight=False)
        text = marked if marked is not None else view.pages[number - 1]
        if console.is_terminal:
            console.print(_highlight(safe_text(text), console), soft_wrap=True, highlight=False)
        else:
            console.file.write(safe_text(text).rstrip("\n") + "\n")


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _angles(values: list, fmt: str, most: int = 2) -> str:
    """Per-page angles, "-" where a page was not measured; long documents are cut short."""
    if not values:
        return "-"
    shown = ["-" if v is None else format(round(v, 1) + 0, fmt) for v in values[:most]]  # no "-0.0"
    return " ".join(shown) + (" …" if len(values) > most else "")


def print_evaluation(console: Console, evaluation: Evaluation) -> None:
    table = Table(title="digitize eval", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False, collapse_padding=True)
    table.add_column(_("file"), overflow="fold", min_width=12)
    for column in (_("pages"), "CER", "WER", "BoW", _("skew°"), _("rot°"), _("conf"), _("s/page")):
        table.add_column(column, justify="right")
    names = [Path(f.file).name for f in evaluation.files]
    unique = len(set(names)) == len(names)  # short names unless two files share one
    for f, name in zip(evaluation.files, names, strict=True):
        table.add_row(
            escape(name if unique else f.file) + (" " + _("[red](failed)[/red]") if f.error else ""), str(f.pages),
            _rate(f.chars.rate), _rate(f.words.rate), _rate(f.bow.rate),
            _angles(f.skew_deg, "+.1f"), _angles(f.rotation, "d"),
            "-" if f.confidence is None else f"{f.confidence:.0f}",
            "-" if f.seconds_per_page is None else f"{f.seconds_per_page:.2f}",
        )
    spp = evaluation.seconds_per_page
    table.add_section()
    if evaluation.failed:
        overall = _("[bold]overall[/bold] ({files} files, [red]{failed} failed[/red])").format(
            files=len(evaluation.files), failed=evaluation.failed)
    else:
        overall = _("[bold]overall[/bold] ({files} files)").format(files=len(evaluation.files))
    table.add_row(
        overall, str(evaluation.pages),
        _rate(evaluation.chars.rate), _rate(evaluation.words.rate), _rate(evaluation.bow.rate), "", "",
        "-" if evaluation.confidence is None else f"{evaluation.confidence:.0f}",
        "-" if spp is None else f"{spp:.2f}",
    )
    console.print(table)
    info = evaluation.ocr_info
    console.print(_(
        "[dim]CER/WER after collapsing whitespace; BoW = bag-of-words error, (missing + extra words) / "
        "reference words, in any order; overall = sum of edits / sum of reference lengths (micro). "
        "skew°: per page, positive = lines rise to the right; rot°: per page, degrees turned clockwise "
        "to make it upright. OCR: {engine}, lang {lang}.[/dim]"
    ).format(engine=escape(info.get("tesseract", info.get("engine", "?"))), lang=escape(info.get("lang", "?"))))
    for f in evaluation.files:
        if f.error:
            console.print(_("[red]failed[/red] {detail}").format(detail=escape(f.error)))


_FIELD_MARKS = {"right": "✓", "wrong": "[red]✗[/red]", "missing": "[yellow]-[/yellow]",
                "invented": "[red]+[/red]", "unscored": ""}
_FIELD_HEADS = {"tanggal": "tgl", "perihal": "hal", "lampiran": "lamp", "signer_title": "title", "nip_signer": "nip"}
_TYPE_MARKS = {"right": "✓", "wrong": "[red]✗[/red]", "unclassified": "[yellow]?[/yellow]",
               "refused": N_("[red]fail[/red]")}


def print_fields_evaluation(console: Console, evaluation: FieldsEvaluation) -> None:
    from digitize.evaluate_fields import FIELD_NAMES, FIELDS, TYPE_ABSTAINED, TYPE_REFUSED, TYPE_RIGHT, TYPE_WRONG

    docs = evaluation.documents
    names = [Path(d.file).stem for d in docs]
    unique = len(set(names)) == len(names)  # short names unless two files share one
    table = Table(title=_("digitize eval --fields: per document"), title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column(_("file"), no_wrap=True)
    table.add_column(_("type"))
    for name in FIELD_NAMES:
        table.add_column(_FIELD_HEADS.get(name, name))
    for doc, name in zip(docs, names, strict=True):
        mark = _TYPE_MARKS[doc.type_status]
        table.add_row(escape(name if unique else doc.file), _(mark) if mark else mark,
                      *(_FIELD_MARKS[doc.fields[n].status] for n in FIELD_NAMES))
    console.print(table)

    summary = Table(title=_("per field"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                    show_edge=False, collapse_padding=True)
    summary.add_column(_("field"))
    for column in (_("scored"), _("right"), _("wrong"), _("missing"), _("invented"), _("right %")):
        summary.add_column(column, justify="right")
    for spec in FIELDS:
        tally = evaluation.tally(spec.name)
        summary.add_row(spec.name, str(tally.scored), str(tally.right), str(tally.wrong), str(tally.missing),
                        str(tally.invented) if spec.name == "tanggal" else "", _percent(tally.rate))
    summary.add_section()
    total = evaluation.overall
    summary.add_row(_("[bold]overall[/bold]"), str(total.scored), str(total.right), str(total.wrong),
                    str(total.missing), str(total.invented), _percent(total.rate))
    console.print(summary)

    types = evaluation.types
    console.print(_(
        "[bold]type[/bold]: {right} right, {wrong} wrong specific type, {abstained} unclassified (abstained), "
        "{refused} refused, of {documents} documents ({pages} pages processed)"
    ).format(right=types[TYPE_RIGHT], wrong=types[TYPE_WRONG], abstained=types[TYPE_ABSTAINED],
             refused=types[TYPE_REFUSED], documents=len(docs), pages=evaluation.pages))
    for expected, found, count in evaluation.confusion:
        mark = "" if _type_right(expected, found) else " [red]✗[/red]"
        console.print(f"  {escape(expected)} → {escape(found)}: {count}{mark}")
    wrong = evaluation.wrong_values()
    if wrong:
        console.print(_("[bold]wrong values[/bold] (found | expected):"))
    for file, result in wrong:
        recall = ("" if result.recall is None
                  else " " + _("[dim](words {recall:.0%})[/dim]").format(recall=result.recall))
        console.print(f"  {result.name} {escape(Path(file).name)}: {escape(repr(result.found))} | "
                      f"{escape(repr(result.expected))}{recall}")
    info = evaluation.ocr_info
    rules = "; ".join(f"{spec.name}: {_(spec.describe)}" for spec in FIELDS)
    console.print(_(
        "[dim]Right when {rules} (words: word recall after lowercasing, punctuation dropped). "
        "✓ right, ✗ found but not right, - not found, + a date found where the page has none, "
        "blank = nothing expected (not scored); type ? = unclassified (abstained), fail = refused; hal = perihal, "
        "title = signer_title, nip = nip_signer. OCR: {engine}, lang {lang}.[/dim]"
    ).format(rules=escape(rules), engine=escape(info.get("tesseract", info.get("engine", "?"))),
             lang=escape(info.get("lang", "?"))))
    for doc in docs:
        if doc.error:
            console.print(_("[red]refused[/red] {detail}").format(detail=escape(doc.error)))


def _type_right(expected: str, found: str) -> bool:
    from digitize.evaluate_fields import TYPE_RIGHT, type_status

    return type_status(expected, found) == TYPE_RIGHT


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def print_quarantine(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(_("Nothing in quarantine: every input file seen so far was archived."))
        return
    print_table(console, _("quarantine: {count} file(s) not archived").format(count=len(rows)),
                [N_("file"), N_("reason"), N_("tries"), N_("what to do")],
                [[row["path"], row["reason"] or "", row["attempts"], row["message"] or ""] for row in rows])


def print_review(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(_("Nothing to review."))
        return
    print_table(console, _("to review: {count} document(s)").format(count=len(rows)),
                [N_("id"), N_("type"), N_("confidence"), N_("date"), N_("title"), N_("source")],
                [[row["id"], row["type"], f"{row['type_confidence']:.2f}", row["date"] or "", row["title"] or "",
                  row["source_path"]] for row in rows])
    if console.is_terminal:
        console.print(_("Confirm or correct with: digitize classify confirm ID [TYPE] (an id prefix is enough)"),
                      markup=False)


def print_verify(console: Console, report: VerifyReport) -> None:
    checked = _("{documents} document(s), {files} file(s), {megabytes:.1f} MB hashed").format(
        documents=report.documents, files=report.files, megabytes=report.bytes / 1e6)
    if report.reference == "sidecars":
        checked += "; " + _("checked against the sidecars")
    elif report.reference != "ledger":
        checked += "; " + _("checked against the {reference}").format(reference=report.reference)
    if report.full:
        checked += "; " + _("PDF/A, fonts and text layer checked; {verapdf}").format(verapdf=report.verapdf)
    for part in report.unreadable:
        console.print(_("Not checked: the {part} part (you may not read it; run verify as its owner).")
                      .format(part=part), markup=False)
    for warning in report.warnings:
        console.print(_("warning: {message} (recorded when it was archived)").format(message=warning.message),
                      markup=False)
    if not report.problems:
        console.print(_("The archive is intact: {checked}.").format(checked=checked), markup=False)
        return
    console.print(_("verify: {count} problem(s) in {archive}").format(count=len(report.problems),
                                                                    archive=report.archive), markup=False)
    for problem in report.problems:
        console.print(f"  {problem.kind}: {problem.path or report.archive}: {problem.message}", markup=False,
                      soft_wrap=True)
    actions: dict[str, int] = {}
    for problem in report.problems:
        actions[problem.repair] = actions.get(problem.repair, 0) + 1
    console.print(_("To repair:"), markup=False)
    for action, count in actions.items():
        console.print("  " + _("{action}: {count} problem(s)").format(action=action, count=count), markup=False,
                      soft_wrap=True)
    console.print(_("Checked {checked}.").format(checked=checked), markup=False, soft_wrap=True)


def print_repair(console: Console, report: RepairReport) -> None:
    if not report.actions:
        console.print(_("Nothing to repair with the options given."), markup=False)
    for action in report.actions:
        console.print(f"{action.action}: {action.path}: {action.outcome}", markup=False, soft_wrap=True)
    assert report.remaining is not None
    print_verify(console, report.remaining)
