#!/usr/bin/env bash
# Failover under load, proven (issue 17): the cluster of scripts/cluster.sh (three PostgreSQL
# nodes under Patroni, etcd ×3, HAProxy, three parkgrid servers), simulated grid workers sending
# records with photos through the balancer, one parkgrid server killed and started again, then
# the primary database killed — and afterwards every record and photo a server acknowledged
# looked for in the database. Exits non-zero on any loss.
#
#   scripts/cluster-proof.sh           500 phones for 10 minutes (the issue's run; ~12 minutes)
#   scripts/cluster-proof.sh --short   60 phones for 90 seconds (~2 minutes; scripts/test.sh runs it)
#
# Needs root or sudo (scripts/cluster.sh installs and runs the cluster). The cluster is taken down at
# the end, its data deleted; figures go to standard output.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [[ ${1:-} == --short ]]; then
  load=(--phones 60 --seconds 90 --every 10 --event "20:scripts/cluster.sh kill-server 2"
    --event "30:scripts/cluster.sh restart-server 2" --event "40:scripts/cluster.sh kill-primary"
    --event "65:scripts/cluster.sh rejoin")
else
  load=(--phones 500 --seconds 600 --every 30 --event "150:scripts/cluster.sh kill-server 2"
    --event "210:scripts/cluster.sh restart-server 2" --event "300:scripts/cluster.sh kill-primary" --event "420:scripts/cluster.sh rejoin")
fi
cargo build --release -p server --example cluster_load
scripts/cluster.sh down >/dev/null 2>&1 || true
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT
scripts/cluster.sh up
echo "== load"
target/release/examples/cluster_load "${load[@]}"
echo "== the cluster afterwards"
scripts/cluster.sh status
