#!/usr/bin/env bash
# System (Debian) packages projner can use: Apertium rule-based MT (eng-spa, spa-ita pairs; vislcg3 supplies
# cg-proc, which the ita-spa mode needs) and the FreeDict English<->de/es/it/pt dictionaries that the lexicon
# aligners read (projner.align.lexicon, `--aligner e5-inter-lex --aligner-arg lexicon=freedict:de`).
# Idempotent: does nothing when they are already installed, and skips (exit 0) when apt-get is unavailable.
# Needs root (or sudo) to install.
set -euo pipefail

DICTS=()
for lang in deu spa ita por; do
    DICTS+=("dict-freedict-eng-$lang" "dict-freedict-$lang-eng")
done
PACKAGES=(apertium apertium-eng-spa apertium-spa-ita vislcg3 "${DICTS[@]}")

missing=()
for pkg in apertium apertium-eng-spa apertium-spa-ita "${DICTS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
# vislcg3 is a virtual package (provided by cg3): check for the command it supplies instead.
command -v cg-proc >/dev/null 2>&1 || missing+=(vislcg3)

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-system: all system packages already installed (${PACKAGES[*]})"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: apt-get not available; skipping (missing: ${missing[*]})" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "setup-system: not root and no sudo; install manually: apt-get install -y ${missing[*]}" >&2
        exit 0
    fi
fi

echo "setup-system: installing ${missing[*]}"
$SUDO apt-get install -y "${PACKAGES[@]}" || {
    $SUDO apt-get update && $SUDO apt-get install -y "${PACKAGES[@]}"
}
