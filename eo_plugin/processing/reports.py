"""Small HTML pages for Processing outputs (classification report, band table)."""
from __future__ import annotations

import html
import json
import os
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return _table(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        return _records(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(str(v) for v in value))
    return html.escape(str(value))


def _table(data: dict) -> str:
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{_value(v)}</td></tr>" for k, v in data.items())
    return f"<table>{rows}</table>"


def _records(records: list[dict]) -> str:
    columns: list[str] = []
    for record in records:
        columns += [c for c in record if c not in columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_value(r.get(c, ''))}</td>" for c in columns) + "</tr>" for r in records)
    return f"<table><tr>{head}</tr>{body}</table>"


STYLE = ("<style>body{font-family:sans-serif}table{border-collapse:collapse;margin:4px 0}"
         "th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
         "pre{background:#f4f4f4;padding:6px}</style>")


def html_page(title: str, sections: list[tuple[str, Any]]) -> str:
    """A standalone HTML page: each section is (heading, dict | list of dicts | text)."""
    parts = [f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{STYLE}</head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    for heading, content in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(content, str):
            parts.append(f"<pre>{html.escape(content)}</pre>")
        else:
            parts.append(_value(content))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_text(path: str, text: str) -> str:
    """Write a text file via a temporary name, so a failure never leaves half a file."""
    os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path


def jsonable(value: Any) -> Any:
    """Round-trip through json so numpy scalars and tuples print plainly."""
    return json.loads(json.dumps(value, default=lambda v: v.item() if hasattr(v, "item") else str(v)))
