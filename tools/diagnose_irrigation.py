"""Does joint Sentinel-1 + Sentinel-2 + rain evidence lift chainon:irrigation
above its best single source? Measured with the robustness runner's protocol
(validation/irrigation.py: 2 x 5 stratified folds over every labelled
parcel, out-of-fold decisions against the TRUE class) on the scenes of both
simulators, for the product's models and for candidate joint evidence that
the product does not use (none of it was adopted; see the runner's note):
- "vh": Sentinel-1 VH wetting events (share and excess, as WET_EVENTS for VV);
- "counts": numbers of rain-free VV, VH, and VV-and-VH rises of JUMP_DB
  above the crop's (counts, not shares: a parcel of two turns has two);
- "merged": rises of the parcel's anomaly to its crop with both orbits
  merged in time (the crop median removes the orbits' offsets; ~3-day
  sampling instead of 6);
- "stack+joint": the fusion's logistic regression also given the JOINT
  features and WET_EVENTS/WET_EXCESS (standardised);
- "three members": the fusion of S2, the radar and a forest on S2 + JOINT;
- "average": the mean of the two members' probabilities (no weights).
Each row: margin = out-of-fold OA minus the better of "S1 only" and "S2
only". Then the within-crop ROC AUC of the wetting features, irrigated
against rainfed (TRUE classes), pooled over the seeds of each simulator.
The parcel sums of each scene (the slow part) are cached in --cache.
Usage: python tools/diagnose_irrigation.py [--seeds 0 1 2 3 4]
       [--simulators independent project] [--cache DIR]"""
import argparse
import copy
import os
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import robustness  # noqa: E402,F401  (makes the package importable as chainon)
import chainon.core.irrigation as irr  # noqa: E402
import chainon.core.irrigation_features as feats  # noqa: E402
import chainon.core.irrigation_models as im  # noqa: E402
from chainon.validation import irrigation as runner  # noqa: E402

PARAMS = irr.IrrigationParams()
AUC_FEATURES = ("WET_EVENTS", "WET_OPEN_EVENTS", "VH_EVENTS", "N_VV", "N_VH", "N_BOTH",
                "MERGED_VV", "MERGED_VH", "NDWI_RISE_DRY", "NDVI_DRY", "NDWI_DRY")


def scene_sums(simulator, seed, cache):
    """The inputs of irrigation_features.parcel_features, the labels, crops and truth."""
    path = Path(cache) / f"{simulator}_{seed}.pkl"
    if not path.exists():
        from chainon.core.training import polygon_raster, read_geojson, reference_from_features
        import rasterio
        got, original = {}, irr.parcel_features

        def spy(series, rain, cell, start, end, step_days, crops=None):
            # copies: the features make their means in place of the sums
            got.update(series={k: copy.deepcopy(getattr(series, k)) for k in (
                "dates", "s1_days", "pixels", "rows", "cols", "s2", "s2_n", "s1_sum", "s1_n",
                "grid")}, rain=rain, cell=cell, start=start, end=end, step_days=step_days)
            return original(series, rain, cell, start, end, step_days, crops)
        irr.parcel_features = spy
        try:
            with tempfile.TemporaryDirectory() as work:
                work = Path(work)
                scene = runner.make_scene(simulator, seed, work)
                features, crs = read_geojson(scene.parcels_path)
                labels = reference_from_features(features, "irrigated", crs, numeric=False)
                crops = [f["properties"]["crop"] for f in features]
                res = irr.run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_folder,
                                         labels, work / "out", start=scene.start, end=scene.end,
                                         crops=crops)
                ids = polygon_raster(labels, res["grid"])
                with rasterio.open(scene.truth_path) as ds:
                    truth = runner.parcel_majority(ds.read(1).astype("int64"), ids,
                                                   len(labels.values))
        finally:
            irr.parcel_features = original
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with path.open("wb") as f:
            pickle.dump(dict(got, crops=crops, classes=res["classes"], truth=truth), f)
    folder = path.parent.stat()
    if folder.st_uid != os.getuid() or folder.st_mode & 0o077:
        raise SystemExit(f"{path.parent} is not private to you: pickles there could run "
                         "another account's code; give --cache a folder of your own (0700)")
    with path.open("rb") as f:
        data = pickle.load(f)
    series = irr.ParcelSeries.__new__(irr.ParcelSeries)
    for k, v in data["series"].items():
        setattr(series, k, v)
    return data, series


