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


def test_unreadable_file_is_refused_with_a_reason(tmp_path, monkeypatch):
    """As root every file is readable, so the permission error is simulated."""
    from digitize.stages import discover as discover_module

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "ok.png")
    make_page(inbox / "secret.png")
    real = discover_module.sha256_file

    def guarded(path):
        if path.name == "secret.png":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(discover_module, "sha256_file", guarded)
    found = discover(inbox, EXT)
    assert [f.rel for f in found.files] == ["ok.png"]
    assert [(r.rel, r.reason) for r in found.rejected] == [("secret.png", "unreadable")]
    assert "permissions" in found.rejected[0].message


def test_file_still_being_written_waits_for_the_next_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_page(inbox / "done.png")
    growing = make_page(inbox / "growing.png")
    now = 1_000_000.0
    os.utime(inbox / "done.png", (now - 600, now - 600))
    os.utime(growing, (now - 1, now - 1))

    def sleep(seconds):  # the scanner writes more while we wait
        with growing.open("ab") as handle:
            handle.write(b"more")

    found = discover(inbox, EXT, settle_seconds=5, clock=lambda: now, sleep=sleep)
    assert [f.rel for f in found.files] == ["done.png"] and found.deferred == ["growing.png"]
