#!/usr/bin/env bash
# A throwaway Redis server for the test run: `make test-postgres` uses it as the cache.
#
#   scripts/redis.sh start DIR   # start a server with its socket in DIR
#   scripts/redis.sh url DIR     # the FANSHELF_REDIS_URL for that server
#   scripts/redis.sh stop DIR    # stop it (if running) and delete DIR
#
# Debian's redis-server, on a Unix socket in DIR and no TCP port at all, keeping
# nothing on disk (no snapshots, no append-only file).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
command=$1
dir=$2

case $command in
start)
    mkdir -p "$dir"
    redis-server --daemonize yes --port 0 --unixsocket "$dir/redis.sock" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
        --save "" --appendonly no --dir "$dir"
    for _ in $(seq 100); do
        [ -S "$dir/redis.sock" ] && break
        sleep 0.1
    done
    [ -S "$dir/redis.sock" ] || { echo "Redis did not start; see $dir/redis.log" >&2; exit 1; }
    echo "Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') running on socket $dir/redis.sock"
    ;;
url)
    echo "unix://$dir/redis.sock?db=0"
    ;;
stop)
    if [ -f "$dir/redis.pid" ]; then
        pid=$(cat "$dir/redis.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 2
    ;;
esac
