"""A scene in row blocks (engine.row_blocks): the stitched raster equals one run over the scene."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine.errors import JobError
from engine.jobs import JobSpec, RasterInput, run
from engine.row_blocks import block_count, check_splittable, run_block, split_rows, stitch_blocks

from test_raster_io import make_tif

RGB = ["sentinel2:B02", "sentinel2:B03", "sentinel2:B04"]


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    meta = ds.GetMetadata()
    prov = json.loads(meta.pop("SMARTIES_PROVENANCE"))
    prov.pop("created")
    band = ds.GetRasterBand(1)
    return (ds.ReadAsArray(), ds.GetGeoTransform(), ds.GetProjection(), meta, prov, band.GetDescription(),
            str(band.GetNoDataValue()), band.GetMetadataItem("NBITS", "IMAGE_STRUCTURE"))


def scene(tmp_path):
    rng = np.random.default_rng(3)
    data = rng.integers(1, 5000, (3, 200, 120)).astype(np.uint16)
    data[:, 60:75, :40] = 0  # nodata near the first seam
    return make_tif(tmp_path / "scene.tif", data, nodata=0)


def job_for(path, out, **kw):
    opts = dict(product="embeddings", model="default", window=64, overlap=0.25, batch_size=3, device="cpu")
    opts.update(kw)
    return JobSpec(inputs=[RasterInput([path], RGB)], output=str(out), **opts)


def test_split_rows_covers_every_row_once():
    assert split_rows(13, 3) == [(0, 4), (4, 8), (8, 13)]
    assert split_rows(2, 5) == [(0, 1), (1, 2)]
    assert split_rows(7, 1) == [(0, 7)]


def test_row_block_count_is_checked():
    assert block_count(None) == 1 and block_count(3) == 3
    with pytest.raises(JobError, match="--row-blocks"):
        block_count(0)


def test_only_token_grid_embeddings_split(tmp_path):
    with pytest.raises(JobError, match="'embeddings' product only"):
        check_splittable(job_for("a.tif", tmp_path / "a.tif", product="pca"))
    with pytest.raises(JobError, match="token grid"):
        check_splittable(job_for("a.tif", tmp_path / "a.tif", at_input_resolution=True))


@pytest.mark.parametrize("blocks,dtype", [(3, "float32"), (2, "float16")])
def test_stitched_blocks_equal_one_run_bit_for_bit(tmp_path, blocks, dtype):
    pytest.importorskip("torch")
    path = scene(tmp_path)
    single = job_for(path, tmp_path / "single.tif", embedding_dtype=dtype)
    run(single)
    job = job_for(path, tmp_path / "stitched.tif", embedding_dtype=dtype)
    parts = [run_block(job.to_dict(), k, blocks, str(tmp_path / f"block{k}.tif")) for k in range(blocks)]
    assert [tuple(p["rows"]) for p in parts] == split_rows(13, blocks)  # 200 px -> 13 token rows
    assert sum(p["report"]["run"]["windows"] for p in parts) > sum(p["windows"] for p in parts)  # the halo
    stitch_blocks(job.to_dict(), parts, str(tmp_path / "stitched.tif"))
    a, b = read(tmp_path / "single.tif"), read(tmp_path / "stitched.tif")
    assert a[0].shape == b[0].shape and np.isnan(a[0]).any()
    assert np.array_equal(a[0], b[0], equal_nan=True)
    assert a[1:] == b[1:]  # georeferencing, metadata (window count too), provenance, band layout


def test_a_block_without_its_halo_would_differ(tmp_path):
    """The seam rows need the windows of the neighbouring block: without them the values change."""
    pytest.importorskip("torch")
    from osgeo import gdal

    path = scene(tmp_path)
    run(job_for(path, tmp_path / "single.tif"))
    whole = gdal.Open(str(tmp_path / "single.tif")).ReadAsArray()
    top = make_tif(tmp_path / "top.tif", gdal.Open(path).ReadAsArray()[:, :64], nodata=0)
    cut = job_for(top, tmp_path / "top_emb.tif")
    run(cut)
    alone = gdal.Open(str(tmp_path / "top_emb.tif")).ReadAsArray()
    assert not np.allclose(alone[:, 3], whole[:, 3], equal_nan=True)  # the last row of the cut-out block



class _GdalLosingGeoreference:
    """osgeo.gdal as engine.products.output_grid sees it, except that a georeference set on an
    opened file never reaches it."""

    class _Dataset:
        def __init__(self, ds):
            self._ds = ds

        def SetGeoTransform(self, gt):
            return 0

        def __getattr__(self, name):
            return getattr(self._ds, name)

    def __getattr__(self, name):
        from osgeo import gdal

        return getattr(gdal, name)

    def Open(self, *args):
        from osgeo import gdal

        return self._Dataset(gdal.Open(*args))


def test_stitch_writes_the_clipped_grid_from_the_start_and_a_lost_georeference_is_an_error(tmp_path, monkeypatch):
    """The stitched raster is created on the single run's (input-clipped) grid, so it does not rely on
    patching the georeference afterwards; and a patch that does not reach the file fails the job instead
    of leaving a raster on the padded grid (seen once on a CI run: 160 m rows instead of 153.8 m)."""
    pytest.importorskip("torch")
    from osgeo import gdal

    from engine.errors import RasterError
    from engine.products import output_grid

    path = scene(tmp_path)
    job = job_for(path, tmp_path / "stitched.tif")
    parts = [run_block(job.to_dict(), k, 2, str(tmp_path / f"block{k}.tif")) for k in range(2)]
    monkeypatch.setattr(output_grid, "gdal", _GdalLosingGeoreference())
    stitch_blocks(job.to_dict(), parts, str(tmp_path / "stitched.tif"))
    gt = gdal.Open(str(tmp_path / "stitched.tif")).GetGeoTransform()
    assert gt[5] == pytest.approx(-10.0 * 200 / 13) and gt[1] == pytest.approx(10.0 * 120 / 8)

    block0 = str(tmp_path / "block0.tif")  # on the unclipped token grid (160 m pixels)
    with pytest.raises(RasterError, match="georeference was not written"):
        output_grid.commit_token_output(block0, str(tmp_path / "final.tif"),
                                        (500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0), 120, 200, tokens=(8, 13))
    assert not (tmp_path / "final.tif").exists() and not (tmp_path / "block0.tif").exists()
