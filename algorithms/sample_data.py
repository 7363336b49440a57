"""chainon:sample_data — a synthetic scene with known ground truth, so that a
new user can try a product without downloading anything."""
from html import escape

from qgis.core import (QgsProcessingOutputFile, QgsProcessingOutputFolder,
                       QgsProcessingOutputRasterLayer, QgsProcessingOutputVectorLayer,
                       QgsProcessingParameterEnum, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterNumber)

from ..core.scenes.crop_carbon import make_crop_carbon_scene
from ..core.scenes.crop_yield import make_crop_yield_scene
from ..core.scenes.forest_cuts import make_forest_cut_scene
from ..core.scenes.forest_height import make_forest_chain_scene, make_forest_height_scene
from ..core.scenes.irrigation import make_irrigation_scene
from ..core.scenes.land_cover import make_land_cover_scene
from ..core.scenes.mowing import make_mowing_scene
from ..core.scenes.snow import make_snow_scene
from .base import ChainonAlgorithm
from .i18n import tr

# append only: saved models store the index
SCENARIOS = ("snow", "crop_carbon", "mowing", "land_cover", "crop_yield", "forest_cuts",
             "forest_height", "irrigation", "forest_chain")
# scenario: (scene maker, whether it reports progress, {output: scene attribute})
SCENES = {
    "snow": (make_snow_scene, True, {"S2_FOLDER": "s2_folder", "DEM": "dem_path",
                                     "TRUTH_FOLDER": "truth_dir"}),
    "crop_carbon": (make_crop_carbon_scene, True, {
        "S2_FOLDER": "s2_folder", "TRUTH_FOLDER": "truth_dir", "METEO": "meteo_path",
        "CROP_MASK": "crop_mask_path", "PARCELS": "parcels_path"}),
    "mowing": (make_mowing_scene, False, {
        "S2_FOLDER": "s2_folder", "TRUTH_FOLDER": "truth_dir", "LAND_COVER": "land_cover",
        "PARCELS": "parcels", "FIELD_DATES": "observations"}),
    "land_cover": (make_land_cover_scene, False, {
        "S2_FOLDER": "s2_folder", "DEM": "dem_path", "TRUTH_FOLDER": "truth_dir",
        "LAND_COVER": "truth_path", "REFERENCE": "reference_path", "REGIONS": "regions_path"}),
    "crop_yield": (make_crop_yield_scene, False, {
        "S2_FOLDER": "s2_folder", "DEM": "dem_path", "TRUTH_FOLDER": "truth_dir",
        "PARCELS": "parcels_path", "UNITS": "units_path", "STATISTICS": "statistics_path",
        "REFERENCE": "reference_path", "LAND_COVER": "land_cover_path"}),
    "forest_cuts": (make_forest_cut_scene, False, {
        "S1_FOLDER": "s1_folder", "TRUTH_FOLDER": "truth_dir", "FOREST_MASK": "forest_mask",
        "LAND_COVER": "land_cover"}),
    "forest_height": (make_forest_height_scene, False, {
        "S2_FOLDER": "s2_folder", "TRUTH_FOLDER": "truth_dir", "GEDI": "gedi_folder",
        "FOREST_MASK": "forest_mask", "LAND_COVER": "land_cover"}),
    "irrigation": (make_irrigation_scene, False, {
        "S2_FOLDER": "s2_folder", "S1_FOLDER": "s1_folder", "TRUTH_FOLDER": "truth_dir",
        "METEO": "rain_path", "METEO_RASTER": "rain_folder", "PARCELS": "parcels_path"}),
    "forest_chain": (make_forest_chain_scene, False, {
        "S2_FOLDER": "s2_folder", "S1_FOLDER": "s1_folder", "GEDI": "gedi_folder",
        "TRUTH_FOLDER": "truth_dir", "REFERENCE": "reference_path", "LAND_COVER": "land_cover",
        "FOREST_MASK": "forest_mask"}),
}


