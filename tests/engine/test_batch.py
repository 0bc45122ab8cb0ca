"""Many scenes on Dask: scene lists, job hashes, and a real 2-process LocalCluster batch with a bad
file and a worker killed mid-task."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from engine.batch import DIE_ONCE, REPORT, job_hash, run_batch, scene_job, scene_list
from engine.errors import JobError
from engine.jobs import JobSpec, RasterInput

from test_raster_io import make_tif

RGB = ["sentinel2:B02", "sentinel2:B03", "sentinel2:B04"]


def _template(tmp_path, **kw) -> JobSpec:
    opts = dict(product="embeddings", model="default", window=64, overlap=0.25, batch_size=2, device="cpu")
    opts.update(kw)
    return JobSpec(inputs=[RasterInput(["x.tif"], RGB)], output=str(tmp_path / "x.tif"), **opts)


def test_scene_lists_globs_csv_and_stac(tmp_path):
    for name in ("a.tif", "b.tif", "c.jp2"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "list.txt").write_text("# scenes\na.tif\n\n/abs/x.tif\n")
    (tmp_path / "list.csv").write_text("id,path\n1,b.tif\n2,c.jp2\n")
    stac = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "one", "assets": {"thumb": {"href": "t.png", "type": "image/png"},
                                                    "data": {"href": "a.tif", "type": "image/tiff; application=geotiff"}}},
        {"type": "Feature", "id": "two", "assets": {"data": {"href": "sub/b.tif", "type": "image/tiff"}}}]}
    (tmp_path / "items.json").write_text(json.dumps(stac))
    d = str(tmp_path)
    assert scene_list([f"{d}/*.tif"]) == [f"{d}/a.tif", f"{d}/b.tif"]
    assert scene_list([f"{d}/list.txt"]) == [f"{d}/a.tif", "/abs/x.tif"]
    assert scene_list([f"{d}/list.csv"]) == [f"{d}/b.tif", f"{d}/c.jp2"]
    assert scene_list([f"{d}/items.json"]) == [f"{d}/a.tif", f"{d}/sub/b.tif"]
    assert scene_list([f"{d}/items.json"], asset="data") == [f"{d}/a.tif", f"{d}/sub/b.tif"]
    with pytest.raises(JobError, match="no asset 'red'"):
        scene_list([f"{d}/items.json"], asset="red")
    with pytest.raises(JobError, match="No file matches"):
        scene_list([f"{d}/*.nothing"])


def test_scene_jobs_and_hashes(tmp_path):
    a = make_tif(tmp_path / "a.tif", np.ones((3, 32, 32), np.uint16))
    t = _template(tmp_path)
    job = scene_job(t, a, str(tmp_path / "out"))
    assert job.inputs[0].paths == [a] and job.inputs[0].bands == RGB
    assert job.output == str(tmp_path / "out" / "a_embeddings.tif")
    h = job_hash(job)
    assert h == job_hash(scene_job(t, a, str(tmp_path / "out")))
    assert h != job_hash(scene_job(_template(tmp_path, overlap=0.5), a, str(tmp_path / "out")))
    os.utime(a, ns=(1, 1))  # the input file changed
    assert h != job_hash(scene_job(t, a, str(tmp_path / "out")))
    with pytest.raises(JobError, match="both write"):
        os.makedirs(tmp_path / "o2")
        os.makedirs(tmp_path / "sub")
        b = make_tif(tmp_path / "sub" / "a.tif", np.ones((3, 32, 32), np.uint16))
        run_batch([a, b], t, str(tmp_path / "o2"), client=object())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A real LocalCluster with 2 worker processes; its workers kill themselves once mid-task."""
    distributed = pytest.importorskip("distributed")
    state = tmp_path_factory.mktemp("cluster")
    marker = state / "killed-once"
    saved = {k: os.environ.get(k) for k in (DIE_ONCE, "SMARTIES_CACHE_DIR", "OMP_NUM_THREADS")}
    os.environ.update({DIE_ONCE: str(marker), "SMARTIES_CACHE_DIR": str(state / "cache"), "OMP_NUM_THREADS": "1"})
    try:
        cl = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=50, death_timeout=120)
        client = distributed.Client(cl, timeout=120)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield client, marker
    client.close()
    cl.close()


def _read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    meta = ds.GetMetadata()
    if "SMARTIES_PROVENANCE" in meta:  # the same except for when it was made
        prov = json.loads(meta["SMARTIES_PROVENANCE"])
        prov.pop("created", None)
        meta["SMARTIES_PROVENANCE"] = prov
    return ds.ReadAsArray(), ds.GetGeoTransform(), meta


