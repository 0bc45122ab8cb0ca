"""Processing: a Sentinel-2 + Sentinel-1 pair gives concat-fused embeddings (smarties:embeddings INPUT_WITH)."""
from __future__ import annotations


import numpy as np
import pytest

pytest.importorskip("qgis.core")
pytest.importorskip("torch")
from qgis.core import QgsProcessingFeedback  # noqa: E402

pytestmark = pytest.mark.qgis



@pytest.fixture()
def provider(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    yield register_provider()
    unregister_provider()


def test_embeddings_of_a_sentinel2_sentinel1_pair(provider, tmp_path, realdata_dir, reference_dir):
    import processing
    from osgeo import gdal

    s2 = sorted((realdata_dir / "s2_l2a_bigearthnet").glob("*87_48_stack12_10m.tif"))
    s1 = sorted((realdata_dir / "s1_grd_bigearthnet").glob("*87_48_VV_VH_dB.tif"))
    if not (s2 and s1):
        pytest.skip("BigEarthNet pair not in ../shared/realdata")
    out = tmp_path / "fused.tif"
    params = {"INPUT": str(s2[0]), "SENSOR": "sentinel2_l2a", "INPUT_WITH": str(s1[0]),
              "SENSOR_WITH": "sentinel1_grd", "MODEL": str(reference_dir / "smarties_tiny" / "weights.safetensors"),
              "WINDOW": 128, "DEVICE": "cpu", "OUTPUT": str(out), "AT_INPUT_RESOLUTION": False}
    processing.run("smarties:embeddings", params, feedback=QgsProcessingFeedback())
    ds = gdal.Open(str(out))
    assert ds.RasterCount == 2 * 192
    assert ds.GetMetadataItem("SMARTIES_FUSION") == "concat"
    assert np.isfinite(ds.GetRasterBand(200).ReadAsArray()).all()
    for name in ("FUSION", "SCALE", "NORMALIZATION", "BAND_MAPPING"):
        assert provider.algorithm("embeddings").parameterDefinition(name) is not None


def test_seasonal_gets_scale_statistics_and_mapping_but_no_second_sensor(provider):
    alg = provider.algorithm("seasonal")
    if alg is None:
        pytest.skip("no seasonal algorithm")
    for name in ("SCALE", "NORMALIZATION", "BAND_MAPPING"):
        assert alg.parameterDefinition(name) is not None
    assert alg.parameterDefinition("INPUT_WITH") is None and alg.parameterDefinition("FUSION") is None
