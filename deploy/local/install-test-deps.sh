#!/usr/bin/env bash
# System packages the test suite needs beyond Node, Java and PostgreSQL: a real IMAP server
# (Dovecot) for the e-mail channel and Debian's Chromium for browser tests. Idempotent.
set -euo pipefail

PACKAGES=(dovecot-imapd chromium fonts-dejavu-core)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present (${PACKAGES[*]})"
  exit 0
fi

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
