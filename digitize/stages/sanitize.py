"""Strip active content from an input PDF before anything else reads it.

JavaScript, automatic actions (open / page / annotation / outline actions),
launch, URI, remote go-to and form-submitting actions, embedded files, the
associated files of ``/AF`` lists (document and page) and file-attachment
annotations are removed from a copy; nothing in them is ever executed. (The
PDF/A-3 original digitize embeds itself, when asked, is added later, to the
archival file.) The archived PDF/A is
made from that copy, so it carries no active content. What was removed is
returned as a list of short descriptions for the ledger and the report.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Name

from digitize.i18n import _

_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition",
                   "/GoToE", "/GoToR", "/URI", "/RichMediaExecute", "/Sound", "/Movie"}
_OUTLINE_LIMIT = 100_000  # outline items walked at most (a hostile file may loop them)


def _is_active_action(action, depth: int = 0) -> bool:
    """Is ``action``, or an action it chains to with ``/Next``, active?"""
    try:
        if str(action.get("/S")) in _ACTIVE_ACTIONS:
            return True
        chained = action.get("/Next")
    except (AttributeError, TypeError, ValueError):
        return False
    if chained is None or depth > 20:
        return False
    chain = list(chained) if isinstance(chained, pikepdf.Array) else [chained]
    return any(_is_active_action(a, depth + 1) for a in chain)


def strip_active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Remove active content in place; return what was removed."""
    removed: list[str] = []
    root = pdf.Root
    for key, what in (("/OpenAction", _("open action")), ("/AA", _("document actions"))):
        if key in root:
            del root[key]
            removed.append(what)
    names = root.get("/Names")
    if names is not None:
        for key, what in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", _("embedded files"))):
            if key in names:
                del names[key]
                removed.append(what)
    if "/AF" in root:
        del root["/AF"]
        removed.append(_("associated files"))
    removed.extend(_strip_outlines(root))
    acroform = root.get("/AcroForm")
    if acroform is not None and "/XFA" in acroform:
        del acroform["/XFA"]
        removed.append(_("XFA form"))
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            del page.obj["/AA"]
            removed.append(_("page {number} actions").format(number=number))
        if "/AF" in page.obj:
            del page.obj["/AF"]
            removed.append(_("page {number} associated files").format(number=number))
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = pikepdf.Array()
        for annot in annots:
            subtype = str(annot.get("/Subtype", ""))
            if subtype in ("/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"):
                removed.append(_("page {number} {subtype} annotation").format(number=number, subtype=subtype[1:]))
                continue
            if "/A" in annot and _is_active_action(annot["/A"]):
                del annot["/A"]
                removed.append(_("page {number} link action").format(number=number))
            if "/AA" in annot:
                del annot["/AA"]
                removed.append(_("page {number} annotation actions").format(number=number))
            keep.append(annot)
        page.obj[Name.Annots] = keep
    return removed


def _strip_outlines(root) -> list[str]:
    """Remove active actions from the bookmarks (an outline item's ``/A`` runs when it is clicked)."""
    outlines = root.get("/Outlines")
    if outlines is None:
        return []
    removed = 0
    pending, seen = [outlines.get("/First")], set[tuple[int, int]]()
    while pending and len(seen) < _OUTLINE_LIMIT:
        item = pending.pop()
        if item is None or not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        if item.objgen != (0, 0):
            seen.add(item.objgen)
        if "/A" in item and _is_active_action(item["/A"]):
            del item["/A"]
            removed += 1
        if "/AA" in item:
            del item["/AA"]
            removed += 1
        pending.extend([item.get("/Next"), item.get("/First")])
    return [_("{count} bookmark action(s)").format(count=removed)] if removed else []


def sanitized_copy(source: Path, target: Path) -> tuple[Path, list[str]]:
    """Write a copy of ``source`` without active content; return the path to use and what was removed."""
    with pikepdf.open(source) as pdf:
        removed = strip_active_content(pdf)
        if not removed:
            return source, []
        pdf.save(target)
    return target, removed
