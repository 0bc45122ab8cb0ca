"""Which device and precision a run uses, said in one line, and why a GPU is not used.

`device_line("auto")` -> "CUDA: NVIDIA H200, bf16" or "CPU, 2 threads"; with a job it adds the
pre-run estimate of engine.preflight ("CPU, 2 threads: about 4 min").
`why_no_gpu()` names the reason a CUDA GPU is not used: no NVIDIA driver, a CPU-only PyTorch
build, a driver too old for PyTorch's CUDA, hidden GPUs. No torch import at module load.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass
class DeviceSummary:
    """Device kind (cuda | mps | cpu), its name, precision, CPU threads and the reason no GPU is used."""

    kind: str
    name: str = ""
    precision: str = "float32"
    threads: int = 1
    backend: str = "torch"
    no_gpu_reason: str = ""
    error: str = ""  # the asked device cannot be used (the run would stop with this message)

    def line(self) -> str:
        """'CUDA: NVIDIA H200, bf16', 'CPU, 2 threads', 'Apple MPS, float32' (+ ' (ONNX Runtime)')."""
        if self.error:
            return self.error
        engine = " (ONNX Runtime)" if self.backend == "onnxruntime" else ""
        if self.kind == "cuda":
            return f"CUDA{engine}: {self.name}, {self.precision}"
        if self.kind == "mps":
            return f"Apple MPS{engine}, {self.precision}"
        return f"CPU{engine}, {self.threads} thread{'s' if self.threads != 1 else ''}"


def nvidia_driver() -> dict:
    """{'driver': version or '', 'gpus': [names], 'nvidia_smi': path or ''} from nvidia-smi or /proc."""
    out = {"driver": "", "gpus": [], "nvidia_smi": shutil.which("nvidia-smi") or ""}
    if out["nvidia_smi"]:
        try:
            res = subprocess.run([out["nvidia_smi"], "--query-gpu=name,driver_version", "--format=csv,noheader"],
                                 capture_output=True, text=True, timeout=10)
            for row in res.stdout.strip().splitlines():
                name, _, version = row.rpartition(",")
                if name.strip():
                    out["gpus"].append(name.strip())
                    out["driver"] = version.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    if not out["driver"] and os.path.isfile("/proc/driver/nvidia/version"):
        try:
            with open("/proc/driver/nvidia/version", encoding="utf-8") as fh:
                words = fh.readline().split()
            out["driver"] = next((w for w in words if w[:1].isdigit() and "." in w), "present")
        except OSError:
            pass
    return out


def why_no_gpu() -> str:
    """'' when PyTorch can use a CUDA GPU, else the reason in one sentence, with what to do."""
    try:
        import torch
    except ImportError:
        return "PyTorch is not installed (install it with the plugin's installer)."
    if torch.cuda.is_available():
        return ""
    driver = nvidia_driver()
    build = getattr(torch.version, "cuda", None)
    if not build and not getattr(torch.version, "hip", None):
        where = f" (the machine has {', '.join(driver['gpus']) or 'an NVIDIA driver'})" if driver["driver"] else ""
        return (f"this PyTorch ({torch.__version__}) is a CPU-only build{where}; install a CUDA build "
                "(the installer picks one when it finds an NVIDIA driver).")
    if not driver["driver"]:
        return "no NVIDIA GPU driver found (nvidia-smi is missing); install the NVIDIA driver to use a GPU."
    hidden = os.environ.get("CUDA_VISIBLE_DEVICES")
    if hidden is not None and hidden.strip() in ("", "-1"):
        return f"CUDA_VISIBLE_DEVICES={hidden!r} hides the GPUs from PyTorch."
    return (f"PyTorch {torch.__version__} is built for CUDA {build}, but the NVIDIA driver {driver['driver']} "
            "does not run it (a driver too old for that CUDA version, or the GPU is busy/unavailable); update "
            "the driver or install a PyTorch built for an older CUDA.")


def _torch_summary(device: str) -> DeviceSummary:
    import torch

    threads = max(1, torch.get_num_threads())
    name = (device or "auto").strip().lower()
    reason = why_no_gpu()
    if name == "auto":
        if torch.cuda.is_available():
            name = "cuda"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            name = "mps"
        else:
            name = "cpu"
    if name == "all" or name.startswith("cuda"):
        if not torch.cuda.is_available():
            return DeviceSummary("cpu", threads=threads, no_gpu_reason=reason,
                                 error=f"CUDA was asked for but cannot be used: {reason}")
        indices = list(range(torch.cuda.device_count())) if name == "all" else \
            [int(p.split(":")[-1]) if p.split(":")[-1].isdigit() else 0 for p in name.split(",") if p.strip()]
        names = [torch.cuda.get_device_name(i) for i in indices if i < torch.cuda.device_count()]
        if not names:
            return DeviceSummary("cpu", threads=threads, error=f"device '{device}': there are only "
                                 f"{torch.cuda.device_count()} CUDA GPU(s)")
        label = names[0] if len(set(names)) == 1 and len(names) == 1 else \
            (f"{len(names)} x {names[0]}" if len(set(names)) == 1 else " + ".join(names))
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return DeviceSummary("cuda", label, precision, threads)
    if name == "mps":
        return DeviceSummary("mps", "Apple MPS", "float32", threads, no_gpu_reason=reason)
    return DeviceSummary("cpu", threads=threads, no_gpu_reason=reason)


def describe(device: str = "auto", backend: str = "torch") -> DeviceSummary:
    """What a run with this device/backend setting would use."""
    if backend == "onnxruntime":
        try:
            import onnxruntime as ort
        except ImportError:
            return DeviceSummary("cpu", backend=backend, error="ONNX Runtime is not installed; use the torch backend.")
        cuda = "CUDAExecutionProvider" in ort.get_available_providers() and device != "cpu"
        threads = os.cpu_count() or 1
        if cuda:
            return DeviceSummary("cuda", "GPU", "float32", threads, backend)
        return DeviceSummary("cpu", threads=threads, backend=backend,
                             no_gpu_reason="this ONNX Runtime has no CUDA execution provider (onnxruntime-gpu)")
    try:
        return _torch_summary(device)
    except ImportError:
        return DeviceSummary("cpu", threads=os.cpu_count() or 1, no_gpu_reason=why_no_gpu(),
                             error="PyTorch is not installed; install it with the plugin's installer.")


# -- with a rough duration -------------------------------------------------------------------

def duration_text(seconds: float) -> str:
    """'under a minute', 'about 4 min', 'about 2 h 10 min'."""
    minutes = seconds / 60.0
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"about {round(minutes)} min"
    return f"about {int(minutes // 60)} h {round(minutes % 60):02d} min"


def device_line(device: str = "auto", backend: str = "torch", job=None) -> str:
    """One line: device and precision, and with a job the pre-run estimate: 'CPU, 2 threads: about 4 min'."""
    summary = describe(device, backend)
    text = summary.line()
    if job is not None and not summary.error:
        try:
            from ..preflight import preflight

            text += f": {duration_text(preflight(job).seconds)}"
        except Exception:  # noqa: BLE001 - no estimate (the run itself reports real problems)
            pass
    return text


def job_device_line(job) -> str:
    """device_line for a JobSpec (its device and backend, plus engine.preflight's time estimate)."""
    return device_line(job.device, job.backend, job)
