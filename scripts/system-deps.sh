#!/usr/bin/env bash
# System packages the portal needs: Pango for WeasyPrint, poppler-utils for PDF tests,
# Chromium for browser tests, LibreOffice for the Word export test, Node/npm for front-end assets. Installs what is missing
# when run as root on Debian/Ubuntu; otherwise says what to install.
set -u
need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
command -v libreoffice >/dev/null || need+=(libreoffice-writer-nogui)  # Word export test
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v npm >/dev/null || need+=(nodejs npm)
# Noto fonts (Thai, Latin, Devanagari, Arabic) for the text-layer tests, unpacked from Debian's
# fonts-noto-core into .test-fonts/ only: installing the package would make Noto Sans the default
# sans-serif of the whole machine (fontconfig prefers it) and change every other rendering.
test_fonts="$(dirname "$0")/../.test-fonts"
noto=(NotoSansThai-Regular NotoSans-Regular NotoSansDevanagari-Regular NotoNaskhArabic-Regular)
if ! ls "$test_fonts/NotoNaskhArabic-Regular.ttf" >/dev/null 2>&1 && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
  tmp="$(mktemp -d)"
  if (cd "$tmp" && apt-get download fonts-noto-core >/dev/null 2>&1); then
    dpkg-deb -x "$tmp"/fonts-noto-core_*.deb "$tmp/x" && mkdir -p "$test_fonts" &&
      for f in "${noto[@]}"; do cp "$tmp/x/usr/share/fonts/truetype/noto/$f.ttf" "$test_fonts/"; done
  else
    echo "Could not download fonts-noto-core (apt-get update?); the text-layer tests will skip" >&2
  fi
  rm -rf "$tmp"
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Please install: sudo apt-get install ${need[*]}" >&2
  # Only Pango and npm are required to run; the others are for tests.
  for pkg in "${need[@]}"; do case $pkg in libpango*|npm|nodejs) exit 1;; esac; done
fi
