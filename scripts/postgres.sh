#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test run: `make test-postgres` uses it.
#
#   scripts/postgres.sh start DIR   # initdb (if needed) and start a server in DIR
#   scripts/postgres.sh url DIR     # the FANSHELF_DATABASE_URL for that server
#   scripts/postgres.sh stop DIR    # stop it (if running) and delete DIR (if `start` made it)
#
# PG_OPTIONS adds server settings (`-c name=value …`) when starting.
#
# The server is Debian's postgresql-15. It listens on a Unix socket in DIR and on no
# TCP port at all, trusts local connections (role `postgres`), and trades durability
# for speed (fsync off): it only ever holds test databases and is deleted afterwards.
# PostgreSQL refuses to run as root, so DIR belongs to the `postgres` user and the
# server runs as that user.
#
# The default collation is ICU's en-US, a linguistic order like a production server
# with an en_US.UTF-8 locale, not the byte order SQLite uses: code that quietly relies
# on byte order (prefix ranges, sorting) fails here rather than in production.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
command=$1
dir=$2
case $dir in
    /*) ;;
    *) dir=$PWD/$dir ;;
esac
data=$dir/data

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() {
    [ -f "$data/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case $command in
    start)
        if [ ! -x "$PG_BIN/pg_ctl" ]; then
            echo "$PG_BIN/pg_ctl is missing; install Debian's postgresql package" >&2
            exit 1
        fi
        mkdir -p "$dir"
        chmod 700 "$dir"
        touch "$dir/.fanshelf-postgres"
        if [ "$(id -u)" -eq 0 ]; then
            chown postgres: "$dir"
        fi
        if [ ! -f "$data/PG_VERSION" ]; then
            as_postgres "$PG_BIN/initdb" --pgdata="$data" --username=postgres --auth=trust \
                --encoding=UTF8 --locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US \
                --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
                || { cat "$dir/initdb.log" >&2; exit 1; }
        fi
        if ! running; then
            options="-c listen_addresses='' -c unix_socket_directories='$dir'"
            options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            # More settings for this server, e.g. the memory of a production server
            # for benchmarks: PG_OPTIONS="-c shared_buffers=2GB -c work_mem=32MB".
            options="$options ${PG_OPTIONS:-}"
            as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
                -o "$options" start >/dev/null \
                || { cat "$dir/server.log" >&2; exit 1; }
        fi
        echo "PostgreSQL $(cat "$data/PG_VERSION") running on socket $dir"
        ;;
    stop)
        if running; then
            as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null \
                || as_postgres "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
        fi
        # Only ever delete a folder this script made.
        if [ -e "$dir/.fanshelf-postgres" ]; then
            rm -rf "$dir"
        fi
        ;;
    url)
        echo "postgres://postgres@/fanshelf?host=$dir"
        ;;
    *)
        usage
        ;;
esac
