"""Results as they load in QGIS: styled from the catalog's QML, named after
the product ("Snow cover duration 31TCJ"), the main output on top of the
secondary ones and the per-date maps in one collapsed group below them. Layer
post-processors run on the main thread, as Processing requires."""
import re

from qgis.core import QgsLayerTreeGroup, QgsProcessingLayerPostProcessorInterface
from qgis.PyQt.QtXml import QDomDocument

from ..core.qml import qml_for
from .i18n import tr

_keep = []   # sip would otherwise delete post-processors before they run
TILE = re.compile(r"T?(\d\d[A-Z]{3})$")


class CatalogStyle(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, output, name=None, ramp_max=None):
        super().__init__()
        self.output, self.name, self.ramp_max = output, name, ramp_max

    @classmethod
    def create(cls, output, name=None, ramp_max=None):
        pp = cls(output, name, ramp_max)
        _keep.append(pp)
        return pp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        doc = QDomDocument()
        doc.setContent(qml_for(self.output, tr, self.ramp_max))
        layer.importNamedStyle(doc)
        if self.name:
            layer.setName(self.name)
        layer.triggerRepaint()


class Placed(QgsProcessingLayerPostProcessorInterface):
    """Runs a layer's own post-processor (its style), then names the layer
    and places it among the layers of its run."""

    def __init__(self, run, inner, name, rank, dated):
        super().__init__()
        self.run, self.inner, self.name, self.rank, self.dated = run, inner, name, rank, dated

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        if self.inner is not None:
            self.inner.postProcessLayer(layer, context, feedback)
        if self.name and not self.dated:
            layer.setName(self.name)
        self.run.place(layer, context.project(), self.rank, self.dated)
        layer.triggerRepaint()


class Run:
    """The layers one algorithm run loads: QGIS adds each on top (or at the
    end of its results group) in the order of their paths; each is moved to
    its rank among those already placed. Per-date maps go, sorted, into one
    group below the run's layers, collapsed and hidden (dozens of layers)."""

    def __init__(self, group_title):
        self.group_title = group_title
        self.ranks = {}          # layer id -> rank
        self.group = None

    def place(self, layer, project, rank, dated):
        node = project.layerTreeRoot().findLayer(layer.id())
        if node is None:
            return
        if dated:
            return self._into_group(node, layer, rank)
        self.ranks[layer.id()] = rank
        _move(node, node.parent(), self._index(node.parent(), rank, node))

    def _index(self, parent, rank, moving=None):
        """Where a node of `rank` goes among the run's nodes in `parent`
        (an index that ignores `moving`, the node being moved)."""
        siblings = [c for c in parent.children() if c is not moving]
        mine = [(i, self._rank_of(c)) for i, c in enumerate(siblings)
                if self._rank_of(c) is not None]
        if not mine:
            return parent.children().index(moving) if moving in parent.children() else 0
        after = [i for i, r in mine if r <= rank]
        return after[-1] + 1 if after else mine[0][0]

    def _rank_of(self, node):
        if isinstance(node, QgsLayerTreeGroup):
            return 10_000 if node.customProperty("chainon/run") == str(id(self)) else None
        layer_id = node.layerId() if hasattr(node, "layerId") else None
        return self.ranks.get(layer_id)

    def _into_group(self, node, layer, rank):
        parent = node.parent()
        if self.group is None:
            self.group = QgsLayerTreeGroup(self.group_title)
            self.group.setExpanded(False)
            self.group.setItemVisibilityChecked(False)
            self.group.setCustomProperty("chainon/run", str(id(self)))
            parent.insertChildNode(self._index(parent, 10_000), self.group)
        names = [c.name() for c in self.group.children()]
        index = sum(1 for n in names if n < layer.name())
        _move(node, self.group, index)
        count = len(self.group.children())
        self.group.setName(tr("{title} ({n} date)" if count == 1 else "{title} ({n} dates)")
                           .format(title=self.group_title, n=count))


def _move(node, parent, index):
    """Moves a layer node; the copy is inserted before the original goes, so
    that the project never sees its layer leave the tree (it would drop it)."""
    old_parent = node.parent()
    children = old_parent.children()
    if old_parent is parent and children.index(node) == index:
        return
    if old_parent is parent and children.index(node) < index:
        index += 1                     # the original still sits before the target
    clone = node.clone()
    parent.insertChildNode(index, clone)
    old_parent.removeChildNode(node)


def place_suffix(result):
    """" 31TCJ" for a run on one tile (its result's "tile"), else ""."""
    match = TILE.match(str((result or {}).get("tile") or ""))
    return f" {match.group(1)}" if match else ""


def area_suffix(area):
    """" 31TCJ", " (France)" or " (31TCJ, 31TCH)" for a compute-centre area."""
    parts = [p.strip() for p in (area or "").split(",") if p.strip()]
    if len(parts) == 1:
        return " " + (tr("(France)") if parts[0].lower() == "france" else parts[0])
    return f" ({', '.join(parts)})" if parts else ""


def arrange_layers(alg, context, suffix=""):
    """Wraps the post-processors of the layers `alg` loads: named after the
    product's outputs (+ suffix), main output first, per-date maps grouped."""
    order = [d.name() for d in alg.outputDefinitions()]
    product = getattr(alg, "product", None)
    titles = {o.key: tr(o.title) for o in product.outputs} if product else {}
    run = Run(tr("Maps per date") + suffix)
    for path, details in context.layersToLoadOnCompletion().items():
        key = details.outputName
        if key not in order or isinstance(details.postProcessor(), Placed):
            continue
        dated = alg.parameterDefinition(key) is not None and \
            alg.parameterDefinition(key).type() == "folderDestination"
        title = titles.get(key) or details.name
        rank = order.index(key) if not dated else 10_000
        pp = Placed(run, details.postProcessor(), title + suffix if title else "", rank, dated)
        _keep.append(pp)
        context.layerToLoadOnCompletionDetails(path).setPostProcessor(pp)
