"""What the real Processing dialogs show (issue 12): each dialog marks as
required exactly what its run needs; the crop of crop_yield is chosen among
the crops of the parcels in the toolbox, in each row of the batch table and
as a free entry (or model input) in the modeler, checked when the model runs;
the date field of mowing_date's observations is pre-selected by name, else
by type."""
import json
import re

import processing
import pytest
from processing.tools.dataobjects import createContext
from qgis.core import (QgsApplication, QgsFeature, QgsField, QgsGeometry, QgsPointXY,
                       QgsProcessingContext, QgsProcessingException,
                       QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback,
                       QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                       QgsProcessingModelChildParameterSource, QgsProcessingModelParameter,
                       QgsProcessingParameterDefinition, QgsProcessingParameterString,
                       QgsVectorLayer)
from qgis.gui import QgsBrowserGuiModel
from qgis.PyQt.QtCore import QDate

from chainon.algorithms.field_types import DATE, INT, STRING
from chainon.algorithms.provider import PRODUCTS
from chainon.algorithms.vectors import date_field
from test_dialogs import LOCAL_INPUTS

PRODUCT_IDS = [cls.product.id for cls in PRODUCTS]


@pytest.fixture(scope="module")
def dialogs(provider, qgis_iface):
    """Processing's dialog classes; pytest-qgis's iface lacks the browser model."""
    browser = QgsBrowserGuiModel()
    qgis_iface.browserModel = lambda: browser
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog
    return AlgorithmDialog, BatchAlgorithmDialog, ModelerParametersDialog


def alg(name):
    return QgsApplication.processingRegistry().algorithmById(f"chainon:{name}").create()


def parcels(path, crops):
    """A GeoJSON of one small square parcel per crop code (field CODE_CULTU)."""
    features = [{"type": "Feature", "properties": {"CODE_CULTU": crop, "RDT_DECL": 7.0},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [i, 0], [i + 0.001, 0], [i + 0.001, 0.001], [i, 0.001], [i, 0]]]}}
                for i, crop in enumerate(crops)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def offered(wrapper):
    return [wrapper.widget.itemText(i) for i in range(wrapper.widget.count())]


ALGORITHMS = [f"{p}{twin}" for p in PRODUCT_IDS for twin in ("", "_remote")] + ["sample_data"]


@pytest.mark.parametrize("name", ALGORITHMS)
def test_each_dialog_shows_as_required_what_its_run_needs(dialogs, name):
    """Every input showed "[optional]" (the compute centre needed none)."""
    algorithm_dialog, _, _ = dialogs
    algorithm = alg(name)
    dialog = algorithm_dialog(algorithm)
    labels = {n: w.wrappedLabel().text() for n, w in dialog.mainWidget().wrappers.items()
              if w.wrappedLabel()}                     # check boxes have none
    dialog.close()
    shown = {n for n, text in labels.items() if "[optional]" not in text}
    assert shown == set(required(algorithm)) & set(labels)
    needed = {"START", "END"} if name.endswith("_remote") else LOCAL_INPUTS.get(name, set())
    assert needed <= shown


def test_the_crop_is_listed_from_each_batch_row_parcels(dialogs, tmp_path):
    """The batch table had a blank text cell: the crop was typed blind."""
    _, batch_dialog, _ = dialogs
    dialog = batch_dialog(alg("crop_yield"))
    panel = dialog.mainWidget()
    panel.addRow()
    rows = [{w.parameterDefinition().name(): w for w in row if w is not None}
            for row in panel.wrappers[:2]]
    rows[0]["PARCELS"].setParameterValue(parcels(tmp_path / "a.geojson", ["MIS", "BTH", "BTH"]),
                                         createContext())
    rows[1]["PARCELS"].setParameterValue(parcels(tmp_path / "b.geojson", ["ORH", "CZH"]),
                                         createContext())
    assert offered(rows[0]["CROP"]) == ["BTH", "MIS"]
    assert offered(rows[1]["CROP"]) == ["CZH", "ORH"]
    rows[1]["CROP"].setValue("CZH")
    assert rows[1]["CROP"].check() and panel.parametersForRow(1, warnOnInvalid=False)[0][
        "CROP"] == "CZH"
    rows[0]["CROP"].setValue("CZH")                # typed, not a crop of this row's parcels
    assert not rows[0]["CROP"].check()
    assert "BTH, MIS" in rows[0]["CROP"].widget.toolTip()
    dialog.close()


def test_the_toolbox_dialog_lists_the_crops_and_shows_what_is_required(dialogs, tmp_path):
    """The form shows as required ("[optional]" nowhere in their label) what
    a local run needs, and nothing else; the crop field is pre-selected and
    the Crop list offers the parcels' crops (selected features too)."""
    algorithm_dialog, _, _ = dialogs
    algorithm = alg("crop_yield")
    dialog = algorithm_dialog(algorithm)
    wrappers = dialog.mainWidget().wrappers
    shown = {name for name, w in wrappers.items()
             if w.wrappedLabel() and "[optional]" not in w.wrappedLabel().text()}
    assert shown == set(required(algorithm))
    path = parcels(tmp_path / "p.geojson", ["BTH", "MIS"])
    wrappers["PARCELS"].setParameterValue(QgsProcessingFeatureSourceDefinition(path),
                                          createContext())
    assert offered(wrappers["CROP"]) == ["BTH", "MIS"]
    assert wrappers["CROP_FIELD"].parameterValue() == "CODE_CULTU"
    dialog.close()


def required(algorithm):
    flags = QgsProcessingParameterDefinition.Flag
    return [d.name() for d in algorithm.parameterDefinitions()
            if not d.flags() & (flags.FlagOptional | flags.FlagHidden)]


