#!/usr/bin/env bash
# A private Dovecot IMAP server for development: its own config, state and mail under one
# folder, listening on loopback only, one plain-text test user. Nothing system-wide is touched.
#
#   deploy/local/mail/dovecot.sh start    # IMAP on 127.0.0.1:$IMAP_PORT (default 1143)
#   deploy/local/mail/dovecot.sh stop
#   deploy/local/mail/dovecot.sh status
#
# Then: IMAP_URL=imap://aduan:aduan@127.0.0.1:1143/INBOX
# Environment: IMAP_PORT (1143), MAIL_USER (aduan), MAIL_PASSWORD (aduan),
# ADUAN_CACHE_DIR (<repo>/.cache) — the server lives in $ADUAN_CACHE_DIR/dovecot.
#
# OAuth2 variant, as Google Workspace and Microsoft 365 sign in: with
# MAIL_OAUTH2_INTROSPECTION_URL set, the server also takes XOAUTH2 and asks that RFC 7662
# endpoint (form post token=…, answering {"active": true, "username": "<MAIL_USER>"}) whether
# a bearer token is good. The password still works for delivering test mail; the adapter then
# signs in with IMAP_URL=imap://aduan@127.0.0.1:1143/INBOX and EMAIL_OAUTH2_* settings.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
DIR="${ADUAN_CACHE_DIR:-$ROOT/.cache}/dovecot"
PORT="${IMAP_PORT:-1143}"
USER_NAME="${MAIL_USER:-aduan}"
PASSWORD="${MAIL_PASSWORD:-aduan}"
INTROSPECTION_URL="${MAIL_OAUTH2_INTROSPECTION_URL:-}"
DOVECOT="$(command -v dovecot || echo /usr/sbin/dovecot)"

need_dovecot() {
  if [ ! -x "$DOVECOT" ]; then
    echo "dovecot is not installed: run deploy/local/mail/install-dovecot.sh" >&2
    exit 1
  fi
}

write_config() {
  mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail"
  chown -R nobody:nogroup "$DIR/mail" 2>/dev/null || true
  printf '%s:{PLAIN}%s\n' "$USER_NAME" "$PASSWORD" >"$DIR/users"
  local mechanisms="plain login" oauth2_passdb=""
  if [ -n "$INTROSPECTION_URL" ]; then
    mechanisms="plain login xoauth2"
    cat >"$DIR/oauth2.conf.ext" <<OAUTH2
introspection_mode = post
introspection_url = $INTROSPECTION_URL
username_attribute = username
active_attribute = active
active_value = true
OAUTH2
    oauth2_passdb="passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = $DIR/oauth2.conf.ext
}"
  fi
  cat >"$DIR/dovecot.conf" <<CONF
base_dir = $DIR/run
state_dir = $DIR/state
instance_name = aduan-dovecot-$PORT
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = $mechanisms
log_path = $DIR/dovecot.log
first_valid_uid = 1
mail_uid = nobody
mail_gid = nogroup
mail_location = maildir:$DIR/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DIR/users
  mechanisms = plain login
}
$oauth2_passdb
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
CONF
}

case "${1:-status}" in
  start)
    need_dovecot
    if [ -f "$DIR/run/master.pid" ] && kill -0 "$(cat "$DIR/run/master.pid")" 2>/dev/null; then
      echo "dovecot: already running on 127.0.0.1:$PORT"; exit 0
    fi
    write_config
    "$DOVECOT" -c "$DIR/dovecot.conf"
    for _ in $(seq 1 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        if [ -n "$INTROSPECTION_URL" ]; then
          echo "dovecot: IMAP on 127.0.0.1:$PORT (user $USER_NAME, XOAUTH2 tokens checked at $INTROSPECTION_URL), IMAP_URL=imap://$USER_NAME@127.0.0.1:$PORT/INBOX"
        else
          echo "dovecot: IMAP on 127.0.0.1:$PORT (user $USER_NAME), IMAP_URL=imap://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/INBOX"
        fi
        exit 0
      fi
      sleep 0.1
    done
    echo "dovecot: did not start; log:" >&2; tail -20 "$DIR/dovecot.log" >&2 || true; exit 1
    ;;
  stop)
    need_dovecot
    [ -f "$DIR/dovecot.conf" ] && "$DOVECOT" -c "$DIR/dovecot.conf" stop 2>/dev/null || true
    echo "dovecot: stopped"
    ;;
  status)
    if [ -f "$DIR/run/master.pid" ] && kill -0 "$(cat "$DIR/run/master.pid")" 2>/dev/null; then
      echo "dovecot: running (pid $(cat "$DIR/run/master.pid")) on 127.0.0.1:$PORT"
    else
      echo "dovecot: not running"; exit 3
    fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
