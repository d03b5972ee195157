#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the registry tests: Debian's postgresql, run unprivileged in a temporary
# folder, listening only on a unix socket there (no TCP port, nothing else on the machine disturbed).
#
#   bash .ci/postgres.sh start DIR   installs postgresql if missing, starts a cluster in DIR, prints its URL
#   bash .ci/postgres.sh stop DIR    stops it (DIR can then be removed)
# initdb and pg_ctl refuse to run as root: as root, the cluster runs as the postgres user.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a folder for the cluster}

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

case "$action" in
start)
    if [ -z "$(pg_bin)" ]; then
        echo "postgres.sh: installing postgresql (Debian package)" >&2
        env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    bin=$(pg_bin)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses='' -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off" start >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@/postgres?host=$dir"
    ;;
stop)
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast stop >&2
    ;;
*)
    echo "postgres.sh: start or stop, not $action" >&2; exit 2
    ;;
esac
