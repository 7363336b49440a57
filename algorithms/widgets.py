"""A dialog widget choosing a value among those of a layer's field (the crop
of crop_yield among the crops of the parcels): still a text parameter, so
that scripts, models and qgis_process pass any value as before."""
from processing.gui.wrappers import DIALOG_STANDARD, WidgetWrapper
from processing.tools.dataobjects import createContext
from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProcessingUtils
from qgis.PyQt.QtWidgets import QComboBox

MAX_VALUES = 500      # beyond this the field is no category: type the value


class FieldValueWrapper(WidgetWrapper):
    """An editable list of the values of the field `field` of the layer
    `layer` (names of the algorithm's parameters, given in the metadata)."""

    def __init__(self, param, dialog, row=0, col=0, layer=None, field=None, **kwargs):
        self.layer_param, self.field_param = layer, field
        self.others = {}
        super().__init__(param, dialog, row, col, **kwargs)

    def createWidget(self):  # noqa: N802 - QGIS API
        combo = QComboBox()
        combo.setEditable(True)
        combo.currentTextChanged.connect(lambda _: self.widgetValueHasChanged.emit(self))
        return combo

    def postInitialize(self, wrappers):  # noqa: N802 - QGIS API
        if self.dialogType != DIALOG_STANDARD:
            return                 # batch rows and model steps: typed as text
        for wrapper in wrappers:
            name = wrapper.parameterDefinition().name()
            if name in (self.layer_param, self.field_param):
                self.others[name] = wrapper
                wrapper.widgetValueHasChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_):
        text = self.widget.currentText()
        self.widget.blockSignals(True)
        self.widget.clear()
        self.widget.addItems(self.values())
        self.widget.setEditText(text)
        self.widget.blockSignals(False)
        self.widgetValueHasChanged.emit(self)

    def values(self):
        """The field's values in the chosen layer, sorted; none when unknown."""
        if len(self.others) < 2:
            return []
        source = self.others[self.layer_param].parameterValue()
        field = self.others[self.field_param].parameterValue()
        if isinstance(source, QgsProcessingFeatureSourceDefinition):
            source = source.source.staticValue()
        if not source or not field:
            return []
        context = createContext()       # holds the layer it loads from a path
        layer = QgsProcessingUtils.mapLayerFromString(str(source), context)
        index = layer.fields().lookupField(str(field)) if layer else -1
        if index < 0:
            return []
        found = layer.uniqueValues(index, MAX_VALUES + 1)
        return [] if len(found) > MAX_VALUES else sorted(str(v) for v in found if v is not None)

    def setValue(self, value):  # noqa: N802 - QGIS API
        self.widget.setEditText("" if value is None else str(value))

    def value(self):
        return self.widget.currentText().strip()
