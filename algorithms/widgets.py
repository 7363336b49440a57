"""Dialog widgets that read the user's layer to offer the obvious value.

FieldValueWrapper: the crop of crop_yield chosen among the crops of the
parcels, in the toolbox dialog and in each row of the batch table (from that
row's layer); in the modeler a free entry (or a model input), checked when
the model runs. The parameter stays text, so scripts, models and
qgis_process pass any value as before.

DateFieldWrapper: the date field of the field observations pre-selected by
name, else by type (vectors.date_field, also used when a run names none)."""
from processing.gui.wrappers import (DIALOG_BATCH, DIALOG_MODELER, DIALOG_STANDARD,
                                     TableFieldWidgetWrapper, WidgetWrapper)
from processing.tools.dataobjects import createContext
from qgis.core import (NULL, QgsProcessingFeatureSourceDefinition,
                       QgsProcessingOutputString, QgsProcessingParameterString,
                       QgsProcessingUtils)
from qgis.PyQt.QtWidgets import QComboBox

from .i18n import tr
from .vectors import date_field

MAX_VALUES = 500      # beyond this the field is no category: type the value


class FieldValueWrapper(WidgetWrapper):
    """An editable list of the values of the field `field` of the layer
    `layer` (names of the algorithm's parameters, given in the metadata)."""

    def __init__(self, param, dialog, row=0, col=0, layer=None, field=None, **kwargs):
        self.layer_param, self.field_param = layer, field
        self.others = {}
        self.offered = []
        super().__init__(param, dialog, row, col, **kwargs)

    def createWidget(self):  # noqa: N802 - QGIS API
        combo = QComboBox()
        combo.setEditable(True)
        if self.dialogType == DIALOG_MODELER:
            # the model's text inputs, or a value checked against the parcels when it runs
            for source in self.dialog.getAvailableValuesOfType(
                    [QgsProcessingParameterString], [QgsProcessingOutputString]):
                combo.addItem(self.dialog.resolveValueDescription(source), source)
            combo.setCurrentIndex(-1)          # optional: no model input chosen for the user
            combo.lineEdit().setPlaceholderText(tr(
                "A crop code, e.g. BTH: checked against the crops of the parcels when the "
                "model runs"))
        combo.currentTextChanged.connect(self._changed)
        return combo

    def _changed(self, _text):
        self.check()
        self.widgetValueHasChanged.emit(self)

    def postInitialize(self, wrappers):  # noqa: N802 - QGIS API
        if self.dialogType not in (DIALOG_STANDARD, DIALOG_BATCH):
            return
        # in the batch table `wrappers` are this row's: each row lists its own layer's crops
        for wrapper in wrappers:
            name = wrapper.parameterDefinition().name()
            if name in (self.layer_param, self.field_param):
                self.others[name] = wrapper
                wrapper.widgetValueHasChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_):
        text = self.widget.currentText()
        self.offered = self.values()
        self.widget.blockSignals(True)
        self.widget.clear()
        self.widget.addItems(self.offered)
        self.widget.setEditText(text)
        self.widget.blockSignals(False)
        self._changed(text)

    def check(self):
        """A typed value that is not a crop of the parcels is shown as such
        (red, the crops present in the tooltip); the run would refuse it."""
        text = self.widget.currentText().strip()
        wrong = bool(text and self.offered and text not in self.offered)
        self.widget.setStyleSheet("QComboBox { color: #c00000; }" if wrong else "")
        self.widget.setToolTip(tr("{crop} is not a crop of the parcels; they hold: {crops}")
                               .format(crop=text, crops=", ".join(self.offered))
                               if wrong else self.parameterDefinition().description())
        return not wrong

    def values(self):
        """The field's values in the chosen layer, sorted; none when unknown."""
        if len(self.others) < 2:
            return []
        context = createContext()       # holds the layer it loads from a path
        layer = layer_of(self.others[self.layer_param].parameterValue(), context)
        field = self.others[self.field_param].parameterValue()
        index = layer.fields().lookupField(str(field)) if layer and field else -1
        if index < 0:
            return []
        found = layer.uniqueValues(index, MAX_VALUES + 1)
        return [] if len(found) > MAX_VALUES else sorted(
            str(v) for v in found if v is not None and v != NULL)

    def setValue(self, value):  # noqa: N802 - QGIS API
        if self.dialogType == DIALOG_MODELER:
            self.setComboValue(value)      # a model input, or text
        else:
            self.widget.setEditText("" if value is None or value == NULL else str(value))

    def value(self):
        if self.dialogType == DIALOG_MODELER:
            return self.comboValue()
        return self.widget.currentText().strip()


class DateFieldWrapper(TableFieldWidgetWrapper):
    """QGIS's field list, whose default falls back on the layer's date field
    found by its type when the layer has no field of the default name."""

    def refreshItems(self):  # noqa: N802 - QGIS API
        super().refreshItems()
        if self.dialogType in (DIALOG_STANDARD, DIALOG_BATCH) and self._layer is not None \
                and not self.parameterDefinition().allowMultiple():
            chosen = date_field(self._layer, self.parameterDefinition().defaultValue())
            if chosen:
                self.widget.setField(chosen)


def layer_of(value, context):
    """The vector layer a layer parameter's value names (loaded into
    `context`, which must outlive its use), None when none."""
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source.staticValue()
    if not value:
        return None
    return QgsProcessingUtils.mapLayerFromString(str(value), context) \
        if isinstance(value, str) else value
