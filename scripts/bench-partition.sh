#!/usr/bin/env bash
# The partitioner on the real parks (Zhongli; Taoyuan with a derived boundary) and on seeded
# synthetic parks (concave, two-part; N = 2,000 and 20,000); prints time and quality per case.
#   scripts/bench-partition.sh           parkgrid only
#   scripts/bench-partition.sh --peer    also spopt's MaxP heuristic on the same inputs (a
#                                        Python venv under target/bench; N=20,000 takes minutes
#                                        and gigabytes: PEER_MAX_N limits it, default 20000)
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
  max_n="${PEER_MAX_N:-20000}"
  for sites in "$out"/*-sites.geojson; do
    case_path="${sites%-sites.geojson}"
    n=$(basename "$case_path" | grep -oE '[0-9]+' | head -1)
    if [ "$n" -le "$max_n" ]; then "$venv/bin/python" scripts/peer_maxp.py "$case_path"; fi
  done
fi
