import os

from digitize.stages.discover import discover, sniff
from tests.conftest import make_page

EXT = [".tif", ".tiff", ".jpg", ".jpeg", ".png", ".pdf"]


def test_sniff_by_content():
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"II*\x00rest") == "tiff"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "png"
    assert sniff(b"hello") is None


def test_discover_sorts_hashes_and_sorts_out(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    make_page(inbox / "b.png")
    make_page(inbox / "sub" / "a.tif", frames=2)
    (inbox / "README.md").write_text("notes")
    (inbox / ".hidden.png").write_bytes(b"x")
    (inbox / "empty.jpg").write_bytes(b"")
    (inbox / "liar.pdf").write_text("this is not a pdf")
    os.symlink(inbox / "b.png", inbox / "link.png")
    found = discover(inbox, EXT)
    assert [f.rel for f in found.files] == ["b.png", "sub/a.tif"]
    assert [f.kind for f in found.files] == ["png", "tiff"]
    assert all(len(f.sha256) == 64 for f in found.files)
    assert found.ignored == ["README.md"]
    reasons = {r.rel: r.reason for r in found.rejected}
    assert reasons == {"empty.jpg": "empty", "liar.pdf": "unsupported", "link.png": "symlink"}
    assert all(r.message.startswith(r.rel) for r in found.rejected)