def test_the_modeler_takes_a_typed_crop_or_a_model_input(dialogs):
    _, _, modeler_dialog = dialogs
    model = QgsProcessingModelAlgorithm("yield", "tests")
    model.addModelParameter(QgsProcessingParameterString("crop_code", "Crop code"),
                            QgsProcessingModelParameter("crop_code"))
    dialog = modeler_dialog(alg("crop_yield"), model)
    crop = dialog.widget.widget.wrappers["CROP"]
    assert offered(crop) == ["Crop code"] and crop.widget.currentText() == ""
    assert "checked against the crops" in crop.widget.lineEdit().placeholderText()
    crop.widget.setCurrentIndex(0)
    source = dialog.createAlgorithm().parameterSources()["CROP"][0]
    assert source.source() == QgsProcessingModelChildParameterSource.ModelParameter
    assert source.parameterName() == "crop_code"
    crop.widget.setEditText("BTH")
    source = dialog.createAlgorithm().parameterSources()["CROP"][0]
    assert source.staticValue() == "BTH"
    dialog.close()


def test_a_model_given_a_crop_the_parcels_lack_says_which_they_hold(provider, tmp_path):
    """In a model the crop is free text: the run refuses an absent crop at
    once, naming the crops present."""
    model = QgsProcessingModelAlgorithm("yield", "tests")
    model.addModelParameter(QgsProcessingParameterString("crop_code", "Crop code"),
                            QgsProcessingModelParameter("crop_code"))
    child = QgsProcessingModelChildAlgorithm("chainon:crop_yield")
    child.setChildId("yield")
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    for name, source in (  # (setParameterSources with a dict crashes PyQGIS 3.22)
            ("S2_FOLDER", static(str(tmp_path))),
            ("PARCELS", static(parcels(tmp_path / "p.geojson", ["MIS", "BTH"]))),
            ("CROP", QgsProcessingModelChildParameterSource.fromModelParameter("crop_code")),
            ("OUTPUT", static(str(tmp_path / "out.gpkg")))):
        child.addParameterSources(name, [source])
    model.addChildAlgorithm(child)
    feedback = Errors()
    with pytest.raises(QgsProcessingException):
        processing.run(model, {"crop_code": "ORH"}, feedback=feedback)
    assert any(re.search("ORH.*BTH, MIS", e) for e in feedback.errors), feedback.errors


class Errors(QgsProcessingFeedback):
    """The errors of a run, as its log shows them."""

    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatal=False):  # noqa: N802 - QGIS API
        self.errors.append(error)


def observations(fields, rows):
    """A memory point layer with fields [(name, field type)] and rows."""
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "obs", "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    for row in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(list(row))
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(600000, 6800000)))
        layer.dataProvider().addFeature(f)
    return layer


@pytest.mark.parametrize("fields, rows, expected", [
    ([("id", INT), ("seen", DATE)], [(1, QDate(2018, 6, 2))], "seen"),
    ([("note", STRING), ("seen", STRING)],
     [("cut", "2018-06-02"), ("cut", None)], "seen"),
    ([("seen", DATE), ("date_fauche", STRING)],
     [(QDate(2018, 6, 2), "2018-06-03")], "date_fauche"),           # named like a date first
    ([("mowing_date", STRING), ("seen", DATE)],
     [("153", QDate(2018, 6, 2))], "mowing_date"),                  # the default name
    ([("doy", INT), ("note", STRING)], [(153, "2018-06-02 or so")], None)])
def test_the_date_field_is_found_by_type(qgis_app, fields, rows, expected):
    assert date_field(observations(fields, rows), "mowing_date") == expected


def test_dialogs_preselect_the_observations_date_field(dialogs, tmp_path):
    """DATE_FIELD stayed on the absent mowing_date (empty) for any other name."""
    algorithm_dialog, batch_dialog, _ = dialogs
    path = tmp_path / "obs.geojson"           # OGR reads "2018-06-02" as a date field
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1, "observed": "2018-06-02"},
         "geometry": {"type": "Point", "coordinates": [1.0, 45.0]}}]}))
    dialog = algorithm_dialog(alg("mowing_date"))
    wrappers = dialog.mainWidget().wrappers
    wrappers["FIELD_DATES"].setParameterValue(str(path), createContext())
    assert wrappers["DATE_FIELD"].value() == "observed"
    dialog.close()
    dialog = batch_dialog(alg("mowing_date"))
    row = {w.parameterDefinition().name(): w
           for w in dialog.mainWidget().wrappers[0] if w is not None}
    row["FIELD_DATES"].setParameterValue(str(path), createContext())
    assert row["DATE_FIELD"].value() == "observed"
    dialog.close()


def test_the_modeler_takes_a_typed_date_field(dialogs):
    _, _, modeler_dialog = dialogs
    dialog = modeler_dialog(alg("mowing_date"), QgsProcessingModelAlgorithm("m", "tests"))
    dialog.widget.widget.wrappers["DATE_FIELD"].widget.setEditText("observed")
    source = dialog.createAlgorithm().parameterSources()["DATE_FIELD"][0]
    assert source.staticValue() == "observed"
    dialog.close()


def test_a_run_naming_no_date_field_takes_the_date_field(provider, qgis_app):
    layer = observations([("id", INT), ("observed", STRING)],
                         [(i, f"2018-06-{i + 1:02d}") for i in range(3)])
    algorithm = alg("mowing_date")
    reference = algorithm._observations({"FIELD_DATES": layer}, QgsProcessingContext())
    assert len(reference.values) == 3
