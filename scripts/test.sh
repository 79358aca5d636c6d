#!/usr/bin/env bash
# The whole test suite: first on the default database (SQLite unless DATABASE_URL is set), then
# the tests marked `postgres` on PostgreSQL when a server answers. Says plainly what it skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${POSTGRES_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}"

pg_reachable() {
  "$PY" - "$1" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
PYEOF
}

if [[ -z "${CHROMIUM_PATH:-}" ]]; then
  CHROMIUM_PATH="$(command -v chromium || command -v chromium-browser || true)"
fi
export CHROMIUM_PATH
if [[ -z "$CHROMIUM_PATH" ]]; then
  echo "NOTE: no Chromium found: browser tests will be skipped (apt-get install chromium)."
fi

# Node packages the tests use (ical.js parses our feeds, axe-core checks pages): installed
# when npm is there and package-lock.json changed since the last install.
if [[ -f package-lock.json ]]; then
  if command -v npm >/dev/null 2>&1; then
    if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
      echo "== Node packages for the tests (npm ci)"
      npm ci --no-audit --no-fund --silent || echo "NOTE: npm ci failed: the ical.js and axe-core checks will be skipped."
    fi
  else
    echo "NOTE: npm not found: the ical.js and axe-core checks will be skipped (install Node 20+ and npm)."
  fi
fi

status=0
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== Test suite on PostgreSQL ($DATABASE_URL)"
  "$PY" -m pytest "$@" || status=$?
  echo "== Test suite on SQLite (the embedded default; browser and PostgreSQL-only tests ran above)"
  env -u DATABASE_URL "$PY" -m pytest -m "not browser and not postgres" "$@" || status=$?
else
  echo "== Test suite on SQLite"
  "$PY" -m pytest "$@" || status=$?
  if pg_reachable "$PG_URL"; then
    echo "== PostgreSQL tests (-m postgres) on $PG_URL"
    DATABASE_URL="$PG_URL" "$PY" -m pytest -m postgres "$@"
    pg_status=$?
    # 5 = no test collected, which only means no test is marked postgres yet.
    if [[ $pg_status -ne 0 && $pg_status -ne 5 ]]; then status=$pg_status; fi
  else
    echo "SKIPPED: PostgreSQL tests: no server answered at $PG_URL (set POSTGRES_TEST_URL or DATABASE_URL)."
  fi
fi
exit $status
