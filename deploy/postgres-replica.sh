#!/usr/bin/env bash
# Make a PostgreSQL 15 streaming replica (hot standby) of a running primary.
#
#   deploy/postgres-replica.sh PRIMARY DATA_DIR [SLOT]
#
# PRIMARY is a libpq connection string for a role with the REPLICATION attribute
# ("host=10.0.0.11 user=replicator", password in ~postgres/.pgpass); DATA_DIR is the
# replica's data directory, which must be missing or empty (on Debian, stop the
# replica's cluster and move /var/lib/postgresql/15/main away first); SLOT, if given, is
# a replication slot made on the primary, so it keeps the WAL this replica has not
# received yet (drop it there with pg_drop_replication_slot when the replica goes away).
#
# It copies the primary with pg_basebackup and writes standby.signal and the
# primary_conninfo into DATA_DIR (-R): start PostgreSQL on DATA_DIR and it follows the
# primary, answering read-only queries. Run as root (the copy belongs to postgres) or as
# postgres. On the primary, once:
#   CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '…';
#   pg_hba.conf: host replication replicator 10.0.0.12/32 scram-sha-256
# (wal_level=replica and max_wal_senders=10 are PostgreSQL 15's defaults).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 PRIMARY_CONNINFO DATA_DIR [SLOT]" >&2
    exit 2
fi
primary=$1
data=$2
slot=${3:-}

if [ -d "$data" ] && [ -n "$(ls -A "$data")" ]; then
    echo "$data is not empty: refusing to copy the primary over it" >&2
    exit 1
fi

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

mkdir -p "$data"
chmod 700 "$data"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$data"
fi

slot_options=()
if [ -n "$slot" ]; then
    slot_options=(--create-slot --slot="$slot")
fi
as_postgres "$PG_BIN/pg_basebackup" --dbname="$primary" --pgdata="$data" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --no-password \
    "${slot_options[@]}"

echo "Replica of '$primary' written to $data (standby.signal, primary_conninfo set)."
echo "Start PostgreSQL on it; check on the primary: SELECT client_addr, state FROM pg_stat_replication;"
