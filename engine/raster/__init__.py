"""Raster input/output with GDAL: windowed reads, stacking, normalisation, streamed writing."""
