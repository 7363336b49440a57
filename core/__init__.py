"""Chaînon's engine: readers, block engine, science, simulator. No QGIS here:
the compute-centre workers import this package without QGIS."""
__version__ = "0.1.0"
