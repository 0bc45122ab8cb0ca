"""Mistaken inputs through Processing (the real engine): one readable QgsProcessingException naming the
file or parameter, and the folder left as it was; embeddings rasters accepted as INPUT."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

pytest.importorskip("qgis.core")
pytest.importorskip("torch")
from qgis.core import QgsProcessingException, QgsProcessingFeedback  # noqa: E402

try:
    from .processing_helpers import write_s2_like
except ImportError:
    from processing_helpers import write_s2_like

pytestmark = pytest.mark.qgis


@pytest.fixture()
def provider(qgis_processing):
    from eo_plugin.processing.provider import register_provider, unregister_provider

    yield register_provider()
    unregister_provider()


def snapshot(folder: Path) -> dict:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else "dir" for p in folder.iterdir()}


def run(alg: str, params: dict):
    import processing

    return processing.run(f"smarties:{alg}", params, feedback=QgsProcessingFeedback())


CASES = [  # (algorithm, parameters, words the message must contain)
    ("embeddings", {"OUTPUT": "{d}/s2.tif"}, ["also an input", "s2.tif"]),
    ("embeddings", {"OUTPUT": "{d}/out.png"}, ["out.png", ".tif"]),
    ("embeddings", {"WINDOW": 4096, "BATCH_SIZE": 64, "OUTPUT": "{d}/o.tif"}, ["memory", "Window parameter (WINDOW)"]),
    ("clusters", {"K": 200, "OUTPUT": "{d}/o.tif"}, ["k=200", "tokens"]),
    ("change", {"INPUT_AFTER": "{d}/shifted.tif", "ALIGN": False, "OUTPUT": "{d}/o.tif"}, ["same grid", "gdalwarp"]),
]


@pytest.mark.parametrize("alg,params,words", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_processing_refuses_and_leaves_folder_as_it_was(provider, tmp_path, alg, params, words):
    write_s2_like(tmp_path / "s2.tif")
    write_s2_like(tmp_path / "shifted.tif", origin=(500010.0, 5000000.0))
    before = snapshot(tmp_path)
    full = {"INPUT": str(tmp_path / "s2.tif"), "WINDOW": 32, "DEVICE": "cpu"}
    full.update({k: v.format(d=tmp_path) if isinstance(v, str) else v for k, v in params.items()})
    with pytest.raises(QgsProcessingException) as err:
        run(alg, full)
    message = str(err.value)
    assert "Traceback" not in message and "\n" not in message.strip()
    for w in words:
        assert w in message, message
    assert snapshot(tmp_path) == before


def test_processing_clusters_an_embeddings_layer(provider, tmp_path):
    write_s2_like(tmp_path / "s2.tif")
    emb = run("embeddings", {"INPUT": str(tmp_path / "s2.tif"), "WINDOW": 64, "DEVICE": "cpu",
                             "OUTPUT": str(tmp_path / "emb.tif")})["OUTPUT"]
    out = run("clusters", {"INPUT": emb, "K": 2, "OUTPUT": str(tmp_path / "cl.tif")})["OUTPUT"]
    assert Path(out).is_file() and os.path.basename(out) == "cl.tif"


def test_processing_classify_applies_a_saved_head(provider, tmp_path):
    try:
        from .processing_helpers import half_labels, write_points
    except ImportError:
        from processing_helpers import half_labels, write_points

    write_s2_like(tmp_path / "s2.tif")
    write_s2_like(tmp_path / "other.tif", seed=3)
    labels = write_points(tmp_path / "labels.gpkg", half_labels())
    trained = run("classify", {"INPUT": str(tmp_path / "s2.tif"), "LABELS": str(labels), "LABEL_FIELD": "class",
                               "WINDOW": 64, "DEVICE": "cpu", "OUTPUT": str(tmp_path / "c1.tif")})
    head = trained["OUTPUT_HEAD"]
    assert head.endswith(".head.json")
    applied = run("classify", {"INPUT": str(tmp_path / "other.tif"), "HEAD": head, "WINDOW": 64, "DEVICE": "cpu",
                               "OUTPUT": str(tmp_path / "c2.tif")})
    assert Path(applied["OUTPUT"]).is_file() and applied.get("OUTPUT_HEAD") == head
    with pytest.raises(QgsProcessingException, match="labelled vector file|saved head"):
        run("classify", {"INPUT": str(tmp_path / "other.tif"), "WINDOW": 64, "OUTPUT": str(tmp_path / "c3.tif")})
