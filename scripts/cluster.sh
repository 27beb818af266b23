#!/usr/bin/env bash
# The production topology on one machine (issue 17), every process on its own port:
#
#   etcd ×3 (2379, 2389, 2399)          the DCS: who leads, agreed by a quorum of three
#   Patroni + PostgreSQL 15 ×3          pg1 5433 / REST 8008, pg2 5434 / 8009, pg3 5435 / 8010;
#                                       synchronous streaming replication, automatic failover
#   HAProxy                             127.0.0.1:5000 → the primary (whichever node answers
#                                       GET /primary with 200); 127.0.0.1:8080 → the parkgrid
#                                       servers (GET /ready); stats on 127.0.0.1:7000
#   parkgrid serve ×N (default 3)       127.0.0.1:3101…, DATABASE_URL through HAProxy's 5000
#
#   scripts/cluster.sh up [--servers N]   install what is missing, start, migrate, load the demo
#   scripts/cluster.sh status             the nodes (patronictl list) and the servers
#   scripts/cluster.sh kill-primary       SIGKILL the leader's Patroni and postmaster
#   scripts/cluster.sh kill-server N      SIGKILL parkgrid server N
#   scripts/cluster.sh restart-server N   start parkgrid server N again
#   scripts/cluster.sh rejoin             start again every node that is down (pg_rewind)
#   scripts/cluster.sh down               stop everything and delete the cluster's data
#
# Needs root or sudo (apt-get; PostgreSQL runs as the `postgres` user). Data and logs in
# $PARKGRID_CLUSTER_DIR (default /var/tmp/parkgrid-cluster). docs/DEPLOY.md describes the same
# topology on real hosts; scripts/cluster-proof.sh runs the failover proofs against it.
set -euo pipefail
# apt-get, and PostgreSQL run as its own user: root's work.
if [[ $(id -u) -ne 0 ]]; then exec sudo -E "$0" "$@"; fi
cd "$(dirname "$0")/.."
DIR="${PARKGRID_CLUSTER_DIR:-/var/tmp/parkgrid-cluster}"
PG_BIN=/usr/lib/postgresql/15/bin
NODES=(1 2 3)
SUPER_PASS=parkgrid-cluster-super
REPL_PASS=parkgrid-cluster-repl
DB_URL="postgres://parkgrid:parkgrid@127.0.0.1:5000/parkgrid"

say() { printf '== %s\n' "$*"; }
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
etcd_client() { echo $((2369 + 10 * $1)); }
etcd_peer() { echo $((2370 + 10 * $1)); }
pg_port() { echo $((5432 + $1)); }
rest_port() { echo $((8007 + $1)); }
web_port() { echo $((3100 + $1)); }
etcd_hosts() { local h=(); for n in "${NODES[@]}"; do h+=("127.0.0.1:$(etcd_client "$n")"); done; (IFS=,; echo "${h[*]}"); }

install() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v etcdctl >/dev/null || missing+=(etcd-client)
  command -v haproxy >/dev/null || missing+=(haproxy)
  [[ -x $PG_BIN/postgres ]] || missing+=(postgresql-15)
  if ((${#missing[@]})); then
    say "installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [[ ! -x target/release/parkgrid || ! -f target/site/pkg/parkgrid.wasm ]]; then
    say "building parkgrid (release)"
    scripts/setup.sh
    # shellcheck disable=SC1091
    source scripts/env.sh
    scripts/build.sh
  fi
}

start_etcd() {
  local cluster=()
  for n in "${NODES[@]}"; do cluster+=("etcd$n=http://127.0.0.1:$(etcd_peer "$n")"); done
  for n in "${NODES[@]}"; do
    pid_alive "$DIR/etcd$n.pid" && continue
    mkdir -p "$DIR/etcd$n"
    setsid etcd --name "etcd$n" --data-dir "$DIR/etcd$n" \
      --listen-client-urls "http://127.0.0.1:$(etcd_client "$n")" --advertise-client-urls "http://127.0.0.1:$(etcd_client "$n")" \
      --listen-peer-urls "http://127.0.0.1:$(etcd_peer "$n")" --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer "$n")" \
      --initial-cluster "$(IFS=,; echo "${cluster[*]}")" --initial-cluster-state new --initial-cluster-token parkgrid \
      >"$DIR/etcd$n.log" 2>&1 </dev/null &
    echo $! >"$DIR/etcd$n.pid"
  done
  for _ in $(seq 1 60); do
    ETCDCTL_API=3 etcdctl --endpoints "$(etcd_hosts)" endpoint health >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "etcd did not become healthy: see $DIR/etcd*.log" >&2
  exit 1
}

patroni_config() {
  local n=$1
  cat <<YAML
scope: parkgrid
namespace: /parkgrid/
name: pg$n
restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")
etcd3:
  hosts: $(etcd_hosts)
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        shared_buffers: 128MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 md5
    - host all all 127.0.0.1/32 md5
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $DIR/pg$n/data
  bin_dir: $PG_BIN
  pgpass: $DIR/pg$n/pgpass
  authentication:
    replication:
      username: replicator
      password: $REPL_PASS
    superuser:
      username: postgres
      password: $SUPER_PASS
  parameters:
    unix_socket_directories: $DIR/pg$n
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
YAML
}

start_node() {
  local n=$1
  pid_alive "$DIR/pg$n.pid" && return 0
  mkdir -p "$DIR/pg$n"
  patroni_config "$n" >"$DIR/pg$n.yml"
  chown -R postgres:postgres "$DIR/pg$n" "$DIR/pg$n.yml"
  chmod 700 "$DIR/pg$n"
  touch "$DIR/pg$n.log" "$DIR/pg$n.pid" && chown postgres:postgres "$DIR/pg$n.log" "$DIR/pg$n.pid"
  su postgres -s /bin/sh -c "cd '$DIR' && setsid patroni '$DIR/pg$n.yml' >>'$DIR/pg$n.log' 2>&1 </dev/null & echo \$! >'$DIR/pg$n.pid'"
}

leader() {
  local n
  for n in "${NODES[@]}"; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(rest_port "$n")/primary") == 200 ]] && { echo "$n"; return 0; }
  done
  return 1
}

# psql as the superuser through HAProxy, on whichever node is the primary.
sql() { PGPASSWORD=$SUPER_PASS psql -h 127.0.0.1 -p 5000 -U postgres -qtA -c "$1" postgres; }

# Until HAProxy routes to a primary that accepts writes, three answers in a row (right after
# start the balancer may still try a standby before its first checks).
wait_primary() {
  local good=0
  for _ in $(seq 1 120); do
    if [[ $(sql 'SELECT NOT pg_is_in_recovery()' 2>/dev/null) == t ]]; then
      good=$((good + 1))
      ((good >= 3)) && return 0
    else
      good=0
    fi
    sleep 0.5
  done
  echo "no primary answered through HAProxy: see $DIR/pg*.log" >&2
  exit 1
}

haproxy_config() {
  cat <<CFG
global
  maxconn 4096
defaults
  timeout connect 2s
  timeout check 2s
  retries 3
listen postgres
  bind 127.0.0.1:5000
  mode tcp
  timeout client 30m
  timeout server 30m
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
$(for n in "${NODES[@]}"; do echo "  server pg$n 127.0.0.1:$(pg_port "$n") maxconn 150 check port $(rest_port "$n")"; done)
listen parkgrid
  bind 127.0.0.1:8080
  mode http
  timeout client 60s
  timeout server 60s
  timeout http-request 30s
  balance roundrobin
  option forwardfor
  option redispatch
  retry-on conn-failure empty-response
  option httpchk GET /ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
$(for n in $(seq 1 "$SERVERS"); do echo "  server web$n 127.0.0.1:$(web_port "$n") check"; done)
listen stats
  bind 127.0.0.1:7000
  mode http
  timeout client 60s
  timeout server 60s
  stats enable
  stats uri /
CFG
}

start_haproxy() {
  haproxy_config >"$DIR/haproxy.cfg"
  if pid_alive "$DIR/haproxy.pid"; then
    haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid" -sf "$(cat "$DIR/haproxy.pid")"
  else
    haproxy -f "$DIR/haproxy.cfg" -D -p "$DIR/haproxy.pid"
  fi
}

start_server() {
  local n=$1
  pid_alive "$DIR/web$n.pid" && return 0
  DATABASE_URL=$DB_URL LEPTOS_SITE_ADDR="127.0.0.1:$(web_port "$n")" LEPTOS_SITE_ROOT=target/site \
    PARKGRID_TRUST_PROXY=true RUST_LOG="${RUST_LOG:-warn}" \
    setsid target/release/parkgrid serve >>"$DIR/web$n.log" 2>&1 </dev/null &
  echo $! >"$DIR/web$n.pid"
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$(web_port "$n")/ready" >/dev/null && return 0
    sleep 0.2
  done
  echo "parkgrid server $n did not get ready: see $DIR/web$n.log" >&2
  exit 1
}

up() {
  SERVERS=3
  while (($#)); do
    case $1 in
      --servers) SERVERS=$2; shift 2 ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  install
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  echo "$SERVERS" >"$DIR/servers"
  say "etcd ×${#NODES[@]}"
  start_etcd
  say "Patroni + PostgreSQL ×${#NODES[@]} (synchronous replication)"
  # The first node bootstraps the cluster; the others clone themselves from it.
  start_node 1
  for _ in $(seq 1 120); do leader >/dev/null && break; sleep 0.5; done
  leader >/dev/null || { echo "the first node did not become the leader: see $DIR/pg1.log" >&2; exit 1; }
  for n in "${NODES[@]:1}"; do start_node "$n"; done
  say "HAProxy (5000: the primary; 8080: the parkgrid servers; 7000: stats)"
  start_haproxy
  wait_primary
  [[ $(sql "SELECT count(*) FROM pg_roles WHERE rolname='parkgrid'") == 1 ]] \
    || sql "CREATE ROLE parkgrid LOGIN PASSWORD 'parkgrid' CREATEDB" >/dev/null
  [[ $(sql "SELECT count(*) FROM pg_database WHERE datname='parkgrid'") == 1 ]] \
    || sql "CREATE DATABASE parkgrid OWNER parkgrid" >/dev/null
  say "the demo park"
  DATABASE_URL=$DB_URL target/release/parkgrid demo >"$DIR/demo.log" 2>&1 || { cat "$DIR/demo.log" >&2; exit 1; }
  say "parkgrid ×$SERVERS"
  for n in $(seq 1 "$SERVERS"); do start_server "$n"; done
  # The balancer sees a server as up after two good checks a second apart.
  for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8080/ready >/dev/null && break; sleep 0.2; done
  status
  echo
  echo "Open http://127.0.0.1:8080 (demo sign-ins as in the README); the database: $DB_URL"
}

status() {
  patronictl -c "$DIR/pg1.yml" list 2>/dev/null || echo "(Patroni does not answer)"
  local n servers
  servers=$(cat "$DIR/servers" 2>/dev/null || echo 0)
  for n in $(seq 1 "$servers"); do
    local state=down rss=-
    if pid_alive "$DIR/web$n.pid"; then
      state=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(web_port "$n")/ready")
      rss=$(awk '/VmRSS/ {print $2 " kB"}' "/proc/$(cat "$DIR/web$n.pid")/status")
    fi
    echo "parkgrid web$n 127.0.0.1:$(web_port "$n") ready: $state, memory: $rss"
  done
  # What the balancer sent where (HAProxy's statistics: requests, retries, redispatches).
  curl -s 'http://127.0.0.1:7000/;csv' 2>/dev/null | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == "parkgrid" && $2 ~ /^web/ { printf "balancer → %s: %s requests, %s retries, %s redispatched, %s\n", $2, $col["req_tot"], $col["wretr"], $col["wredis"], $col["status"] }'
}

kill_primary() {
  local n
  n=$(leader) || { echo "no leader" >&2; exit 1; }
  local postmaster
  postmaster=$(head -1 "$DIR/pg$n/data/postmaster.pid" 2>/dev/null || true)
  kill -9 "$(cat "$DIR/pg$n.pid")" 2>/dev/null || true
  [[ -n $postmaster ]] && kill -9 "$postmaster" 2>/dev/null || true
  echo "killed the primary pg$n (Patroni and postmaster, SIGKILL) at $(date +%s.%N)"
}

down() {
  local f
  for f in "$DIR"/web*.pid "$DIR"/pg*.pid "$DIR"/haproxy.pid "$DIR"/etcd*.pid; do
    [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 2
  # Whatever is left (a postmaster whose Patroni was killed).
  for n in "${NODES[@]}"; do
    if [[ -f $DIR/pg$n/data/postmaster.pid ]]; then kill -9 "$(head -1 "$DIR/pg$n/data/postmaster.pid")" 2>/dev/null || true; fi
  done
  for f in "$DIR"/*.pid; do [[ -f $f ]] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  # And any process started from this directory whose pid was not kept.
  pkill -9 -f "$DIR/" 2>/dev/null || true
  rm -rf "$DIR"
  echo "the cluster is down and its data deleted"
}

cmd=${1:-status}
shift || true
case $cmd in
  up) up "$@" ;;
  status) status ;;
  kill-primary) kill_primary ;;
  kill-server) kill -9 "$(cat "$DIR/web$1.pid")" && echo "killed parkgrid web$1 at $(date +%s.%N)" ;;
  restart-server) start_server "$1" ;;
  rejoin) for n in "${NODES[@]}"; do start_node "$n"; done ;;
  down) down ;;
  *) echo "usage: scripts/cluster.sh up [--servers N] | status | kill-primary | kill-server N | restart-server N | rejoin | down" >&2; exit 2 ;;
esac
