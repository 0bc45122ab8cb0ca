"""Mistaken and hostile inputs through the CLI and the Python API: each gets a one-line error that names
the file/band/setting, the right exit code or exception, and leaves the folder exactly as it was
(except for the intended output). Tiny rasters and the default model on small windows keep it fast."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from engine.cli import main
from engine.errors import EngineError, JobCancelled, JobError, RasterError
from engine.jobs import JobSpec, RasterInput, run

from test_raster_io import make_tif

ROOT = Path(__file__).resolve().parents[2]
S2 = ["--sensor", "sentinel2_l2a", "--bands", "B02,B03,B04,B08"]
FAST = ["--window", "32", "--overlap", "0", "--device", "cpu", "--quiet", "--batch-size", "16"]


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SMARTIES_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "stats-cache"))


def scene(path, size=48, seed=0):
    rng = np.random.default_rng(seed)
    data = (rng.random((4, size, size)) * 3000 + 500).astype("uint16")
    return make_tif(path, data)


def snapshot(folder) -> dict:
    """Every entry of a folder (hidden ones too) with a content digest for files."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, folder)
            if os.path.islink(p):
                out[rel] = "link->" + os.readlink(p)
            elif os.path.isdir(p):
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha1(Path(p).read_bytes()).hexdigest()
    return out


def cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def work(tmp_path):
    """A folder with an input scene and an existing, precious earlier output."""
    d = tmp_path / "work"
    d.mkdir()
    scene(d / "scene.tif")
    scene(d / "s1_embeddings.tif", seed=1)
    scene(d / "scene_confidence.tif", seed=2)
    (d / "sub").mkdir()
    os.symlink(d / "scene.tif", d / "link.tif")
    return d


