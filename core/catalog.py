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
    ramp: tuple = ()          # (value, "#rrggbb"[, legend label]) stops
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

# OSO 23-class nomenclature (since 2018): code, official French name, English
# name, colour of the OSO style (science.md table (b)).
OSO_NOMENCLATURE = (
    (1, "Bâti dense", N_("Dense built-up"), "#ff00ff"),
    (2, "Bâti diffus", N_("Sparse built-up"), "#ff55ff"),
    (3, "Zones industrielles et commerciales", N_("Industrial and commercial"), "#ffaaff"),
    (4, "Surfaces routes", N_("Roads"), "#00ffff"),
    (5, "Colza", N_("Rapeseed"), "#ffff00"),
    (6, "Céréales à paille", N_("Straw cereals"), "#d0ff00"),
    (7, "Protéagineux", N_("Protein crops"), "#a1d600"),
    (8, "Soja", N_("Soybean"), "#ffaa44"),
    (9, "Tournesol", N_("Sunflower"), "#d6d600"),
    (10, "Maïs", N_("Maize"), "#ff5500"),
    (11, "Riz", N_("Rice"), "#c5ffff"),
    (12, "Tubercules / racines", N_("Tubers and roots"), "#aaaa61"),
    (13, "Prairies", N_("Grasslands"), "#aaaa00"),
    (14, "Vergers", N_("Orchards"), "#aaaaff"),
    (15, "Vignes", N_("Vineyards"), "#550000"),
    (16, "Forêts de feuillus", N_("Broad-leaved forest"), "#009c00"),
    (17, "Forêts de conifères", N_("Coniferous forest"), "#003200"),
    (18, "Pelouses", N_("Natural grasslands"), "#aaff00"),
    (19, "Landes ligneuses", N_("Woody moorlands"), "#55aa7f"),
    (20, "Surfaces minérales", N_("Natural mineral surfaces"), "#ff0000"),
    (21, "Plages et dunes", N_("Beaches and dunes"), "#ffb802"),
    (22, "Glaciers et neiges éternelles", N_("Glaciers and perpetual snow"), "#bebebe"),
    (23, "Eau", N_("Water"), "#0000ff"),
)

LAND_COVER = Product(
    id="land_cover",
    title=N_("Land cover (OSO, iota2)"),
    group=GROUPS["land_cover"],
    group_id="land_cover",
    summary=N_("Yearly land cover map from a year of Sentinel-2, trained on reference "
               "polygons, after the OSO product and its iota2 chain (Inglada et al. 2017, "
               "Remote Sens. 9(1):95): classes, confidence and number of clear dates."),
    method=N_("Each acquisition's 10 bands (B2-B8A, B11, B12, 20 m) are masked where CLM, SAT "
              "or EDG is not zero, linearly gap-filled onto a regular date grid (every 10 days "
              "from the start, edges held), and NDVI, NDWI (SWIR minus NIR) and brightness are "
              "added per date, as iota2. Reference polygons are split per class into training "
              "and validation polygons (never pixels of one polygon on both sides). Training "
              "polygons whose class the images contradict are set aside and listed in the "
              "report (an addition to iota2: the consensus filter of Brodley and Friedl 1999; "
              "the polygons of each class dealt into 4 folds, each fold classified from its "
              "polygons' mean features by a Random Forest, 1-nearest-neighbour and a linear "
              "discriminant trained on the other folds; set aside when all three reject the "
              "class, and only while fewer than half of a class's polygons are). Pixels of the "
              "training polygons, at most "
              "a cap per class, train a Random Forest (100 trees, depth 25, min. 5 samples to "
              "split, square root of the features per split), one "
              "per eco-climatic region when regions are given. Class = majority of the trees' "
              "votes, confidence = share of the trees voting for it. The validation report "
              "gives the confusion matrix, overall accuracy, kappa and F1 on the validation "
              "polygons. Simplified: the map is made at 20 m (the 10 m bands are averaged; OSO "
              "also publishes 10 m); scikit-learn's minimum samples to split stands for OTB's "
              "minimum sample count; the date grid starts at the period's start (iota2: the "
              "earliest date of all tiles) and acquisitions up to 15 days outside the period "
              "anchor the gap-filling; one run (iota2 can fuse several); no vector product or "
              "majority-filter regularisation; pixels never seen clear are no data."),
    sensors=("S2",),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "LC", N_("Land cover"),
               N_("Class code of every pixel (OSO nomenclature when the reference uses it); "
                  "0 = no data."),
               "uint8", 0, "classes",
               classes=tuple((code, en, color) for code, _, en, color in OSO_NOMENCLATURE)),
        Output("OUTPUT_CONFIDENCE", "CONFIDENCE", N_("Confidence"),
               N_("Share of the Random Forest's trees voting for the mapped class (%)."),
               "uint8", 255, "ramp", ramp=((0, "#d7191c"), (50, "#ffffbf"), (100, "#1a9641")),
               units="%", resampling="average"),
        Output("OUTPUT_NOBS", "NOBS", N_("Number of clear dates"),
               N_("Number of acquisitions in which the pixel was seen clear (no cloud, "
                  "saturation or edge flag)."),
               "uint16", 65535, "ramp",
               ramp=((0, "#f7fcf5"), (20, "#74c476"), (60, "#00441b")), units=N_("dates")),
    ),
)

