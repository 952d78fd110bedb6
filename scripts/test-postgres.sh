# A throw-away PostgreSQL cluster for the tests. Sourced by scripts/test.sh:
#   pg_test_start   installs Debian's postgresql if missing, runs initdb and starts a
#                   server as an unprivileged user, listening only on a Unix socket in a
#                   fresh temporary folder; exports XEBERDAR_TEST_POSTGRES_URL (the test
#                   cluster's superuser) and XEBERDAR_TEST_POSTGRES_CTL (a pg_ctl wrapper
#                   the database-restart tests call with `stop -m fast` / `start`) and
#                   XEBERDAR_TEST_POSTGRES_DATA (the data folder, which tests search for
#                   plaintext).
#   pg_test_stop    stops the server and removes the folder.
# Each test creates its own database in this cluster and drops it at the end.

pg_test_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "==> installing postgresql (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/xeberdar-pg.XXXXXX)
  # PostgreSQL refuses to run as root: as root, run it as a system user of its own.
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id xeberdar-test-pg >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin xeberdar-test-pg
    chown xeberdar-test-pg: "$PG_TEST_DIR"
    as=(runuser -u xeberdar-test-pg --)
  fi
  chmod 700 "$PG_TEST_DIR"
  "${as[@]}" "$bindir/initdb" -D "$PG_TEST_DIR/data" -U xeberdar --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || {
    cat "$PG_TEST_DIR/initdb.log"
    return 1
  }
  cat >>"$PG_TEST_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_TEST_DIR'
max_connections = 200
CONF
  cat >"$PG_TEST_DIR/ctl" <<CTL
#!/bin/sh
exec ${as[*]} "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" "\$@"
CTL
  chmod 755 "$PG_TEST_DIR/ctl"
  # The tests (root or not) reach the socket; the folder holds nothing else of value.
  chmod 755 "$PG_TEST_DIR"
  "$PG_TEST_DIR/ctl" start -w >/dev/null
  export XEBERDAR_TEST_POSTGRES_URL="postgresql:///postgres?host=$PG_TEST_DIR&user=xeberdar"
  export XEBERDAR_TEST_POSTGRES_CTL="$PG_TEST_DIR/ctl"
  export XEBERDAR_TEST_POSTGRES_DATA="$PG_TEST_DIR/data"
  echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests, socket in $PG_TEST_DIR"
}

pg_test_stop() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ]; then
    "$PG_TEST_DIR/ctl" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
