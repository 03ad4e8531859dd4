"""The ``digitize`` command line. Thin: each command builds settings, calls one
library function and renders the result. ``main`` is the one place that turns
exceptions, Ctrl-C and SIGTERM into exit codes (``digitize.errors.ExitCode``).

Start-up stays cheap: a command imports its machinery (the pipeline, OpenCV,
scikit-learn, ...) only when it runs, so ``--help``, ``search`` and ``show`` do
not load them.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from digitize import __version__
from digitize.errors import DigitizeError, ExitCode, UsageError
from digitize.i18n import N_, _
from digitize.settings import load_settings
from digitize.signals import TermSignal

app = typer.Typer(
    name="digitize",
    help="Turn folders of scanner output into a searchable PDF/A archive, and search it.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion (bash, zsh, fish) and --show-completion
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Manage the full-text index.", no_args_is_help=True)
app.add_typer(index_app, name="index")
config_app = typer.Typer(help="The effective configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")

ArchiveOpt = Annotated[
    Path | None,
    typer.Option("--archive", "-a", help="Archive folder (default: from config, or DIGITIZE_ARCHIVE).",
                 show_default=False, rich_help_panel="Archive and settings"),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Config file (default: DIGITIZE_CONFIG, ~/.config/digitize/digitize.toml, "
                                  "/etc/digitize/digitize.toml).",
                 show_default=False, rich_help_panel="Archive and settings"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.", rich_help_panel="Output")]
LogOpt = Annotated[Path | None, typer.Option("--log", metavar="FILE", show_default=False,
                                             help="Append one line per event (ISO time, level, file, outcome).",
                                             rich_help_panel="Output")]
WaitOpt = Annotated[float | None, typer.Option("--wait", metavar="SECONDS", show_default=False,
                                               help="Wait up to SECONDS for another writer of the archive to "
                                                    "finish (default: exit at once with code 8).",
                                               rich_help_panel="Job control")]
RestrictedOpt = Annotated[bool, typer.Option("--restricted", help="Include confidential documents (sifat Rahasia, "
                                                                  "Terbatas...): for users who may read them.")]


def _quiet_line(message: str) -> None:
    """One line on stderr for cron mail and journald: ISO time first, never wrapped, no control characters."""
    from datetime import UTC, datetime

    from digitize.textout import safe

    print(f"{datetime.now(UTC).isoformat(timespec='seconds')} {safe(message)}", file=sys.stderr, flush=True)


def _settings(config: Path | None, **overrides):
    return load_settings(config, overrides=overrides)


def _version(value: bool) -> None:
    if value:
        print(f"digitize {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                          help="Show tracebacks of errors (anywhere on the command line).")] = False,
) -> None:
    """digitize: scanner output in, searchable PDF/A archive and terminal search out."""


@app.command()
def ingest(
    inbox: Annotated[Path, typer.Argument(help="Folder of scanner output.", exists=True,
                                          file_okay=False, dir_okay=True)],
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    lang: Annotated[str | None, typer.Option(help="Tesseract languages, e.g. ind+eng.",
                                            show_default=False, rich_help_panel="OCR")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes (0 = one per CPU).",
                                            show_default=False, rich_help_panel="Job control")] = None,
    force: Annotated[bool, typer.Option("--force", help="Process files again even if already archived.",
                                        rich_help_panel="Input")] = False,
    confidential: Annotated[bool | None, typer.Option("--confidential", help="Store every document of this run "
                                                      "in the restricted part.", show_default=False,
                                                      rich_help_panel="Input")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; failures only.",
                                        rich_help_panel="Output")] = False,
    wait: WaitOpt = None,
    log: LogOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Process every new scan in INBOX into the archive (OCR, PDF/A, classify, index).

    Files already archived are skipped, so the same command can run again at any time.

    \b
    Examples:
      digitize ingest /srv/scan/masuk --archive /srv/arsip
      digitize ingest . --jobs 2 --lang ind+eng
      digitize ingest /srv/scan/masuk --quiet --log /var/log/digitize.log
    """
    from digitize import pipeline
    from digitize.console import consoles, print_report, progress_for
    from digitize.report import NoProgress

    settings = _settings(config, **{"archive.path": archive, "ocr.lang": lang, "ingest.jobs": jobs,
                                        "ingest.confidential": confidential, "archive.lock_wait": wait})
    err = consoles()[1]  # progress and the summary are messages: stderr; --json is the data, on stdout
    progress = NoProgress() if (quiet or as_json) else progress_for(err)
    if log:
        from digitize.eventlog import EventLog, LogProgress

        logged = LogProgress(progress, EventLog(log, "ingest"))
        progress = logged
    report = pipeline.ingest(inbox, settings, progress=progress, force=force)
    if log:
        logged.failures(report)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    elif quiet:
        for failure in report.failures:
            _quiet_line(_("failed: {message}").format(message=failure.message))
    else:
        print_report(err, report)
    raise typer.Exit(report.exit_code)


