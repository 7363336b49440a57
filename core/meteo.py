"""Daily meteorology for the crop model: mean air temperature (degC) and
global radiation (MJ m-2 d-1), from a CSV table (one series for the whole
area) or from a folder of daily rasters (one series per raster cell, e.g.
SAFRAN's 8 km grid).

CSV: a header row, comma or semicolon separated; columns (any case, units in
brackets ignored) `date` (YYYY-MM-DD or DD/MM/YYYY), `tmean` (or `tmin` and
`tmax`, averaged) and `radiation` (aliases in COLUMNS).

Rasters: one GeoTIFF per day whose file name holds the date (YYYYMMDD or
YYYY-MM-DD), band 1 mean temperature (degC), band 2 global radiation
(MJ m-2 d-1), all on the same grid. Cells with nodata on any day of the
season are left out (their pixels get no result). Daily rain rasters
(SAFRAN, COMEPHORE exported one GeoTIFF per day) are read the same way,
band 1 rain (mm)."""
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.warp import reproject, transform, transform_bounds
from rasterio.windows import Window, from_bounds

from .errors import InputError

COLUMNS = {
    "date": ("date", "day", "time", "jour"),
    "tmean": ("tmean", "tavg", "t_mean", "tm", "temperature", "temp", "t"),
    "tmin": ("tmin", "t_min", "tn"),
    "tmax": ("tmax", "t_max", "tx"),
    "radiation": ("radiation", "rad", "rg", "global_radiation", "srad", "solar_radiation",
                  "glo"),
}
T_RANGE = (-60.0, 60.0)       # degC: outside, the unit is wrong (Kelvin?)
RG_RANGE = (0.0, 45.0)        # MJ m-2 d-1: above, J/cm2 or W/m2 most likely
RAIN_MAX = 500.0              # mm per day: above, not mm (0.1 mm units? kg m-2 s-1?)
DATE_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass
class Meteo:
    """Daily series of the season [start, end] for each meteorology cell.
    tmean, radiation: (cells, days) float64."""
    start: date
    tmean: np.ndarray
    radiation: np.ndarray
    cells: object = None      # MeteoCells for rasters; None for one series

    @property
    def n_cells(self):
        return self.tmean.shape[0]

    def cell_ids(self, grid):
        """Cell index (int32, -1 = none) of every pixel of `grid`."""
        if self.cells is None:
            return np.zeros((grid.height, grid.width), "int32")
        return self.cells.ids_on(grid)

    def cell_at(self, x, y, crs):
        """Cell index of a point (-1 = none)."""
        if self.cells is None:
            return 0
        return self.cells.id_at(x, y, crs)


def season_days(start, end):
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- CSV -------------------------------------------------------------------------------
def read_meteo_csv(path, start, end):
    """One daily series for the whole area, from a CSV table."""
    path = Path(path)
    rows, columns = _read_table(path)
    values = {}
    width = max(columns.values()) + 1
    for line, row in rows:
        row = row + [""] * (width - len(row))
        day = parse_date(row[columns["date"]], path, line)
        if day in values:
            raise InputError("The meteorology table {path} has the date {day} twice "
                             "(line {line}).", path=path, day=day, line=line)
        values[day] = _row_values(row, columns, path, line)
    return _season_from_days(values, start, end, path)


