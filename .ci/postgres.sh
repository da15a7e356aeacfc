#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the ledger tests (tests/ledger/): initdb in a temp folder, a unix
# socket there and a free TCP port on 127.0.0.1, trust authentication, one database "kpi_test".
#
#   eval "$(.ci/postgres.sh start)"     # prints: export KPI_TEST_PG_URL=...; export KPI_TEST_PG_DIR=...
#   python -m pytest tests/ledger       # the PostgreSQL cases now run instead of being skipped
#   .ci/postgres.sh stop                # stops it and removes the folder ($KPI_TEST_PG_DIR)
#
# initdb refuses to run as root: as root the cluster belongs to the "postgres" user (created by Debian's
# postgresql package; runuser), otherwise to the current user.  Only what is printed on stdout is for eval;
# progress goes to stderr.
set -euo pipefail

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$found" ] && echo "$found"
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local initdb pg_ctl dir port
    initdb=$(find_bin initdb) || true
    pg_ctl=$(find_bin pg_ctl) || true
    if [ -z "${initdb:-}" ] || [ -z "${pg_ctl:-}" ]; then
        echo "postgres.sh: initdb/pg_ctl not found (apt-get install postgresql)" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "postgres.sh: running as root and there is no postgres user to own the cluster" >&2
        return 1
    fi
    dir=$(mktemp -d /tmp/kpi-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_owner "$initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50" start >&2 \
        || { cat "$dir/server.log" >&2; rm -rf "$dir"; return 1; }
    as_owner "$(find_bin createdb)" -h "$dir" -p "$port" -U postgres kpi_test >&2 \
        || { cat "$dir/server.log" >&2; stop "$dir"; return 1; }
    echo "export KPI_TEST_PG_DIR=$dir"
    echo "export KPI_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/kpi_test"
}

stop() {
    local dir=${1:-${KPI_TEST_PG_DIR:-}} pg_ctl
    [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
    pg_ctl=$(find_bin pg_ctl)
    as_owner "$pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
