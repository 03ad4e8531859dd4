"""Plain-text rendering for pipes, files and ``--json``/``--csv``: no rich, nothing wrapped or cut,
control characters shown (a file name cannot forge a line or clear the screen). Light to import:
``digitize search | grep`` starts without the terminal stack."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from digitize.i18n import _

if TYPE_CHECKING:
    from digitize.fulltext.base import SearchHit
    from digitize.fulltext.search import Results

_HIGHLIGHT = re.compile(r"\*\*(.+?)\*\*")


def summary_line(offset: int, results: Results) -> str:
    last = offset + len(results.hits)
    if last < results.total:
        return _("{total} document(s) match; {first}-{last} shown (next: --offset {last}).").format(
            total=results.total, first=offset + 1, last=last)
    return _("{total} document(s) match; {first}-{last} shown.").format(total=results.total, first=offset + 1,
                                                                        last=last)


def hit_head(hit: SearchHit) -> str:
    pages = ", ".join(str(p) for p in hit.pages) or "-"
    name = hit.nomor or hit.title or hit.id
    return _("{rank}. {name}  {type}  {date}  page(s) {pages}").format(rank=hit.rank, name=safe(name), type=hit.type,
                                                                       date=hit.date or _("undated"), pages=pages)


def hit_tail(hit: SearchHit) -> str:
    """The last line of a hit: its PDF's path, its id and its score."""
    return _("{path}  id {id}  score {score:.2f}").format(path=safe(hit.path), id=hit.id, score=hit.score)


def hit_lines(hit: SearchHit) -> str:
    """One hit as plain lines: head, title (when the head shows the nomor), snippet, path and id."""
    lines = [hit_head(hit)]
    if hit.nomor and hit.title:
        lines.append(f"   {safe(hit.title)}")
    lines += [f"   {plain(safe(hit.snippet))}", f"   {hit_tail(hit)}"]
    return "\n".join(lines) + "\n"


def results_text(offset: int, results: Results) -> str:
    if not results.hits:
        return ""
    return summary_line(offset, results) + "\n" + "".join(hit_lines(hit) for hit in results.hits)


def plain(snippet: str) -> str:
    """A snippet without its highlight markers."""
    return _HIGHLIGHT.sub(lambda m: m.group(1), snippet)


_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
          "\\": "\\\\"}


def safe(text: str) -> str:
    """Text with control characters (escape sequences, newlines in file names) shown, not obeyed, as
    GNU ``ls --escape`` shows them: ``\\n``, ``\\t``, ``\\033``; a backslash doubled, so the shown
    name is unambiguous. A name undecodable from the file system (``surrogateescape``) shows its bytes."""
    return "".join(_NAMED.get(c) or (c if c.isprintable() else _octal(c)) for c in text)


def _octal(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\{code - 0xDC00:03o}"
    if code < 256:
        return f"\\{code:03o}"
    return "".join(f"\\{b:03o}" for b in char.encode("utf-8"))  # an invisible character (format, private)


def results_json(query: str, offset: int, results: Results) -> str:
    import json

    return json.dumps({"query": query, "total": results.total, "offset": offset, "close": results.close,
                       "suggestion": results.suggestion, "hits": [hit.as_json() for hit in results.hits]},
                      ensure_ascii=False, indent=2)


def results_csv(results: Results) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rank", "id", "nomor", "type", "date", "title", "pages", "score", "path", "snippet"])
    for hit in results.hits:
        writer.writerow([hit.rank, hit.id, hit.nomor, hit.type, hit.date, hit.title,
                         " ".join(str(p) for p in hit.pages), hit.score, hit.path, plain(hit.snippet)])
    return buffer.getvalue()


def safe_text(text: str) -> str:
    """Page text with control characters shown, line breaks and tabs kept."""
    return "\n".join(safe(line.replace("\t", "    ")) for line in text.split("\n"))