def _read_table(path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("Cannot read the meteorology table {path} ({error}).",
                         path=path, error=e)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise InputError("The meteorology table {path} is empty.", path=path)
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [normalise_header(h) for h in next(reader)]
    columns = _find_columns(header, path)
    return [(i + 2, row) for i, row in enumerate(reader)], columns


def normalise_header(name):
    name = re.sub(r"[\(\[].*?[\)\]]", "", name).strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def _find_columns(header, path):
    found = {}
    for key, aliases in COLUMNS.items():
        hit = next((header.index(a) for a in aliases if a in header), None)
        if hit is not None:
            found[key] = hit
    has_t = "tmean" in found or ("tmin" in found and "tmax" in found)
    if "date" not in found or not has_t or "radiation" not in found:
        raise InputError("The meteorology table {path} needs the columns date, tmean (or "
                         "tmin and tmax, degC) and radiation (global, MJ m-2 d-1); its "
                         "columns are: {columns}.", path=path, columns=", ".join(header))
    return found


def parse_date(text, path, line):
    text = text.strip()
    for fmt, n in (("%Y-%m-%d", 10), ("%d/%m/%Y", 10), ("%Y%m%d", 8)):
        try:
            return datetime.strptime(text[:n], fmt).date()
        except ValueError:
            continue
    raise InputError("Line {line} of the meteorology table {path}: {value} is not a date "
                     "(YYYY-MM-DD or DD/MM/YYYY).", line=line, path=path, value=text)


def _row_values(row, columns, path, line):
    """(tmean, radiation) of one row; NaN for an empty cell."""
    def number(key):
        text = row[columns[key]].strip().replace(",", ".")
        if text == "" or text.lower() in ("na", "nan"):
            return np.nan
        try:
            return float(text)
        except ValueError:
            raise InputError("Line {line} of the meteorology table {path}: {value} is not "
                             "a number.", line=line, path=path, value=text)
    if "tmean" in columns:
        tmean = number("tmean")
    else:
        tmean = (number("tmin") + number("tmax")) / 2
    return tmean, number("radiation")


def _season_from_days(values, start, end, path):
    days = season_days(start, end)
    known = sorted(d for d, v in values.items() if np.isfinite(v).all())
    if not known or known[0] > start or known[-1] < end:
        first, last = (known[0], known[-1]) if known else ("-", "-")
        raise InputError("The meteorology {path} covers {first} to {last}, which does not "
                         "cover the season {start} to {end}: give every day of the season.",
                         path=path, first=first, last=last, start=start, end=end)
    missing = [d for d in days if d not in values or not np.isfinite(values[d]).all()]
    if missing:
        raise InputError("The meteorology {path} lacks {n} days of the season {start} to "
                         "{end} (first missing: {day}).", path=path, n=len(missing),
                         start=start, end=end, day=missing[0])
    series = np.array([values[d] for d in days], "float64").T
    _check_units(series[0], series[1], path)
    return Meteo(start, series[:1], series[1:])


def _check_units(tmean, radiation, path):
    tmean, radiation = np.asarray(tmean), np.asarray(radiation)
    t_ok = tmean[np.isfinite(tmean)]
    r_ok = radiation[np.isfinite(radiation)]
    if t_ok.size and (t_ok.min() < T_RANGE[0] or t_ok.max() > T_RANGE[1]):
        raise InputError("The temperatures of {path} reach {value}: give them in degrees "
                         "Celsius.", path=path, value=round(float(np.abs(t_ok).max()), 1))
    if r_ok.size and (r_ok.min() < RG_RANGE[0] or r_ok.max() > RG_RANGE[1]):
        raise InputError("The global radiation of {path} reaches {value}: give it in "
                         "MJ m-2 d-1 (J/cm2 / 100, or mean W/m2 x 0.0864).",
                         path=path, value=round(float(np.abs(r_ok).max()), 1))


# --- rasters ---------------------------------------------------------------------------
class MeteoCells:
    """The meteorology cells read around the processing grid: a window of the
    meteorology raster grid; cell id = row * width + col in that window."""

    def __init__(self, crs, transform_, width, height, valid):
        self.crs, self.transform = crs, transform_
        self.width, self.height = width, height
        self.valid = valid            # (height * width,) bool

    def ids_on(self, grid):
        ids = np.where(self.valid, np.arange(self.valid.size), -1).astype("int32")
        out = np.full((grid.height, grid.width), -1, "int32")
        reproject(ids.reshape(self.height, self.width), out, src_transform=self.transform,
                  src_crs=self.crs, src_nodata=-1, dst_transform=grid.transform,
                  dst_crs=grid.crs, dst_nodata=-1, resampling=Resampling.nearest)
        return out

    def covers(self, grid):
        """Whether the cells' extent holds the whole of `grid`."""
        left, top = self.transform * (0, 0)
        right, bottom = self.transform * (self.width, self.height)
        b = transform_bounds(grid.crs, self.crs, *grid.bounds, densify_pts=21)
        tol = 1e-6 * abs(self.transform.a)
        return (b[0] >= min(left, right) - tol and b[2] <= max(left, right) + tol
                and b[1] >= min(top, bottom) - tol and b[3] <= max(top, bottom) + tol)

    def id_at(self, x, y, crs):
        xs, ys = transform(crs, self.crs, [x], [y])
        col, row = ~self.transform * (xs[0], ys[0])
        col, row = int(np.floor(col)), int(np.floor(row))
        if not (0 <= col < self.width and 0 <= row < self.height):
            return -1
        cell = row * self.width + col
        return cell if self.valid[cell] else -1


def read_meteo_rasters(folder, start, end, grid):
    """Per-cell daily series over the cells that cover `grid`."""
    cube, cells = _read_daily_cells(Path(folder), start, end, grid, (1, 2))
    _check_units(cube[cells.valid, :, 0], cube[cells.valid, :, 1], folder)
    return Meteo(start, cube[:, :, 0], cube[:, :, 1], cells)


def read_rain_rasters(folder, start, end, grid):
    """Daily rain (mm) of the cells that cover `grid`: (cells, days) and their
    MeteoCells; the rasters must cover the whole of `grid`."""
    folder = Path(folder)
    cube, cells = _read_daily_cells(folder, start, end, grid, (1,))
    if not cells.covers(grid):
        raise InputError("The rain rasters in {folder} cover only part of the area: give "
                         "rasters that cover the whole tile or extent.", folder=folder)
    rain = cube[cells.valid, :, 0]
    if rain.min() < 0 or rain.max() > RAIN_MAX:
        raise InputError("The rain rasters in {folder} hold values from {low} to {high}: give "
                         "the daily rain in mm (0 to {limit}).", folder=folder,
                         low=round(float(rain.min()), 1), high=round(float(rain.max()), 1),
                         limit=RAIN_MAX)
    return cube[:, :, 0], cells


def _read_daily_cells(folder, start, end, grid, bands):
    """(cells, days, bands) cube of the daily rasters (0 on cells with nodata
    on some day) and the MeteoCells around `grid`."""
    files = _daily_files(folder)
    days = season_days(start, end)
    missing = [d for d in days if d not in files]
    if missing:
        known = sorted(files)
        raise InputError("The meteorology rasters in {folder} ({first} to {last}) lack {n} "
                         "days of the season {start} to {end} (first missing: {day}).",
                         folder=folder, first=known[0], last=known[-1], n=len(missing),
                         start=start, end=end, day=missing[0])
    with rasterio.open(files[days[0]]) as ds:
        if ds.count < len(bands):
            raise InputError("The meteorology raster {path} has {n} band(s); it needs band 1 "
                             "mean temperature and band 2 global radiation.", path=ds.name,
                             n=ds.count)
        window, ref = _cover_window(ds, grid, folder), (ds.crs, ds.transform, ds.shape)
    cube = np.stack([_read_day(files[d], window, ref, folder, bands) for d in days], axis=1)
    valid = np.isfinite(cube).all(axis=(1, 2))
    if not valid.any():
        raise InputError("The meteorology rasters in {folder} have no cell with data on "
                         "every day of the season over the area.", folder=folder)
    cube[~valid] = 0.0
    cells = MeteoCells(ref[0], rasterio.windows.transform(window, ref[1]),
                       int(window.width), int(window.height), valid)
    return cube, cells


def _daily_files(folder):
    if not folder.is_dir():
        raise InputError("The meteorology folder {folder} does not exist.", folder=folder)
    files = {}
    for path in sorted(folder.glob("*.tif")):
        m = DATE_RE.search(path.stem)
        if m:
            try:
                files[date(int(m[1]), int(m[2]), int(m[3]))] = path
            except ValueError:
                continue
    if not files:
        raise InputError("No daily meteorology raster in {folder} (expected GeoTIFFs named "
                         "with their date, e.g. meteo_20190315.tif).", folder=folder)
    return files


def _cover_window(ds, grid, folder):
    """Pixel window of the meteorology grid covering `grid`, one cell of margin."""
    b = transform_bounds(grid.crs, ds.crs, *grid.bounds, densify_pts=21)
    win = from_bounds(*b, transform=ds.transform)
    col0 = max(int(np.floor(win.col_off)) - 1, 0)
    row0 = max(int(np.floor(win.row_off)) - 1, 0)
    col1 = min(int(np.ceil(win.col_off + win.width)) + 1, ds.width)
    row1 = min(int(np.ceil(win.row_off + win.height)) + 1, ds.height)
    if col1 <= col0 or row1 <= row0:
        raise InputError("The meteorology rasters in {folder} do not cover the area.",
                         folder=folder)
    return Window(col0, row0, col1 - col0, row1 - row0)


def _read_day(path, window, ref, folder, bands):
    """(cells, bands) values of one day, NaN = nodata."""
    with rasterio.open(path) as ds:
        if (ds.crs, ds.transform, ds.shape) != ref or ds.count < len(bands):
            raise InputError("The meteorology raster {path} is not on the grid of the other "
                             "days in {folder} (or lacks band 2).", path=path, folder=folder)
        data = ds.read(bands, window=window, masked=True).astype("float64").filled(np.nan)
    return data.reshape(len(bands), -1).T
