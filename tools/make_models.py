"""Writes the example models shipped in resources/models/ (graphical-modeler
files that users open, and tests run). Run: QT_QPA_PLATFORM=offscreen
.venv/bin/python tools/make_models.py"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import (QgsApplication, QgsProcessingModelAlgorithm,  # noqa: E402
                       QgsProcessingModelChildAlgorithm,
                       QgsProcessingModelChildParameterSource as Source,
                       QgsProcessingModelOutput, QgsProcessingModelParameter,
                       QgsProcessingParameterDateTime, QgsProcessingParameterExtent,
                       QgsProcessingParameterNumber, QgsProcessingParameterString)

MODELS = ROOT / "resources" / "models"


def child(model, alg_id, child_id, sources, outputs=()):
    """Adds a child algorithm; sources {param: Source}; outputs (child output,
    model output name, description) become model outputs."""
    c = QgsProcessingModelChildAlgorithm(alg_id)
    c.setChildId(child_id)
    c.setDescription(QgsApplication.processingRegistry().algorithmById(alg_id).displayName())
    for name, source in sources.items():
        c.addParameterSources(name, [source])
    model_outputs = {}
    for child_output, name, description in outputs:
        out = QgsProcessingModelOutput(name, description)
        out.setChildId(child_id)
        out.setChildOutputName(child_output)
        model_outputs[name] = out
    c.setModelOutputs(model_outputs)
    model.addChildAlgorithm(c)


def number(model, name, description, default):
    model.addModelParameter(QgsProcessingParameterNumber(
        name, description, QgsProcessingParameterNumber.Type.Integer, default, minValue=0),
        QgsProcessingModelParameter(name))


def sample_data(model, scenario):
    number(model, "size", "Scene size (pixels)", 96)
    number(model, "seed", "Random seed", 0)
    child(model, "chainon:sample_data", "sample_data", {
        "SCENARIO": Source.fromStaticValue(scenario),
        "SIZE": Source.fromModelParameter("size"), "SEED": Source.fromModelParameter("seed"),
        "OUTPUT_FOLDER": Source.fromStaticValue("TEMPORARY_OUTPUT")})


def land_cover_model(title, scenario):
    """A model running sample data, then the land cover trained on its
    reference polygons (model output land_cover); returns it and the source
    of the S2 folder."""
    model = QgsProcessingModelAlgorithm(title, "Chaînon examples")
    sample_data(model, scenario)
    s2 = Source.fromChildOutput("sample_data", "S2_FOLDER")
    child(model, "chainon:land_cover", "land_cover", {
        "S2_FOLDER": s2, "REFERENCE": Source.fromChildOutput("sample_data", "REFERENCE"),
        "CLASS_FIELD": Source.fromStaticValue("code")},
        [("OUTPUT", "land_cover", "Land cover")])
    return model, s2


def snow_model():
    model = QgsProcessingModelAlgorithm("Snow cover from sample data", "Chaînon examples")
    sample_data(model, 0)
    child(model, "chainon:snow_cover", "snow_cover", {
        "S2_FOLDER": Source.fromChildOutput("sample_data", "S2_FOLDER"),
        "DEM": Source.fromChildOutput("sample_data", "DEM"),
        "OUTPUT_FOLDER": Source.fromStaticValue("TEMPORARY_OUTPUT")},
        [("OUTPUT", "snow_cover_duration", "Snow cover duration")])
    return model, "snow_cover_from_sample_data.model3"


def land_cover_mowing_model():
    """Land cover, then the first mowing date of its grasslands (class 13)."""
    model, s2 = land_cover_model("Grassland mowing date from a land cover map", 3)
    child(model, "chainon:mowing_date", "mowing_date", {
        "S2_FOLDER": s2, "LAND_COVER": Source.fromChildOutput("land_cover", "OUTPUT"),
        "GRASSLAND_CLASSES": Source.fromStaticValue("13")},
        [("OUTPUT", "mowing_date", "First mowing date")])
    return model, "mowing_date_from_land_cover.model3"


def land_cover_crop_yield_model():
    """Land cover, then the wheat yield over its crop classes (the crop mask)."""
    model, s2 = land_cover_model("Crop yield over the crops of a land cover map", 4)
    child(model, "chainon:crop_yield", "crop_yield", {
        "S2_FOLDER": s2, "PARCELS": Source.fromChildOutput("sample_data", "PARCELS"),
        "CROP_FIELD": Source.fromStaticValue("CODE_CULTU"), "CROP": Source.fromStaticValue("BTH"),
        "YIELD_FIELD": Source.fromStaticValue("RDT_DECL"),
        "CROP_MASK": Source.fromChildOutput("land_cover", "OUTPUT"),
        "CROP_CLASSES": Source.fromStaticValue("5, 6, 7, 8, 9, 10, 11, 12")},
        [("OUTPUT", "crop_yield", "Parcels with predicted yield"),
         ("OUTPUT_PIXELS", "yield_pixels", "Yield per pixel")])
    return model, "crop_yield_from_land_cover.model3"


def land_cover_forest_model():
    """Land cover, then forest cuts and forest height over its forest classes
    (16 broadleaved, 17 coniferous)."""
    model = QgsProcessingModelAlgorithm("Forest cuts and forest height from a land cover map",
                                        "Chaînon examples")
    sample_data(model, 8)
    data = {k: Source.fromChildOutput("sample_data", k)
            for k in ("S2_FOLDER", "S1_FOLDER", "GEDI", "REFERENCE")}
    child(model, "chainon:land_cover", "land_cover", {
        "S2_FOLDER": data["S2_FOLDER"], "REFERENCE": data["REFERENCE"],
        "CLASS_FIELD": Source.fromStaticValue("code")},
        [("OUTPUT", "land_cover", "Land cover")])
    forest = {"LAND_COVER": Source.fromChildOutput("land_cover", "OUTPUT"),
              "FOREST_CLASSES": Source.fromStaticValue("16,17")}
    child(model, "chainon:forest_cuts", "forest_cuts", {"S1_FOLDER": data["S1_FOLDER"], **forest},
          [("OUTPUT", "forest_cuts", "Clear-cut detection date")])
    child(model, "chainon:forest_height", "forest_height", {
        "S2_FOLDER": data["S2_FOLDER"], "S1_FOLDER": data["S1_FOLDER"], "GEDI": data["GEDI"],
        **forest}, [("OUTPUT", "forest_height", "Canopy height"),
                    ("OUTPUT_AGB", "biomass", "Above-ground biomass")])
    return model, "forest_cuts_and_height_from_land_cover.model3"


def compute_centre_forest_cuts_model():
    """Clear-cuts of an area run at the compute centre (service and token from
    the plugin settings), then the area cut per detection date on this computer."""
    model = QgsProcessingModelAlgorithm("Clear-cuts from the compute centre, with the area "
                                        "per detection date", "Chaînon examples")
    for param in (
            QgsProcessingParameterExtent("extent", "Extent", optional=True),
            QgsProcessingParameterString("area", "Compute-centre area ('france' or tile ids; "
                                                 "empty: the extent)", optional=True),
            QgsProcessingParameterDateTime("start", "Start date",
                                           type=QgsProcessingParameterDateTime.Type.Date),
            QgsProcessingParameterDateTime("end", "End date",
                                           type=QgsProcessingParameterDateTime.Type.Date)):
        model.addModelParameter(param, QgsProcessingModelParameter(param.name()))
    child(model, "chainon:forest_cuts", "forest_cuts", {
        "TARGET": Source.fromStaticValue(1), "AREA": Source.fromModelParameter("area"),
        "EXTENT": Source.fromModelParameter("extent"),
        "START": Source.fromModelParameter("start"), "END": Source.fromModelParameter("end")},
        [("OUTPUT", "forest_cuts", "Clear-cut detection date")])
    child(model, "native:rasterlayeruniquevaluesreport", "areas", {
        "INPUT": Source.fromChildOutput("forest_cuts", "OUTPUT"),
        "BAND": Source.fromStaticValue(1)},
        [("OUTPUT_TABLE", "areas", "Area per detection date (days since 2018-01-01)")])
    return model, "forest_cuts_at_the_compute_centre.model3"


def main():
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    import chainon
    Processing.initialize()
    plugin = chainon.classFactory(None)
    plugin.initProcessing()
    for make in (snow_model, land_cover_mowing_model, land_cover_crop_yield_model,
                 land_cover_forest_model, compute_centre_forest_cuts_model):
        model, name = make()
        model.updateDestinationParameters()
        assert model.toFile(str(MODELS / name)), name
        print(f"wrote {MODELS / name}")


if __name__ == "__main__":
    main()
