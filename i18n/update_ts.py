"""Refresh i18n/smarties_fr.ts from the tr()/tr_noop() strings of the plugin (pylupdate5 is not needed).

    python i18n/update_ts.py            # add new strings (unfinished), keep existing translations
    python i18n/update_ts.py --check    # exit 1 when a string has no French translation
"""
from __future__ import annotations

import argparse
import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = "smarties"  # eo_plugin.i18n.CONTEXT
TS_FILES = {"fr": ROOT / "i18n" / "smarties_fr.ts"}


def source_files() -> list[Path]:
    """Plugin sources that use eo_plugin.i18n.tr / tr_noop, the Processing provider included."""
    return [ROOT / "__init__.py"] + sorted((ROOT / "eo_plugin").rglob("*.py"))


def extract(files: list[Path]) -> list[tuple[str, str, int]]:
    """(text, file, line) for every tr("...") / tr_noop("...") call with a literal string."""
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            arg = node.args[0]
            if name in ("tr", "tr_noop") and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.value, str(path.relative_to(ROOT)), node.lineno))
    return found


def read_ts(path: Path) -> dict[str, str]:
    """source -> translation ('' when unfinished) from an existing .ts file."""
    if not path.is_file():
        return {}
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for msg in context.iter("message"):
            source = msg.findtext("source") or ""
            tr_el = msg.find("translation")
            done = tr_el is not None and tr_el.get("type") not in ("unfinished", "obsolete")
            out[source] = (tr_el.text or "") if done else ""
    return out


def write_ts(path: Path, lang: str, messages: list[tuple[str, str, int]], translations: dict[str, str]) -> None:
    root = ET.Element("TS", version="2.1", language=lang)
    if path.is_file():  # keep any other context (e.g. one written by pylupdate5) as it is
        for other in ET.parse(path).getroot().iter("context"):
            if other.findtext("name") != CONTEXT:
                root.append(other)
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    seen = set()
    for text, file, line in messages:
        if text in seen:
            continue
        seen.add(text)
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "location", filename=f"../{file}", line=str(line))
        ET.SubElement(msg, "source").text = text
        tr_el = ET.SubElement(msg, "translation")
        if translations.get(text):
            tr_el.text = translations[text]
        else:
            tr_el.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report strings without translation")
    args = parser.parse_args()
    messages = extract(source_files())
    missing_all = []
    for lang, path in TS_FILES.items():
        translations = read_ts(path)
        missing = sorted({t for t, _, _ in messages if not translations.get(t)})
        missing_all += missing
        if not args.check:
            write_ts(path, f"{lang}_{lang.upper()}", messages, translations)  # fr -> fr_FR
        for text in missing:
            print(f"{lang}: untranslated: {text!r}")
    return 1 if (args.check and missing_all) else 0


if __name__ == "__main__":
    sys.exit(main())
