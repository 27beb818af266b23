"""The peer of parkgrid's partitioner: spopt's MaxP heuristic on the same input.

Usage: python scripts/peer_maxp.py target/bench/<case>   (reads <case>-park.geojson and
<case>-sites.geojson, as written by `BENCH_OUT=… cargo run -p partition --example bench`).

Units are the enterprises grouped by coordinate (as parkgrid does); each unit's area is its
Voronoi cell clipped to the park; contiguity is Queen on those cells; MaxP with a floor of 20
enterprises per region. Prints one line with the same figures as the Rust bench.
"""
import json
import math
import sys
import time

import geopandas as gpd
import libpysal
import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, shape
from spopt.region import MaxPHeuristic

case = sys.argv[1]
park = shape(json.load(open(f"{case}-park.geojson")))
sites = json.load(open(f"{case}-sites.geojson"))["features"]

# Local metres, as parkgrid measures.
minx, miny, maxx, maxy = park.bounds
lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
kx, ky = 111320.0 * math.cos(math.radians(lat0)), 111320.0
project = lambda x, y, z=None: ((x - lon0) * kx, (y - lat0) * ky)
park_m = shapely.transform(park, lambda c: np.column_stack(((c[:, 0] - lon0) * kx, (c[:, 1] - lat0) * ky)))

units = {}
for f in sites:
    x, y = f["geometry"]["coordinates"][:2]
    units.setdefault((x, y), 0)
    units[(x, y)] += 1
pts = [Point(project(x, y)) for (x, y) in units]
counts = np.array(list(units.values()), dtype=float)

start = time.process_time()
cells = list(shapely.voronoi_polygons(MultiPoint(pts), extend_to=park_m.envelope.buffer(1000)).geoms)
tree = shapely.STRtree(cells)
cell_of = [cells[tree.query(p, predicate="intersects")[0]].intersection(park_m) for p in pts]
gdf = gpd.GeoDataFrame({"count": counts, "x": [p.x for p in pts], "y": [p.y for p in pts]}, geometry=cell_of)
w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
model = MaxPHeuristic(gdf, w, ["x", "y"], "count", 20, top_n=2)
model.solve()
seconds = time.process_time() - start

gdf["region"] = model.labels_
regions = gdf.dissolve(by="region", aggfunc={"count": "sum"})
loads = regions["count"].to_numpy()
mean = loads.mean()
pp = [4 * math.pi * g.area / (g.length ** 2) if g.length > 0 else 0 for g in regions.geometry]
pieces = sum(1 for g in regions.geometry if g.geom_type == "MultiPolygon" and len(g.geoms) > 1)
name = case.rsplit("/", 1)[-1]
print(
    f"peer spopt MaxP {name:<22} n={int(counts.sum()):<6} grids={len(loads):<4} cpu_secs={seconds:.3f} "
    f"counts={int(loads.min())}..{int(loads.max())} outside={int(((loads < 20) | (loads > 40)).sum())} "
    f"cv={loads.std() / mean:.4f} worst={np.abs(loads - mean).max() / mean:.4f} "
    f"pp_mean={np.mean(pp):.3f} pp_min={np.min(pp):.3f} pieces={pieces}"
)