YIELD_RAMP = ((0, "#ffffcc"), (4, "#c2e699"), (8, "#31a354"), (12, "#006837"))

CROP_YIELD = Product(
    id="crop_yield",
    title=N_("Crop yield (a posteriori)"),
    group=GROUPS["agriculture"],
    group_id="agriculture",
    summary=N_("Yield of one crop per parcel after the season, from a year of Sentinel-2 "
               "and yields declared by farmers, aggregated to administrative units and "
               "compared with official statistics."),
    method=N_("The Sentinel-2 series is gap-filled onto a regular date grid with the iota2 "
              "features (10 bands, NDVI, NDWI, brightness per date), averaged over each "
              "parcel's interior pixels (one-pixel inner buffer; with a crop mask, only its "
              "pixels: a 0/1 raster or the crop classes of a land cover), plus the red-edge "
              "chlorophyll index of every date (B7/B5 - 1, Clevers and Gitelson 2013) and the "
              "season's integrated and maximum NDVI. Implausible declared yields (t/ha) are set "
              "aside: more than a factor 3.16 from the median declaration (unit slips), or a "
              "residual to the out-of-fold predictions of both Huber ridge regressions below "
              "with a modified z-score above 3.5 (Iglewicz and Hoaglin 1993). Five models are "
              "compared by 5-fold cross-validation over the training parcels: a Random Forest "
              "(a third of the features per split) with the bias correction of Zhang and Lu "
              "(2012), and "
              "ridge and Huber ridge regressions on all dates or on the crop's season (dates "
              "where the mean NDVI is above half its amplitude); the simplest within one "
              "standard error of the lowest RMSE (the one-SE rule of Breiman et al. 1984) is "
              "kept and predicts every parcel of the crop. A share of the declared parcels is "
              "held out and the validation report gives the cross-validation of every model, "
              "the declarations set aside, and the held-out residuals, RMSE, MAE and relative "
              "errors. "
              "Unit yields are the area-weighted mean of the parcels' predictions inside each "
              "unit, with the relative error to the official figure when given. Simplified: the "
              "published chain (HAL hal-02935469) is not public; the features and the "
              "forest follow the CESBIO Random Forest yield studies."),
    sensors=("S2",),
    max_period_days=400,
    outputs=(
        Output("OUTPUT_PIXELS", "YIELD", N_("Yield per pixel"),
               N_("Yield predicted for every pixel of the crop's parcels, in the crop mask "
                  "when one is given (t/ha)."),
               "float32", -9999.0, "ramp", ramp=YIELD_RAMP, units=N_("t/ha"),
               resampling="average"),
    ),
)

BIOMASS_RAMP = ((0, "#ffffcc"), (5, "#d9f0a3"), (10, "#78c679"), (15, "#31a354"),
                (25, "#004529"))
NEE_RAMP = ((-800, "#1a9850", N_("-800 g C/m² (uptake)")), (-400, "#91cf60"),
            (0, "#ffffbf", N_("0 (balance)")), (200, "#fc8d59"),
            (400, "#d73027", N_("400 g C/m² (release)")))

