"""The France tile grid shipped with the backend, and area resolution."""
import pytest
from shapely.geometry import Point

from backend.errors import InvalidInput
from backend.tiles import grid, resolve_area

CITIES = {"Toulouse": ((1.444, 43.604), "31TCJ"), "Paris": ((2.352, 48.857), "31UDQ"),
          "Ajaccio": ((8.737, 41.927), "32TMM"), "Bastia": ((9.45, 42.70), "32TNN"),
          "Brest": ((-4.49, 48.39), "30UUU"), "Nice": ((7.26, 43.70), "32TLP")}


def test_grid_covers_metropolitan_france_and_corsica():
    tiles = grid()
    assert len(tiles) == 99
    assert {t.epsg for t in tiles.values()} == {32629, 32630, 32631, 32632}
    for (lon, lat), tile in CITIES.values():
        assert tiles[tile].footprint.contains(Point(lon, lat))


def test_footprints_follow_the_sentinel2_grid():
    tiles = grid()
    # 31TDH's upper-left corner as in CNES sensorsio's tests; 31TCJ, 31UFQ from
    # THEIA products: the MGRS square's north-west corner snapped out to 60 m.
    assert tiles["31TDH"].origin == (399960.0, 4800000.0)
    assert tiles["31TCJ"].origin == (300000.0, 4900020.0)
    assert tiles["31UFQ"].origin == (600000.0, 5500020.0)
    assert all(t.size_m == 109800 and t.ulx % 60 == 0 and t.uly % 60 == 0
               for t in tiles.values())


def test_areas_resolve_to_the_tiles_they_touch():
    assert len(resolve_area("france")) == 99
    assert resolve_area(["T31TCJ", "31tcj", "32TNN"]) == ["31TCJ", "32TNN"]
    assert resolve_area({"tiles": ["31UDQ"]}) == ["31UDQ"]
    # Toulouse in Lambert-93, as an OGC bbox with a CRS URI
    assert resolve_area({"bbox": [570000, 6275000, 580000, 6285000],
                         "crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}) == ["31TCJ"]
    assert resolve_area({"bbox": [2.30, 48.80, 2.40, 48.90]}) == ["31UDQ"]
    corsica = {"type": "Polygon", "coordinates": [[[8.5, 41.4], [9.6, 41.4], [9.6, 43.0],
                                                   [8.5, 43.0], [8.5, 41.4]]]}
    assert set(resolve_area({"type": "Feature", "geometry": corsica})) == {
        "32TML", "32TMM", "32TMN", "32TNL", "32TNM", "32TNN"}
    strasbourg = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Polygon", "coordinates": [[[7.7, 48.55], [7.8, 48.55], [7.8, 48.6],
                                            [7.7, 48.6], [7.7, 48.55]]]}}]}
    assert resolve_area(strasbourg) == ["32ULU", "32UMU"]


@pytest.mark.parametrize("area, words", [
    (["31TZZ"], "Unknown tile"),
    ([], "empty"),
    ({"bbox": [-20, 45, -19, 46]}, "empty"),            # the Atlantic
    ({"bbox": [3, 45, 2, 46]}, "empty"),
    ({"bbox": [1, 2]}, "4 numbers"),
    ({"type": "Point", "coordinates": [1, 45]}, "Unsupported area"),
    ("31", "Department"),
    ("atlantis", "Unknown area"),
    ({"bbox": [0, 0, 1, 1], "crs": "EPSG:999999"}, "CRS"),
])
def test_bad_areas_are_explained(area, words):
    with pytest.raises(InvalidInput, match=words):
        resolve_area(area)


def test_a_bbox_crs_is_never_read_as_a_file_or_fetched(tmp_path):
    """GDAL reads a CRS string naming a file or a URL: a bbox crs could reach
    the service's network or disks. Only EPSG codes and OGC names pass;
    the others are refused before GDAL sees them."""
    import http.server
    import threading
    seen = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wkt = tmp_path / "crs.wkt"
    wkt.write_text('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                   'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')
    url = f"http://127.0.0.1:{server.server_port}/crs"
    try:
        for crs in (url, f"/vsicurl/{url}", str(wkt), f"EPSG:4326 {url}"):
            with pytest.raises(InvalidInput, match="EPSG code"):
                resolve_area({"bbox": [1.4, 43.6, 1.5, 43.7], "crs": crs})
    finally:
        server.shutdown()
    assert seen == []
    for crs in ("EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "OGC:CRS84",
                "https://www.opengis.net/def/crs/EPSG/0/4326"):
        assert resolve_area({"bbox": [1.4, 43.6, 1.5, 43.7], "crs": crs}) == ["31TCJ"]
