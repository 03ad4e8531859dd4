#!/bin/sh
# Install the programs digitize runs (Tesseract with Indonesian and English, Ghostscript,
# Poppler, unpaper, qpdf), GNU gettext (the Indonesian messages) and Python's venv, when missing. Debian/Ubuntu: apt-get.
# Elsewhere: print what to install and stop. Quick when everything is already there.
set -eu

PACKAGES="tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng tesseract-ocr-osd ghostscript poppler-utils unpaper qpdf gettext python3 python3-venv python3-pip"

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=""
    for pkg in $PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        case "$status" in
            *"install ok installed"*) ;;
            *) missing="$missing $pkg" ;;
        esac
    done
    [ -z "$missing" ] && exit 0
    echo "Installing system packages:$missing"
    if [ "$(id -u)" = 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "error: these packages are missing:$missing. Run as root: apt-get install$missing" >&2
        exit 1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    exit 0
fi

# Not Debian: check the programs and say what to install.
missing=""
for prog in tesseract gs pdftotext pdftoppm unpaper qpdf msgfmt python3; do
    command -v "$prog" >/dev/null 2>&1 || missing="$missing $prog"
done
if command -v tesseract >/dev/null 2>&1; then
    for lang in ind eng osd; do
        tesseract --list-langs 2>/dev/null | grep -qx "$lang" || missing="$missing tesseract-lang-$lang"
    done
fi
if [ -n "$missing" ]; then
    echo "error: missing:$missing. This system has no apt-get: install Tesseract 5 with the" >&2
    echo "ind, eng and osd language data, Ghostscript, Poppler (pdftotext, pdftoppm), unpaper," >&2
    echo "qpdf, GNU gettext (msgfmt) and Python 3.11+ with venv using your package manager, then run make again." >&2
    exit 1
fi
