"""Is there a mowing signal in real Sentinel-1 series? (diagnosis, not a test)

The real Slovak plots of ../shared/data/real/grassland_mowing_events carry, for
2022, Sentinel-1 VV/VH backscatter (dB, one orbit, 12-day revisit: S1B was lost
in December 2021) and 12-day interferometric coherence, sampled at each plot's
point, and the field-recorded mowing dates of the same plots. For every recorded
2022 mowing of a plot with both series, this prints the change across the cut:
coherence of the first pair wholly after the cut minus the last pair wholly
before it, and backscatter of the first acquisition after minus the last on or
before it; then the same statistic at random June-August dates on the same
plots (the change a cut must stand out from). Published Sentinel-1 mowing
detectors rest on a coherence rise after the cut (6-day pairs) or a VH drop.
Usage: python tools/mowing_s1_signal.py [--draws 3000] [--seed 0]"""
import argparse
import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / \
    "grassland_mowing_events" / "train"
NAMES = ("coherence, 1st band (after - before)", "coherence, 2nd band",
         "VV dB (next - last)", "VH dB (next - last)")


def mowing_events():
    """[(plot, date)] of the 2022 mowings ('k') of the NS plots."""
    from osgeo import ogr
    ds = ogr.Open(str(REAL / "GMI_Long.gpkg"))
    rows = [f.items() for f in ds.GetLayer(0)]
    del ds
    return [(r["PLOTID"], datetime.strptime(r["date"][:10], "%Y/%m/%d").date()) for r in rows
            if r["PLOTID"].startswith("NS") and r["year"] == 2022 and r["type"] == "k"]


def series():
    """({plot: [(first, second, coh1, coh2)]}, {plot: [(day, vv, vh)]}), sorted."""
    coherence, backscatter = {}, {}
    with open(REAL / "COH" / "ts_NS_GMI_COH_2022.csv") as f:
        for r in csv.DictReader(f):
            a, b = (datetime.strptime(d, "%Y%m%d").date()
                    for d in r["system:index"].split("_")[1].split("-"))
            coherence.setdefault(r["PLOTID"], []).append((a, b, float(r["b1"]), float(r["b2"])))
    with open(REAL / "S1" / "ts_NS_GMI_S1_2022.csv") as f:
        for r in csv.DictReader(f):
            backscatter.setdefault(r["PLOTID"], []).append(
                (date.fromisoformat(r["Date"]), float(r["VV"]), float(r["VH"])))
    return ({k: sorted(v) for k, v in coherence.items()},
            {k: sorted(v) for k, v in backscatter.items()})


def change_across(day, coherence, backscatter):
    """The four changes across `day`, or None where a series has no side."""
    after = [c for c in coherence if c[0] >= day]
    before = [c for c in coherence if c[1] <= day]
    later = [b for b in backscatter if b[0] > day]
    earlier = [b for b in backscatter if b[0] <= day]
    if not (after and before and later and earlier):
        return None
    return (after[0][2] - before[-1][2], after[0][3] - before[-1][3],
            later[0][1] - earlier[-1][1], later[0][2] - earlier[-1][2])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    coherence, backscatter = series()
    events = [(p, d) for p, d in mowing_events() if p in coherence and p in backscatter]
    cuts = np.array([c for p, d in events
                     if (c := change_across(d, coherence[p], backscatter[p])) is not None])
    rng = np.random.default_rng(args.seed)
    plots = sorted({p for p, _ in events})
    null = []
    for _ in range(args.draws):
        p = plots[rng.integers(len(plots))]
        c = change_across(date(2022, 6, 1) + timedelta(int(rng.integers(0, 92))),
                          coherence[p], backscatter[p])
        if c is not None:
            null.append(c)
    null = np.array(null)
    print(f"{len(cuts)} recorded 2022 mowings on {len(plots)} plots with both series; "
          f"{len(null)} random June-August dates")
    for k, name in enumerate(NAMES):
        x, z = cuts[:, k], null[:, k]
        print(f"{name}: across cuts mean {x.mean():+.3f} sd {x.std():.3f} ({(x > 0).sum()} "
              f"of {len(x)} up); random dates mean {z.mean():+.3f} sd {z.std():.3f}; "
              f"effect {(x.mean() - z.mean()) / z.std():+.2f} sd")


if __name__ == "__main__":
    main()
