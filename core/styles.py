"""The style of a product's result raster from its product, output key and
period (local runs, compute-centre results, the Jobs dock): the catalog's,
stretched to the period for the outputs counted in days of the period, with
dates for the legend where a value is a day of the period."""
from dataclasses import replace
from datetime import date, timedelta

from .catalog import PRODUCTS
from .forest_cuts import date_ramp

PERIOD_DAYS = {("snow_cover", "OUTPUT")}           # a number of days: ramp over 1 .. last day
PERIOD_DATES = {("snow_cover", "OUTPUT_SOD"): "No snow",     # day 1 = start; 0: none
                ("snow_cover", "OUTPUT_SMOD"): "No snow"}


def period_style(product_id, key, start=None, end=None):
    """(catalog Output, ramp_max) for qml_for / CatalogStyle; `start` and
    `end` are dates or ISO strings, the catalog's style alone when unknown."""
    output = PRODUCTS[product_id].output(key)
    if start is None or end is None:
        return output, None
    start, end = (d if isinstance(d, date) else date.fromisoformat(str(d))
                  for d in (start, end))
    if (product_id, key) == ("forest_cuts", "OUTPUT"):
        return date_ramp(start, end), None
    if (product_id, key) in PERIOD_DAYS:
        return output, (end - start).days + 1
    if (product_id, key) in PERIOD_DATES:
        return day_of_period_ramp(output, start, end, PERIOD_DATES[product_id, key]), None
    return output, None


def day_of_period_ramp(output, start, end, zero_label):
    """The ramp stretched over the period's days, its stops labelled with
    their dates (day 1 is `start`) and 0 with `zero_label` (a catalog label,
    translated by qml_for)."""
    n_days = (end - start).days + 1
    scale = n_days / output.ramp[-1][0]
    stops = [(0, output.ramp[0][1], zero_label)]
    for value, colour, *_ in output.ramp[1:]:
        day = max(1, round(value * scale))
        stops.append((day, colour, str(start + timedelta(days=day - 1))))
    return replace(output, ramp=tuple(stops))