# what `run --dry-run` would do with a file, as its lines show it (the JSON keeps the codes)
_DRY_RUN_ACTIONS = {"process": N_("process"), "skip": N_("skip"), "refuse": N_("refuse")}


@app.command("run")
def run_job(
    job_file: Annotated[Path, typer.Argument(help="The job file, e.g. pipelines/nightly.toml.", metavar="JOB")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be processed and why every other "
                                                            "file is skipped; write nothing.")] = False,
    config: ConfigOpt = None,
    log: LogOpt = None,
    wait: WaitOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary; failures only.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run a job file: its inboxes into its archive with its settings, a report and a log (cron, systemd).

    \b
    Examples:
      digitize run pipelines/nightly.toml --dry-run
      digitize run pipelines/nightly.toml --quiet
    """
    from digitize import job as jobs
    from digitize.console import consoles, print_report, progress_for
    from digitize.report import NoProgress

    job, settings = jobs.load_job(job_file, config, overrides={"archive.lock_wait": wait})
    err = consoles()[1]
    if dry_run:
        rows = jobs.dry_run(job, settings)
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                action = _DRY_RUN_ACTIONS.get(row["action"])
                action = _(action) if action else row["action"]
                print(_("{action:<8} {file}: {reason}").format(action=action, file=row["file"], reason=row["reason"]))
            todo = sum(r["action"] == "process" for r in rows)
            print(_("{todo} file(s) would be processed, {other} not, into {archive}.").format(
                todo=todo, other=len(rows) - todo, archive=settings.archive.path.resolve()))
        return
    progress = NoProgress() if (quiet or as_json) else progress_for(err)
    result = jobs.run_job(job, settings, progress, log)
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    for report in result.reports:
        if quiet:
            for failure in report.failures:
                _quiet_line(_("failed: {message}").format(message=failure.message))
        elif not as_json:
            print_report(err, report)
    for notice in result.notices:
        _quiet_line(_("notice: {message}").format(message=notice))
    raise typer.Exit(result.exit_code)


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", show_default=False,
                                         help="What to look for (see the language above).")],
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most hits to show.")] = 10,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many hits first (the next page of hits).")] = 0,
    sort: Annotated[str, typer.Option("--sort", metavar="score|date|-date",
                                      help="Order: best first, oldest first or newest first.")] = "score",
    restricted: RestrictedOpt = False,
    as_json: JsonOpt = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the hits as CSV (rank, id, nomor, type, date, "
                                                       "title, pages, score, path, snippet).")] = False,
    paths: Annotated[bool, typer.Option("--paths", help="Print only the PDF paths, one per line (for pipes).")] = False,
) -> None:
    """Search the archive: ranked documents with their matching pages and a snippet.

    \b
    The language:
      bimbingan teknis              both words, anywhere in the document
      "bimbingan teknis"            the phrase
      undangan OR edaran            either word
      arsip -rapat  (arsip NOT rapat)  without the word
      kepegawai*                    words that start so
      mahasiwa~                     words close to it (when nothing matches exactly,
                                    close words are tried by themselves)
      type:surat_undangan  kka:800*  sifat:rahasia  perihal:anggaran  title:...
      nomor:"005/123/IX/2024"       a letter number, whatever its punctuation
      nip:"19680412 199303 1 007"   nik:9171010101010001   (spaces and dots ignored)
      year:2021..2023  date:>=2023-09-01  date:2023-09

    \b
    Examples:
      digitize search "bimbingan teknis" year:2024
      digitize search 'nomor:"1931/KPA.W15-A12/HM2.1.4/IX/2024"' --json
      digitize search type:surat_keputusan --sort -date --paths | xargs -d '\\n' ls -l

    Exit code 0 with hits, 1 when nothing matches (like grep), 2 for a query it cannot read.
    """
    from digitize import catalog
    from digitize.textout import results_csv, results_json, results_text, safe

    settings = _settings(config, **{"archive.path": archive})
    results = catalog.find(settings, query, limit, offset, sort, restricted)
    left_out = None if restricted else catalog.restricted_matches(settings, query)
    if as_json:
        print(results_json(query, offset, results))
    elif as_csv:
        sys.stdout.write(results_csv(results))
    elif paths:
        for hit in results.hits:
            print(safe(hit.path))
    elif sys.stdout.isatty():
        from digitize.console import consoles, print_results

        print_results(consoles()[0], offset, results)
    else:  # a pipe or a file: plain lines, no terminal stack
        sys.stdout.write(results_text(offset, results))
    if results.close and not as_json:
        typed = query.replace("\n", " ")
        line = _("No exact match for {query!r}; showing documents with close words.").format(query=typed)
        if results.suggestion:
            line += " " + _("Did you mean: {suggestion}?").format(suggestion=results.suggestion)
        print(line, file=sys.stderr)
    if left_out:
        print(_("{count} restricted document(s) also match, left out: add --restricted to include them.")
              .format(count=left_out), file=sys.stderr)
    if not results.hits:
        if not as_json:
            if offset and results.total:
                none = _("No documents match {query!r} beyond the first {offset}.").format(query=query, offset=offset)
            else:
                none = _("No documents match {query!r}.").format(query=query)
            print(none, file=sys.stderr)
        raise typer.Exit(ExitCode.NO_MATCH)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of it).")],
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    text: Annotated[bool, typer.Option("--text", help="Print every page's text, each under its page line.")] = False,
    page: Annotated[int | None, typer.Option("--page", "-p", metavar="N", show_default=False,
                                             help="Print only page N's text.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", metavar="QUERY", show_default=False,
                                              help="Highlight the matches of this search on the page.")] = None,
    events: Annotated[bool, typer.Option("--events", help="Print the document's event log.")] = False,
    restricted: RestrictedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one document: metadata, pages, file paths and a text excerpt.

    \b
    Examples:
      digitize show 24da1426
      digitize show 24da1426 --page 2 --query "bimbingan teknis"
      digitize show 24da1426 --text > surat.txt
    """
    from digitize import catalog
    from digitize.console import consoles, print_document, print_events, print_pages

    view = catalog.show(_settings(config, **{"archive.path": archive}), doc_id, restricted)
    if page is not None and not 1 <= page <= len(view.pages):
        raise UsageError(_("Document {id} has {count} page(s): give --page 1 to {count}, not {page}.")
                         .format(id=view.metadata["id"], count=len(view.pages), page=page))
    if as_json:
        print(json.dumps(dict(view.metadata, events=view.events) if events else view.metadata,
                         ensure_ascii=False, indent=2))
    elif events:
        print_events(consoles()[0], view)
    elif page is not None:
        marked = catalog.mark(view.pages[page - 1], query) if query else None
        print_pages(consoles()[0], view, [page], marked)
    else:
        print_document(consoles()[0], view, text)


