"""One-click install of the engine's Python packages into a plugin-private folder on QGIS's own Python.

Nothing here touches QGIS's site-packages: pip installs with `--target <private folder>`, and that
folder is appended to the END of sys.path, so QGIS's own packages (numpy, GDAL, PyQt) always win;
a constraints file pins numpy to the exact version QGIS runs (never 2.x). PyTorch wheels follow
the machine: with an NVIDIA driver the CUDA build, without one the (much smaller) CPU build.
Pure Python (no Qt): eo_plugin.dialogs.install_dialog shows it, tests drive it directly.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from . import deps

PACKAGES_ENV = "SMARTIES_PACKAGES_DIR"  # overrides the private folder (tests, shared installs)
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_CUDA_INDEX = "https://download.pytorch.org/whl/cu128"  # Windows: PyPI's torch is CPU-only there
MIN_CUDA_DRIVER = 525  # CUDA 12.x wheels run on NVIDIA drivers >= 525 (minor-version compatibility)


def private_dir(base: Optional[str] = None) -> str:
    """The plugin-private package folder for this Python version (created on install, not here)."""
    if os.environ.get(PACKAGES_ENV):
        return os.environ[PACKAGES_ENV]
    if base is None:
        try:
            from qgis.core import QgsApplication

            base = QgsApplication.qgisSettingsDirPath()
        except ImportError:
            base = os.path.join(os.path.expanduser("~"), ".local", "share", "smarties")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return os.path.join(base, "smarties_packages", version)


def activate(folder: Optional[str] = None) -> str:
    """Append the private folder to sys.path (after QGIS's own packages) when it exists; returns it."""
    folder = folder or private_dir()
    if os.path.isdir(folder) and folder not in sys.path:
        sys.path.append(folder)
        importlib.invalidate_caches()
    return folder


@dataclass
class GpuInfo:
    """What the machine offers for PyTorch: an NVIDIA driver (version, GPU names) or nothing."""

    driver: str = ""
    gpus: list = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """True when the driver can run PyTorch's CUDA 12 wheels."""
        try:
            return int(self.driver.split(".")[0]) >= MIN_CUDA_DRIVER
        except ValueError:
            return False


def detect_gpu() -> GpuInfo:
    """NVIDIA driver version and GPU names from nvidia-smi or /proc (no torch needed)."""
    from engine.inference.device_summary import nvidia_driver

    info = nvidia_driver()
    return GpuInfo(info["driver"], list(info["gpus"]))


@dataclass
class InstallPlan:
    """The pip command (argument list), its folder and constraints, and what it chose and why."""

    args: list
    target: str
    constraints: str
    constraint_lines: list
    notes: list

    def command_text(self) -> str:
        """The command as one line to paste in a terminal (after writing the constraints file)."""
        if sys.platform.startswith("win"):
            return subprocess.list2cmdline(self.args)
        return " ".join(shlex.quote(a) for a in self.args)


def plan_install(packages: Optional[Sequence[deps.Dependency]] = None, target: Optional[str] = None,
                 gpu: Optional[GpuInfo] = None, find_links: Optional[str] = None,
                 python: Optional[str] = None) -> InstallPlan:
    """The pip command that installs `packages` (default: all engine packages) into the private folder.

    find_links: a local folder of wheels; the install then runs offline (--no-index).
    """
    packages = list(deps.DEPENDENCIES if packages is None else packages)
    target = target or private_dir()
    constraints = os.path.join(target, "constraints.txt")
    import numpy

    pins = [f"numpy=={numpy.__version__}"]  # the numpy QGIS runs (1.x), whatever a package would like
    args = [python or deps.qgis_python(), "-m", "pip", "install", "--target", target, "--upgrade",
            "--disable-pip-version-check", "--no-warn-script-location", "--constraint", constraints]
    notes = [f"into {target} (private to the plugin; QGIS's own packages stay as they are)",
             f"numpy kept at {numpy.__version__} (the version this QGIS runs)"]
    if importlib.util.find_spec("pip") is None:
        notes.append("this Python has no pip: install it first (Debian/Ubuntu: apt install python3-pip; "
                     "elsewhere: python -m ensurepip)")
    if find_links:
        args += ["--no-index", "--find-links", find_links]
        notes.append(f"offline, from the wheels in {find_links}")
    elif any(p.module == "torch" for p in packages):
        gpu = gpu if gpu is not None else detect_gpu()
        args += _torch_index(gpu, notes)
    args += [p.requirement for p in packages]
    return InstallPlan(args, target, constraints, pins, notes)


def _torch_index(gpu: GpuInfo, notes: list) -> list:
    """pip index options for the PyTorch build this machine can use."""
    names = ", ".join(gpu.gpus) or "an NVIDIA GPU"
    if gpu.usable:
        if sys.platform.startswith("win"):
            notes.append(f"PyTorch CUDA build ({names}, driver {gpu.driver})")
            return ["--extra-index-url", TORCH_CUDA_INDEX]
        notes.append(f"PyTorch CUDA build from PyPI ({names}, driver {gpu.driver})")
        return []
    if gpu.driver:
        notes.append(f"PyTorch CPU build: the NVIDIA driver {gpu.driver} is older than {MIN_CUDA_DRIVER}, which "
                     "CUDA 12 builds need; update the driver and install again to use the GPU")
    else:
        notes.append("PyTorch CPU build (no NVIDIA driver found)")
    if sys.platform.startswith("linux"):
        return ["--extra-index-url", TORCH_CPU_INDEX]  # PyPI's Linux torch bundles ~2 GB of CUDA libraries
    return []


def write_constraints(plan: InstallPlan) -> None:
    """Create the private folder and its constraints file (numpy pin) before pip runs."""
    os.makedirs(plan.target, exist_ok=True)
    with open(plan.constraints, "w", encoding="utf-8") as fh:
        fh.write("\n".join(plan.constraint_lines) + "\n")


def run_install(plan: InstallPlan, on_line: Callable[[str], None] = print) -> int:
    """Run pip, passing each output line to on_line as it comes; returns pip's exit code."""
    write_constraints(plan)
    env = dict(os.environ, PYTHONUNBUFFERED="1", PIP_NO_INPUT="1")
    proc = subprocess.Popen(plan.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            bufsize=1)
    for line in proc.stdout:
        on_line(line.rstrip("\n"))
    return proc.wait()


# -- diagnostics -------------------------------------------------------------------------------

@dataclass
class PackageStatus:
    """One package as this QGIS sees it."""

    module: str
    requirement: str
    importable: bool
    version: str = ""
    location: str = ""
    private: bool = False  # found in the plugin-private folder
    error: str = ""


def _distribution(module: str) -> str:
    return {"sklearn": "scikit-learn", "osgeo": "GDAL"}.get(module, module)


def package_status(module: str, requirement: str = "", private: Optional[str] = None) -> PackageStatus:
    """Import `module` (errors caught) and say its version and where it comes from."""
    private = os.path.abspath(private or private_dir())
    status = PackageStatus(module, requirement, False)
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError) as exc:
        spec, status.error = None, str(exc)
    if spec is None:
        status.error = status.error or "not found on QGIS's Python path"
        return status
    if spec.origin:
        status.location = os.path.dirname(spec.origin)
    else:  # a namespace package
        status.location = ", ".join(spec.submodule_search_locations or [])
    status.private = os.path.abspath(status.location).startswith(private + os.sep)
    try:
        mod = __import__(module)
        status.importable = True
        status.version = str(getattr(mod, "__version__", "") or "")
    except Exception as exc:  # noqa: BLE001 - e.g. a numpy ABI mismatch: show it, don't fail
        status.error = f"{type(exc).__name__}: {exc}"
    if not status.version:
        try:
            status.version = importlib.metadata.version(_distribution(module))
        except importlib.metadata.PackageNotFoundError:
            pass
    return status