class SampleDataAlgorithm(ChainonAlgorithm):
    icon_name = "sample_data.svg"

    def name(self):
        return "sample_data"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("Sample data (synthetic scene)")

    def groupId(self):  # noqa: N802 - QGIS API
        return "tools"

    def shortDescription(self):  # noqa: N802 - QGIS API
        return tr("Writes a SYNTHETIC Sentinel-2 time series in the THEIA L2A format, with a DEM "
                  "and the ground truth, to try Chaînon's products without downloading data. "
                  "The data are simulated, not observations.")

    def description_html(self):
        return f"<p>{escape(self.shortDescription())}</p>"

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add(QgsProcessingParameterEnum(
            "SCENARIO", tr("Scenario"),
            options=[tr("Snow: mountain tile, one hydrological year"),
                     tr("Crop carbon: winter-wheat fields in south-west France, October to "
                        "July, with daily meteorology"),
                     tr("Mowing: meadows among crops and woods, March to October, with a land "
                        "cover, meadow parcels and dated field observations"),
                     tr("Land cover: parcels of twelve OSO classes through a calendar year, "
                        "with reference polygons and eco-climatic regions"),
                     tr("Crop yield: winter wheat among other crops through a calendar year, "
                        "with parcels, declared yields, units and official statistics"),
                     tr("Forest cuts: Sentinel-1 (S1Tiling files, 10 m pixels) of a forest "
                        "with dated clear-cuts over two years, with a forest mask"),
                     tr("Forest height: broadleaved and coniferous stands of known height among "
                        "meadows through a calendar year, with GEDI L2A granules, a land cover "
                        "and a forest mask"),
                     tr("Irrigation: irrigated and rainfed crop parcels, March to October, with "
                        "Sentinel-1, daily rain (METEO) and labelled parcels (irrigated)"),
                     tr("Forest chain: the forest height scene with reference polygons of "
                        "meadows and broadleaved and coniferous forest (16, 17) and two years "
                        "of Sentinel-1 with clear-cuts in the second, for land cover then "
                        "forest cuts and forest height")],
            defaultValue=0),
            tr("Which product the scene is made for."))
        self.add(QgsProcessingParameterNumber(
            "SIZE", tr("Size (pixels at 20 m)"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=240, minValue=24, maxValue=5490),
            tr("Width and height of the scene; 5490 is a full Sentinel-2 tile."))
        self.add(QgsProcessingParameterNumber(
            "SEED", tr("Random seed"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=0, minValue=0),
            tr("The same seed always writes the same scene."))
        self.add(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")),
                 tr("Where the scene is written."))
        self.add(QgsProcessingOutputFolder("S2_FOLDER", tr("Sentinel-2 folder")),
                 tr("The folder of simulated THEIA L2A products, for the S2_FOLDER input of "
                    "a product."))
        self.add(QgsProcessingOutputFolder("S1_FOLDER", tr("Sentinel-1 folder")),
                 tr("Forest cuts scenario: the folder of simulated S1Tiling files, for the "
                    "S1_FOLDER input of chainon:forest_cuts."))
        self.add(QgsProcessingOutputRasterLayer("FOREST_MASK", tr("Forest mask")),
                 tr("Forest cuts scenario: 1 in the forest, 0 elsewhere."))
        self.add(QgsProcessingOutputFolder("GEDI", tr("GEDI folder")),
                 tr("Forest height scenario: the folder of simulated GEDI L2A granules, for the "
                    "GEDI input of chainon:forest_height."))
        self.add(QgsProcessingOutputRasterLayer("DEM", tr("DEM")),
                 tr("The simulated elevation model (m)."))
        self.add(QgsProcessingOutputFolder("TRUTH_FOLDER", tr("Ground truth folder")),
                 tr("The ground truth the products are measured against."))
        self.add(QgsProcessingOutputFile("METEO", tr("Daily meteorology")),
                 tr("Crop carbon scenario: the daily weather table (CSV) for the METEO input."))
        self.add(QgsProcessingOutputFolder("METEO_RASTER", tr("Daily rain rasters")),
                 tr("Irrigation scenario: the folder of daily rain rasters (mm), for the "
                    "PRECIPITATION_RASTER input of chainon:irrigation."))
        self.add(QgsProcessingOutputRasterLayer("CROP_MASK", tr("Crop mask")),
                 tr("Crop carbon scenario: 1 on the wheat fields, 0 elsewhere."))
        self.add(QgsProcessingOutputVectorLayer("PARCELS", tr("Parcels")),
                 tr("Crop carbon scenario: the wheat fields as polygons (field_id). Mowing "
                    "scenario: the meadow parcels (parcel_id). Crop yield scenario: every "
                    "parcel with its crop (CODE_CULTU) and the declared wheat yields "
                    "(RDT_DECL, t/ha)."))
        self.add(QgsProcessingOutputRasterLayer("LAND_COVER", tr("Land cover")),
                 tr("Mowing scenario: the land cover in OSO codes (13 = grasslands). Land "
                    "cover and crop yield scenarios: the true land cover."))
        self.add(QgsProcessingOutputVectorLayer("FIELD_DATES", tr("Field observations")),
                 tr("Mowing scenario: points in some mown meadows with the first mowing date "
                    "(field mowing_date)."))
        self.add(QgsProcessingOutputVectorLayer("REFERENCE", tr("Reference polygons")),
                 tr("Land cover and crop yield scenarios: one polygon per parcel with its OSO "
                    "class (field code), to train on. Forest chain scenario: one polygon per "
                    "stand or meadow (code 13, 16 or 17)."))
        self.add(QgsProcessingOutputVectorLayer("REGIONS", tr("Eco-climatic regions")),
                 tr("Land cover scenario: two regions (field region); the second one's "
                    "phenology is late."))
        self.add(QgsProcessingOutputVectorLayer("UNITS", tr("Administrative units")),
                 tr("Crop yield scenario: six units (field code)."))
        self.add(QgsProcessingOutputFile("STATISTICS", tr("Official statistics")),
                 tr("Crop yield scenario: CSV of the units' wheat yield (code, yield)."))

    def compute(self, parameters, context, feedback, progress):
        scenario = SCENARIOS[self.parameterAsEnum(parameters, "SCENARIO", context)]
        make, reports_progress, outputs = SCENES[scenario]
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        kwargs = {"seed": self.parameterAsInt(parameters, "SEED", context),
                  "size": self.parameterAsInt(parameters, "SIZE", context)}
        if reports_progress:
            kwargs["progress"] = progress
        scene = make(folder, **kwargs)
        feedback.pushInfo(tr("Synthetic scene: {n} acquisitions written to {folder}.").format(
            n=len(scene.dates), folder=getattr(scene, "s2_folder", None) or scene.s1_folder))
        return {"OUTPUT_FOLDER": folder,
                **{key: str(getattr(scene, attr)) for key, attr in outputs.items()}}
