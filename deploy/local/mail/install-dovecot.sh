#!/usr/bin/env bash
# Installs Debian's Dovecot IMAP server, which the channel-email tests run privately on a
# loopback port (see dovecot.sh). Idempotent: does nothing when dovecot is already installed.
# The package's post-install does not need to (and on CI machines cannot) start a system
# instance; tests never use one.
set -euo pipefail

if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
  echo "dovecot: already installed ($(/usr/sbin/dovecot --version 2>/dev/null || echo unknown version))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "dovecot: not installed, and installing needs root (apt-get install dovecot-imapd)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends dovecot-imapd
echo "dovecot: installed $(/usr/sbin/dovecot --version)"
