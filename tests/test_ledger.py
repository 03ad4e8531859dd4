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


def test_index_schema_keeps_its_fields():
    from whoosh.fields import ID, KEYWORD, TEXT

    from digitize.fulltext.whoosh_index import schema

    s = schema()
    assert s.names() == sorted(["content", "date", "id", "kka", "nik", "nip", "nomor", "pages", "path", "perihal",
                                "sources", "title", "type", "year"])  # fmt: skip
    assert isinstance(s["kka"], ID) and isinstance(s["perihal"], TEXT) and s["perihal"].stored
    assert isinstance(s["nomor"], KEYWORD) and s["nomor"] == KEYWORD(stored=True, lowercase=True)
    assert s["nip"] == KEYWORD(stored=True) and s["nik"] == KEYWORD(stored=True)
