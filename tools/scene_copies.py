"""Copies of simulated scenes for the benchmarks: files linked, not copied,
except those a benchmark rewrites (re-dated metadata, uncompressed inputs)."""


def linked_copy(src, dst, rename=str, rewrite=None):
    """Every file under `src` linked under `dst` (relative names through
    `rename`), except those `rewrite(path, target)` writes itself (True)."""
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        target = dst / rename(str(path.relative_to(src)))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (rewrite and rewrite(path, target)):
            target.symlink_to(path)


def uncompressed_copy(folder, inputs):
    """`folder` (linked as `folder`_raw) with the files `inputs` rewritten as
    uncompressed GeoTIFFs, as GDAL writes them by default (the simulators
    write DEFLATE; the real THEIA files in shared/data/real are uncompressed)."""
    from rasterio.shutil import copy as rio_copy
    out = folder.parent / f"{folder.name}_raw"
    if out.exists():
        return out
    inputs = set(map(str, inputs))

    def uncompressed(path, target):
        if str(path) in inputs:
            rio_copy(str(path), str(target), driver="GTiff")
            return True
        return False
    linked_copy(folder, out, rewrite=uncompressed)
    return out
