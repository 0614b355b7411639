#!/usr/bin/env bash
# Checks deploy/README.md on this machine with Debian's packages, no containers:
#  1. the systemd units parse (systemd-analyze verify, with the paths they name stubbed);
#  2. the Caddyfile is valid (caddy validate, when the caddy package is installed);
#  3. a backup made as the timer makes it (pg_dump --format=custom) restores into an empty
#     database with every row (pg_restore), on the local PostgreSQL;
#  4. the app starts under `python -m app.server` with the guide's environment on a free port,
#     as if behind one proxy over HTTPS, serves the login page (200), and stops.
# Usage: deploy/check.sh [postgresql://postgres@127.0.0.1:5432/SCRATCH_DB]  (the database is emptied)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
URL="${1:-postgresql://postgres@127.0.0.1:5432/eduasi_h3}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"; [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true' EXIT
ok() { echo "ok   $*"; }

# 1. systemd units
if command -v systemd-analyze >/dev/null; then
  for unit in edu-asi.service edu-asi-backup.service edu-asi-backup.timer; do
    out="$(systemd-analyze verify "$HERE/$unit" 2>&1 || true)"
    # Paths of the server (/opt/edu-asi, the eduasi user) do not exist here: only syntax counts.
    bad="$(echo "$out" | grep -v -e "/opt/edu-asi" -e "eduasi" -e "Failed to prepare filename" -e "is not executable" -e "Command .* is not" -e "not found" -e "^$" || true)"
    if [ -n "$bad" ]; then echo "FAIL $unit: $bad"; exit 1; fi
    ok "$unit parses"
  done
fi

# 2. Caddyfile
if command -v caddy >/dev/null; then
  caddy validate --adapter caddyfile --config "$HERE/Caddyfile" >"$TMP/caddy.log" 2>&1 || { cat "$TMP/caddy.log"; exit 1; }
  ok "Caddyfile valid ($(caddy version | cut -d' ' -f1))"
else
  echo "skip Caddyfile: apt-get install caddy to check it"
fi

# 3. backup and restore
DB="${URL##*/}"
BASE="${URL%/*}"
psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS ${DB}_restored" -c "CREATE DATABASE ${DB}_restored" >/dev/null
export APP_CONFIG=production SECRET_KEY=deploy-check-secret DATABASE_URL="postgresql+psycopg://${URL#postgresql://}"
export QUIZ_DIR="$ROOT/quizzes" RATELIMIT_STORAGE_URI=memory:// PROXY_COUNT=1 PUBLIC_BASE_URL=https://asi.example.ac.id
cd "$ROOT"
"$PY" -m flask --app wsgi db upgrade >/dev/null 2>&1
"$PY" -m flask --app wsgi quizzes load >/dev/null
"$PY" -m flask --app wsgi users create admin --name Admin --role admin --password "deploy-check-123" >/dev/null
pg_dump --format=custom --file="$TMP/backup.dump" "$URL"
pg_restore --no-owner --dbname="$BASE/${DB}_restored" "$TMP/backup.dump"
count() { psql "$1" -tAc "SELECT (SELECT count(*) FROM quiz_version) || '/' || (SELECT count(*) FROM question) || '/' || (SELECT count(*) FROM educator) || '/' || (SELECT version_num FROM alembic_version)"; }
a="$(count "$URL")"; b="$(count "$BASE/${DB}_restored")"
[ "$a" = "$b" ] || { echo "FAIL restore: $a != $b"; exit 1; }
ok "pg_dump/pg_restore keeps every row ($a quiz versions/questions/accounts/revision)"

# 4. the app under python -m app.server, as the unit starts it
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$PY" -m app.server --host 127.0.0.1 --port "$PORT" --quiet >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 10.0.0.9' "http://127.0.0.1:$PORT/auth/login" || true)"
  [ "$code" = "200" ] && break
  sleep 1
done
[ "$code" = "200" ] || { cat "$TMP/server.log"; echo "FAIL app.server answered $code"; exit 1; }
ok "python -m app.server serves the login page on :$PORT (behind one proxy, HTTPS)"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
psql "$BASE/postgres" -qc "DROP DATABASE $DB" -c "DROP DATABASE ${DB}_restored" >/dev/null
echo "deploy/check.sh: all checks passed"
