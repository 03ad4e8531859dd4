"""The event log of each document (PREMIS-like): what was done to it, when, by which agent, with what
outcome. Kept in the ledger's ``events`` table (every event) and in the document's sidecar JSON (the
events up to its archiving, so a sidecar alone tells its history). ``digitize show ID --events``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from digitize import __version__

# The events a document can have, in the order of its life.
INGESTED = "ingested"  # its sources were read and hash-checked
PREPARED = "prepared"  # pages deskewed, turned upright, cleaned, blank ones flagged
OCRED = "ocred"  # text read by OCR, or taken from the PDF's own text layer
PDFA_WRITTEN = "pdfa-written"  # the archival PDF/A written
CLASSIFIED = "classified"  # type and metadata decided
INDEXED = "indexed"  # committed to the full-text index
VERIFIED = "verified"  # fixity checked by `digitize verify`
RETYPED = "retyped"  # type changed by `digitize classify confirm`
MOVED = "moved"  # its source moved out of the inbox after archiving
REPAIRED = "repaired"  # put right by `digitize repair`
EVENT_TYPES = (INGESTED, PREPARED, OCRED, PDFA_WRITTEN, CLASSIFIED, INDEXED, VERIFIED, RETYPED, MOVED, REPAIRED)


def agent(ocr_info: dict[str, Any] | None = None) -> str:
    """Who did it: this digitize, and the OCR programs when they took part."""
    parts = [f"digitize {__version__}"]
    info = ocr_info or {}
    for key in ("tesseract", "ocrmypdf"):
        if info.get(key):
            parts.append(str(info[key]) if key == "tesseract" else f"ocrmypdf {info[key]}")
    return "; ".join(parts)


def event(kind: str, detail: str = "", *, outcome: str = "success", who: str | None = None,
          when: str | None = None) -> dict[str, str]:
    """One event. ``kind`` is one of ``EVENT_TYPES``."""
    assert kind in EVENT_TYPES, kind
    return {"time": when or datetime.now(UTC).isoformat(timespec="seconds"), "type": kind,
            "agent": who or agent(), "outcome": outcome, "detail": detail}


def archiving_events(document: Any) -> list[dict[str, str]]:
    """The events of a document's way into the archive, from what its worker recorded
    (``DocumentResult``: sources, pages, the OCR programs, stage timings, classification)."""
    who = agent(document.ocr_info)
    pages = document.pages
    blank = sum(1 for p in pages if p.blank)
    from_text = sum(1 for p in pages if p.origin == "pdf-text")
    sources = ", ".join(f"{s.rel} (sha256 {s.sha256})" for s in document.sources)
    lang = document.ocr_info.get("lang", "")
    ocr = (f"{len(pages) - from_text} page(s) read by {document.ocr_info.get('engine', 'OCR')} ({lang})"
           + (f", {from_text} from the PDF's text layer" if from_text else ""))
    pdfa = "PDF/A rendition of a signed original kept byte-identical" if document.digital_signatures else "PDF/A"
    kind = document.classification
    return [
        event(INGESTED, sources, who=f"digitize {__version__}"),
        event(PREPARED, f"{len(pages)} page(s), {blank} blank", who=f"digitize {__version__}"),
        event(OCRED, ocr, who=who),
        event(PDFA_WRITTEN, pdfa, who=who),
        event(CLASSIFIED, f"type {kind.type} (confidence {kind.confidence})", who=f"digitize {__version__}"),
    ]
