"""`python -m engine demo`: embeddings, PCA composite and clusters of the bundled sample scene."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from ..errors import RasterError
from ..jobs import JobSpec, RasterInput
from .clusters import write_clusters
from .embeddings import compute_embeddings, report_for
from .pca import write_pca

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "sample_s2_l2a.tif"


def run_demo(output_dir: str, model: str = "default", input_path: Optional[str] = None, k: int = 8,
             window: int = 224, device: str = "auto", progress=None, cancel=None, verbose: bool = True) -> dict:
    """Write embeddings.tif, pca.tif, clusters.tif and demo.json (listing them) into output_dir."""
    progress = progress or (lambda f, m: None)
    src = Path(input_path) if input_path else SAMPLE
    if not src.is_file():
        raise RasterError(f"The demo scene {src} is missing; it ships with the project in resources/sample/. "
                          "Pass another raster with --input.")
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    job = JobSpec(product="embeddings", inputs=[RasterInput([str(src)])], output=str(out / "embeddings.tif"),
                  model=model, window=window, device=device, k=k)
    job.validate()
    info = compute_embeddings(job, 0, job.output, progress, cancel, (0.0, 0.8))
    progress(0.85, "PCA composite")
    pca_report = write_pca(info, str(out / "pca.tif"), cancel=cancel)
    progress(0.92, "clusters")
    cluster_report = write_clusters(info, str(out / "clusters.tif"), k=k, cancel=cancel)
    progress(1.0, "done")
    outputs = {"embeddings": str(out / "embeddings.tif"), "pca": str(out / "pca.tif"),
               "clusters": str(out / "clusters.tif")}
    summary = {"input": str(src), "model": model, "outputs": outputs, "k": k,
               "report": {**report_for(info), "pca": pca_report, "clusters": cluster_report}}
    tmp = out / ".demo.json.part"
    tmp.write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, out / "demo.json")
    if verbose:
        print(f"Demo outputs in {out}:")
        for name, path in outputs.items():
            print(f"  {name:<11} {path}")
        print(f"  {'summary':<11} {out / 'demo.json'}")
    return summary
