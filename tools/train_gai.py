"""Train the GAI retrieval of chainon:crop_carbon (core/gai.py) on PROSAIL
simulations, as the BVNET-like networks of AgriCarbon-EO and of the
Sentinel-2 toolbox (Weiss & Baret 2016) are trained.

Not shipped (tools/ is export-ignore); writes resources/data/gai_prosail_nn.npz,
which the product reads with numpy only.

The PROSPECT-D absorption coefficients and the two soil spectra are data
files of the `prosail` package (J. Gomez-Dans, GPL-3.0; PROSPECT-D table of
Féret et al. 2017). They are read from the package, not copied into the
plugin: fetch it once with
    pip download --no-deps prosail==2.0.5 -d /tmp/prosail && \
        python -m zipfile -e /tmp/prosail/prosail-2.0.5-py3-none-any.whl /tmp/prosail/x
and run
    python tools/train_gai.py /tmp/prosail/x/prosail
The network weights written are the result of training, not the table.

Training set (N_SAMPLES canopies, seeded), priors uniform unless said:
  LAI (= GAI) 0-8, ALA 30-80 deg, Cab 20-80 ug cm-2, Car = Cab x 0.15-0.30,
  anthocyanins 0-2 ug cm-2, brown pigments 0-0.3, Cm 0.003-0.011 g cm-2,
  Cw = Cm x RWC / (1 - RWC) with RWC 0.60-0.85, N 1.2-2.0, hotspot 0.05-0.5,
  soil = brightness 0.5-1.5 x (w dry + (1 - w) wet), w 0-1;
  sun zenith 15-80 deg, view zenith 0-12 deg, relative azimuth 0-180 deg.
With --atbd (a trial, 2026-12-06, not the shipped model: it read dense and
winter wheat worse, docs/results/crop_carbon.md) the distributions of the
Sentinel-2 toolbox (Weiss & Baret 2016, S2ToolBox Level 2 products ATBD
v1.1; the values as the prosailvae code lists them from that ATBD, not
re-read in the ATBD itself [RECALLED]), truncated Gaussians (min, max, mode, sd):
  LAI 0-15, 2, 3 (or uniform, --lai-uniform MIN MAX); ALA 30-80, 60, 30;
  Cab 20-90, 45, 30; N 1.2-2.2, 1.5, 0.3; Cm 0.003-0.011, 0.005, 0.005;
  brown pigments 0-2, 0, 0.3; hotspot 0.1-0.5, 0.2, 0.5; soil brightness
  0.5-3.5, 1.2, 2; each range narrowing linearly with LAI to (ALA 55-65,
  Cab 45-90, N 1.3-1.8, brown 0-0.2, brightness 0.5-1.2) at LAI_CONV, as the
  ATBD co-distributes them; the other variables as above.
Bands: boxcar responses over Sentinel-2A's band centres and widths
(simplified: not the tabulated spectral response functions).
Noise on the simulated reflectances (L2A residual errors):
  rho' = rho (1 + MC + MI) + AC + AI, MC ~ N(0, 0.02) common to the bands,
  MI ~ N(0, 0.01), AI ~ N(0, 0.003) per band, AC ~ N(0, 0.003) common.
Network: inputs = band reflectances and cos(sun zenith) (view angles are
marginalised: they vary in the training set but are not inputs), two hidden
layers of HIDDEN tanh units, output GAI; Adam on the mean squared error.
Uncertainty: RMSE of a held-out fifth, per bin of retrieved GAI."""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(ROOT / ".pkgroot"))

from chainon.core import prosail  # noqa: E402
from chainon.core.gai import BAND_SETS, MODEL_PATH  # noqa: E402

# Sentinel-2A centre and width (nm)
S2_BANDS = {"B2": (492, 66), "B3": (560, 36), "B4": (665, 31), "B5": (704, 15),
            "B6": (740, 15), "B7": (783, 20), "B8": (833, 106), "B8A": (865, 21),
            "B11": (1614, 91), "B12": (2202, 175)}
N_SAMPLES = 60000
HIDDEN = 16
SIGMA_BINS = np.arange(0, 8.5, 0.5)


def read_tables(folder):
    folder = Path(folder)
    cols = np.loadtxt(folder / "prospect_d_spectra.txt", comments="#")
    spectra = prosail.LeafSpectra(*cols.T)
    soil = np.loadtxt(folder / "soil_reflectance.txt")       # dry, wet columns
    return spectra, soil


