"""Parent step ``index``: documents queued for the full-text index and committed in batches."""

from __future__ import annotations

from digitize.archive import RESTRICTED
from digitize.fulltext import IndexedDocument
from digitize.pipeline.run import Filed, Run

INDEX_BATCH = 10  # documents per index commit


def queue(filed: Filed, run: Run) -> Filed:
    assert filed.stored is not None
    meta = dict(filed.meta, files={"pdf": run.archive.relative(filed.stored.pdf)})
    run.unindexed.append(IndexedDocument.from_metadata(meta, [p.text for p in filed.document.pages]))
    return filed


def due(run: Run) -> bool:
    return len(run.unindexed) >= INDEX_BATCH


def is_restricted(doc: IndexedDocument) -> bool:
    return doc.path.startswith(RESTRICTED + "/")


def add(run: Run, docs: list[IndexedDocument]) -> None:
    """Each document into the index of its part (one that moved between parts left the other's when stored)."""
    for restricted in (False, True):
        part = [d for d in docs if is_restricted(d) == restricted]
        if part:
            run.index_of(restricted).add(part)


def commit(run: Run) -> None:
    """Add the queued documents to the index and mark them indexed in the ledger."""
    if run.unindexed:
        add(run, run.unindexed)
        run.ledger.mark_indexed([doc.id for doc in run.unindexed])
        run.unindexed = []


def recover(run: Run) -> None:
    """Index documents archived by an earlier run that stopped before its index commit."""
    rows = run.ledger.unindexed()
    if not rows:
        return
    docs = []
    for row in rows:
        meta = run.archive.read_metadata(row["json_path"])
        text = (run.archive.root / row["txt_path"]).read_text(encoding="utf-8")
        docs.append(IndexedDocument.from_metadata(meta, text.split("\f")))
    add(run, docs)
    run.ledger.mark_indexed([d.id for d in docs])
