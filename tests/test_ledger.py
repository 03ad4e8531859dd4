"""The ledger's documents table and the index schema take the field columns from digitize.fields.registry;
their on-disk shape must not change, or archives made by older versions would not open."""

import sqlite3

from digitize.ledger import Ledger

DOCUMENT_COLUMNS = [
    ("id", "TEXT"), ("source_path", "TEXT"), ("version", "INTEGER"), ("supersedes", "TEXT"), ("type", "TEXT"),
    ("type_confidence", "REAL"), ("title", "TEXT"), ("date", "TEXT"), ("year", "TEXT"), ("pages", "INTEGER"),
    ("pdf_path", "TEXT"), ("pdf_sha256", "TEXT"), ("txt_path", "TEXT"), ("txt_sha256", "TEXT"),
    ("json_path", "TEXT"), ("json_sha256", "TEXT"), ("created", "TEXT"), ("indexed", "INTEGER"),
    ("kka", "TEXT"), ("nomor", "TEXT"), ("perihal", "TEXT"), ("confirmed", "INTEGER"),
]  # fmt: skip

DOCUMENT = {
    "id": "d1", "source_path": "a.pdf", "version": 1, "supersedes": None, "type": "surat", "type_confidence": 0.9,
    "title": "T", "date": "2023-10-25", "year": "2023", "pages": 1, "pdf_path": "p", "pdf_sha256": "s",
    "txt_path": "t", "txt_sha256": "s", "json_path": "j", "json_sha256": "s", "created": "2023-10-26",
}  # fmt: skip


def columns(db):
    return [(row[1], row[2]) for row in db.execute("PRAGMA table_info(documents)")]


def test_documents_table_keeps_its_columns_and_records_the_fields(tmp_path):
    ledger = Ledger(tmp_path / "ledger.db")
    assert columns(ledger.db) == DOCUMENT_COLUMNS
    ledger.record_document(1, DOCUMENT | {"kka": "800", "nomor": "800/1/X/2023", "perihal": "Izin"}, [], [])
    ledger.record_document(1, DOCUMENT | {"id": "d2"}, [], [])
    assert {k: ledger.document("d1")[k] for k in ("kka", "nomor", "perihal", "indexed", "confirmed")} == {
        "kka": "800", "nomor": "800/1/X/2023", "perihal": "Izin", "indexed": 0, "confirmed": 0}
    assert [ledger.document("d2")[k] for k in ("kka", "nomor", "perihal")] == [None, None, None]
    ledger.close()


def test_a_ledger_without_the_field_columns_gets_them(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE documents (" + ", ".join(f"{n} {t}" for n, t in DOCUMENT_COLUMNS[:18]) + ")")
    old.commit()
    old.close()
    ledger = Ledger(path)
    assert columns(ledger.db) == DOCUMENT_COLUMNS
    ledger.close()


def test_index_entries_keep_their_fields():
    """Both backends hold the same entries: what the registry indexes, analysed once (base.entry)."""
    from digitize.fulltext import IndexedDocument
    from digitize.fulltext.tantivy_index import _schema
    from digitize.fulltext.whoosh_index import schema

    doc = IndexedDocument("a1", "documents/a1.pdf", "surat_edaran", "Surat Edaran Disiplin", "2023-01-12", "2023",
                          ["Nomor : 800/045/BKPSDM/2023", "halaman dua"],
                          fields={"kka": "800", "nomor": "800/045/BKPSDM/2023", "nip": "196804121993031007",
                                  "perihal": "Disiplin Pegawai", "sifat": "Biasa"})
    entry, pages = doc.entry()
    assert entry["nomor"] == "800 045 bkpsdm 2023"  # its parts, whatever the punctuation
    assert entry["perihal"] == "disiplin pegawai" and entry["sifat"] == "biasa" and entry["kka"] == "800"
    assert entry["datekey"] == 20230112 and entry["year"] == 2023 and entry["kind"] == "doc"
    assert [p["page"] for p in pages] == [1, 2] and pages[1]["text"] == "halaman dua"
    assert set(entry) | set(pages[0]) <= set(schema().names())
    _schema()  # Tantivy accepts the same fields (it raises on a bad schema)
