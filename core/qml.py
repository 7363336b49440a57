"""QGIS layer styles (QML) generated from the catalog, so that the plugin,
the compute centre's sidecar files and the legends share one definition."""
from xml.sax.saxutils import quoteattr

HEADER = ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
          '<qgis version="3.22" styleCategories="Symbology">\n <pipe>\n')
FOOTER = " </pipe>\n</qgis>\n"


def qml_for(output, translate=str, ramp_max=None):
    """QML text for one catalog Output. `translate` turns English labels into
    the user's language; `ramp_max` stretches a ramp to the data (e.g. the
    number of days of the period)."""
    if output.kind == "classes":
        body = _paletted(output, translate)
    else:
        body = _pseudocolor(output, translate, ramp_max)
    return HEADER + body + FOOTER


def _paletted(output, translate):
    entries = "".join(
        f'    <paletteEntry value="{code}" color="{color}" alpha="255" '
        f'label={quoteattr(translate(label))}/>\n'
        for code, label, color in output.classes)
    return ('  <rasterrenderer type="paletted" band="1" opacity="1" alphaBand="-1">\n'
            "   <colorPalette>\n" + entries + "   </colorPalette>\n  </rasterrenderer>\n")


def _pseudocolor(output, translate, ramp_max):
    stops = list(output.ramp)
    if ramp_max and output.kind == "ramp":
        scale = ramp_max / stops[-1][0]
        digits = 0 if "int" in output.dtype else 2      # whole days, counts...
        stops = [(round(v * scale, digits), *rest) for v, *rest in stops]
    lo, hi = stops[0][0], stops[-1][0]
    ramp_type = "DISCRETE" if output.kind == "steps" else "INTERPOLATED"
    units = f" {translate(output.units)}" if output.units else ""
    items = "".join(
        f'      <item value="{v}" color="{c}" alpha="255" '
        f'label={quoteattr(translate(label[0]) if label else f"{v:g}{units}")}/>\n'
        for v, c, *label in stops)   # a stop may carry its own legend label
    labelled = output.kind == "steps" or any(len(stop) > 2 for stop in stops)
    return (f'  <rasterrenderer type="singlebandpseudocolor" band="1" opacity="1" '
            f'alphaBand="-1" classificationMin="{lo}" classificationMax="{hi}">\n'
            "   <rastershader>\n"
            f'    <colorrampshader colorRampType="{ramp_type}" classificationMode="1" '
            f'clip="0" minimumValue="{lo}" maximumValue="{hi}">\n'
            + items + _legend_settings(labelled, units, "int" in output.dtype)
            + "    </colorrampshader>\n   </rastershader>\n  </rasterrenderer>\n")


def _legend_settings(labelled, units, whole):
    """The Layers panel's legend: the stops' own labels (dates, months)
    when they have some, else a gradient whose ends carry the units, in
    whole numbers without thousands separators ("1459 days", not "1,459")."""
    options = "".join(
        f'<Option name="{name}" value="{value}" type="{kind}"/>'
        for name, value, kind in (("decimals", 0 if whole else 2, "int"),
                                  ("show_thousand_separator", "false", "bool"),
                                  ("show_trailing_zeros", "false", "bool"),
                                  ("show_plus", "false", "bool"),
                                  ("rounding_type", 0, "int")))
    return (f'     <rampLegendSettings useContinuousLegend="{0 if labelled else 1}" '
            f'prefix="" suffix={quoteattr(units)} minimumLabel="" maximumLabel="" '
            f'direction="0" orientation="2">\n'
            f'      <numericFormat id="basic"><Option type="Map">{options}</Option>'
            f'</numericFormat>\n     </rampLegendSettings>\n')


def write_sidecar(raster_path, output, ramp_max=None, translate=str):
    """<raster>.qml beside a result: QGIS applies it when the file is opened."""
    path = str(raster_path)
    qml_path = path[:-4] + ".qml" if path.lower().endswith(".tif") else path + ".qml"
    with open(qml_path, "w", encoding="utf-8") as f:
        f.write(qml_for(output, translate, ramp_max))
    return qml_path
