"""A graphical-modeler model (.model3): embeddings -> clusters, run headless by qgis_process.

The clusters step takes the embeddings layer the first step wrote: the engine recognises it by its
metadata and clusters it without a second model run or any band question."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

try:
    from .processing_helpers import tiny_model, write_s2_like
    from .test_processing_qgis_process import QGIS_PROCESS, pytestmark, qgis_process  # noqa: F401
except ImportError:
    from processing_helpers import tiny_model, write_s2_like
    from test_processing_qgis_process import QGIS_PROCESS, pytestmark, qgis_process  # noqa: F401


def write_model3(path: Path) -> Path:
    """Save the two-step model with the Processing model API (the file the modeler would write)."""
    from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource, QgsProcessingModelOutput,
                           QgsProcessingModelParameter, QgsProcessingParameterString,
                           QgsProcessingParameterRasterLayer)

    model = QgsProcessingModelAlgorithm("embed_then_cluster", "SMARTIES tests")
    model.addModelParameter(QgsProcessingParameterRasterLayer("scene", "Scene"), QgsProcessingModelParameter("scene"))
    model.addModelParameter(QgsProcessingParameterString("weights", "Model (id or weights file)", "default"),
                            QgsProcessingModelParameter("weights"))
    source = QgsProcessingModelChildParameterSource
    embed = QgsProcessingModelChildAlgorithm("smarties:embeddings")
    embed.setChildId("embed")
    embed.addParameterSources("INPUT", [source.fromModelParameter("scene")])
    embed.addParameterSources("MODEL", [source.fromModelParameter("weights")])
    for name, value in (("WINDOW", 64), ("DEVICE", "cpu")):  # bands: from the file's band descriptions
        embed.addParameterSources(name, [source.fromStaticValue(value)])
    model.addChildAlgorithm(embed)
    cluster = QgsProcessingModelChildAlgorithm("smarties:clusters")
    cluster.setChildId("cluster")
    cluster.addParameterSources("INPUT", [source.fromChildOutput("embed", "OUTPUT")])
    cluster.addParameterSources("K", [source.fromStaticValue(3)])
    cluster.addParameterSources("DEVICE", [source.fromStaticValue("cpu")])
    out = QgsProcessingModelOutput("clusters", "Clusters")
    out.setChildId("cluster")
    out.setChildOutputName("OUTPUT")
    cluster.setModelOutputs({"clusters": out})
    model.addChildAlgorithm(cluster)
    assert model.toFile(str(path)), "could not write the .model3 file"
    return path


def test_model3_embeddings_then_clusters_runs_in_qgis_process(tmp_path, qgis_app):
    scene = write_s2_like(tmp_path / "scene.tif")
    weights = tiny_model(tmp_path / "weights")
    model3 = write_model3(tmp_path / "embed_then_cluster.model3")
    out = tmp_path / "clusters.tif"
    done = qgis_process(tmp_path / "profile", "--json", "run", str(model3), "--", f"scene={scene}",
                        f"weights={weights}", f"cluster:clusters={out}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert Path(results["cluster:clusters"]) == out and out.is_file()
    ds = gdal.Open(str(out))
    src = gdal.Open(str(scene))
    assert (ds.RasterXSize, ds.RasterYSize) == (src.RasterXSize, src.RasterYSize)  # maps on the input grid
    values = ds.ReadAsArray()
    assert len(np.unique(values[values != ds.GetRasterBand(1).GetNoDataValue()])) == 3
    prov = json.loads(ds.GetMetadataItem("SMARTIES_PROVENANCE"))
    assert prov["product"] == "clusters" and prov["reused_embeddings"]  # clustered the first step's raster
    assert "Traceback" not in done.stderr
