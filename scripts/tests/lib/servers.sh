# Sourced by the shell tests (not a test itself): a free loopback port, and real PostgreSQL and InfluxDB 1.x servers
# started inside the test's temporary directory $T. The caller defines fail(), and stops the servers it started:
# start_postgres appends its pid to the PIDS array, start_influxd sets INFLUX_PID.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_postgres DB: a throwaway cluster under $T/pg (run as nobody when the test runs as root, which postgres
# refuses) with database DB; sets PGBIN, PGPORT and PG (its URL).
start_postgres() {
    PGBIN="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
    [ -x "$PGBIN/postgres" ] || fail "PostgreSQL server binaries missing at $PGBIN: run scripts/setup"
    local dir="$T/pg"
    mkdir -p "$dir"
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        chmod 755 "$T"
        chown nobody "$dir"
        as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    fi
    "${as[@]}" "$PGBIN/initdb" -D "$dir/data" -U swiftml --auth=trust -E UTF8 --locale=C --no-sync > "$T/initdb.log" 2>&1 \
        || fail "initdb: $(tail -5 "$T/initdb.log")"
    PGPORT="$(free_port)"
    "${as[@]}" "$PGBIN/postgres" -D "$dir/data" -h 127.0.0.1 -p "$PGPORT" -k "$dir" -c fsync=off \
        -c synchronous_commit=off > "$T/postgres.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.1; done
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U swiftml "$1" || fail "createdb: $(tail -5 "$T/postgres.log")"
    PG="postgres://swiftml@127.0.0.1:$PGPORT/$1?sslmode=disable"
}

# start_influxd: InfluxDB 1.x under $T/influx with the database `training`; sets HTTP_PORT, INFLUX (its URL) and
# INFLUX_PID.
start_influxd() {
    command -v influxd >/dev/null || fail "influxd is missing: run scripts/setup"
    HTTP_PORT="$(free_port)"
    local rpc_port
    rpc_port="$(free_port)"
    mkdir -p "$T/influx"
    cat > "$T/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$T/influx/meta"
[data]
  dir = "$T/influx/data"
  wal-dir = "$T/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$HTTP_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
    influxd run -config "$T/influx/influxdb.conf" > "$T/influxd.log" 2>&1 &
    INFLUX_PID=$!
    INFLUX="http://127.0.0.1:$HTTP_PORT"
    for _ in $(seq 1 100); do curl -sf "$INFLUX/ping" >/dev/null && break; sleep 0.1; done
    curl -sf "$INFLUX/ping" >/dev/null || fail "influxd did not start"
    curl -sf -XPOST "$INFLUX/query" --data-urlencode "q=CREATE DATABASE training" >/dev/null
}
