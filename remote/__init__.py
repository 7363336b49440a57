"""Plugin-side client of the compute centre (OGC API - Processes 1.0)."""