CROP_CARBON = Product(
    id="crop_carbon",
    title=N_("Crop biomass and CO2 fluxes (AgriCarbon-EO)"),
    group=GROUPS["agriculture"],
    group_id="agriculture",
    summary=N_("Above-ground biomass at harvest and the season's carbon fluxes (GPP, "
               "ecosystem respiration, NEE) of crops, with their uncertainty, from Sentinel-2 "
               "green area index assimilated into the SAFY crop model, after AgriCarbon-EO "
               "(Wijmer et al. 2024, GMD 17:997-1021)."),
    method=N_("Green area index (GAI) per clear date (CLM, SAT and EDG zero) at 10 m from a "
              "small neural network trained on PROSAIL simulations (PROSPECT-D + 4SAIL, leaf "
              "area 0-8, leaf angle 30-80 deg, chlorophyll, dry matter, water, soil brightness, "
              "sun zenith 15-80 deg, with reflectance noise), as AgriCarbon-EO and the "
              "Sentinel-2 toolbox's BVNET: inputs are the red-edge bands (B3 B4 B5 B6 B7 B8A "
              "B11 B12, or B3 B4 B8 when a product lacks them) and the sun zenith of the "
              "acquisition from its metadata; its uncertainty is the held-out retrieval error "
              "per GAI bin. SAFY (Duchemin et al. 2008; CESBIO defaults: PAR/global 0.47, k 0.5, "
              "Ms0 4.5 g/m², PlA 0.1573, Tmin 0, Topt 20, Tmax 37 degC, beta 2): from "
              "emergence day D0, dDAM = ELUE x 0.47 Rg (1 - exp(-0.5 GAI)) FT(T) Ks, leaf "
              "partition PRT = 1 - PlA exp(PlB SMT), senescence GAI (SMT - STT) / RS after STT "
              "degree-days, until GAI falls below Ms0 x SLA; with a rain column in the "
              "meteorology, the SAFYE water balance (a bucket of AWC mm, Turc ET0, FAO-56 crop "
              "coefficients) gives the water stress Ks. Carbon terms after SAFY-CO2 (Pique et "
              "al. 2020): NPP = 0.45 dDAM, autotrophic respiration (maintenance and growth), "
              "GPP = NPP + Ra; heterotrophic respiration from RothC pools (the previous crop's "
              "residues, 300 g C/m² split 1.44 into fast and slow parts decaying at 10 and 0.3 "
              "per year, and 5000 g C/m² of soil carbon, 2 % in the microbial biomass at 0.66 "
              "and the rest humified at 0.02 per year; RothC's temperature factor and, with "
              "rain, a dryness factor; of the carbon decomposed, the CO2 share of 25 % clay "
              "leaves the soil and the rest forms microbial biomass (46 %) and humus); "
              "NEE = Ra + Rh - GPP, negative when the field takes up CO2. Assimilation "
              "(AgriCarbon-EO, normalised importance sampling over a LUT): a seeded Latin "
              "hypercube of D0 (5-120 days after the start: sowings from 1 October to "
              "December), ELUE (1.2-3.6 g/MJ: stressed fields included), PlB, STT, RS, SLA "
              "(0.016-0.028 m²/g) and, with rain, AWC (50-200 mm) is run once per meteorology "
              "cell; members above 25 t/ha at harvest are dropped; since the GAI fixes only "
              "ELUE x SLA, ELUE is integrated out per member; each pixel or parcel weighs the "
              "members by exp(-1/2 sum ((GAI_obs - GAI_member) / sigma)^2), sigma^2 = GAI "
              "uncertainty^2 + 0.2^2 (model error), normalised; outputs are the weighted "
              "means, the biomass uncertainty the weighted standard deviation widened by a "
              "10 % structural error. At least 5 clear dates are needed. Simplified: box band "
              "responses in PROSAIL, roots and grain not simulated, prior ranges set for "
              "winter cereals (inferred), one crop type; the season (start, "
              "end) must span emergence to harvest."),
    sensors=("S2",),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "BIOMASS", N_("Above-ground biomass at harvest"),
               N_("Posterior mean of the dry above-ground biomass at the end of the season "
                  "(t/ha)."),
               "float32", -9999.0, "ramp", ramp=BIOMASS_RAMP, units=N_("t/ha"),
               resampling="average"),
        Output("OUTPUT_UNCERTAINTY", "BIOMASS-SD", N_("Biomass uncertainty"),
               N_("Posterior standard deviation of the biomass at harvest (t/ha)."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#f7fbff"), (1, "#9ecae1"), (2, "#4292c6"), (4, "#08306b")),
               units=N_("t/ha"), resampling="average"),
        Output("OUTPUT_GPP", "GPP", N_("Gross primary production (GPP)"),
               N_("Carbon taken up by photosynthesis over the season (g C/m²), posterior "
                  "mean."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#ffffe5"), (500, "#addd8e"), (1000, "#41ab5d"), (2000, "#004529")),
               units=N_("g C/m²"), resampling="average"),
        Output("OUTPUT_RECO", "RECO", N_("Ecosystem respiration (Reco)"),
               N_("Carbon released by the crop and the soil over the season (g C/m²), "
                  "posterior mean."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#fff5eb"), (400, "#fdae6b"), (800, "#e6550d"), (1500, "#7f2704")),
               units=N_("g C/m²"), resampling="average"),
        Output("OUTPUT_NEE", "NEE", N_("Net ecosystem exchange (NEE, negative = uptake)"),
               N_("NEE = Reco - GPP over the season (g C/m²): negative when the field took up "
                  "more CO2 than it released, positive when it released more."),
               "float32", -9999.0, "ramp", ramp=NEE_RAMP,
               units=N_("g C/m²"), resampling="average"),
    ),
)

MOWING_DATE = Product(
    id="mowing_date",
    title=N_("Grassland first mowing date"),
    group=GROUPS["agriculture"],
    group_id="agriculture",
    summary=N_("Day of the year of the first mowing of every grassland pixel (and parcel) from "
               "a season of Sentinel-2, after Rivas et al. 2024 (Remote Sens. Environ. "
               "315:114476): a regression trained on field observations, or an NDVI drop "
               "detection when none are given."),
    method=N_("Grassland pixels come from a mask, from classes of a land-cover raster (OSO "
              "class 13 by default) or from parcels (all given sources must agree). Each "
              "acquisition's B2, B3, B4, B8 and B11 (20 m) and its NDVI are masked where CLM, "
              "SAT or EDG is not zero and linearly gap-filled onto a regular date grid (every "
              "5 days by default). With field observations (points or polygons with a date; "
              "a point inside a parcel labels the whole parcel) a Random Forest regression "
              "(the paper's classical baseline) learns the day of year from the gap-filled "
              "series; the uncertainty is the standard deviation of its trees' predictions, "
              "and a cross-validation grouped by spatial clusters of observations compares it "
              "with the detection on the same held-out observations in a report: unless a "
              "one-sided paired Wilcoxon test (5 %, on the observations the detection dates) "
              "finds it more accurate, the map is dated by the detection. The detection (the paper's threshold "
              "baseline) always decides which pixels are mown: on the clear dates, "
              "single-date dips that recover at once (unmasked clouds) are dropped unless "
              "the haze index (blue - 0.5 red, Zhang et al. 2002) fell (a fast-regrowing "
              "cut), and dates whose haze index rises 3 noise standard deviations are dropped "
              "(haze), as are two-date dips that recover within 15 days over which the "
              "index's mean rises 3 noise standard deviations; NDVI is measured against the NDVI of the area's unmown grass per date "
              "(an upper quantile of its grassland pixels: drought browning is shared, cuts "
              "are not); after the spring peak the first fall between consecutive clear dates "
              "(or a few within 10 days) deeper than a fixed drop, a share of the season's "
              "amplitude and 3 noise standard deviations, once the decline seen on both sides "
              "is taken off (grazing), or a significant fall ending 0.2 below the pixel's "
              "undisturbed course (Schwieder et al. 2022, simplified to a quadratic upper "
              "envelope), is the first cut. A step of up to 10 days is dated at its middle, a "
              "longer one back from its first low date by the hay's days (7) plus the "
              "regrowth seen after it (within its last 25 days), with the step / sqrt(12) as "
              "uncertainty. The pixel stays undecided (65535) when an earlier cut may hide: a "
              "clear gap of 25 days or more before the cut, a step of 40 days or more (two "
              "cuts fit in it), a cut first seen at the end of a clear gap of 25 days or more "
              "with no clear date within 15 days after it (its regrowth unseen, it may lie "
              "anywhere in the gap's last 25 days), or at the end of a clear gap of 15 days or more a shallow dip "
              "from which the sward regrows before the cut, or a dip of its water index (NDMI, "
              "B8 and B11, which saturates at a larger leaf area than NDVI) more than 3 "
              "standard deviations of the difference of two noisy dates below the date "
              "before it and the regrown sward. Simplified: the "
              "paper's best model, the L-TAE attention network (MAE within 6 days), needs "
              "PyTorch and is not included; the paper's exact bands, dates and thresholds are "
              "not public; 20 m grid."),
    sensors=("S2",),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "DOY", N_("First mowing day of year"),
               N_("Day of the year of the first mowing; 0 = not mown or not grassland, 65535 "
                  "= grassland seen clear too rarely, or a cut found that cannot be dated: a "
                  "long cloud gap before it may hide an earlier one, or it lies anywhere in "
                  "such a gap."),
               "uint16", 65535, "ramp",
               ramp=((0, "#d9d9d9", N_("Not mown or not grassland")),
                     (91, "#fde725", N_("1 April")), (121, "#7ad151", N_("1 May")),
                     (152, "#22a884", N_("1 June")),
                     (182, "#2a788e", N_("1 July")), (213, "#414487", N_("1 August")),
                     (244, "#440154", N_("1 September")), (274, "#2b0030", N_("1 October"))),
               units=N_("day of year")),
        Output("OUTPUT_UNCERTAINTY", "UNC", N_("First mowing date uncertainty"),
               N_("Uncertainty of the first mowing date as a standard deviation (days); no "
                  "data where no date."),
               "uint8", 255, "ramp", ramp=((0, "#1a9641"), (5, "#ffffbf"), (15, "#d7191c")),
               units=N_("days"), resampling="average"),
    ),
)

