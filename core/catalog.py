"""One declarative entry per product: what the provider registers, what the
styles and legends show, what the help and the compute centre describe.

Strings wrapped in N_() are user-facing: the QGIS layer translates them (the
translation extractor looks for N_, tr and InputError templates)."""
from dataclasses import dataclass, field


def N_(text):
    """Marks a string for translation without translating it here."""
    return text


@dataclass(frozen=True)
class Output:
    key: str                  # Processing output name, public API
    name: str                 # short name used in file names, e.g. "SCD"
    title: str
    description: str
    dtype: str
    nodata: float
    kind: str                 # "classes" | "ramp" | "steps"
    classes: tuple = ()       # (code, label, "#rrggbb")
    ramp: tuple = ()          # (value, "#rrggbb") stops
    units: str = ""
    resampling: str = "nearest"   # for overviews and mosaics


@dataclass(frozen=True)
class Product:
    id: str                   # algorithm id after "chainon:", public API
    title: str
    group: str
    group_id: str
    summary: str
    method: str               # the published method and what is simplified
    sensors: tuple
    outputs: tuple
    max_period_days: int = 731
    references: tuple = field(default=())

    def output(self, key):
        return next(o for o in self.outputs if o.key == key)


GROUPS = {
    "agriculture": N_("Agriculture"),
    "forest": N_("Forest"),
    "snow_water": N_("Snow and water"),
    "land_cover": N_("Land cover"),
    "tools": N_("Tools"),
}

SNOW_CLASSES = (
    (0, N_("No snow"), "#c8b48c"),
    (100, N_("Snow"), "#00c8ff"),
    (205, N_("Cloud or cloud shadow"), "#9a9a9a"),
)
DAYS_RAMP = ((0, "#ffffe5"), (60, "#7fcdbb"), (150, "#2c7fb8"), (300, "#081d58"))

SNOW_COVER = Product(
    id="snow_cover",
    title=N_("Snow cover (Let It Snow)"),
    group=GROUPS["snow_water"],
    group_id="snow_water",
    summary=N_("Snow maps for every Sentinel-2 acquisition and the snow cover duration, "
               "onset and melt-out dates of the period, after the Let It Snow method "
               "(Gascoin et al. 2019, ESSD 11:493-514)."),
    method=N_("Per date, at 20 m: NDSI = (B3 - B11) / (B3 + B11). Pass 1 marks snow where the "
              "pixel is not cloudy, NDSI > 0.4 and red > 0.20. Clouds are refined: dark clouds "
              "(red averaged over 240 m cells <= 0.30) are released, shadows and high clouds "
              "kept. The snowline is the lower edge of the 100 m elevation band two bands below "
              "the lowest band with more than 10 % clear pixels of which more than 10 % snow. "
              "Pass 2 marks snow above the snowline where NDSI > 0.15 and red > 0.04. Codes: "
              "0 no snow, 100 snow, 205 cloud, 255 no data. Syntheses: the binary snow series "
              "is linearly interpolated to every day; snow cover duration (SCD) counts snow "
              "days, onset (SOD) and melt-out (SMOD) bound the longest snow period. "
              "Simplified: the 240 m red is a cell mean (LIS: bilinear resampling); the "
              "optional fractional snow cover uses the Gascoin et al. 2020 sigmoid without "
              "tree-cover correction."),
    sensors=("S2",),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "SCD", N_("Snow cover duration"),
               N_("Number of snow days in the period (days), from the daily gap-filled series."),
               "uint16", 65535, "ramp", ramp=DAYS_RAMP, units=N_("days"), resampling="average"),
        Output("OUTPUT_SOD", "SOD", N_("Snow onset date"),
               N_("First day of the longest snow period, counted from the start of the period "
                  "(day 1); 0 when no snow."),
               "uint16", 65535, "ramp", ramp=DAYS_RAMP, units=N_("day of period")),
        Output("OUTPUT_SMOD", "SMOD", N_("Snow melt-out date"),
               N_("Last day of the longest snow period, counted from the start of the period "
                  "(day 1); 0 when no snow."),
               "uint16", 65535, "ramp", ramp=DAYS_RAMP, units=N_("day of period")),
        Output("OUTPUT_NOBS", "NOBS", N_("Number of clear observations"),
               N_("Number of acquisitions in the period where the pixel was seen cloud-free."),
               "uint16", 65535, "ramp",
               ramp=((0, "#f7fcf5"), (20, "#74c476"), (60, "#00441b")), units=N_("dates")),
        Output("SNOW", "SNOW", N_("Snow map"),
               N_("Snow map of one acquisition: 0 no snow, 100 snow, 205 cloud, 255 no data."),
               "uint8", 255, "classes", classes=SNOW_CLASSES),
        Output("FSC", "FSC", N_("Fractional snow cover"),
               N_("Fraction of the pixel covered by snow (%), 205 cloud, 255 no data."),
               "uint8", 255, "steps",
               ramp=((0, "#c8b48c"), (25, "#d8f3ff"), (50, "#7fd8ff"), (75, "#20b0f0"),
                     (100, "#0060c0"), (205, "#9a9a9a")), units="%"),
    ),
)

PRODUCTS = {p.id: p for p in (SNOW_COVER,)}
