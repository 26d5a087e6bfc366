#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster for the tests and gives the postgres role a known password.
# Tests read PIPELINE_TEST_POSTGRES (default Host=127.0.0.1;Username=postgres;Password=postgres;Database=postgres).
set -euo pipefail
if [[ -n "${PIPELINE_TEST_POSTGRES:-}" ]]; then exit 0; fi
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
[[ -n "$cluster" ]] || { echo "start-postgres: no PostgreSQL cluster found" >&2; exit 1; }
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.2
done
pg_isready -q -h 127.0.0.1 || { echo "start-postgres: PostgreSQL did not start" >&2; exit 1; }
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
