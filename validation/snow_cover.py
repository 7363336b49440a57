"""Robustness runner for chainon:snow_cover (protocol in validation/__init__.py).

One scene per seed, one hydrological year. Per run, over every acquisition:
- accuracy: share of the pixels clear in the truth and mapped snow or no
  snow (product code 0 or 100) whose call is right (Barrou Dumont et al.
  2021: ~94 % at 20 m); truth snow = on-ground FSC >= 0.5 (independent
  scene) or the project scene's own truth;
- the independent scene is run, as LIS 1.7 is, with a permanent-water mask
  (its land cover's lakes and tarns, standing for a water database such as
  BD TOPO); accuracy_no_water_mask (REPORTED) is the same run without it;
- clear_called_cloud (REPORTED, so that a method calling everything cloud
  cannot pass): share of truth-clear pixels the product calls cloud;
- cloud_called_snow (REPORTED): share of the pixels hidden in the truth
  (cloud, thick cirrus, cloud shadow) on snow-free ground that the product
  calls snow (LIS's known false snow in clouds);
- scd_mae_days / scd_abs_bias_days (REPORTED): snow cover duration against
  the daily truth, over all pixels (the bias as a magnitude, so that the
  worst seed is the one furthest off either way);
- independent scene only (NaN on the project scene), on truth-clear mapped
  pixels: accuracy_pure (pixels with FSC < 15 % or > 85 %), and per
  confounder the error share: false_snow_water, false_snow_bright_rock,
  false_snow_frost (no-snow pixels called snow), missed_snow_forest,
  missed_snow_wet_dirty (snow pixels called no snow), error_topo_shadow,
  error_cirrus_haze (unflagged) -- all on pixels with FSC < 15 % or > 85 %,
  so that they do not count the patchy ones -- and error_patchy (15-85 %);
  false_snow_water is NaN (not tabled) while the water mask is given: its
  pixels are no data then, so only accuracy_no_water_mask shows the lakes;
  diagnostics (printed, not tabled): errors_in_<confounder> (share of all
  errors falling in it; confounders overlap) and scd_mae_days_true_maps (the
  SCD error of the true maps sampled on the clear dates: the revisit and
  clouds alone)."""
from pathlib import Path

import numpy as np
import rasterio

from ..core.snow_cover import run_snow_cover

TARGETS = {"accuracy": (">=", 0.94)}
REPORTED = {"accuracy_no_water_mask": ">=", "clear_called_cloud": "<=",
            "cloud_called_snow": "<=", "scd_mae_days": "<=",
            "scd_abs_bias_days": "<=", "accuracy_pure": ">=", "false_snow_water": "<=",
            "false_snow_bright_rock": "<=", "false_snow_frost": "<=",
            "missed_snow_forest": "<=", "missed_snow_wet_dirty": "<=",
            "error_topo_shadow": "<=", "error_cirrus_haze": "<=", "error_patchy": "<="}
SNOW, NO_SNOW, CLOUD = 100, 0, 205
PROJECT_SIZE = 160


def make_scene(simulator, seed, work):
    if simulator == "project":
        from ..core.scenes.snow import make_snow_scene
        return make_snow_scene(work / "scene", seed=seed, size=PROJECT_SIZE)
    from .sims.snow import make_scene as independent
    return independent(seed, work / "scene")


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


class Tally:
    """Numerators and denominators of the shares, summed over the dates."""

    def __init__(self):
        self.num, self.den = {}, {}

    def add(self, name, hit, where):
        self.num[name] = self.num.get(name, 0) + int((hit & where).sum())
        self.den[name] = self.den.get(name, 0) + int(where.sum())

    def share(self, name):
        den = self.den.get(name, 0)
        return self.num[name] / den if den else float("nan")