def draw_canopies(rng, n, brown_atbd=False):
    """brown_atbd: brown pigments as the ATBD's (0-2, mode 0, sd 0.3), not 0-0.3."""
    u = lambda a, b: rng.uniform(a, b, n)   # noqa: E731
    cab, cm, rwc = u(20, 80), u(0.003, 0.011), u(0.60, 0.85)
    brown = truncated_normal(rng, n, *ATBD["brown"]) if brown_atbd else u(0, 0.3)
    return dict(lai=u(0, 8), ala=u(30, 80), cab=cab, car=cab * u(0.15, 0.30), ant=u(0, 2),
                brown=brown, cm=cm, cw=cm * rwc / (1 - rwc), n=u(1.2, 2.0),
                hspot=u(0.05, 0.5), bright=u(0.5, 1.5), dry=u(0, 1), tts=u(15, 80),
                tto=u(0, 12), psi=u(0, 180))


# (min, max, mode, sd) of the ATBD, and the (min, max) each narrows to at LAI_CONV
ATBD = {"lai": (0, 15, 2, 3), "ala": (30, 80, 60, 30), "cab": (20, 90, 45, 30),
        "n": (1.2, 2.2, 1.5, 0.3), "cm": (0.003, 0.011, 0.005, 0.005),
        "brown": (0, 2, 0, 0.3), "hspot": (0.1, 0.5, 0.2, 0.5), "bright": (0.5, 3.5, 1.2, 2)}
CODIST = {"ala": (55, 65), "cab": (45, 90), "n": (1.3, 1.8), "brown": (0, 0.2),
          "bright": (0.5, 1.2)}
LAI_CONV = 10


def truncated_normal(rng, n, lo, hi, mode, sd):
    out = rng.normal(mode, sd, n)
    bad = (out < lo) | (out > hi)
    while bad.any():
        out[bad] = rng.normal(mode, sd, bad.sum())
        bad = (out < lo) | (out > hi)
    return out


def draw_atbd(rng, n, lai_uniform=None):
    """lai_uniform: (min, max) of a uniform LAI prior instead of the ATBD's."""
    u = lambda a, b: rng.uniform(a, b, n)   # noqa: E731
    p = {k: truncated_normal(rng, n, *v) for k, v in ATBD.items()}
    if lai_uniform:
        p["lai"] = u(*lai_uniform)
    share = np.minimum(p["lai"], LAI_CONV) / LAI_CONV
    for k, (lo_c, hi_c) in CODIST.items():      # rescale into the LAI-dependent range
        lo, hi = ATBD[k][:2]
        new_lo, new_hi = lo + (lo_c - lo) * share, hi + (hi_c - hi) * share
        p[k] = new_lo + (p[k] - lo) / (hi - lo) * (new_hi - new_lo)
    rwc = u(0.60, 0.85)
    p.update(car=p["cab"] * u(0.15, 0.30), ant=u(0, 2), cw=p["cm"] * rwc / (1 - rwc),
             dry=u(0, 1), tts=u(15, 80), tto=u(0, 12), psi=u(0, 180))
    return p


def simulate(spectra, soil, p, bands):
    """(n, bands) band reflectances of the canopies `p`."""
    wl = spectra.wavelength
    masks = [np.abs(wl - S2_BANDS[b][0]) <= S2_BANDS[b][1] / 2 for b in bands]
    keep = np.any(masks, axis=0)
    sub = spectra.subset(keep)
    rho, tau = prosail.prospect_d(sub, p["n"], p["cab"], p["car"], p["ant"], p["brown"],
                                  p["cw"], p["cm"])
    rsoil = p["bright"][:, None] * (p["dry"][:, None] * soil[keep, 0]
                                    + (1 - p["dry"][:, None]) * soil[keep, 1])
    refl = prosail.foursail(rho, tau, prosail.campbell_lidf(p["ala"]), p["lai"], p["hspot"],
                            p["tts"], p["tto"], p["psi"], rsoil)
    return np.stack([refl[:, m[keep]].mean(axis=1) for m in masks], axis=1)


def add_noise(rng, refl):
    n, b = refl.shape
    mult = 1 + rng.normal(0, 0.02, (n, 1)) + rng.normal(0, 0.01, (n, b))
    return refl * mult + rng.normal(0, 0.003, (n, 1)) + rng.normal(0, 0.003, (n, b))