FOREST_CUTS = Product(
    id="forest_cuts",
    title=N_("Forest clear-cuts (Sentinel-1)"),
    group=GROUPS["forest"],
    group_id="forest",
    summary=N_("Clear-cuts and their detection date every 15 days from Sentinel-1 time series "
               "(ascending and descending orbits), after the radar-shadow method of Bouvet et "
               "al. 2018 (Remote Sens. 10:1250) used by Mermoz et al. 2024 (IEEE JSTARS "
               "17:13743) for France."),
    method=N_("Every acquisition is first divided by the median backscatter of the forest on "
              "that acquisition, so that what darkens or brightens the whole forest at once "
              "(wet snow, frost, rain, seasonal drift) cancels. Then per orbit (each sees the "
              "ground from its own side), for every acquisition t taken as a possible change: "
              "R = 10 log10(mean after / mean before) with up to 20 images before t, averaged "
              "over VV and VH. A new radar shadow, cast by the remaining forest wall on the "
              "near-range border of a fresh cut, is a drop of R below -4 dB over the 5 images "
              "after t that stays below -3 dB on both the first 3 and the last 2 of them, on a "
              "pixel that was not dark before (above -20 dB); the shadow strip is grown over R "
              "below -3 dB (at least 3 pixels), then the cut patch is rebuilt from it towards "
              "far range up to the forest wall that brightens and over the smoothed decrease of "
              "the cleared ground (R below -1.5 dB), at most 400 m away, holes filled, inside "
              "the forest mask. Orbits are combined (earliest detection), patches smaller than "
              "the minimum mapping unit dropped from the raster and the polygons, and each pixel "
              "is dated by the end of the 15-day period (counted from 1 January 2018) in which "
              "its cut was confirmed. Changes too close to the end of the series to be "
              "confirmed are marked undecided, not cut; the log says up to which date the "
              "result is final. Simplified: one forest level per acquisition over the whole "
              "area (no local one), no multi-temporal speckle filter and no DEM layover/shadow "
              "mask; thresholds are those of the published shadow method's re-implementations, "
              "the operational SUFOSAT code and calibration are not public."),
    sensors=("S1",),
    max_period_days=1500,
    outputs=(
        Output("OUTPUT", "DATE", N_("Clear-cut detection date"),
               N_("Detection date of the clear-cut as days since 1 January 2018 (the end of "
                  "the 15-day period in which it was confirmed); 0 = forest without clear-cut, "
                  "1 = undecided (a change too close to the end of the series to be "
                  "confirmed), 65535 = not forest."),
               "uint16", 65535, "ramp",
               ramp=((0, "#d9f0d3", N_("Forest without clear-cut")),
                     (1, "#9e9e9e", N_("Undecided: too few acquisitions after the change")),
                     (2, "#ffff66"), (3, "#fecc5c"), (4, "#fd8d3c"), (5, "#f03b20"),
                     (6, "#bd0026")),
               units=N_("days since 2018-01-01")),
    ),
)

