"""The strong peers of parkgrid's partitioner: METIS (k-way, contiguous) and KaHIP (kaffpa,
strong), on the same units as parkgrid, with shared-border lengths as edge weights.

Usage: python scripts/peer_graph.py target/bench/<case>   (reads <case>-park.geojson and
<case>-sites.geojson, as written by `BENCH_OUT=… cargo run -p partition --example bench`).

Units are the enterprises grouped by coordinate (as parkgrid does); each unit's area is its
Voronoi cell clipped to the park; two units are neighbours when their cells share an edge
(not only a point), weighted by its length in metres; a unit weighs its enterprises. The
number of parts is parkgrid's (`graph::grid_count` for 20–40). Prints one line per peer with
the same figures as the Rust bench (a region's area is the union of its units' cells, so the
cover is exact by construction; `pieces` counts regions that are not one polygon).
"""
import json
import math
import sys
import time
import warnings

import kahip
import numpy as np
import pymetis
import shapely
from shapely.geometry import MultiPoint, Point, shape

MIN, MAX = 20, 40
warnings.filterwarnings("ignore")

case = sys.argv[1]
park = shape(json.load(open(f"{case}-park.geojson")))
sites = json.load(open(f"{case}-sites.geojson"))["features"]

# Local metres, as parkgrid measures.
minx, miny, maxx, maxy = park.bounds
lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
kx, ky = 111320.0 * math.cos(math.radians(lat0)), 111320.0
project = lambda x, y: ((x - lon0) * kx, (y - lat0) * ky)
park_m = shapely.transform(park, lambda c: np.column_stack(((c[:, 0] - lon0) * kx, (c[:, 1] - lat0) * ky)))

units = {}
for f in sites:
    x, y = f["geometry"]["coordinates"][:2]
    units[(x, y)] = units.get((x, y), 0) + 1
pts = [Point(project(x, y)) for (x, y) in units]
counts = np.array(list(units.values()), dtype=np.int64)
total = int(counts.sum())


def grid_count(count):
    """parkgrid's `graph::grid_count`."""
    target = (MIN + MAX) / 2
    lo, hi = -(-count // MAX), count // MIN
    ideal = round(count / target)
    return max(lo, 1) if lo > hi else max(min(max(ideal, lo), hi), 1)


k = grid_count(total)

start = time.process_time()
cells_all = list(shapely.voronoi_polygons(MultiPoint(pts), extend_to=park_m.envelope.buffer(1000)).geoms)
tree = shapely.STRtree(cells_all)
cells = [cells_all[tree.query(p, predicate="intersects")[0]].intersection(park_m) for p in pts]
ctree = shapely.STRtree(cells)
nbrs = [dict() for _ in cells]
for i, c in enumerate(cells):
    for j in ctree.query(c, predicate="intersects"):
        j = int(j)
        if j <= i:
            continue
        shared = c.boundary.intersection(cells[j].boundary).length
        if shared > 1e-6:
            w = max(1, int(round(shared)))
            nbrs[i][j] = w
            nbrs[j][i] = w
xadj, adjncy, eweights = [0], [], []
for i in range(len(cells)):
    for j, w in sorted(nbrs[i].items()):
        adjncy.append(j)
        eweights.append(w)
    xadj.append(len(adjncy))
graph_secs = time.process_time() - start


def report(name, labels, seconds):
    labels = np.asarray(labels)
    loads, pp, pieces = [], [], 0
    for r in range(k):
        members = np.flatnonzero(labels == r)
        if len(members) == 0:
            loads.append(0)
            continue
        area = shapely.union_all([cells[m] for m in members])
        loads.append(int(counts[members].sum()))
        pp.append(4 * math.pi * area.area / (area.length ** 2) if area.length > 0 else 0)
        if area.geom_type != "Polygon":
            pieces += 1
    loads = np.array(loads, dtype=float)
    mean = loads.mean()
    print(
        f"peer {name:<15} {case.rsplit('/', 1)[-1]:<22} n={total:<6} grids={k:<4} cpu_secs={seconds:.3f} "
        f"counts={int(loads.min())}..{int(loads.max())} outside={int(((loads < MIN) | (loads > MAX)).sum())} "
        f"cv={loads.std() / mean:.4f} worst={np.abs(loads - mean).max() / mean:.4f} "
        f"pp_mean={np.mean(pp):.3f} pp_min={np.min(pp):.3f} pieces={pieces}"
    )


if k < 2:
    print(f"peer METIS/KaHIP {case}: one grid, nothing to compare")
    sys.exit(0)

# METIS: k-way, contiguous parts, minimising the cut border length.
t = time.process_time()
try:
    metis_labels = pymetis.part_graph(k, xadj=xadj, adjncy=adjncy, vweights=counts.tolist(), eweights=eweights, contiguous=True)[1]
    name = "METIS k-way"
except RuntimeError:
    # METIS refuses contiguous parts of a graph in several components (a park in pieces).
    metis_labels = pymetis.part_graph(k, xadj=xadj, adjncy=adjncy, vweights=counts.tolist(), eweights=eweights)[1]
    name = "METIS (no contig)"
report(name, metis_labels, graph_secs + time.process_time() - t)

# KaHIP: kaffpa strong, 3% imbalance (KaHIP has no contiguity constraint).
t = time.process_time()
_, kahip_labels = kahip.kaffpa(counts.tolist(), xadj, eweights, adjncy, k, 0.03, True, 1, 2)
report("KaHIP strong", kahip_labels, graph_secs + time.process_time() - t)
