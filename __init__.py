"""QGIS entry point of the Chaînon plugin."""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .plugin import ChainonPlugin
    return ChainonPlugin(iface)
