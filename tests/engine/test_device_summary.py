"""The device line ("CUDA: NVIDIA H200, bf16" / "CPU, 2 threads: about 4 min") and why a GPU is not used."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.inference import device_summary as ds
from engine.jobs import JobSpec, RasterInput

from test_raster_io import make_tif


def test_cpu_line_names_the_threads(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    assert ds.device_line("cpu") == "CPU, 2 threads"
    assert ds.describe("auto").kind in ("cpu", "mps")


def test_cuda_line_names_the_gpu_and_precision(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: "NVIDIA H200")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert ds.device_line("auto") == "CUDA: NVIDIA H200, bf16"
    assert ds.device_line("cuda:0,1") == "CUDA: 2 x NVIDIA H200, bf16"
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)  # e.g. a T4: autocast uses fp16
    assert ds.device_line("cuda:1") == "CUDA: NVIDIA H200, fp16"
    assert "only 2 CUDA GPU" in ds.device_line("cuda:5")


@pytest.mark.parametrize("build,driver,hidden,expected", [
    (None, {"driver": "", "gpus": []}, None, "CPU-only build"),
    (None, {"driver": "550.54", "gpus": ["NVIDIA A100"]}, None, "NVIDIA A100"),
    ("12.4", {"driver": "", "gpus": []}, None, "no NVIDIA GPU driver"),
    ("12.4", {"driver": "470.10", "gpus": ["Tesla T4"]}, None, "driver 470.10 does not run it"),
    ("12.4", {"driver": "550.54", "gpus": ["Tesla T4"]}, "-1", "CUDA_VISIBLE_DEVICES"),
])
def test_why_no_gpu(monkeypatch, build, driver, hidden, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.version, "cuda", build)
    monkeypatch.setattr(ds, "nvidia_driver", lambda: dict(driver, nvidia_smi=""))
    if hidden is None:
        monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    else:
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", hidden)
    reason = ds.why_no_gpu()
    assert expected in reason
    # asking for CUDA explicitly says the same reason instead of a device line
    assert expected in ds.device_line("cuda") and ds.describe("cuda").error


def test_gpu_available_means_no_reason(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert ds.why_no_gpu() == ""


def test_job_line_adds_the_preflight_estimate(tmp_path, monkeypatch):
    from engine import preflight

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    path = make_tif(tmp_path / "s.tif", np.ones((3, 64, 64), np.uint16))
    job = JobSpec(product="pca", inputs=[RasterInput([str(path)], ["B02", "B03", "B04"], "sentinel2_l2a")],
                  output=str(tmp_path / "o.tif"), device="cpu")

    class Estimate:
        seconds = 250.0

    monkeypatch.setattr(preflight, "preflight", lambda job: Estimate())
    line = ds.job_device_line(job)
    assert line.startswith("CPU, ") and line.endswith(": about 4 min")

    def broken(job):
        raise RuntimeError("no estimate")

    monkeypatch.setattr(preflight, "preflight", broken)  # never stops a run: the line just has no estimate
    assert ds.job_device_line(job) == ds.device_line("cpu")


def test_duration_text():
    assert ds.duration_text(20) == "under a minute"
    assert ds.duration_text(240) == "about 4 min"
    assert ds.duration_text(2 * 3600 + 600) == "about 2 h 10 min"


def test_preflight_durations_read_as_words():
    from engine.preflight import format_duration

    assert format_duration(0.3) == "under 1 s"  # not "0 s" for a run that takes a fraction of a second
    assert format_duration(42) == "42 s"
    assert format_duration(90) == "1.5 min"
    assert format_duration(200000) == "2.3 days"
    from engine.preflight import approx_duration

    assert approx_duration(0.3) == "under 1 s" and approx_duration(240) == "about 4.0 min"