def train(x, y, rng, epochs=150, batch=256, lr=2e-3):
    """Two tanh layers, linear output, Adam; returns the weights."""
    sizes = [x.shape[1], HIDDEN, HIDDEN, 1]
    w = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bias = [np.zeros(b) for b in sizes[1:]]
    params = w + bias
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        rate = lr * (0.5 * (1 + np.cos(np.pi * epoch / epochs)) + 0.02)
        for a in range(0, len(x), batch):
            idx = order[a:a + batch]
            h1 = np.tanh(x[idx] @ w[0] + bias[0])
            h2 = np.tanh(h1 @ w[1] + bias[1])
            err = (h2 @ w[2] + bias[2])[:, 0] - y[idx]
            g_out = err[:, None] * 2 / len(idx)
            g_h2 = (g_out @ w[2].T) * (1 - h2 ** 2)
            g_h1 = (g_h2 @ w[1].T) * (1 - h1 ** 2)
            grads = [x[idx].T @ g_h1, h1.T @ g_h2, h2.T @ g_out,
                     g_h1.sum(0), g_h2.sum(0), g_out.sum(0)]
            step += 1
            for p, g, a1, a2 in zip(params, grads, m1, m2):
                a1 *= 0.9
                a1 += 0.1 * g
                a2 *= 0.999
                a2 += 0.001 * g ** 2
                p -= rate * (a1 / (1 - 0.9 ** step)) / (np.sqrt(a2 / (1 - 0.999 ** step)) + 1e-8)
    return params


def predict(params, x):
    w0, w1, w2, b0, b1, b2 = params
    return (np.tanh(np.tanh(x @ w0 + b0) @ w1 + b1) @ w2 + b2)[:, 0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prosail_data", help="folder of the prosail package's data files")
    parser.add_argument("--samples", type=int, default=N_SAMPLES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atbd", action="store_true",
                        help="the S2 toolbox ATBD's distributions (a trial)")
    parser.add_argument("--brown-atbd", action="store_true",
                        help="only the brown pigments as the ATBD's (a trial)")
    parser.add_argument("--lai-uniform", type=float, nargs=2, default=None,
                        help="uniform LAI prior (min max) instead of the ATBD's")
    parser.add_argument("--out", default=str(MODEL_PATH))
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    spectra, soil = read_tables(args.prosail_data)
    p = (draw_atbd(rng, args.samples, args.lai_uniform) if args.atbd
         else draw_canopies(rng, args.samples, args.brown_atbd))
    all_bands = sorted({b for bands in BAND_SETS.values() for b in bands}, key=list(S2_BANDS).index)
    t0 = time.time()
    refl = np.concatenate([simulate(spectra, soil, {k: v[a:a + 2000] for k, v in p.items()},
                                    all_bands) for a in range(0, args.samples, 2000)])
    print(f"{args.samples} PROSAIL canopies in {time.time() - t0:.0f} s", flush=True)
    refl = add_noise(rng, refl)
    out = {}
    test = np.arange(args.samples) % 5 == 0
    for name, bands in BAND_SETS.items():
        x = np.column_stack([refl[:, [all_bands.index(b) for b in bands]],
                             np.cos(np.radians(p["tts"]))])
        mean, std = x[~test].mean(0), x[~test].std(0)
        xs = (x - mean) / std
        params = train(xs[~test], p["lai"][~test], rng)
        got = np.maximum(predict(params, xs[test]), 0)
        truth = p["lai"][test]
        where = np.clip(np.digitize(got, SIGMA_BINS) - 1, 0, len(SIGMA_BINS) - 2)
        sigma = np.array([np.sqrt(np.mean((got - truth)[where == i] ** 2)) if (where == i).sum()
                          > 20 else np.nan for i in range(len(SIGMA_BINS) - 1)])
        sigma = np.maximum.accumulate(np.nan_to_num(sigma, nan=np.nanmax(sigma)))
        rmse = np.sqrt(np.mean((got - truth) ** 2))
        low = truth < 2
        print(f"{name} {bands}: held-out RMSE {rmse:.3f}, GAI < 2: "
              f"{np.sqrt(np.mean((got - truth)[low] ** 2)):.3f}, bias {np.mean(got - truth):+.3f}",
              flush=True)
        for key, value in zip(("w0", "w1", "w2", "b0", "b1", "b2"), params):
            out[f"{name}_{key}"] = value.astype("float32")
        out[f"{name}_mean"], out[f"{name}_std"] = mean.astype("float32"), std.astype("float32")
        out[f"{name}_sigma"] = sigma.astype("float32")
    out["sigma_bins"] = SIGMA_BINS.astype("float32")
    np.savez_compressed(args.out, **out)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
