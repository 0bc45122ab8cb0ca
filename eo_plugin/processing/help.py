"""Help texts of the SMARTIES Processing algorithms (shown in the toolbox dialog's side panel)."""
from __future__ import annotations

from ..i18n import tr, tr_noop

# Every paragraph is marked with tr_noop where it is written and translated by help_text() when shown.
# Shared paragraphs: every algorithm that reads a raster explains the band syntax the same way.
BAND_SYNTAX = tr_noop(
    "<p><b>Bands</b> (one entry per band of the input raster, in file order, separated by commas). "
    "Leave empty to identify the bands from the file (band descriptions, GDAL metadata, file name) "
    "or from the chosen <b>Sensor</b> preset. Each entry is one of:</p><ul>"
    "<li>a band name of the sensor preset: <code>B02,B03,B04,B08</code></li>"
    "<li>a preset band from any sensor: <code>sentinel2:B04</code>, <code>landsat8:B10</code></li>"
    "<li>a wavelength range: <code>634-696nm</code> or <code>0.634-0.696um</code></li>"
    "<li>a SAR polarisation: <code>VV</code>, <code>VH</code></li>"
    "<li><code>skip</code> to leave that band out</li></ul>"
    "<p>Example for a 5-band file whose last band is a cloud mask: "
    "<code>sentinel2:B04,sentinel2:B03,sentinel2:B02,634-696nm,skip</code>. Writing the bands as text "
    "keeps them with the parameters, so batch runs and models carry the wavelengths. Run "
    "<i>Inspect bands</i> first to see how each band maps to a projection layer of the model.</p>"
)

MODEL = tr_noop(
    "<p><b>Model</b>: <code>default</code> (the model bundled with the plugin), a registry id "
    "(e.g. <code>smarties-v1-vitb</code>) or the path of a <code>.safetensors</code>/<code>.pt</code> "
    "checkpoint in the SMARTIES layout.</p>"
    "<p><b>Window</b>, <b>overlap</b> and <b>batch size</b> (advanced) control the sliding window: "
    "the window is a multiple of 16 pixels from 16 to 4096 (default 224), neighbouring windows share the "
    "overlap fraction (0 to 0.9, default 0.25) and are blended without seams; the batch size is 1 to 1024 "
    "windows per step (default 8). Before the run the log shows an estimate (windows, time, memory); "
    "settings that cannot fit in memory or on disk are refused with the numbers. <b>Extent</b> limits "
    "processing to an area (any CRS; it is transformed to the raster's CRS). <b>Device</b> "
    "<code>auto</code> uses a CUDA GPU when there is one.</p>"
    "<p>An embeddings raster written by SMARTIES (the <i>Embeddings</i> algorithm) can be the "
    "<b>input</b> of PCA, clusters, similarity, change and classification: it is recognised by its "
    "metadata, needs no band list and is not computed again (this is how a model chains them).</p>"
)

TOKEN_GRID = tr_noop(
    "<p>Token-grid products have one pixel per 16x16 input pixels (the model's patch), on the input "
    "raster's grid and CRS, unless <i>Resample to the input grid</i> is checked.</p>"
)

