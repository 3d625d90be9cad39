# Starts a private PostgreSQL cluster on 127.0.0.1 for the data and web tests, and exports
# OPENBFR_TEST_PG (an Npgsql connection string to it). Sourced by test.sh; stops the server on exit.
# Installs Debian's postgresql when no server binaries are present.
openbfr_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(openbfr_pg_bin)" ]; then
  echo "setup: installing postgresql (apt-get)" >&2
  if [ -z "${OPENBFR_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 && export OPENBFR_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
    || echo "setup: could not install postgresql; PostgreSQL tests will be skipped" >&2
fi
pg_bin=$(openbfr_pg_bin)
if [ -n "$pg_bin" ]; then
  pg_dir=$(mktemp -d /tmp/openbfr-pg.XXXXXX)
  # A free port: the first in a random 20000-29999 start that nothing answers on.
  pg_port=$((20000 + RANDOM % 10000))
  while (exec 3<>/dev/tcp/127.0.0.1/$pg_port) 2>/dev/null; do pg_port=$((pg_port + 1)); done
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$pg_dir"; chmod 700 "$pg_dir"
    pg_as() { runuser -u postgres -- "$@"; }
  else
    pg_as() { "$@"; }
  fi
  if pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1 \
     && pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
          start >/dev/null 2>&1; then
    export OPENBFR_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"
    on_exit "$(declare -f pg_as); pg_as '$pg_bin/pg_ctl' -D '$pg_dir/data' -m immediate stop >/dev/null 2>&1; rm -rf '$pg_dir'"
    echo "setup: PostgreSQL on 127.0.0.1:$pg_port" >&2
  else
    echo "setup: PostgreSQL did not start (see $pg_dir); PostgreSQL tests will be skipped" >&2
    cat "$pg_dir/initdb.log" "$pg_dir/server.log" 2>/dev/null | tail -5 >&2
  fi
fi
