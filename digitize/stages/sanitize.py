"""Strip active content from an input PDF before anything else reads it.

JavaScript, automatic actions (open / page / annotation actions), launch and
URI-less script links, embedded files and file-attachment annotations are
removed from a copy; nothing in them is ever executed. The archived PDF/A is
made from that copy, so it carries no active content. What was removed is
returned as a list of short descriptions for the ledger and the report.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Name

_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition",
                   "/GoToE", "/RichMediaExecute", "/Sound", "/Movie"}


def _is_active_action(action) -> bool:
    try:
        return str(action.get("/S")) in _ACTIVE_ACTIONS
    except (AttributeError, TypeError, ValueError):
        return False


def strip_active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Remove active content in place; return what was removed."""
    removed: list[str] = []
    root = pdf.Root
    for key, what in (("/OpenAction", "open action"), ("/AA", "document actions")):
        if key in root:
            del root[key]
            removed.append(what)
    names = root.get("/Names")
    if names is not None:
        for key, what in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", "embedded files")):
            if key in names:
                del names[key]
                removed.append(what)
    acroform = root.get("/AcroForm")
    if acroform is not None and "/XFA" in acroform:
        del acroform["/XFA"]
        removed.append("XFA form")
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            del page.obj["/AA"]
            removed.append(f"page {number} actions")
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = pikepdf.Array()
        for annot in annots:
            subtype = str(annot.get("/Subtype", ""))
            if subtype in ("/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"):
                removed.append(f"page {number} {subtype[1:]} annotation")
                continue
            if "/A" in annot and _is_active_action(annot["/A"]):
                del annot["/A"]
                removed.append(f"page {number} link action")
            if "/AA" in annot:
                del annot["/AA"]
                removed.append(f"page {number} annotation actions")
            keep.append(annot)
        page.obj[Name.Annots] = keep
    return removed


def sanitized_copy(source: Path, target: Path) -> tuple[Path, list[str]]:
    """Write a copy of ``source`` without active content; return the path to use and what was removed."""
    with pikepdf.open(source) as pdf:
        removed = strip_active_content(pdf)
        if not removed:
            return source, []
        pdf.save(target)
    return target, removed