HEIGHT_SPREAD_RAMP = ((0, "#ffffff"), (3, "#fdd49e"), (6, "#fc8d59"), (10, "#b30000"))
FOREST_HEIGHT = Product(
    id="forest_height",
    title=N_("Forest height and biomass"),
    group=GROUPS["forest"],
    group_id="forest",
    summary=N_("Canopy height (m) and above-ground biomass (t/ha) of the forest from Sentinel-2 "
               "seasonal composites (and optionally Sentinel-1 and a DEM) trained on GEDI lidar "
               "heights or reference points, after "
               "Morin et al. 2019 (Remote Sens. 11:1275) and 2023 (arXiv:2310.14662)."),
    method=N_("Mapped at 10 m (the 20 m bands repeated onto the 10 m grid). "
              "The period is cut into equal seasons; per season the median of the clear dates "
              "(CLM, SAT and EDG masks) of the 10 Sentinel-2 bands, with the NDVI and NDWI of "
              "that median, and the optional elevation are the predictors, each averaged over "
              "three windows around the pixel: the pixel, 3 x 3 pixels (the 25 m GEDI "
              "footprint) and 7 x 7 pixels (the footprint and its location error), "
              "with the temporal mean and spread of Sentinel-1 VV and VH (dB) and their ratio "
              "when a Sentinel-1 folder is given. "
              "GEDI L2A shots are kept when quality_flag = 1, degrade_flag = 0, sensitivity is "
              "at least 0.95 (0.98 on coverage beams), leaf-on and rh98 at most 50 m; leaf-on "
              "from leaf_off_flag (product version 002) or, in version 001 granules that lack "
              "it, from the month (June-October north of the tropics, December-April south of "
              "them, any month in the tropics); other GEDI products (L1B, L2B...) in the folder "
              "are skipped with a warning. With a DEM, shots whose lowest mode lies more than 3 "
              "robust standard deviations (1.4826 MAD) from the DEM's ground after their median "
              "offset are dropped (the waveform missed the ground); on slopes the tolerance is "
              "widened, in quadrature, by twice the geolocation error (10 m for product version "
              "002, 20 m for version 001) times the slope. A regression-enhanced Random "
              "Forest (Zhang et al. 2019: a ridge regression on the standardised predictors "
              "carries the trend, so tall stands are not flattened to the heights trained on, "
              "and a Random Forest of 100 trees, a third of the predictors per split, learns "
              "what it leaves) is trained on the footprints of part of the squares of 1 km, "
              "validated on the others (a spatial hold-out), and maps the height (0-50 m); "
              "footprints whose out-of-bag residual lies beyond 3 robust standard deviations "
              "are dropped and the model fitted again; the uncertainty is the spread of the "
              "trees. At most 200 000 shots over the area are read (a seeded uniform sample "
              "beyond) and at most 20 000 footprints used, drawn in turns from every square "
              "(seeded), which bounds memory and the forest's size on a tile of 10^5 to 10^6 "
              "shots. "
              "Biomass is AGB = a H^b per forest type (conifer classes of the land cover "
              "apart), its uncertainty propagated to first order. Simplified: no ALOS-2 PALSAR-2 "
              "or texture predictors, no seasonal Sentinel-1 statistics and no feature "
              "selection; the allometric "
              "defaults are typical values, not the published national equations."),
    sensors=("S2", "S1"),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "HEIGHT", N_("Canopy height"),
               N_("Forest canopy height (m, the GEDI rh98 it is trained on); no data outside "
                  "the forest."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#ffffcc"), (10, "#c2e699"), (20, "#78c679"), (30, "#31a354"),
                     (40, "#006837")), units=N_("m"), resampling="average"),
        Output("OUTPUT_UNCERTAINTY", "HEIGHT-SD", N_("Canopy height uncertainty"),
               N_("Standard deviation of the height predicted by the trees of the forest (m)."),
               "float32", -9999.0, "ramp", ramp=HEIGHT_SPREAD_RAMP, units=N_("m"),
               resampling="average"),
        Output("OUTPUT_AGB", "AGB", N_("Above-ground biomass"),
               N_("Above-ground biomass (t/ha) from the canopy height through the allometric "
                  "relation of the forest type."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#ffffe5"), (100, "#d9f0a3"), (200, "#41ab5d"), (350, "#004529")),
               units=N_("t/ha"), resampling="average"),
        Output("OUTPUT_AGB_UNCERTAINTY", "AGB-SD", N_("Above-ground biomass uncertainty"),
               N_("Standard deviation of the biomass propagated from the height uncertainty "
                  "(t/ha)."),
               "float32", -9999.0, "ramp",
               ramp=((0, "#ffffff"), (30, "#fdd49e"), (60, "#fc8d59"), (100, "#b30000")),
               units=N_("t/ha"), resampling="average"),
    ),
)