def _s1_context(data, series):
    """Crop groups, per orbit: days, (2, dates, parcels) dB, and the rain
    between consecutive acquisitions (mm, NaN: unknown) of any day list."""
    region = np.zeros(series.pixels.size)          # the scenes are < CONTEXT_M wide
    group = feats.crop_groups(data["crops"], region)
    rain, cell, start = data["rain"], data["cell"], data["start"]
    total = np.concatenate([np.zeros((len(rain), 1)), np.cumsum(rain, axis=1)], axis=1)

    def between(days):
        k = np.clip([(d.date() - start).days for d in days], 0, rain.shape[1] - 1) + 1
        r = (total[:, k[1:]] - total[:, k[:-1]])[np.maximum(cell, 0)].T
        return np.where(cell[None] >= 0, r, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        orbits = [(days, 10 * np.log10(series.s1_power(o))) for o, days in series.s1_days.items()]
    return group, orbits, between


def candidate_features(data, series):
    """{name: (parcels,) values} of the candidate joint evidence (see above)."""
    group, orbits, between = _s1_context(data, series)
    rain_between = np.concatenate([between(days) for days, _ in orbits])
    jumps = [np.concatenate([np.diff(db[j], axis=0) for _, db in orbits]) for j in (0, 1)]
    out = dict(zip(("VH_EVENTS", "VH_EXCESS"), feats.wetting_events(jumps[1], rain_between, group)))
    dry = np.isfinite(rain_between) & (rain_between < feats.DRY_MM)
    rel = [feats._regional(j, group) for j in jumps]
    up = [dry & np.isfinite(r) & (np.nan_to_num(r) > feats.JUMP_DB) for r in rel]
    out.update(N_VV=up[0].sum(axis=0), N_VH=up[1].sum(axis=0), N_BOTH=(up[0] & up[1]).sum(axis=0))
    days = [d for d, _ in orbits for d in d]
    order = np.argsort(days)
    merged_between = between([days[i] for i in order])
    for j, pol in enumerate(("VV", "VH")):
        anomaly = np.concatenate([feats._regional(db[j], group) for _, db in orbits])[order]
        rise = np.diff(anomaly, axis=0)
        ok = np.isfinite(rise) & np.isfinite(merged_between)
        counted = feats.dry_or_all(ok & (merged_between < feats.DRY_MM), ok)
        n = np.maximum(counted.sum(axis=0), 1)
        out[f"MERGED_{pol}"] = np.where(counted, rise > feats.JUMP_DB, False).sum(axis=0) / n
        out[f"MERGED_{pol}_EXCESS"] = np.where(counted, np.maximum(rise, 0), 0).sum(axis=0) / n
    return {k: np.nan_to_num(v.astype("float64")) for k, v in out.items()}


def with_columns(table, extra, names):
    return feats.Table(np.column_stack([table.x] + [extra[n] for n in names]),
                     table.names + list(names),
                     np.concatenate([table.source, ["RAIN"] * len(names)]))


class StackJoint(im.Fusion):
    """The product's fusion with some feature columns in the logistic too."""

    def __init__(self, members, columns):
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        super().__init__(members)
        self.columns = columns
        self.meta = make_pipeline(StandardScaler(), self.meta)

    def _z(self, x, probabilities):
        return np.column_stack([im._logit(np.column_stack(probabilities)), x[:, self.columns]])

    def fit(self, x, y):
        self.meta.fit(self._z(x, [m.oob for m in self.members]), y)
        return self

    def proba(self, x):
        return self.meta.predict_proba(self._z(x, [m.proba(x) for m in self.members]))[:, 1]


class Average:
    def __init__(self, members):
        self.members = members

    def proba(self, x):
        return np.mean([m.proba(x) for m in self.members], axis=0)


def model_variants(table, x, y):
    models = im.fit_models(table, x, y, PARAMS, None)
    members = [models[name] for name in im.MEMBERS]
    joint = np.flatnonzero((table.source == "JOINT")
                           | np.isin(table.names, ("WET_EVENTS", "WET_EXCESS")))
    s2_joint = im.Forest(np.isin(table.source, ("S2", "CROP", "JOINT")), PARAMS, None).fit(x, y)
    return dict(models, **{"stack+joint": StackJoint(members, joint).fit(x, y),
                           "three members": im.Fusion(members + [s2_joint]).fit(x, y),
                           "average": Average(members)})


def _product_models(table, x, y):
    return im.fit_models(table, x, y, PARAMS, None)


def out_of_fold(data, table, fit):
    """{model: out-of-fold OA against the truth} (the runner's folds)."""
    from sklearn.model_selection import RepeatedStratifiedKFold
    usable = np.isfinite(table.x).all(axis=1) & (data["classes"] >= 0)
    idx, y = np.flatnonzero(usable), data["classes"].astype("int64")
    right = {}
    for a, b in RepeatedStratifiedKFold(n_splits=runner.FOLDS, n_repeats=runner.REPEATS,
                                        random_state=0).split(idx, y[idx]):
        a, b = idx[a], idx[b]
        for name, model in fit(table, table.x[a], y[a]).items():
            right.setdefault(name, []).append((model.proba(table.x[b]) > 0.5) == data["truth"][b])
    return {name: float(np.mean(np.concatenate(r))) for name, r in right.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--simulators", nargs="+", default=["independent", "project"])
    # pickles run code when loaded: a private folder, never a shared one
    parser.add_argument("--cache", default=str(Path.home() / ".cache" / "chainon" /
                                               "irrigation_sums"))
    args = parser.parse_args()
    from sklearn.metrics import roc_auc_score
    variants = {"product": (), "vh": ("VH_EVENTS", "VH_EXCESS"),
                "counts": ("N_VV", "N_VH", "N_BOTH"),
                "merged": ("MERGED_VV", "MERGED_VV_EXCESS", "MERGED_VH", "MERGED_VH_EXCESS")}
    for simulator in args.simulators:
        margins, pooled = {}, {}
        for seed in args.seeds:
            data, series = scene_sums(simulator, seed, args.cache)
            table = irr.parcel_features(copy.deepcopy(series), data["rain"], data["cell"],
                                        data["start"], data["end"], data["step_days"],
                                        data["crops"])
            extra = candidate_features(data, series)
            for variant, names in variants.items():
                fit = model_variants if variant == "product" else _product_models
                oa = out_of_fold(data, with_columns(table, extra, names), fit)
                best = max(oa["S1 only"], oa["S2 only"])
                shown = oa if variant == "product" else {f"{im.FUSED} +{variant}": oa[im.FUSED]}
                for name, v in shown.items():
                    margins.setdefault(name, []).append(v - best)
            crops = np.asarray(data["crops"])
            values = dict(extra, **{n: table.x[:, table.names.index(n)]
                                    for n in AUC_FEATURES if n in table.names})
            for crop in np.unique(crops):
                at = (crops == crop) & (data["truth"] >= 0)
                pooled.setdefault(crop, []).append((data["truth"][at], {
                    n: values[n][at] for n in AUC_FEATURES}))
            print(f"# {simulator} seed {seed} done", file=sys.stderr, flush=True)
        print(f"\n{simulator}, seeds {args.seeds}: margin over the better single source "
              "(out of fold, against the truth)")
        for name, v in margins.items():
            print(f"  {name:<40} mean {np.mean(v):+.4f} worst {np.min(v):+.4f}  "
                  + " ".join(f"{x:+.3f}" for x in v))
        print(f"{simulator}: within-crop ROC AUC, irrigated vs rainfed (true classes), pooled")
        for crop, parts in pooled.items():
            y = np.concatenate([p[0] for p in parts])
            if min(y.sum(), (1 - y).sum()) < 3:
                continue
            aucs = [roc_auc_score(y, np.concatenate([p[1][n] for p in parts]))
                    for n in AUC_FEATURES]
            print(f"  {crop:<10} {int(y.sum()):>3} irrigated of {y.size:>3}: "
                  + ", ".join(f"{n} {a:.2f}" for n, a in zip(AUC_FEATURES, aucs)))


if __name__ == "__main__":
    main()
