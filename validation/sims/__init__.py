"""Independent scene simulators: written from the published literature and
the issue's list of confounders, not from the retrieval code. They write the
same file formats as real inputs (THEIA/MAJA L2A, S1Tiling, GEDI L2A HDF5,
GeoJSON parcels, meteorology CSV or rasters) and return their ground truth."""
