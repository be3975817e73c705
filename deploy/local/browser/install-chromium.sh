#!/usr/bin/env bash
# Installs Debian's chromium package, the browser the web end-to-end tests drive through
# playwright-core (no browser download from Playwright's CDN). Idempotent: does nothing when
# /usr/bin/chromium is already there. Needs root (or sudo) and access to the Debian mirror.
#
# Usage: deploy/local/browser/install-chromium.sh
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null | tail -n 1)"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core

if [[ ! -x "$CHROMIUM" ]]; then
  echo "apt-get finished but $CHROMIUM is missing" >&2
  exit 1
fi
echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null | tail -n 1)"