def test_localcluster_batch_bad_file_dead_worker_and_rerun(tmp_path, cluster, monkeypatch):
    torch = pytest.importorskip("torch")
    from engine.jobs import run

    client, marker = cluster
    rng = np.random.default_rng(0)
    scenes = [make_tif(tmp_path / f"scene{i}.tif", rng.integers(1, 5000, (3, 96, 128)).astype(np.uint16), nodata=0)
              for i in range(2)]
    bad = tmp_path / "broken.tif"
    bad.write_text("not a raster")
    out = tmp_path / "out"
    out.mkdir()
    template = _template(tmp_path)
    lines = []
    report = run_batch([str(tmp_path / "*.tif")], template, str(out), client=client, retries=2, log=lines.append)

    # a worker died half-way through one scene (the marker names its process) and the scene was redone
    assert marker.exists()
    pid = int(marker.read_text())
    assert pid not in {r.get("worker_pid") for r in report["scenes"]}
    with pytest.raises(OSError):
        os.kill(pid, 0)
    assert (report["done"], report["failed"], report["skipped"]) == (2, 1, 0)
    failed = [r for r in report["scenes"] if r["status"] == "failed"]
    assert failed[0]["scene"] == str(bad) and "broken.tif" in failed[0]["error"]
    assert "\n" not in failed[0]["error"] and any("broken.tif" in ln for ln in lines)
    # nothing partial or temporary is left: only the two finished outputs, the manifest and the report
    assert sorted(os.listdir(out)) == ["scene0_embeddings.tif", "scene1_embeddings.tif",
                                       "smarties_batch_manifest.json", REPORT]

    # each output is the one a single run of the same job gives, bit for bit
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))
    single = tmp_path / "single"
    single.mkdir()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for s in scenes:
            job = scene_job(template, s, str(single))
            run(job)
            a, b = _read(job.output), _read(out / os.path.basename(job.output))
            assert np.array_equal(a[0], b[0], equal_nan=True) and a[1:] == b[1:]
    finally:
        torch.set_num_threads(threads)

    # a rerun skips the finished scenes (same job hash) and reports the bad file again
    stamps = {p: os.stat(out / p).st_mtime_ns for p in ("scene0_embeddings.tif", "scene1_embeddings.tif")}
    again = run_batch([str(tmp_path / "*.tif")], template, str(out), client=client)
    assert (again["done"], again["skipped"], again["failed"]) == (0, 2, 1)
    assert {p: os.stat(out / p).st_mtime_ns for p in stamps} == stamps
    assert json.loads((out / REPORT).read_text())["skipped"] == 2


def test_scene_in_row_blocks_on_the_cluster_equals_one_run(tmp_path, cluster, monkeypatch):
    """Three row blocks as separate tasks on 2 worker processes, stitched: the single run's raster."""
    torch = pytest.importorskip("torch")
    from engine.jobs import run

    client, _ = cluster
    data = np.random.default_rng(5).integers(1, 5000, (3, 200, 96)).astype(np.uint16)
    scene = make_tif(tmp_path / "tall.tif", data, nodata=0)
    out = tmp_path / "out"
    out.mkdir()
    template = _template(tmp_path)
    with pytest.raises(JobError, match="'embeddings' product only"):
        run_batch([scene], _template(tmp_path, product="pca"), str(out), client=client, row_blocks=3)
    report = run_batch([scene], template, str(out), client=client, row_blocks=3)
    assert report["done"] == 1 and report["scenes"][0]["row_blocks"] == 3
    assert sorted(os.listdir(out)) == ["smarties_batch_manifest.json", REPORT, "tall_embeddings.tif"]
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "single").mkdir()
    job = scene_job(template, scene, str(tmp_path / "single"))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run(job)
    finally:
        torch.set_num_threads(threads)
    a, b = _read(job.output), _read(out / "tall_embeddings.tif")
    assert np.array_equal(a[0], b[0], equal_nan=True) and a[1:] == b[1:]
    # a rerun skips it like any finished scene
    assert run_batch([scene], template, str(out), client=client, row_blocks=3)["skipped"] == 1


def test_batch_command_builds_the_product_job(tmp_path, capsys):
    from engine.cli import main

    code = main(["batch", str(tmp_path / "*.tif"), "--product", "clusters", "--k", "5", "--output-dir", str(tmp_path),
                 "--bands", "B02,B03,B04", "--sensor", "sentinel2_l2a", "--window", "64", "--print-job"])
    job = json.loads(capsys.readouterr().out)
    assert code == 0 and job["product"] == "clusters" and job["k"] == 5 and job["window"] == 64
    assert job["inputs"][0]["bands"] == ["B02", "B03", "B04"] and job["inputs"][0]["sensor"] == "sentinel2_l2a"
    assert main(["batch", str(tmp_path / "none-*.tif"), "--product", "pca", "--output-dir", str(tmp_path)]) == 2
    assert "No file matches" in capsys.readouterr().err
