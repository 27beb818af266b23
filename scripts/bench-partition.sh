#!/usr/bin/env bash
# The partitioner on the real parks (Zhongli; Taoyuan with a derived boundary) and on seeded
# synthetic parks (concave, two-part; N = 2,000 and 20,000); prints time and quality per case.
#   scripts/bench-partition.sh           parkgrid only
#   scripts/bench-partition.sh --peer    also the peers on the same inputs, in a Python venv
#                                        under target/bench: METIS (k-way, contiguous) and KaHIP
#                                        (kaffpa strong) through pymetis and kahip, with border
#                                        lengths as edge weights (scripts/peer_graph.py), and
#                                        spopt's MaxP heuristic (scripts/peer_maxp.py; N=20,000
#                                        takes minutes and gigabytes: PEER_MAX_N limits it,
#                                        default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=target/bench
mkdir -p "$out"
BENCH_OUT="$out" cargo run --release -q -p partition --example bench
if [ "${1:-}" = "--peer" ]; then
  venv="$out/venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q spopt geopandas libpysal shapely
  fi
  "$venv/bin/python" -c "import pymetis, kahip" 2>/dev/null || "$venv/bin/pip" install -q pymetis kahip
  max_n="${PEER_MAX_N:-20000}"
  for sites in "$out"/*-sites.geojson; do
    case_path="${sites%-sites.geojson}"
    n=$(basename "$case_path" | grep -oE '[0-9]+' | head -1)
    "$venv/bin/python" scripts/peer_graph.py "$case_path"
    if [ "$n" -le "$max_n" ]; then "$venv/bin/python" scripts/peer_maxp.py "$case_path"; fi
  done
fi
