"""Turning a job's results document into layers and local files. Result
files need the user's bearer token; GDAL (3.6) sends it only for the URLs we
open with `/vsicurl?header_file=...`: a 0600 file in a private temporary
folder, removed when QGIS exits (a global GDAL header would reach any host)."""
import atexit
import os
import shutil
import tempfile
from urllib.parse import quote

COG = "image/tiff"
_header_files = {}


def _header_file(token):
    if token not in _header_files:
        folder = tempfile.mkdtemp(prefix="chainon-")
        atexit.register(shutil.rmtree, folder, True)
        path = os.path.join(folder, "headers.txt")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f"Authorization: Bearer {token}\n")
        _header_files[token] = path
    return _header_files[token]


def gdal_uri(href, token=None):
    """A GDAL path reading `href` by HTTP range requests, with the token."""
    if not token:
        return "/vsicurl/" + href
    # empty_dir: no listing of the (meaningless) parent folder of such a path.
    # Every value is %-escaped: GDAL looks for sibling files in the path's
    # "folder", cut at its last '/', and an unescaped header_file path made
    # that folder a /vsicurl? without url ("ERROR 5: Missing url parameter").
    return (f"/vsicurl?empty_dir=yes&header_file={quote(_header_file(token), safe='')}"
            f"&url={quote(href, safe='')}")


def mosaics(results):
    """{output key: href} of the national mosaics in a results document."""
    return {key: value["href"] for key, value in results.items()
            if isinstance(value, dict) and value.get("type", "").startswith(COG)}


def tiles(results):
    """{tile: {output key: href}} of the per-tile COGs."""
    entry = results.get("tiles") or {}
    return entry.get("value", {}) if isinstance(entry, dict) else {}


def period(client, results):
    """(start, end) ISO dates of a job, from the temporal extent of its STAC
    collection; (None, None) when it has none."""
    href = (results.get("stac") or {}).get("href")
    if not href:
        return None, None
    interval = client.document(href).get("extent", {}).get("temporal", {}).get("interval")
    if not interval or None in interval[0][:2]:
        return None, None
    return tuple(when[:10] for when in interval[0][:2])


def result_layers(results, token_for=None, title=None):
    """(name, output key, GDAL URI) for every mosaic and per-tile COG; names
    are "<title> (France)" and "<title> <tile>", `title(key)` giving the
    output's title (the key itself when None), `token_for(href)` the token
    a file may be read with (None: none)."""
    def name(key):
        return (title(key) if title else None) or key

    def uri(href):
        return gdal_uri(href, token_for(href) if token_for else None)
    layers = [(f"{name(key)} (France)", key, uri(href))
              for key, href in mosaics(results).items()]
    for tile, outputs in sorted(tiles(results).items()):
        layers += [(f"{name(key)} {tile}", key, uri(href))
                   for key, href in outputs.items()]
    return layers