def diagnostics(private: Optional[str] = None) -> dict:
    """Everything "Check installation" shows: Python, private folder, packages, GPU and device line."""
    rows = [package_status(d.module, d.requirement, private) for d in deps.DEPENDENCIES]
    rows += [package_status("numpy", deps.NUMPY_CONSTRAINT, private), package_status("osgeo", "", private)]
    gpu = detect_gpu()
    out = {"python": deps.qgis_python(), "python_version": sys.version.split()[0],
           "private_dir": os.path.abspath(private or private_dir()), "packages": rows,
           "driver": gpu.driver, "gpus": gpu.gpus, "why_no_gpu": "", "device": ""}
    torch_ok = any(r.module == "torch" and r.importable for r in rows)
    from engine.inference.device_summary import device_line, why_no_gpu

    out["why_no_gpu"] = why_no_gpu()
    out["device"] = device_line("auto") if torch_ok else "PyTorch is not importable"
    try:
        import torch

        out["torch_cuda_build"] = getattr(torch.version, "cuda", None) or "none (CPU-only build)"
    except Exception:  # noqa: BLE001
        out["torch_cuda_build"] = "PyTorch is not importable"
    return out


def diagnostics_text(report: dict) -> str:
    """Plain-text rendering (copyable into a bug report)."""
    lines = [f"Python: {report['python']} ({report['python_version']})",
             f"Plugin package folder: {report['private_dir']}", ""]
    for r in report["packages"]:
        state = "OK" if r.importable else "MISSING" if not r.location else "BROKEN"
        where = f" [{'plugin folder' if r.private else 'QGIS'}: {r.location}]" if r.location else ""
        lines.append(f"{state:8} {r.module} {r.version}{where}" + (f" - {r.error}" if r.error else ""))
    lines += ["", f"NVIDIA driver: {report['driver'] or 'none found'}" +
              (f" ({', '.join(report['gpus'])})" if report["gpus"] else ""),
              f"PyTorch CUDA build: {report.get('torch_cuda_build')}",
              f"Runs on: {report['device']}"]
    if report["why_no_gpu"]:
        lines.append(f"Why no GPU: {report['why_no_gpu']}")
    return "\n".join(lines)
