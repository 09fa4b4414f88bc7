#!/usr/bin/env bash
# Installs what the tests need from Debian beyond the .NET SDK and Node.js: Chromium (/usr/bin/chromium)
# for the browser test (tests/AirQuality.Browser.Tests drives it with Playwright; no browser is ever
# downloaded). Does nothing when Chromium is already there. Installing needs root (CI runs as root) or sudo.
# Usage: scripts/install-test-deps.sh
set -euo pipefail

chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  echo "install-test-deps: $("$chromium" --version 2>/dev/null || echo "$chromium") already installed" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: $chromium is missing and apt-get is not available; install Chromium there (or set AIRQ_CHROMIUM for the browser test)" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-test-deps: $chromium is missing; run this script as root (or with sudo available) to install Debian's chromium" >&2
    exit 1
  fi
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
# Fonts so the page's text renders; no other recommends (upower, notification daemons...).
packages=(chromium fonts-liberation)
install() { "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"; }

# The package lists are refreshed only when they do not know chromium yet, or when they are too old
# for an install to succeed (a version no longer on the mirror).
if ! apt-cache show chromium >/dev/null 2>&1; then
  echo "install-test-deps: apt-get update (the package lists do not know chromium)" >&2
  "${sudo[@]}" apt-get update -q
fi
echo "install-test-deps: apt-get install ${packages[*]}" >&2
if ! install; then
  echo "install-test-deps: apt-get update and retry" >&2
  "${sudo[@]}" apt-get update -q
  install
fi
if [ ! -x "$chromium" ]; then
  echo "install-test-deps: the chromium package is installed but $chromium is not there" >&2
  exit 1
fi
echo "install-test-deps: $("$chromium" --version 2>/dev/null) installed" >&2
