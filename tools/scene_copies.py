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


def sen2cor_copy(folder):
    """`folder` (linked as `folder`_sen2cor) with its THEIA products in S2/
    rewritten as Sen2Cor .SAFE products (JPEG 2000 bands and SCL)."""
    from chainon.core.sen2cor_copy import write_sen2cor_copy
    from chainon.core.theia import find_products
    out = folder.parent / f"{folder.name}_sen2cor"
    if out.exists():
        return out
    out.mkdir()
    for path in folder.iterdir():
        if path.name != "S2":
            (out / path.name).symlink_to(path)
    for product in find_products(folder / "S2"):
        write_sen2cor_copy(product, out / "S2")
    return out
