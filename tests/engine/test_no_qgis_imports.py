"""engine/ must stay free of QGIS and Qt: parse every engine/*.py and check its imports."""
from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = ("qgis", "PyQt5", "PyQt6", "PySide2", "PySide6", "sip", "processing")


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_engine_has_python_files():
    assert len(list(ENGINE.rglob("*.py"))) >= 3


def test_no_qgis_or_qt_imports_in_engine():
    offenders = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, module in _imports(tree):
            if module.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ENGINE.parent)}:{lineno} imports {module}")
    assert not offenders, "engine/ must not import QGIS/Qt:\n" + "\n".join(offenders)


def test_checker_catches_a_qgis_import():
    tree = ast.parse("import os\nfrom qgis.core import QgsProject\nimportlib.import_module('PyQt5.QtCore')\n")
    assert [m for _, m in _imports(tree) if m.split(".")[0] in FORBIDDEN] == ["qgis.core", "PyQt5.QtCore"]
