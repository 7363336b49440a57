"""Scores against ground truth with the papers' own metrics."""
from pathlib import Path

import numpy as np
import rasterio

from .snow import CODE_CLOUD, CODE_NO_SNOW, CODE_SNOW


def snow_accuracy(map_folder, truth_dir):
    """LIS-style accuracy: share of pixels clear in the truth and mapped snow or
    no snow that are correctly classified; also the share of truth-clear
    pixels the product called cloud (they are not counted as errors above)."""
    correct = mapped = clear = clouded = 0
    confusion = np.zeros((2, 2), np.int64)     # rows truth (no snow, snow), cols map
    for path in sorted(Path(map_folder).glob("SNOW_*.tif")):
        day = path.stem.split("_")[-1][:8]
        truth_path = Path(truth_dir) / f"SNOW_TRUTH_{day}.tif"
        with rasterio.open(path) as a, rasterio.open(truth_path) as b:
            got, truth = a.read(1), b.read(1)
        is_clear = (truth == CODE_NO_SNOW) | (truth == CODE_SNOW)
        is_mapped = is_clear & ((got == CODE_NO_SNOW) | (got == CODE_SNOW))
        clear += int(is_clear.sum())
        clouded += int((is_clear & (got == CODE_CLOUD)).sum())
        t, g = truth[is_mapped] == CODE_SNOW, got[is_mapped] == CODE_SNOW
        np.add.at(confusion, (t.astype(int), g.astype(int)), 1)
        mapped += int(is_mapped.sum())
        correct += int((t == g).sum())
    return dict(accuracy=correct / mapped if mapped else float("nan"),
                pixels=mapped, false_cloud_rate=clouded / clear if clear else float("nan"),
                confusion=confusion)


def raster_error(path, truth_path, nodata=65535, where=None):
    """Mean absolute error and bias (map - truth) over valid pixels."""
    with rasterio.open(path) as a, rasterio.open(truth_path) as b:
        got, truth = a.read(1).astype("float64"), b.read(1).astype("float64")
    ok = (got != nodata) & (truth != nodata)
    if where is not None:
        ok &= where(got, truth)
    diff = got[ok] - truth[ok]
    return dict(mae=float(np.abs(diff).mean()), bias=float(diff.mean()), pixels=int(ok.sum()))


def relative_rmse(path, truth_path, zones_path, nodata=-9999.0):
    """Relative RMSE (RMSE / mean truth, %) and bias of a continuous map
    against its truth, over pixels and over zones (e.g. fields: the mean of
    the map over each zone's pixels against the zone's truth)."""
    with rasterio.open(path) as a, rasterio.open(truth_path) as b, \
            rasterio.open(zones_path) as z:
        got, truth = a.read(1).astype("float64"), b.read(1).astype("float64")
        zones = z.read(1)
    ok = (got != nodata) & (truth != nodata) & (zones > 0)
    ids, inv = np.unique(zones[ok], return_inverse=True)
    count = np.bincount(inv)
    zone_got, zone_truth = (np.bincount(inv, v[ok]) / count for v in (got, truth))

    def scores(g, t):
        return (float(100 * np.sqrt(np.mean((g - t) ** 2)) / np.abs(t.mean())),
                float(np.mean(g - t)))
    (px, px_bias), (zn, zn_bias) = scores(got[ok], truth[ok]), scores(zone_got, zone_truth)
    return dict(pixel_rrmse=px, pixel_bias=px_bias, zone_rrmse=zn, zone_bias=zn_bias,
                pixels=int(ok.sum()), zones=len(ids), zone_ids=ids, zone_map=zone_got,
                zone_truth=zone_truth)


def cut_accuracy(date_raster, truth_ids, cuts, epoch, min_ha=0.4, nodata=65535):
    """Object-based clear-cut scores (Bouvet et al. 2018): share of true cuts
    larger than `min_ha` with at least half their pixels detected (detection
    rate), share of detected patches (8-connected) lying mostly on a true cut
    (user's accuracy), and the median delay (days) between the cut and its
    detection date (median of the dates over the cut)."""
    from datetime import timedelta

    from scipy import ndimage
    with rasterio.open(date_raster) as a, rasterio.open(truth_ids) as b:
        dates, ids = a.read(1), b.read(1)
    detected = (dates != 0) & (dates != nodata)
    big = [c for c in cuts if c["area_ha"] > min_ha]
    hits, delays = 0, []
    for c in big:
        inside = ids == c["id"]
        if detected[inside].mean() >= 0.5:
            hits += 1
            day = epoch + timedelta(days=int(np.median(dates[inside & detected])))
            delays.append((day - c["date"]).days)
    labels, n = ndimage.label(detected, np.ones((3, 3), bool))
    on_cut = ndimage.mean(ids > 0, labels, np.arange(1, n + 1)) if n else np.array([])
    return dict(detection_rate=hits / len(big) if big else float("nan"),
                users_accuracy=float((on_cut >= 0.5).mean()) if n else float("nan"),
                n_cuts=len(big), n_patches=n,
                median_delay=float(np.median(delays)) if delays else float("nan"))
