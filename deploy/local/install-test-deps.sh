#!/usr/bin/env bash
# System packages the test suite needs beyond Node, Java and PostgreSQL: a real IMAP server
# (Dovecot) for the e-mail channel and Debian's Chromium for browser tests. Idempotent.
#   install-test-deps.sh           install what is missing (root, or sudo)
#   install-test-deps.sh --check   print what is missing and exit 1, or exit 0 when all is there
set -euo pipefail

PACKAGES=(dovecot-imapd chromium fonts-dejavu-core)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${1:-}" = "--check" ]; then
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "Debian packages ${missing[*]} are missing:"
  exit 1
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present (${PACKAGES[*]})"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 \
  || { echo "test dependencies: ${missing[*]} missing and no apt-get here; install Dovecot (imapd) and Chromium with this system's package manager" >&2; exit 1; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "test dependencies: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's post-install may start a system Dovecot; tests run their own on a private port.
if command -v doveadm >/dev/null 2>&1 && pgrep -x dovecot >/dev/null 2>&1; then
  $SUDO doveadm stop >/dev/null 2>&1 || pkill -x dovecot || true
fi
echo "test dependencies: done"
