"""The style of a product's result raster when only its product, output key
and period are known (compute-centre results, the Jobs dock): the catalog's,
stretched to the period for the outputs counted in days of the period."""
from datetime import date

from .catalog import PRODUCTS
from .forest_cuts import date_ramp

PERIOD_DAYS = {("snow_cover", "OUTPUT"), ("snow_cover", "OUTPUT_SOD"),
               ("snow_cover", "OUTPUT_SMOD")}     # ramps over day 1 .. last day


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
    return output, None
