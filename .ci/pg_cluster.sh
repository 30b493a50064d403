#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster on 127.0.0.1 for the review-store tests (never a system cluster).
#
#   eval "$(.ci/pg_cluster.sh start)"   # prints: export PLANMAP_TEST_PG=postgresql+psycopg://…  PLANMAP_PG_DIR=…
#   .ci/pg_cluster.sh stop              # stops the cluster in $PLANMAP_PG_DIR and removes it
#
# Port: $PLANMAP_TEST_PG_PORT, else a free loopback port. As root the server runs as the `postgres` user
# (initdb refuses root). Needs the Debian packages postgresql and postgis (.ci/run installs them).
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "pg_cluster: PostgreSQL server binaries not found (apt-get install postgresql postgis)" >&2
    exit 1
  fi
  echo "$dir"
}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port log
  bin=$(pg_bin)
  port=${PLANMAP_TEST_PG_PORT:-$(free_port)}
  dir=$(mktemp -d /tmp/planmap-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  log="$dir/server.log"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=60" start >&2 \
    || { cat "$log" >&2; exit 1; }
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q -d postgres \
    -c "CREATE DATABASE planmap_test" >&2
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q -d planmap_test \
    -c "CREATE EXTENSION postgis" >&2
  echo "export PLANMAP_PG_DIR=$dir"
  echo "export PLANMAP_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:$port/planmap_test"
}

stop() {
  local dir=${PLANMAP_PG_DIR:?set PLANMAP_PG_DIR (printed by start)}
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