def score_maps(out_folder, truth_dir, with_context):
    from .sims.snow import CONTEXT
    tally = Tally()
    for path in sorted(Path(out_folder).glob("SNOW_*.tif")):
        day = path.stem.split("_")[-1][:8]
        got, truth = _read(path), _read(Path(truth_dir) / f"SNOW_TRUTH_{day}.tif")
        clear = (truth == NO_SNOW) | (truth == SNOW)
        mapped = clear & ((got == NO_SNOW) | (got == SNOW))
        right = (got == SNOW) == (truth == SNOW)
        tally.add("accuracy", right, mapped)
        tally.add("clear_called_cloud", got == CLOUD, clear)
        if not with_context:
            continue
        fsc = _read(Path(truth_dir) / f"FSC_TRUTH_{day}.tif").astype(int)
        ctx = _read(Path(truth_dir) / f"CONTEXT_{day}.tif")
        hidden = (truth == CLOUD) & (fsc < 50)
        tally.add("cloud_called_snow", got == SNOW, hidden)
        tally.add("accuracy_pure", right, mapped & ((fsc < 15) | (fsc > 85)))
        has = {k: (ctx & v) > 0 for k, v in CONTEXT.items()}
        for key in CONTEXT:                          # where the errors are
            tally.add(f"errors_in_{key}", has[key], mapped & ~right)
        # confounders apart from patchiness: pure pixels only
        pure = mapped & ~has["patchy"]
        no_snow, snow = pure & (truth == NO_SNOW), pure & (truth == SNOW)
        for name, key, where in (("false_snow_water", "water", no_snow),
                                 ("false_snow_bright_rock", "bright_rock", no_snow),
                                 ("false_snow_frost", "frost", no_snow),
                                 ("missed_snow_forest", "forest", snow),
                                 ("missed_snow_wet_dirty", "wet_dirty", snow),
                                 ("error_topo_shadow", "topo_shadow", pure),
                                 ("error_cirrus_haze", "cirrus_haze", pure),
                                 ("error_patchy", "patchy", mapped)):
            tally.add(name, ~right, where & has[key])
    return tally


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    independent = simulator != "project"
    water = {}
    if independent:
        from .sims.snow import LAND
        water = dict(water_mask=Path(scene.truth_dir) / "land_cover.tif",
                     water_values=(LAND["water"],))
        run_snow_cover(scene.s2_folder, scene.dem_path, work / "unmasked",
                       start=scene.start, end=scene.end)
        unmasked = score_maps(work / "unmasked", scene.truth_dir, False).share("accuracy")
    result = run_snow_cover(scene.s2_folder, scene.dem_path, work / "out",
                            start=scene.start, end=scene.end, **water)
    tally = score_maps(work / "out", scene.truth_dir, independent)
    out = {name: (tally.share(name) if name in tally.den else float("nan"))
           for name in list(TARGETS) + list(REPORTED)}
    if independent:
        out["accuracy_no_water_mask"] = unmasked
    scd, truth = _read(result["OUTPUT"]).astype(float), \
        _read(Path(scene.truth_dir) / "SCD_TRUTH.tif").astype(float)
    ok = (scd != 65535) & (truth != 65535)
    out["scd_mae_days"] = float(np.abs(scd - truth)[ok].mean())
    out["scd_abs_bias_days"] = abs(float((scd - truth)[ok].mean()))
    if independent:
        out.update({k: tally.share(k) for k in tally.den if k.startswith("errors_in_")})
        oracle = oracle_scd(scene)
        out["scd_mae_days_true_maps"] = float(np.abs(oracle - truth).mean())
        out["scd_bias_days_true_maps"] = float((oracle - truth).mean())
    return out


def oracle_scd(scene):
    """SCD from the TRUE snow maps on the truly clear dates, with the LIS
    gap-filling (daily linear interpolation, snow where >= 0.5): the error
    due to the sampling alone (revisit and clouds), whatever the retrieval."""
    days = np.array([(d - scene.start).days for d in scene.dates])
    snow = np.stack([_read(Path(scene.truth_dir) / f"SNOW_TRUTH_{d:%Y%m%d}.tif")
                     for d in scene.dates])
    seen = (snow == SNOW) | (snow == NO_SNOW)
    every = np.arange((scene.end - scene.start).days + 1)
    out = np.zeros(snow.shape[1:], np.float64)
    for r, c in np.ndindex(out.shape):
        ok = seen[:, r, c]
        if ok.any():
            out[r, c] = (np.interp(every, days[ok], snow[ok, r, c] == SNOW) >= 0.5).sum()
    return out