# (id, CLI args after the command's input, exit code, words the one-line message must contain)
CLI_CASES = [
    ("output-is-input", ["embed", "{d}/scene.tif", "-o", "{d}/scene.tif"], 2, ["also an input", "scene.tif", "-o"]),
    ("output-symlink-to-input", ["embed", "{d}/scene.tif", "-o", "{d}/link.tif"], 2, ["also an input", "link.tif"]),
    ("output-via-dotdot", ["embed", "{d}/scene.tif", "-o", "{d}/sub/../scene.tif"], 2, ["also an input"]),
    ("kept-embeddings-is-input", ["cluster", "{d}/s1_embeddings.tif", "--keep-embeddings", "-o", "{d}/s1.tif",
                                  "--k", "2"], 2, ["embeddings file", "s1_embeddings.tif", "also an input"]),
    ("output-is-folder", ["embed", "{d}/scene.tif", "-o", "{d}/sub"], 2, ["is a folder", "sub"]),
    ("png-extension", ["embed", "{d}/scene.tif", "-o", "{d}/x.png"], 2, [".png", ".tif"]),
    ("no-extension", ["embed", "{d}/scene.tif", "-o", "{d}/out"], 2, ["no extension", ".tif"]),
    ("missing-folder", ["embed", "{d}/scene.tif", "-o", "{d}/nope/out.tif"], 2, ["nope", "does not exist"]),
    ("folder-is-a-file", ["embed", "{d}/scene.tif", "-o", "{d}/scene.tif/out.tif"], 2, ["scene.tif"]),
    ("window-16384", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--window", "16384"], 2, ["--window", "memory"]),
    ("window-not-16", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--window", "100"], 2, ["--window", "16"]),
    ("resolution-0", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--resolution", "0"], 2, ["--resolution"]),
    ("resolution-huge-area", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--resolution", "0.0001"], 2,
     ["--resolution"]),
    ("k-above-tokens", ["cluster", "{d}/scene.tif", "-o", "{d}/o.tif", "--k", "500"], 2, ["k=500", "tokens"]),
    ("overlap-1", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--overlap", "1"], 2, ["--overlap"]),
    ("missing-input", ["embed", "{d}/nothere.tif", "-o", "{d}/o.tif"], 2, ["nothere.tif", "not found"]),
    ("not-a-raster", ["embed", "{d}/notes.txt", "-o", "{d}/o.tif"], 2, ["notes.txt"]),
    ("complex-raster", ["embed", "{d}/slc.tif", "-o", "{d}/o.tif", "--bands", "VV"], 2, ["complex", "CFloat32", "slc.tif"]),
    ("unknown-sensor", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--sensor", "sentinel9"], 2,
     ["sentinel9", "sentinel2_l2a", "landsat8"]),
    ("band-count", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--bands", "B02,B03"], 2, ["4 bands", "2 entries"]),
    ("no-align-different-grids", ["change", "{d}/scene.tif", "{d}/shifted.tif", "-o", "{d}/o.tif", "--no-align"], 2,
     ["not on the same grid", "gdalwarp", "--no-align"]),
    ("bad-model-file", ["embed", "{d}/scene.tif", "-o", "{d}/o.tif", "--model", "{d}/evil.pt"], 2,
     ["evil.pt", "never"]),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_refuses_and_leaves_folder_as_it_was(case, work, capsys):
    _, args, code_expected, words = case
    (work / "notes.txt").write_text("not a raster")
    _hostile_files(work)
    args = [a.format(d=work) for a in args]
    extra = [] if "--window" in args or "--overlap" in args else FAST
    given = [] if "--sensor" in args else (["--sensor", "sentinel2_l2a"] if "--bands" in args else S2)
    before = snapshot(work)
    code, out, err = cli(args + given + extra, capsys)
    assert code == code_expected, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for w in words:
        assert w in err, f"{w!r} not in {err!r}"
    assert snapshot(work) == before


def _hostile_files(d):
    """A complex SAR raster, a shifted copy of the scene and a pickle that would run code if loaded."""
    import pickle

    from osgeo import gdal

    ds = gdal.GetDriverByName("GTiff").Create(str(d / "slc.tif"), 16, 16, 1, gdal.GDT_CFloat32)
    ds.SetGeoTransform((500000.0, 10.0, 0.0, 5100000.0, 0.0, -10.0))
    ds = None
    data = gdal.Open(str(d / "scene.tif")).ReadAsArray()
    make_tif(d / "shifted.tif", data, gt=(500010.0, 10.0, 0.0, 5100000.0, 0.0, -10.0))
    with open(d / "evil.pt", "wb") as fh:
        pickle.dump({"model": os.system}, fh)


def test_long_run_asks_for_yes(work, capsys, monkeypatch):
    from engine import preflight

    monkeypatch.setattr(preflight, "CONFIRM_SECONDS", 0.0)
    before = snapshot(work)
    code, _, err = cli(["embed", work / "scene.tif", "-o", work / "o.tif"] + S2 + FAST, capsys)
    assert code == 2 and "--yes" in err and "windows" in err
    assert snapshot(work) == before
    code, out, err = cli(["embed", work / "scene.tif", "-o", work / "o.tif", "--yes"] + S2 + FAST, capsys)
    assert code == 0, err
    assert set(snapshot(work)) - set(before) == {"o.tif"}


# -- the Python API ------------------------------------------------------------------------------------

API_FIELD_CASES = [
    ({"window": "224"}, "window"), ({"k": 3.5}, "k"), ({"resolution": 0}, "resolution"),
    ({"overlap": -0.1}, "overlap"), ({"batch_size": 0}, "batch_size"), ({"extent": (5, 0, 1, 1)}, "extent"),
    ({"extent": "1,2,3,4"}, "extent"), ({"reference_points": "1,2"}, "reference_points"),
    ({"keep_embeddings": "yes"}, "keep_embeddings"), ({"backend": "tensorrt"}, "backend"),
    ({"inputs": "scene.tif"}, "inputs"),
]


@pytest.mark.parametrize("kw,field", API_FIELD_CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(API_FIELD_CASES)])
def test_jobspec_checks_fields_when_built(kw, field):
    base = dict(product="embeddings", inputs=[RasterInput(["scene.tif"])], output="o.tif")
    with pytest.raises(JobError, match=field):
        JobSpec(**{**base, **kw})
    job = JobSpec(**base)
    with pytest.raises(JobError, match=field):
        setattr(job, field, list(kw.values())[0])


def test_jobspec_unknown_keys_and_string_lists():
    job = JobSpec("embeddings", [RasterInput(["a.tif"])], "o.tif")
    with pytest.raises(JobError, match="windw"):
        job.windw = 64
    with pytest.raises(JobError, match="no setting 'colour'"):
        JobSpec.from_dict({**job.to_dict(), "colour": "red"})
    with pytest.raises(JobError, match="RasterInput has no setting 'band'"):
        JobSpec.from_dict({**job.to_dict(), "inputs": [{"paths": ["a.tif"], "band": ["B04"]}]})
    with pytest.raises(JobError, match="paths must be a list"):
        RasterInput("a.tif")
    with pytest.raises(JobError, match="bands must be a list"):
        RasterInput(["a.tif"], "B02,B03")
    with pytest.raises(TypeError):  # unknown keyword at construction: Python's own error names it
        JobSpec("embeddings", [RasterInput(["a.tif"])], "o.tif", windw=64)
    assert JobSpec.from_dict(job.to_dict()) == job


def _job(work, out, **kw):
    return JobSpec("clusters", [RasterInput([str(work / "scene.tif")], ["B02", "B03", "B04", "B08"],
                                            "sentinel2_l2a")], str(out), window=32, overlap=0.0, device="cpu",
                   k=2, batch_size=4, **kw)


def test_failed_or_cancelled_run_keeps_every_earlier_file(work):
    """An existing o.tif and o_embeddings.tif survive a cancelled --keep-embeddings run byte for byte."""
    scene(work / "o.tif", seed=5)
    scene(work / "o_embeddings.tif", seed=6)
    before = snapshot(work)
    calls = {"n": 0}

    def cancel():
        calls["n"] += 1
        return calls["n"] > 3  # after the run started writing

    with pytest.raises(JobCancelled):
        run(_job(work, work / "o.tif", keep_embeddings=True), cancel=cancel)
    assert snapshot(work) == before

    def boom(fraction, message):
        if fraction > 0.5:
            raise RasterError("disk full (simulated)")

    with pytest.raises(RasterError, match="disk full"):
        run(_job(work, work / "o.tif", keep_embeddings=True), progress=boom)
    assert snapshot(work) == before
    # a successful run replaces both together and leaves nothing else
    result = run(_job(work, work / "o.tif", keep_embeddings=True))
    after = snapshot(work)
    assert set(after) - {"o.tif.aux.xml"} == set(before)  # (GDAL may keep category names in a sidecar)
    assert after["o.tif"] != before["o.tif"] and after["o_embeddings.tif"] != before["o_embeddings.tif"]
    assert result.outputs == {"clusters": str(work / "o.tif"), "embeddings": str(work / "o_embeddings.tif")}


def test_leftovers_of_a_killed_run_are_cleaned_and_named(work):
    dead = work / ".o.smarties-999999999-deadbeef"
    dead.mkdir()
    (dead / "owner").write_text(f"{os.uname().nodename} 999999999\n")
    (dead / "o.tif").write_bytes(b"half")
    (work / ".o.tmp-0123abcd.tif").write_bytes(b"half")
    before = snapshot(work)
    result = run(_job(work, work / "o.tif"))
    after = snapshot(work)
    assert set(after) - {"o.tif.aux.xml"} == set(before) - {
        ".o.smarties-999999999-deadbeef", ".o.smarties-999999999-deadbeef/owner",
        ".o.smarties-999999999-deadbeef/o.tif", ".o.tmp-0123abcd.tif"} | {"o.tif"}
    notes = " ".join(result.report["notes_output"])
    assert ".o.smarties-999999999-deadbeef" in notes and ".o.tmp-0123abcd.tif" in notes


def test_companion_named_like_an_input_is_refused_before_the_run(work, tmp_path):
    labels = tmp_path / "labels.gpkg"
    labels.write_text("")  # never read: the output check comes first
    job = JobSpec("classify", [RasterInput([str(work / "scene_confidence.tif")], ["B02", "B03", "B04", "B08"],
                                           "sentinel2_l2a")], str(work / "scene.tif"),
                  labels_vector=str(labels), label_field="class")
    job.inputs[0].paths = [str(work / "scene_confidence.tif")]
    before = snapshot(work)
    with pytest.raises(JobError, match="confidence file .*scene_confidence.tif is also an input"):
        run(job)
    assert snapshot(work) == before


@pytest.mark.parametrize("signame", ["SIGHUP", "SIGINT"])
def test_signals_in_process_stop_the_cli_cleanly(signame, work, capsys, monkeypatch):
    """A closed terminal (SIGHUP) and Ctrl+C during the window loop: exit 130, folder as it was."""
    import engine.cli as cli_module

    scene(work / "o.tif", seed=3)
    before = snapshot(work)
    sent = {"done": False}

    def progress(self, fraction, message):
        if "window" in message and not sent["done"]:
            sent["done"] = True
            os.kill(os.getpid(), getattr(signal, signame))

    monkeypatch.setattr(cli_module.ProgressBar, "__call__", progress)
    previous = signal.getsignal(getattr(signal, signame))
    code, _, err = cli(["embed", work / "scene.tif", "-o", work / "o.tif"] + S2 + FAST, capsys)
    assert sent["done"] and code == 130, err
    assert "Traceback" not in err and "cancelled" in err
    assert snapshot(work) == before
    assert signal.getsignal(getattr(signal, signame)) == previous  # the CLI gives the handler back


def test_sigterm_stops_the_cli_process_cleanly(tmp_path):
    """A scheduler's SIGTERM (or `kill`) to a running `python -m engine` leaves the folder as it was."""
    signame = "SIGTERM"
    d = tmp_path / "w"
    d.mkdir()
    scene(d / "big.tif", size=512)
    scene(d / "o.tif", seed=3)  # an earlier result that must survive
    before = snapshot(d)
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "engine", "embed", str(d / "big.tif"), "-o", str(d / "o.tif"),
                             "--window", "32", "--overlap", "0.5", "--batch-size", "1", "--device", "cpu",
                             "--yes", "--quiet"] + S2, cwd=str(ROOT), env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not any(".o.smarties-" in n for n in os.listdir(d)):
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        time.sleep(0.3)  # inside the window loop
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "cancelled" in err
    assert snapshot(d) == before


def test_preflight_estimates_and_refuses(work):
    from engine.preflight import preflight

    est = preflight(_job(work, work / "o.tif"))
    assert est.windows == 4 and est.token_grids == [[3, 3]] and est.bands == [4]  # 48 px, window 32, no overlap
    assert est.seconds > 0 and est.seconds_source == "measured" and est.peak_memory_bytes > 0
    assert "4 window(s)" in est.text()
    rough = preflight(_job(work, work / "o.tif"), measure=False)
    assert rough.seconds_source == "model" and rough.windows == 4
    with pytest.raises(JobError, match="k=10 clusters is more than the 9 tokens"):
        preflight(_with(work, k=10))
    with pytest.raises(JobError, match="is also an input"):
        preflight(_job(work, work / "scene.tif"))


def test_an_estimate_is_reused_for_the_same_job_and_files(work, monkeypatch):
    """The CLI estimates, then the run's device line asks again: the same job on unchanged files gets
    the same estimate without loading and timing the model a second time; other settings or a changed
    input file are estimated anew."""
    from engine.inference import backend
    from engine.preflight import preflight

    real, loads = backend.load_model, []
    monkeypatch.setattr(backend, "load_model", lambda *a, **k: loads.append(1) or real(*a, **k))
    job = _job(work, work / "reuse.tif")
    first = preflight(job)
    again = preflight(_job(work, work / "reuse.tif"))
    assert again == first and again is not first and len(loads) == 1
    again.notes.append("changed by the caller")
    assert preflight(job).notes == first.notes and len(loads) == 1  # a copy each time
    with pytest.raises(JobError, match="k=10"):  # other settings: estimated (here: refused) anew
        preflight(_with(work, k=10))
    assert len(loads) == 2
    st = os.stat(work / "scene.tif")
    os.utime(work / "scene.tif", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the input changed
    assert preflight(job).windows == first.windows and len(loads) == 3


def test_preflight_names_a_missing_class_field_before_any_estimate(work, monkeypatch):
    """The CLI prints the estimate after preflight: a wrong --field is refused first, with the fields."""
    from osgeo import ogr

    from engine.inference import backend
    from engine.preflight import preflight
    from engine.vector import VectorError

    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(work / "labels.gpkg"))
    lyr = ds.CreateLayer("labels", geom_type=ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("LULC_ID", ogr.OFTInteger))
    lyr = ds = None
    monkeypatch.setattr(backend, "load_model", lambda *a, **k: pytest.fail("the model was loaded first"))
    job = _with(work, product="classify", labels_vector=str(work / "labels.gpkg"), label_field="class")
    with pytest.raises(VectorError, match="Field 'class' not found in .*labels.gpkg.*Fields: LULC_ID"):
        preflight(job)
    job = _with(work, product="seasonal", labels_vector=str(work / "labels.gpkg"), label_field="class",
                seasonal_outputs=["classify"])
    job.inputs = job.inputs * 2
    with pytest.raises(VectorError, match="Field 'class' not found"):
        preflight(job)


def _with(work, **kw):
    job = _job(work, work / "o.tif")
    for k, v in kw.items():
        setattr(job, k, v)
    return job


def test_model_files_refused_with_plain_words(work, tmp_path, monkeypatch):
    from engine.errors import CheckpointError
    from engine.model import registry
    from engine.model.checkpoint import load_checkpoint

    _hostile_files(work)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(work / "evil.pt")
    assert "evil.pt" in str(err.value) and "weights_only" not in str(err.value) and "\n" not in str(err.value)
    monkeypatch.setattr(registry, "user_model_dir", lambda: tmp_path / "models")
    junk = work / "junk.safetensors"
    junk.write_bytes(b"\x00" * 64)
    with pytest.raises(CheckpointError, match="cannot install .*junk.safetensors"):
        registry.install(str(junk))
    assert not (tmp_path / "models").exists() or not os.listdir(tmp_path / "models")


def test_k_above_valid_tokens_is_an_error_in_the_api_too(work):
    before = snapshot(work)
    with pytest.raises(JobError, match="k=10 clusters is more than the 9 valid tokens"):
        run(_with(work, k=10))  # no preflight here: the product itself refuses, never fewer clusters
    assert snapshot(work) == before


def test_renamed_head_pair_still_loads_and_a_lone_json_names_its_npz(tmp_path):
    import shutil

    from engine.classifiers import fit_classifier
    from engine.products.heads import Head

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(20, 4)).astype(np.float32), np.repeat([0, 1], 10)
    head = Head(fit_classifier(x, y, 2, "logistic", 0), ["a", "b"], {"a": "#000000", "b": "#ffffff"})
    head.save(str(tmp_path / "old.head.json"))
    shutil.move(tmp_path / "old.head.json", tmp_path / "new.head.json")
    shutil.move(tmp_path / "old.head.npz", tmp_path / "new.head.npz")
    assert Head.load(str(tmp_path / "new.head.json")).class_names == ["a", "b"]
    os.remove(tmp_path / "new.head.npz")
    with pytest.raises(JobError, match=r"new.head.json needs .*old.head.npz .*new.head.npz"):
        Head.load(str(tmp_path / "new.head.json"))


def test_raster_without_crs_is_processed_in_pixel_coordinates_and_said_once(tmp_path, capsys):
    from osgeo import gdal

    path = str(tmp_path / "plain.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 48, 48, 4, gdal.GDT_UInt16)
    for i in range(4):
        ds.GetRasterBand(i + 1).WriteArray((np.random.default_rng(i).random((48, 48)) * 3000).astype("uint16"))
    ds = None
    code, out, err = cli(["cluster", path, "-o", tmp_path / "c.tif", "--k", "2", "--window", "32", "--device", "cpu"]
                         + S2, capsys)  # not --quiet: the notes are printed
    assert code == 0, err
    assert err.count("has no georeference and coordinate system") == 1 and "pixel coordinates" in err
    result = gdal.Open(str(tmp_path / "c.tif"))
    assert result.GetProjection() == "" and result.GetGeoTransform()[0] == 0.0


def test_unwritable_folder_is_named_before_the_run(work, monkeypatch, capsys):
    """(Simulated: the tests may run as root, who can write anywhere.)"""
    real_access = os.access
    locked = str(work / "sub")
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == locked else real_access(p, mode, **kw))
    before = snapshot(work)
    code, _, err = cli(["embed", work / "scene.tif", "-o", work / "sub" / "o.tif"] + S2 + FAST, capsys)
    assert code == 2 and f"output folder {locked} is not writable" in err and ".tmp" not in err
    assert snapshot(work) == before
