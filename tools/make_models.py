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
                       QgsProcessingParameterNumber)

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
    model = QgsProcessingModelAlgorithm("Grassland mowing date from a land cover map",
                                        "Chaînon examples")
    sample_data(model, 3)
    s2 = Source.fromChildOutput("sample_data", "S2_FOLDER")
    child(model, "chainon:land_cover", "land_cover", {
        "S2_FOLDER": s2, "REFERENCE": Source.fromChildOutput("sample_data", "REFERENCE"),
        "CLASS_FIELD": Source.fromStaticValue("code")},
        [("OUTPUT", "land_cover", "Land cover")])
    child(model, "chainon:mowing_date", "mowing_date", {
        "S2_FOLDER": s2, "LAND_COVER": Source.fromChildOutput("land_cover", "OUTPUT"),
        "GRASSLAND_CLASSES": Source.fromStaticValue("13")},
        [("OUTPUT", "mowing_date", "First mowing date")])
    return model, "mowing_date_from_land_cover.model3"


def main():
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    import chainon
    Processing.initialize()
    plugin = chainon.classFactory(None)
    plugin.initProcessing()
    for make in (snow_model, land_cover_mowing_model):
        model, name = make()
        model.updateDestinationParameters()
        assert model.toFile(str(MODELS / name)), name
        print(f"wrote {MODELS / name}")


if __name__ == "__main__":
    main()
