"""Optional destinations not asked for are simply not written (issue 12):
not even to QGIS's temporary folder, and the results still load styled.
Every other algorithm's shortest call is checked the same way through
qgis_process (tests/test_minimal_calls.py)."""
from pathlib import Path

from chainon.core.scenes.snow import make_snow_scene


def test_snow_cover_algorithm_writes_no_temporary_syntheses(provider, tmp_path, qgis_iface):
    """Only OUTPUT asked for: the other syntheses are not written to QGIS's
    temporary folder, and the results still load styled."""
    import processing
    from qgis.core import QgsProcessingUtils, QgsProject
    scene = make_snow_scene(tmp_path / "scene", seed=0, size=32)
    QgsProject.instance().clear()
    temporary = Path(QgsProcessingUtils.tempFolder())
    before = set(temporary.rglob("OUTPUT_*"))      # other tests' outputs, asked for
    try:
        processing.runAndLoadResults("chainon:snow_cover", {
            "S2_FOLDER": str(scene.s2_folder), "DEM": str(scene.dem_path),
            "OUTPUT_FOLDER": str(tmp_path / "maps"), "OUTPUT": str(tmp_path / "scd.tif")})
        names = [lyr.name() for lyr in QgsProject.instance().mapLayers().values()]
    finally:
        QgsProject.instance().clear()
    assert "Snow cover duration 31TGL" in names, names
    assert not [p for k in ("SOD", "SMOD", "NOBS") for p in temporary.rglob(f"OUTPUT_{k}*")
                if p not in before]
