"""Study (not a test): does rain help chainon:irrigation on the simulator?

For each seed, one irrigation scene (storms: rain varies in space) is
classified with its daily rain table (one series, the scene mean) and with
its daily rain rasters; prints the model that made the map and the overall
accuracy / F1 of the irrigated class on the held-out parcels of the
multi-source model and of the models trained on the same parcels without
rain and with a single source.
Usage: python tools/irrigation_rain_sources.py [--size 120] [--seeds 0 1 2]"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))


def main():
    from chainon.core.irrigation import run_irrigation
    from chainon.core.scenes.irrigation import make_irrigation_scene
    from chainon.core.training import read_geojson, reference_from_features
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=120)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for seed in args.seeds:
            scene = make_irrigation_scene(Path(work) / str(seed), seed=seed, size=args.size)
            features, crs = read_geojson(scene.parcels_path)
            labels = reference_from_features(features, "irrigated", crs, numeric=False)
            for kind, rain in (("table", scene.rain_path), ("rasters", scene.rain_folder)):
                result = run_irrigation(scene.s2_folder, scene.s1_folder, rain, labels,
                                        Path(work) / f"{seed}_{kind}")
                scores = result["scores"]
                print(f"seed {seed} rain {kind:<7} map: {result['model']}  " + "  ".join(
                    f"{name}: {s['oa']:.3f}/{s['f1_irrigated']:.3f}"
                    for name, s in scores.items()), flush=True)


if __name__ == "__main__":
    main()
