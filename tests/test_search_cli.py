"""`digitize search` and `digitize show` as clerks and scripts use them: totals and paging, sorting,
JSON, CSV and paths for pipes, exit 1 when nothing matches (like grep), one usage line for a query
it cannot read, piped output never wrapped, a page shown with its matches, `show --text` with page
lines. A real archive (real index, real CLI process); the OCR is faked to keep it fast."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from digitize.pipeline import ingest
from tests.conftest import REPO, make_page
from tests.fakes import FakeEngine
from tests.test_pipeline import settings_for

LONG = ("Dengan hormat, dalam rangka meningkatkan kompetensi aparatur di bidang kearsipan, kami mengundang "
        "Saudara untuk mengikuti bimbingan teknis pengelolaan arsip dinamis yang akan dilaksanakan di Aula "
        "Kantor Bupati Jayapura selama tiga hari berturut-turut mulai tanggal 23 September 2024.")
LETTERS = {
    "undangan.tif": ["SURAT UNDANGAN\nNomor : 005/321/KOTA/IX/2024\nSentani, 16 September 2024\n"
                     "Perihal : Bimbingan Teknis Kearsipan\n" + LONG,
                     "Demikian undangan ini kami sampaikan.\nKepala Dinas\nNIP. 19680412 199303 1 007"],
    "edaran.png": ["SURAT EDARAN\nNomor : 800/045/BKPSDM/2023\nJayapura, 12 Januari 2023\n"
                   "Perihal : Disiplin pegawai\nSeluruh pegawai wajib hadir tepat waktu. Arsip absensi diperiksa."],
    "laporan.png": ["LAPORAN KEGIATAN\nJayapura, 30 Juni 2022\nPenataan arsip inaktif di gudang arsip daerah."],
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-cli")
    inbox = root / "inbox"
    inbox.mkdir()
    for name, pages in LETTERS.items():
        make_page(inbox / name, label=name, dpi=None if len(pages) == 1 else 150, frames=len(pages))
    settings = settings_for(root)
    report = ingest(inbox, settings, engine=FakeEngine(LETTERS))
    ids = {item["source"]: item["id"] for item in report.archived}
    return settings.archive.path, ids


def cli(archive_path, *args, columns="80"):
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(archive_path.parent), "COLUMNS": columns,
           "DIGITIZE_ARCHIVE": str(archive_path)}
    return subprocess.run([sys.executable, "-m", "digitize", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=archive_path.parent)


def test_totals_paging_and_sorting(archive):
    path, ids = archive
    first = json.loads(cli(path, "search", "arsip", "--json", "--limit", "2", "--sort", "date").stdout)
    assert first["total"] == 3 and [h["rank"] for h in first["hits"]] == [1, 2]
    assert [h["date"] for h in first["hits"]] == ["2022-06-30", "2023-01-12"]
    rest = json.loads(cli(path, "search", "arsip", "--json", "--limit", "2", "--offset", "2", "--sort", "date").stdout)
    assert [h["rank"] for h in rest["hits"]] == [3] and rest["hits"][0]["id"] == ids["undangan.tif"]
    newest = json.loads(cli(path, "search", "arsip", "--json", "--sort", "-date").stdout)
    assert newest["hits"][0]["id"] == ids["undangan.tif"]
    text = cli(path, "search", "arsip", "--limit", "2", "--sort", "date").stdout
    assert text.startswith("3 document(s) match; 1-2 shown (next: --offset 2).")


def test_paths_and_csv_for_pipes(archive):
    path, ids = archive
    paths = cli(path, "search", "arsip", "--paths", "--sort", "date").stdout.splitlines()
    assert len(paths) == 3 and all(p.endswith(".pdf") and (path / p).is_file() for p in paths)
    rows = list(csv.DictReader(io.StringIO(cli(path, "search", "disiplin", "--csv").stdout)))
    assert [r["id"] for r in rows] == [ids["edaran.png"]]
    assert rows[0]["nomor"] == "800/045/BKPSDM/2023" and rows[0]["pages"] == "1" and "**" not in rows[0]["snippet"]


def test_no_match_is_exit_1_and_a_bad_query_is_one_usage_line(archive):
    path, _ = archive
    none = cli(path, "search", "zzzqqq")
    assert none.returncode == 1 and none.stdout == "" and "No documents match 'zzzqqq'" in none.stderr
    for query, message in (("path:x", "Unknown field 'path:'"), ('"bimbingan teknis', "Unclosed quote"),
                           ("date:2023-13-01", "is not a date")):
        bad = cli(path, "search", query)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    limit = cli(path, "search", "arsip", "--limit", "0")
    assert limit.returncode == 2 and "--limit must be 1 or more" in limit.stderr
    sort = cli(path, "search", "arsip", "--sort", "size")
    assert sort.returncode == 2 and "--sort must be one of score, date, -date" in sort.stderr


def test_a_misspelling_finds_the_letter_and_says_what_was_meant(archive):
    path, ids = archive
    result = cli(path, "search", "bimbingn teknis", "--paths")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1
    assert "Did you mean: bimbingan teknis?" in result.stderr
    assert json.loads(cli(path, "search", "bimbingn teknis", "--json").stdout)["suggestion"] == "bimbingan teknis"


def test_identifiers_as_printed_and_as_ocr_reads_them(archive):
    path, ids = archive
    for query in ('nomor:"005/321/KOTA/IX/2024"', '"005/321/KOTA/1X/2024"', "005/321/kota/ix/2024",
                  'nip:"19680412 199303 1 007"', '"19680412 199303 1 007"'):
        hits = json.loads(cli(path, "search", query, "--json").stdout)["hits"]
        assert [h["id"] for h in hits] == [ids["undangan.tif"]], query


def test_piped_output_is_never_wrapped_or_cut(archive):
    path, ids = archive
    out = cli(path, "search", '"bimbingan teknis"', columns="40").stdout
    snippet = next(line for line in out.splitlines() if "mengikuti" in line.lower())
    assert len(snippet) > 40 and "**" not in snippet  # one line, plain: grep finds the phrase
    assert "mengikuti bimbingan teknis pengelolaan" in snippet.lower()
    assert "\x1b[" not in out


def test_show_a_page_with_its_matches_and_the_text_with_page_lines(archive):
    path, ids = archive
    doc = ids["undangan.tif"]
    page = cli(path, "show", doc[:8], "--page", "2", "--query", "kepala dinas")
    assert page.returncode == 0, page.stderr
    assert page.stdout.splitlines()[0] == "--- page 2 of 2 ---"
    assert "**Kepala** **Dinas**" in page.stdout and "Bimbingan" not in page.stdout
    text = cli(path, "show", doc, "--text").stdout
    assert "--- page 1 of 2 ---" in text and "--- page 2 of 2 ---" in text
    assert text.index("--- page 2 of 2 ---") > text.index("Bimbingan Teknis")
    wrong = cli(path, "show", doc, "--page", "3")
    assert wrong.returncode == 2 and "has 2 page(s): give --page 1 to 2, not 3" in wrong.stderr


def test_index_verify_tells_drift_and_rebuild_with_the_other_backend(archive, tmp_path):
    import shutil

    path, ids = archive
    copy = tmp_path / "arsip"
    shutil.copytree(path, copy)
    assert cli(copy, "index", "verify").returncode == 0
    from digitize.fulltext import open_index

    index = open_index(copy / "index")
    index.delete([ids["laporan.png"]])
    index.close()
    drift = cli(copy, "index", "verify")
    assert drift.returncode == 7 and ids["laporan.png"] in drift.stdout
    rebuilt = cli(copy, "index", "rebuild", "--backend", "whoosh")
    assert rebuilt.returncode == 0 and "Indexed 3 document(s) with whoosh." in rebuilt.stdout
    assert cli(copy, "index", "verify").returncode == 0
    hits = json.loads(cli(copy, "search", "arsip", "--json").stdout)
    assert hits["total"] == 3  # searches follow the index's own backend