DESCRIPTIONS = {
    "embeddings": tr_noop(
        "<p>Runs the SMARTIES encoder over the raster and writes its patch embeddings: one band per "
        "feature dimension, one pixel per 16x16 input pixels. Use them as input for your own "
        "classifiers, clustering or similarity search.</p>"
    ),
    "pca": tr_noop(
        "<p>Projects the embeddings on their first three principal components and writes them as a "
        "3-band 8-bit RGB image (components 1, 2 and 3 stretched to 1-255; 0 is nodata), where similar "
        "land cover gets similar colours. Method <code>umap</code> uses a UMAP projection instead.</p>"
    ),
    "clusters": tr_noop(
        "<p>Groups the embeddings into <b>K</b> clusters with k-means, or with <b>HDBSCAN</b> "
        "(method <code>hdbscan</code>: finds the number of clusters from the density of the "
        "embeddings; tokens in no dense group form the <i>unclustered</i> class), and writes the "
        "cluster number of each token: an unsupervised land-cover map.</p>"
    ),
    "similarity": tr_noop(
        "<p>Writes the cosine similarity (-1 to 1) between every token's embedding and the mean "
        "embedding under the <b>reference</b>: the features of a point/polygon layer, or one point "
        "picked on the map. High values mark places that look like the reference.</p>"
    ),
    "change": tr_noop(
        "<p>Compares the embeddings of two co-registered rasters (before and after) and writes the "
        "change magnitude (cosine distance, 0 = same, up to 2) per token. The second raster is "
        "resampled onto the first one's grid when the grids differ. Both rasters use the same "
        "sensor/bands settings unless <i>Bands of the second raster</i> is given.</p>"
    ),
    "classify": tr_noop(
        "<p>Trains a light classifier (logistic regression, k-nearest neighbours, random forest or a "
        "small MLP; scikit-learn) on the embeddings under the labelled points/polygons of a vector layer and writes the class "
        "of every token, the classifier's confidence (0 to 1) and an HTML report (classes, samples, "
        "validation accuracy). The trained head is saved next to the classes (<code>.head.json</code> + "
        "<code>.head.npz</code>); give it as <b>Saved head</b> (instead of labels) to classify another "
        "raster of the same model and bands without training.</p>"
    ),
    "inspect_bands": tr_noop(
        "<p>Identifies every band of the raster (from band descriptions, metadata, the file name, "
        "the sensor preset or your <b>Bands</b> list) and shows which projection layer of the model "
        "each band uses: trained, nearest, interpolated or unsupported. Writes the table as an HTML "
        "file and returns it as text and as JSON. Needs no model and no torch.</p>"
    ),
}

OUTPUTS = {
    "embeddings": tr_noop("<p><b>Output</b>: float32 GeoTIFF, one band per embedding dimension.</p>"),
    "pca": tr_noop("<p><b>Output</b>: 3-band 8-bit GeoTIFF (RGB of principal components 1-3, 0 = nodata).</p>"),
    "clusters": tr_noop("<p><b>Output</b>: single-band integer GeoTIFF of cluster numbers.</p>"),
    "similarity": tr_noop("<p><b>Output</b>: single-band float32 GeoTIFF of cosine similarity.</p>"),
    "change": tr_noop("<p><b>Output</b>: single-band float32 GeoTIFF of change magnitude.</p>"),
    "classify": tr_noop(
        "<p><b>Outputs</b>: class raster (integer class codes; names in the raster attribute "
        "table/metadata), confidence raster (float32, 0-1), HTML report.</p>"
    ),
    "inspect_bands": tr_noop(
        "<p><b>Outputs</b>: HTML band table, the table as text (<code>TABLE</code>) and the "
        "decisions as JSON (<code>DECISIONS</code>).</p>"
    ),
}


def models_text() -> str:
    """Registered models and whether each is installed here (empty when the registry is unavailable)."""
    try:
        from engine.model.registry import list_models

        rows = list_models()
    except Exception:  # noqa: BLE001 - help must render even with an incomplete engine
        return ""
    items = []
    for m in rows:
        aliases = ", ".join(m.get("aliases") or [])
        state = "" if m.get("path") else " " + tr("(not installed)")
        items.append(f"<li><code>{m['id']}</code>{' = ' + aliases if aliases else ''}: {m.get('title', '')}{state}</li>")
    return f"<p>{tr('Registered models:')}</p><ul>{''.join(items)}</ul>" if items else ""


def help_text(algorithm: str) -> str:
    """The full short help of one algorithm: what it does, band syntax, model, outputs."""
    parts = [tr(DESCRIPTIONS[algorithm])]
    parts.append(tr(BAND_SYNTAX))
    if algorithm != "inspect_bands":
        parts.append(tr(MODEL))
        parts.append(models_text())
        parts.append(tr(TOKEN_GRID))
    parts.append(tr(OUTPUTS[algorithm]))
    return "".join(parts)


def plain_text(html: str) -> str:
    """The help as plain text (for qgis_process, which prints it as it is)."""
    import html as html_module
    import re

    text = re.sub(r"<li>", "\n  - ", html)
    text = re.sub(r"</p>|</ul>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html_module.unescape(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