IRRIGATION = Product(
    id="irrigation",
    title=N_("Irrigated crops"),
    group=GROUPS["agriculture"],
    group_id="agriculture",
    summary=N_("Irrigated and rainfed crop parcels from Sentinel-1, Sentinel-2 and daily rain, "
               "and the share of irrigated surface per square kilometre, after Pageot et al. "
               "2020 (Remote Sens. 12:3044)."),
    method=N_("Per parcel (the mean of its pixels): the monthly cumulative features of Pageot et "
              "al. (the sums over each month of the NDVI, NDRE (B8A, B5) and NDWI (B8, B11) of "
              "Sentinel-2 gap-filled every 10 days with the CLM, SAT and EDG masks; the monthly "
              "means of Sentinel-1 VV and VH, of the power in dB, orbits pooled, and VH/VV), the "
              "rises of VV above the median of the parcels of its 10 km square (Bazzi et al. "
              "2020), and from the daily rain (a table, or rasters where each parcel takes the "
              "rain of its cell) the VV on acquisitions with no recent rain (antecedent "
              "precipitation index below 5 mm) and its rises up to them: the rain is read as a "
              "water balance, never as a value per cell, which would tell the model where a "
              "parcel lies. With the declared crops, each parcel is also read against the "
              "parcels of its crop, and its Sentinel-1 wetting events without rain are counted. "
              "Features that need two sources: the wetting events where Sentinel-2 shows an "
              "open canopy (NDVI below 0.75), NDVI and NDWI above the crop's on dry dates, NDWI "
              "rises with no rain between. One Random Forest per sensor (Sentinel-2; Sentinel-1 "
              "read with the rain and the canopy) is fused by stacking (a logistic regression "
              "on their out-of-bag probabilities); the fusion, each sensor, Sentinel-1 alone and "
              "one forest on all features are compared by 3 x 5-fold cross-validation on the "
              "training parcels, the fusion maps every parcel unless another model is better by "
              "more than one standard error (irrigated above a probability of 0.5), and all are "
              "scored on the held-out parcels. Simplified: parcels only, no post-processing; "
              "Pageot et al. use one forest on all features."),
    sensors=("S2", "S1"),
    max_period_days=400,
    outputs=(
        Output("OUTPUT", "IRRIGATED", N_("Irrigated crops"),
               N_("1 irrigated, 0 rainfed, 255 no data."), "uint8", 255, "classes",
               classes=((0, N_("Rainfed"), "#e6c86e"), (1, N_("Irrigated"), "#1f78b4"))),
        Output("OUTPUT_PROBABILITY", "PROBABILITY", N_("Probability of irrigation"),
               N_("Probability of irrigation given by the model that made the map (%)."),
               "uint8", 255,
               "ramp", ramp=((0, "#ffffcc"), (50, "#a1dab4"), (100, "#225ea8")), units="%",
               resampling="average"),
        Output("OUTPUT_GRID", "IRRIGATED-KM2", N_("Irrigated surface per km²"),
               N_("Share of every square kilometre mapped irrigated (%), on a 1 km grid."),
               "uint8", 255, "steps",
               ramp=((0, "#ffffff"), (5, "#c6dbef"), (15, "#6baed6"), (30, "#2171b5"),
                     (50, "#08306b")), units="%", resampling="average"),
    ),
)

PRODUCTS = {p.id: p for p in (SNOW_COVER, LAND_COVER, CROP_YIELD, CROP_CARBON, MOWING_DATE,
                              FOREST_CUTS, FOREST_HEIGHT, IRRIGATION)}
