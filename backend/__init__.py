"""Chaînon's compute centre: OGC API - Processes over the core products, work
on Dask, jobs in a SQL store. Runs without QGIS; see backend/README.md."""
from .pkgpath import ensure_chainon

ensure_chainon()
