"""The classification report for people: plain text (job report, log) and a self-contained HTML
page written next to the class raster: samples, cross-validation metrics, per-class table,
confusion matrix, mapped area and warnings."""
from __future__ import annotations

from html import escape


def _fmt(v, pct: bool = False) -> str:
    if v is None:
        return "n/a"
    return f"{100 * v:.1f}%" if pct else f"{v:.3f}"


def _model_text(report: dict) -> str:
    weights = report.get("model_weights")
    return f"{report.get('model')} (weights {weights})" if weights else str(report.get("model"))


def _cv_lines(cv: dict) -> list[str]:
    if not cv.get("n_folds"):
        return ["Cross-validation: not possible with these labels."]
    how = "each polygon's tokens kept in one fold" if cv.get("grouped") else "samples"
    return [f"Cross-validation: {cv['n_folds']} folds, stratified, {how}; {cv['n_tested']} tested samples.",
            f"Overall accuracy {_fmt(cv['overall_accuracy'], True)}, balanced accuracy "
            f"{_fmt(cv['balanced_accuracy'], True)}, macro F1 {_fmt(cv['macro_f1'])}, kappa {_fmt(cv['kappa'])}."]


def format_report_text(report: dict) -> str:
    """Plain-text classification report: samples, CV metrics, per-class table, confusion matrix, warnings."""
    names = report.get("classes", [])
    cv = report.get("cross_validation", {})
    lines = [f"Classification ({report.get('classifier')}) of {report.get('input') or 'the raster'}",
             f"Model: {_model_text(report)}",
             "Samples per class: " + ", ".join(f"{n}: {c}" for n, c in report.get("samples", {}).items())]
    lines += _cv_lines(cv)
    if cv.get("n_folds"):
        w = max([len(n) for n in names] + [5])
        lines.append("")
        lines.append(f"{'class'.ljust(w)}  precision  recall     F1  support")
        for n in names:
            m = cv["per_class"][n]
            lines.append(f"{n.ljust(w)}  {_fmt(m['precision']):>9}  {_fmt(m['recall']):>6}  {_fmt(m['f1']):>5}"
                         f"  {m['support']:>7}")
        lines.append("")
        lines.append("Confusion matrix (rows: labelled class, columns: predicted class)")
        cw = max([len(n) for n in names] + [len(str(v)) for r in cv["confusion_matrix"] for v in r])
        lines.append(" " * w + "  " + " ".join(n.rjust(cw) for n in names))
        for n, row in zip(names, cv["confusion_matrix"]):
            lines.append(n.ljust(w) + "  " + " ".join(str(v).rjust(cw) for v in row))
    pixels = report.get("class_pixels")
    if pixels:
        total = max(1, sum(pixels.values()))
        lines.append("")
        lines.append("Mapped area: " + ", ".join(f"{n}: {100 * c / total:.1f}%" for n, c in pixels.items()))
    for wmsg in report.get("warnings", []):
        lines.append(f"Warning: {wmsg}")
    return "\n".join(lines)


def format_report_html(report: dict) -> str:
    """A small self-contained HTML page with the same content as format_report_text."""
    names = report.get("classes", [])
    colours = report.get("colours", {})
    cv = report.get("cross_validation", {})
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Classification report</title>",
           "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.8em 0}"
           "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th:first-child,td:first-child"
           "{text-align:left}.sw{display:inline-block;width:.9em;height:.9em;margin-right:.4em;"
           "border:1px solid #555}.diag{font-weight:bold;background:#eef6ee}.warn{color:#a33}</style></head><body>",
           f"<h2>Classification ({escape(str(report.get('classifier')))})</h2>",
           f"<p>Input: {escape(str(report.get('input') or ''))}<br>Model: {escape(_model_text(report))}</p>"]
    out += [f"<p>{escape(line)}</p>" for line in _cv_lines(cv)]

    def swatch(n):
        return f"<span class='sw' style='background:{escape(colours.get(n, '#ffffff'))}'></span>{escape(n)}"

    samples = report.get("samples", {})
    pixels = report.get("class_pixels") or {}
    total = max(1, sum(pixels.values())) if pixels else 1
    out.append("<table><tr><th>class</th><th>samples</th><th>precision</th><th>recall</th><th>F1</th>"
               "<th>tested</th><th>mapped area</th></tr>")
    for n in names:
        m = (cv.get("per_class") or {}).get(n, {})
        area = f"{100 * pixels.get(n, 0) / total:.1f}%" if pixels else ""
        out.append(f"<tr><td>{swatch(n)}</td><td>{samples.get(n, '')}</td><td>{_fmt(m.get('precision'))}</td>"
                   f"<td>{_fmt(m.get('recall'))}</td><td>{_fmt(m.get('f1'))}</td><td>{m.get('support', '')}</td>"
                   f"<td>{area}</td></tr>")
    out.append("</table>")
    if cv.get("n_folds"):
        out.append("<p>Confusion matrix (rows: labelled class, columns: predicted class)</p><table><tr><th></th>")
        out += [f"<th>{escape(n)}</th>" for n in names]
        out.append("</tr>")
        for i, (n, row) in enumerate(zip(names, cv["confusion_matrix"])):
            cells = "".join(f"<td class='diag'>{v}</td>" if i == j else f"<td>{v}</td>" for j, v in enumerate(row))
            out.append(f"<tr><th>{escape(n)}</th>{cells}</tr>")
        out.append("</table>")
    for wmsg in report.get("warnings", []):
        out.append(f"<p class='warn'>Warning: {escape(wmsg)}</p>")
    out.append("</body></html>")
    return "\n".join(out)
