#!/usr/bin/env bash
# Hostile input by the million (issue 14): the property tests of the GeoJSON and CSV imports
# (UTF-8 and GBK), the phones' records, the partitioner and the plan editor, with many more
# cases than the test suite runs. A crash, a hang (the per-case timeout) or a failed property
# fails the run.
#   scripts/fuzz.sh [CASES]      default 1,000,000 for the parsers, 1/20 of it for the
#                                 partitioner (each case partitions a park)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cases=${1:-1000000}
export PROPTEST_MAX_SHRINK_ITERS=2000
echo "== parsers and records: $cases cases per property"
time PROPTEST_CASES=$cases PROPTEST_TIMEOUT=10000 cargo test --release -p domain --test hostile
echo "== partitioner and editor: $((cases / 20)) cases per property"
time PROPTEST_CASES=$((cases / 20)) PROPTEST_TIMEOUT=60000 cargo test --release -p partition --test hostile
