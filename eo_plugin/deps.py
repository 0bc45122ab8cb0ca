"""Check the Python packages the engine needs, without importing them, and say how to install them."""
from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass

from .i18n import tr, tr_noop

# Pins match requirements.txt: versions built against numpy 1.x, which QGIS 3.x ships. The numpy
# constraint keeps pip from upgrading QGIS's own numpy to 2.x (that breaks GDAL and QGIS).
NUMPY_CONSTRAINT = "numpy>=1.21,<2"


@dataclass(frozen=True)
class Dependency:
    """A Python package the engine imports, with its pinned pip requirement."""

    module: str  # import name
    requirement: str  # pip requirement, pinned
    required: bool  # False: only needed for an optional feature
    purpose: str


DEPENDENCIES = (
    Dependency("torch", "torch==2.13.0", True, tr_noop("runs the SMARTIES encoder")),
    Dependency("safetensors", "safetensors==0.8.0", True, tr_noop("reads the published model files")),
    Dependency("sklearn", "scikit-learn==1.8.0", True, tr_noop("clusters, PCA and classifiers")),
    Dependency("onnxruntime", "onnxruntime==1.31.1", False, tr_noop("optional ONNX Runtime backend")),
)


def is_installed(module: str) -> bool:
    """True when the module can be imported (found on sys.path); nothing is imported."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(required_only: bool = True) -> list[Dependency]:
    """Dependencies that are not installed (by default only the required ones)."""
    return [d for d in DEPENDENCIES if (d.required or not required_only) and not is_installed(d.module)]


def qgis_python() -> str:
    """The command that runs QGIS's own Python interpreter on this platform.

    Not sys.executable: inside QGIS it is the QGIS binary, or on Linux whatever `python3` comes
    first on PATH (e.g. a pyenv shim), which may be another Python than the one QGIS embeds.
    """
    if sys.platform.startswith("win"):
        return os.path.join(sys.exec_prefix, "python.exe")  # OSGeo4W / standalone installer layout
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.join(sys.exec_prefix, "bin", version), os.path.join(sys.exec_prefix, "bin", "python3")):
        if os.path.isfile(candidate):
            return candidate
    return version


def externally_managed() -> bool:
    """True for a distribution-managed system Python (PEP 668, e.g. Debian 12), not a venv."""
    import sysconfig

    if sys.prefix != sys.base_prefix:
        return False  # virtual environments are always pip-managed
    stdlib = sysconfig.get_path("stdlib") or ""
    return os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED"))


def install_command(deps: list[Dependency]) -> str:
    """Exact pip command that installs the given packages for QGIS's Python."""
    reqs = " ".join(f'"{d.requirement}"' for d in deps)
    python = qgis_python()
    if " " in python:
        python = f'"{python}"'
    flags = ""
    if not sys.platform.startswith("win") and sys.prefix == sys.base_prefix:
        flags = " --user"  # QGIS's own Python is the system one: install into the user's site-packages
        if externally_managed():
            # Debian 12 / Ubuntu 23.04+ refuse --user installs without this flag (PEP 668); the user
            # site is separate from the system packages, and numpy stays pinned below 2.
            flags += " --break-system-packages"
    return f'{python} -m pip install{flags} {reqs} "{NUMPY_CONSTRAINT}"'


def missing_message(deps: list[Dependency] | None = None) -> str:
    """Readable message naming each missing package and the command to install it; '' if none."""
    deps = missing() if deps is None else deps
    if not deps:
        return ""
    lines = [tr("SMARTIES needs Python packages that this QGIS does not have:")]
    for d in deps:
        lines.append(f"  • {d.requirement}: {tr(d.purpose)}")
    lines.append("")
    lines.append(tr("Close QGIS, run this command in a terminal, then restart QGIS:"))
    lines.append(install_command(deps))
    if sys.platform.startswith("win"):
        lines.append(tr("On Windows, run it from the OSGeo4W Shell as administrator."))
    return "\n".join(lines)