@app.command("eval")
def eval_(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Scans to OCR and score (with --manifest and no FILES: every scan it lists).",
        exists=True, file_okay=True, dir_okay=False, show_default=False)] = None,
    truth: Annotated[Path | None, typer.Option(
        "--truth", help="Folder holding NAME.txt, the ground-truth text of each scan NAME.ext "
        "(default: NAME.txt beside the scan).", exists=True, file_okay=False, dir_okay=True,
        show_default=False)] = None,
    manifest: Annotated[Path | None, typer.Option(
        "--manifest", help="CSV with the columns file,truth (paths relative to the CSV).",
        exists=True, file_okay=True, dir_okay=False, show_default=False)] = None,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    lang: Annotated[str | None, typer.Option(help="Tesseract languages, e.g. ind+eng.",
                                            show_default=False)] = None,
    fields: Annotated[Path | None, typer.Option(
        "--fields", help="Score metadata and type instead of OCR text: a CSV of hand-checked values "
        "(columns file,doc_type,nomor_normalized,tanggal,perihal,sifat,lampiran,issuer,signer_title,"
        "nip_signer; paths relative to the CSV).", exists=True, file_okay=True, dir_okay=False,
        show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="With --fields: worker processes (0 = one per CPU; default: ingest.jobs).",
        show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """OCR scans that have a ground-truth text and score them: CER, WER, bag-of-words error,
    skew and rotation found, OCR confidence, seconds per page. With --fields CSV: classify and
    extract fields as ingest does and score them against known values. Nothing is written."""
    from digitize import evaluate
    from digitize.console import consoles, print_evaluation, progress_for
    from digitize.report import NoProgress

    if fields is not None:
        if files or truth is not None or manifest is not None:
            raise typer.BadParameter(_("--fields CSV lists the files itself: give no FILES, --truth or --manifest."),
                                     param_hint="'--fields'")
        _eval_fields(fields, config, archive, lang, jobs, as_json)
    if jobs is not None:
        raise typer.BadParameter(_("only with --fields; OCR scoring runs one file at a time to time it."),
                                 param_hint="'--jobs'")
    if truth is not None and manifest is not None:
        raise typer.BadParameter(_("give --truth DIR or --manifest CSV, not both."), param_hint="'--truth'")
    if not files and manifest is None:
        raise typer.BadParameter(_("give at least one scan, or --manifest CSV."), param_hint="'FILES...'")
    settings = _settings(config, **{"archive.path": archive, "ocr.lang": lang})
    items = evaluate.find_truths(files or [], truth_dir=truth, manifest=manifest)
    out, err = consoles()
    progress = progress_for(err, "eval") if err.is_terminal and not as_json else NoProgress()
    result = evaluate.evaluate(items, settings, progress=progress)
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print_evaluation(out, result)
    raise typer.Exit(result.exit_code)


def _eval_fields(csv_path: Path, config: Path | None, archive: Path | None, lang: str | None,
                 jobs: int | None, as_json: bool) -> None:
    from digitize import evaluate_fields
    from digitize.console import consoles, print_fields_evaluation, progress_for
    from digitize.pipeline.executor import LocalExecutor, SerialExecutor
    from digitize.report import NoProgress

    settings = _settings(config, **{"archive.path": archive, "ocr.lang": lang, "ingest.jobs": jobs})
    rows = evaluate_fields.read_expected(csv_path)
    out, err = consoles()
    progress = progress_for(err, "eval") if err.is_terminal and not as_json else NoProgress()
    workers = settings.ingest.jobs
    executor = SerialExecutor() if workers == 1 or len(rows) == 1 else LocalExecutor(workers)
    result = evaluate_fields.evaluate_fields(rows, settings, executor=executor, progress=progress)
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print_fields_evaluation(out, result)
    raise typer.Exit(result.exit_code)


classify_app = typer.Typer(help="Train and evaluate the archive's own document classifier.",
                           no_args_is_help=True)
app.add_typer(classify_app, name="classify")
SourceArg = Annotated[Path | None, typer.Argument(
    help="Labelled data: a folder with one subfolder of scans or .txt files per type, or a CSV with "
         "columns text,label. Default: the documents confirmed in the archive.",
    exists=True, show_default=False)]


@classify_app.command("train")
def classify_train(source: SourceArg = None, archive: ArchiveOpt = None, config: ConfigOpt = None,
                   as_json: JsonOpt = False) -> None:
    """Train a classifier on labelled documents and store it in the archive; the next ingest uses it."""
    from digitize import training

    result = training.train(_settings(config, **{"archive.path": archive}), source)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    labels = ", ".join(f"{label} {count}" for label, count in result["labels"].items())
    print(_("Trained on {count} documents: {labels}").format(count=result["documents"], labels=labels))
    print(_("Model: {path}").format(path=result["model"]))


@classify_app.command("eval")
def classify_eval(source: SourceArg = None, archive: ArchiveOpt = None, config: ConfigOpt = None,
                  folds: Annotated[int, typer.Option("--folds", "-k", help="Cross-validation folds.")] = 5,
                  as_json: JsonOpt = False) -> None:
    """k-fold cross-validation on labelled documents: per-type precision, recall, F1, confusion matrix."""
    from digitize import training

    report = training.cross_validate(_settings(config, **{"archive.path": archive}), source, folds)
    if as_json:
        print(json.dumps({"macro_f1": report.macro_f1, "accuracy": report.accuracy,
                          "per_class": report.per_class, "labels": list(report.labels),
                          "confusion": [list(map(int, row)) for row in report.confusion]}, indent=2))
    else:
        print(report.format())


@classify_app.command("confirm")
def classify_confirm(
    doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix of it).")],
    doc_type: Annotated[str | None, typer.Argument(help="The right type (default: keep the current one).",
                                                  show_default=False)] = None,
    new_type: Annotated[bool, typer.Option("--new-type", help="TYPE is new: create it (otherwise it must be "
                                                              "a type of the scheme).")] = False,
    archive: ArchiveOpt = None, config: ConfigOpt = None, wait: WaitOpt = None,
) -> None:
    """Confirm or correct a document's type; its files move to the type's folder and it becomes training data.

    \b
    Examples:
      digitize classify confirm 24da1426
      digitize classify confirm 24da1426 surat_undangan
      digitize classify confirm 24da1426 daftar_inventaris --new-type
    """
    from digitize import training

    result = training.confirm(_settings(config, **{"archive.path": archive, "archive.lock_wait": wait}), doc_id,
                              doc_type, new_type)
    if result["previous_type"] == result["type"]:
        print(f"{result['id']}: {result['type']}, {result['pdf']}")
    else:
        print(_("{id}: {type} (was {previous}), {pdf}").format(id=result["id"], type=result["type"],
                                                              previous=result["previous_type"], pdf=result["pdf"]))


@app.command()
def review(
    archive: ArchiveOpt = None, config: ConfigOpt = None,
    below: Annotated[float, typer.Option(help="Also list documents typed with a confidence under this.")] = 0.5,
    as_json: JsonOpt = False,
) -> None:
    """Documents to check: unclassified or typed with low confidence, not yet confirmed by a clerk.

    \b
    Examples:
      digitize review
      digitize review --below 0.7 | cut -f1,2
    """
    from digitize import training
    from digitize.console import consoles, print_review

    rows = training.review(_settings(config, **{"archive.path": archive}), below)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_review(consoles()[0], rows)


quarantine_app = typer.Typer(help="Input files that could not be archived.", no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(archive: ArchiveOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """List input files that failed, with the reason and what to do. They are retried by the next ingest.

    \b
    Examples:
      digitize quarantine list
      digitize quarantine list --json
    """
    from digitize import catalog
    from digitize.console import consoles, print_quarantine

    rows = catalog.quarantine(_settings(config, **{"archive.path": archive}))
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_quarantine(consoles()[0], rows)


@app.command()
def export(
    bagit_dir: Annotated[Path, typer.Option("--bagit", help="Folder to create the BagIt bag in (must not exist).",
                                            metavar="DIR")],
    query: Annotated[str | None, typer.Argument(help="Search selecting the documents (default: all).")] = None,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    restricted: RestrictedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Export documents with their sidecars and event logs as a BagIt bag."""
    from digitize.export import export_bag

    done = export_bag(_settings(config, **{"archive.path": archive}), bagit_dir, query, restricted)
    if as_json:
        print(json.dumps({"bag": str(done.bag), "documents": done.documents, "files": done.files}))
    else:
        print(_("Exported {documents} document(s), {files} file(s), to the bag {bag}.")
              .format(documents=done.documents, files=done.files, bag=done.bag))


@app.command()
def verify(
    full: Annotated[bool, typer.Option("--full", help="Also open every PDF: PDF/A marks, embedded fonts, text "
                                                      "layer (and veraPDF when installed).")] = False,
    record: Annotated[bool, typer.Option("--record", help="Add a `verified` event to each document checked "
                                                          "(this writes the ledger).")] = False,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the archive without changing it: every file against its checksum, sidecars, extra files, index.

    Exit 0 when all is well, 7 when something is missing, changed or extra (each finding names its file
    and the `digitize repair` action that puts it right)."""
    from digitize.console import consoles, print_verify
    from digitize.verify import record as record_events
    from digitize.verify import verify as run_verify

    settings = _settings(config, **{"archive.path": archive})
    report = run_verify(settings, full)
    if record:
        record_events(settings, report)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_verify(consoles()[0], report)
    raise typer.Exit(report.exit_code)


@app.command()
def repair(
    index: Annotated[bool, typer.Option("--index", help="Rebuild the index where it drifted from the ledger.")] = False,
    ledger: Annotated[bool, typer.Option("--ledger", help="Rebuild a lost or damaged ledger from the sidecars "
                                                          "(the damaged one is kept aside).")] = False,
    extra: Annotated[bool, typer.Option("--extra", help="Move files that belong to no document to lost+found/; "
                                                        "remove leftovers of interrupted runs.")] = False,
    from_inbox: Annotated[Path | None, typer.Option("--from-inbox", metavar="DIR", file_okay=False,
                                                    help="Make documents whose files are missing or changed again "
                                                         "from their source scans in DIR.")] = None,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    wait: WaitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Put right what `digitize verify` found; each kind of repair is asked for by its option.

    Every action is listed; nothing is deleted that was archived (damaged copies and extra files go to
    lost+found/). Ends with a second verify: exit 0 when the archive is then intact, 7 when not."""
    from digitize.console import consoles, print_repair
    from digitize.repair import repair as run_repair

    settings = _settings(config, **{"archive.path": archive, "archive.lock_wait": wait})
    report = run_repair(settings, index=index, ledger=ledger, extra=extra,
                        from_inbox=from_inbox)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_repair(consoles()[0], report)
    raise typer.Exit(report.exit_code)


@app.command()
def report(
    run: Annotated[str | None, typer.Argument(help="Run number (as `digitize report` lists them); "
                                                   "default: list the runs.", show_default=False)] = None,
    last: Annotated[bool, typer.Option("--last", help="Print the last run's report.")] = False,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List past runs, or print one run's report (files, documents, pages, failures, notices, ...)."""
    from digitize import runreport

    settings = _settings(config, **{"archive.path": archive})
    if run is None and not last:
        rows = runreport.runs(settings)
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            print(_("No runs yet: run `digitize ingest INBOX` first."))
        for row in rows:
            print(_("run {id}  {started}  {status:<11}  new {new}  documents {documents}  failed {failed}  {inbox}")
                  .format(id=row["id"], started=row["started"], status=row["status"], new=row["new"] or 0,
                          documents=row["documents"] or 0, failed=row["failed"] or 0, inbox=row["inbox"]))
        return
    data = runreport.one(settings, run)
    print(json.dumps(data, ensure_ascii=False, indent=2) if as_json else runreport.render(data), end="\n"
          if as_json else "")


@app.command()
def status(archive: ArchiveOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The archive at a glance: totals, the last run and the last successful one, a run in progress,
    quarantine and free disk."""
    from digitize import runreport

    data = runreport.status(_settings(config, **{"archive.path": archive}))
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    last, running = data["last_run"], data["running"]
    last_text = (_("run {id}, {status}, finished {finished}").format(id=last["id"], status=last["status"],
                                                                      finished=last["finished"])
                 if last else _("none"))
    running_text = (_("{command} (pid {pid} on {host}, since {started})").format(
        command=running.get("command"), pid=running.get("pid"), host=running.get("host"),
        started=running.get("started")) if running else _("nothing"))
    lines = [_("archive: {path}").format(path=data["archive"]),
             _("documents: {documents} ({pages} pages)").format(documents=data["documents"], pages=data["pages"]),
             *(f"  {kind}: {count}" for kind, count in data["types"].items()),
             _("last run: {run}").format(run=last_text),
             _("last success: {time}").format(time=data["last_success"] or _("never")),
             _("running now: {command}").format(command=running_text),
             _("quarantined files: {count}").format(count=data["quarantined"]),
             _("free disk: {gigabytes:.1f} GB ({percent} %)").format(gigabytes=data["free_bytes"] / 1e9,
                                                                     percent=data["free_percent"])]
    print("\n".join(lines))


@config_app.command("show")
def config_show(
    job_file: Annotated[Path | None, typer.Option("--job", metavar="JOB", help="Include a job file's settings.",
                                                  show_default=False)] = None,
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every setting's effective value and where it came from (default, config file, job, environment, flag)."""
    from digitize.settings import effective, load_settings

    settings = load_settings(config, overrides={"archive.path": archive}, job_file=job_file)
    rows = effective(settings)
    if as_json:
        print(json.dumps({"config_file": str(settings.config_file) if settings.config_file else None,
                          "settings": {name: {"value": value if isinstance(value, (int, float, str, list, bool))
                                              or value is None else str(value), "from": origin}
                                       for name, value, origin in rows}}, ensure_ascii=False, indent=2))
        return
    print(_("config file: {path}").format(path=settings.config_file or _("none (defaults)")))
    for name, value, origin in rows:
        print(f"{name} = {value!s}  ({origin})")


@index_app.command("rebuild")
def index_rebuild(
    archive: ArchiveOpt = None,
    config: ConfigOpt = None,
    wait: WaitOpt = None,
    backend: Annotated[str | None, typer.Option("--backend", metavar="tantivy|whoosh", show_default=False,
                                                help="Build with this engine (default: [index] backend of the "
                                                     "settings); later searches follow the index.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", show_default=False,
                                             help="Processes that analyse the texts (default: the settings' "
                                                  "ingest.jobs).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Recreate the full-text index from the archive's sidecar files alone.

    It builds beside the old index and swaps it in at the end: searches keep working meanwhile, a
    kill leaves the old index, and the next rebuild goes on from where the killed one stopped.

    \b
    Examples:
      digitize index rebuild
      digitize index rebuild --backend whoosh --wait 600
    """
    from digitize import catalog
    from digitize.console import CountProgress, consoles

    settings = _settings(config, **{"archive.path": archive, "archive.lock_wait": wait, "index.backend": backend,
                                    "ingest.jobs": jobs})
    err = consoles()[1]
    progress = None if quiet or not err.is_terminal else CountProgress(err, "index rebuild")
    try:
        count = catalog.rebuild(settings, progress=progress)
    finally:
        if progress is not None:
            progress.stop()
    print(_("Indexed {count} document(s) with {backend}.").format(count=count, backend=settings.index.backend))


@index_app.command("verify")
def index_verify(archive: ArchiveOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Compare the index with the ledger: documents missing from it, extra in it or stale.

    Exit 0 when they agree, 7 when they drift (`digitize repair --index` puts it right)."""
    from digitize.console import consoles, print_verify
    from digitize.verify import verify_index

    report = verify_index(_settings(config, **{"archive.path": archive}))
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_verify(consoles()[0], report)
    raise typer.Exit(report.exit_code)


# --- entry point ------------------------------------------------------------------------

if TYPE_CHECKING:  # the typer installed here carries its own click; mypy checks against that one
    from typer._click.exceptions import ClickException as _ClickException
else:
    try:  # typer >= 0.2x carries its own copy of click
        from typer._click.exceptions import ClickException as _ClickException
    except ImportError:  # pragma: no cover - older typer on the real click
        from click.exceptions import ClickException as _ClickException

VERBOSE_FLAGS = ("--verbose", "-v")
INTERRUPTED_MESSAGE = N_("digitize: interrupted; run the same command again to resume.")
TERMINATED_MESSAGE = N_("digitize: terminated (SIGTERM); run the same command again to resume.")
HANGUP_MESSAGE = N_("digitize: terminated (SIGHUP: the terminal closed); run the same command again to resume.")


def _stopped(signals: TermSignal) -> int:
    """Say why the command stopped on a signal; return its exit code."""
    import signal

    hangup = signals.signum == signal.SIGHUP
    print(_(HANGUP_MESSAGE) if hangup else _(TERMINATED_MESSAGE), file=sys.stderr)
    return ExitCode.HANGUP if hangup else ExitCode.TERMINATED


def split_verbose(args: list[str]) -> tuple[bool, list[str]]:
    """Take ``--verbose``/``-v`` out of ``args`` wherever it is (not after ``--``)."""
    end = args.index("--") if "--" in args else len(args)
    kept = [a for a in args[:end] if a not in VERBOSE_FLAGS]
    return len(kept) < end, kept + args[end:]


def command_name(args: list[str], command=None) -> str:
    """The (sub)command that ``args`` run, e.g. ``ingest`` or ``classify train``."""
    command = command or typer.main.get_command(app)
    names: list[str] = []
    for token in args:
        if token.startswith("-"):
            continue
        sub = getattr(command, "commands", {}).get(token)
        if sub is None:
            break
        names.append(token)
        command = sub
    return " ".join(names) or "digitize"


def _show_usage_error(exc: _ClickException) -> None:
    """A usage error in one line: what is wrong and where the help is."""
    from digitize.textout import safe
    from digitize.usage_errors import usage_line

    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "digitize"
    print(usage_line(path, safe(" ".join(exc.format_message().split()))), file=sys.stderr)


# Metavars for values whose help would otherwise show click's type names (<path>, <str>, {inbox})
_METAVARS = {"doc_type": "TYPE", "archive": "DIR", "config": "FILE", "lang": "LANGS", "jobs": "N", "doc_id": "ID",
             "inbox": "INBOX", "out": "FILE", "truth": "DIR", "manifest": "CSV", "below": "CONFIDENCE", "limit": "N",
             "offset": "N", "page": "N", "folds": "N", "source": "SOURCE", "from_inbox": "DIR"}


# The help panel of each option not given one where it is declared: what it is about
_INPUT, _OCR, _OUTPUT, _JOB, _SETUP = "Input", "OCR", "Output", "Job control", "Archive and settings"
_PANELS = {"dry_run": _JOB, "quiet": _OUTPUT, "limit": _OUTPUT, "offset": _OUTPUT, "sort": _OUTPUT,
           "restricted": _INPUT, "as_csv": _OUTPUT, "paths": _OUTPUT, "text": _OUTPUT, "page": _INPUT,
           "query": _INPUT, "events": _OUTPUT, "truth": _INPUT, "manifest": _INPUT, "lang": _OCR, "fields": _OUTPUT,
           "jobs": _JOB, "below": _INPUT, "bagit_dir": _OUTPUT, "full": _JOB, "record": _OUTPUT, "index": "Repairs",
           "ledger": "Repairs", "extra": "Repairs", "from_inbox": _INPUT, "last": _INPUT, "backend": _SETUP,
           "job_file": _INPUT, "folds": _JOB, "new_type": _INPUT}


def build_command():
    """The click command of ``app``: ``-h`` beside ``--help`` everywhere, readable metavars, options in
    panels, and the help in the active language (``i18n.translate_command``)."""
    from digitize import i18n

    command = typer.main.get_command(app)

    def tidy(cmd) -> None:
        cmd.context_settings.setdefault("help_option_names", ["-h", "--help"])
        _translate_help_option(cmd)
        _translate_usage(cmd)
        for param in cmd.params:
            if param.param_type_name == "option" and not getattr(param, "rich_help_panel", None) and \
                    cmd is not command:
                param.rich_help_panel = _PANELS.get(param.name or "")
            if param.metavar is None and not getattr(param, "is_flag", False):
                param.metavar = _METAVARS.get(param.name or "", (param.name or "value").upper())
            if param.param_type_name == "argument":  # typer shows {NAME} in the usage and <type> beside it
                shown = param.metavar + ("..." if param.nargs == -1 else "")
                param.make_metavar = (lambda ctx=None, usage=False, _v=shown, _r=param.required:
                                      _v if _r or not usage else f"[{_v}]")
                param.type.get_metavar = lambda param=None, ctx=None: " "
        for sub in getattr(cmd, "commands", {}).values():
            tidy(sub)

    tidy(command)
    return i18n.translate_command(command)


def _translate_usage(cmd) -> None:
    """click writes "Usage: " in English only: the usage line with the catalog's word."""
    from digitize.i18n import N_, _

    def format_usage(ctx, formatter, _cmd=cmd):
        formatter.write_usage(ctx.command_path, " ".join(_cmd.collect_usage_pieces(ctx)), prefix=_(N_("Usage: ")))

    cmd.format_usage = format_usage


def _translate_help_option(cmd) -> None:
    """click makes ``--help`` when a command runs, with its English help: translated there."""
    from digitize.i18n import N_, _

    made = cmd.get_help_option

    def get_help_option(ctx, _made=made):
        option = _made(ctx)
        if option is not None:
            option.help = _(N_("Show this message and exit."))
        return option

    cmd.get_help_option = get_help_option


def _activate_language(args: list[str]) -> str:
    """The language of this command's messages and help, chosen before its arguments are read:
    ``ui.language`` from the config file (``--config FILE`` among ``args``, else where it is looked
    for) and ``DIGITIZE_UI__LANGUAGE``, else the environment's locale. A config file that cannot be
    read leaves it to the environment (the command then reports the file's problem itself)."""
    from digitize import i18n

    config = None
    for number, arg in enumerate(args):
        if arg == "--config" and number + 1 < len(args):
            config = Path(args[number + 1])
        elif arg.startswith("--config="):
            config = Path(arg.split("=", 1)[1])
    try:
        language = load_settings(config).ui.language
    except DigitizeError:
        language = "auto"
    return i18n.activate(language)


def _run(args: list[str], verbose: bool, signals: TermSignal) -> int:
    _activate_language(args)
    command = build_command()
    try:
        result = command.main(args=args, prog_name="digitize", standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        result = ExitCode.INTERRUPTED
    except _ClickException as exc:  # usage errors: click's message, exit 2
        _show_usage_error(exc)
        return exc.exit_code
    except DigitizeError as exc:
        if verbose:
            traceback.print_exc()
        print(_("{command}: error: {message}").format(command="digitize", message=exc), file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        if verbose:
            traceback.print_exc()
        message = " ".join(str(exc).split())
        print(_("digitize: internal error in {command}: {error_type}: {message}; run again with --verbose and "
                "report it").format(command=command_name(args, command), error_type=type(exc).__name__,
                                    message=message), file=sys.stderr)
        return ExitCode.INTERNAL
    if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C (and so SIGTERM) into exit 130
        if signals.terminated:
            return _stopped(signals)
        print(_(INTERRUPTED_MESSAGE), file=sys.stderr)
        return ExitCode.INTERRUPTED
    return result if isinstance(result, int) else ExitCode.OK


def main(argv: list[str] | None = None) -> None:
    """Entry point: run one command and exit with its ``ExitCode``.

    Usage errors exit 2 (click's message); domain errors exit with their own
    code and one line; Ctrl-C exits 130, SIGTERM 143 and SIGHUP 129 (the pipeline records
    the run as interrupted first); any other exception is a bug: one line, exit
    70, and the traceback with ``--verbose``.
    """
    verbose, args = split_verbose(list(sys.argv[1:] if argv is None else argv))
    with TermSignal() as signals:
        try:
            code = _run(args, verbose, signals)
        except KeyboardInterrupt:  # outside the command (between its end and here)
            if signals.terminated:
                code = _stopped(signals)
            else:
                code = ExitCode.INTERRUPTED
                print(_(INTERRUPTED_MESSAGE), file=sys.stderr)
    sys.exit(int(code))
