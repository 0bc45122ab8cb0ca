"""JobSpec: the one description of a job that the dialog, Processing and the CLI all build."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable, Optional, Sequence

from .errors import JobError

PRODUCTS = ("embeddings", "pca", "clusters", "similarity", "change", "classify", "seasonal")
# What a seasonal (time-series) job writes besides the seasonal embeddings (engine.products.seasonal).
SEASONAL_OUTPUTS = ("change_profile", "change", "clusters", "classify")
SEASONAL_POOLING = ("seasons", "mean", "concat", "fusion")

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


@dataclass
class RasterInput:
    """One input raster (or several single-band files stacked onto one grid)."""

    paths: list[str]
    # One entry per band of the (stacked) raster: a band spec string ("sentinel2:B04",
    # "634-696nm", "VV"), or "skip" to exclude the band. None means: identify from the file.
    bands: Optional[list[str]] = None
    sensor: Optional[str] = None  # sensor preset id used when bands is None
    date: Optional[str] = None  # acquisition date (YYYY-MM-DD) of a time-series input; None = from the file


@dataclass
class JobSpec:
    """Everything needed to run one product over one or two rasters."""

    product: str
    inputs: list[RasterInput]
    output: str  # final output path (.tif); companions get suffixes next to it
    model: str = "default"  # registry id or a checkpoint path
    window: int = 224
    overlap: float = 0.25  # fraction of the window shared by neighbours
    batch_size: int = 8
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    backend: str = "torch"  # torch | onnxruntime
    extent: Optional[tuple[float, float, float, float]] = None  # xmin, ymin, xmax, ymax
    extent_crs: Optional[str] = None  # CRS of extent (WKT/EPSG); None = raster CRS
    resolution: Optional[float] = None  # ground resolution to process at (raster units)
    extrapolate: bool = False  # allow nearest-layer extrapolation outside the spectrum
    interpolation: str = "published"  # published | linear
    normalization: str = "auto"  # auto | card | percentiles
    embedding_dtype: str = "float32"  # float16 | float32
    at_input_resolution: bool = False  # resample token-grid products to the input grid
    # product options
    k: int = 8  # clusters
    reference_points: list[tuple[float, float]] = field(default_factory=list)  # similarity
    reference_crs: Optional[str] = None
    reference_vector: Optional[str] = None  # vector file with points/polygons (similarity)
    labels_vector: Optional[str] = None  # classify: labelled points/polygons
    label_field: Optional[str] = None
    classifier: str = "logistic"  # logistic | knn | mlp
    head_path: Optional[str] = None  # classify: apply a saved head instead of training
    seed: int = 0
    keep_embeddings: bool = False  # products other than embeddings: also keep <output>_embeddings.tif
    # seasonal (time series: one input per date, aligned onto the first input's grid)
    seasonal_pooling: str = "seasons"  # seasons | mean | concat | fusion (see engine.products.seasonal)
    seasonal_outputs: list[str] = field(default_factory=lambda: ["change_profile"])
    change_dates: Optional[list[str]] = None  # seasonal "change": two dates (YYYY-MM-DD) or input numbers

    def validate(self) -> None:
        """Raise JobError with a readable message when the spec cannot run."""
        if self.product not in PRODUCTS:
            raise JobError(f"Unknown product '{self.product}'. Choose one of: {', '.join(PRODUCTS)}.")
        if not self.inputs:
            raise JobError("No input raster given.")
        if self.product == "change" and len(self.inputs) != 2:
            raise JobError("A change map needs exactly two input rasters (before and after).")
        if self.product == "seasonal":
            self._validate_seasonal()
        if self.window <= 0 or self.window % 16:
            raise JobError(f"Window size {self.window} is not a positive multiple of 16 (the patch size).")
        if not 0.0 <= self.overlap < 1.0:
            raise JobError(f"Overlap {self.overlap} must be a fraction in [0, 1).")
        if self.batch_size < 1:
            raise JobError("Batch size must be at least 1.")
        if not self.output:
            raise JobError("No output file given.")
        if self.product == "clusters" and self.k < 2:
            raise JobError(f"Number of clusters k={self.k} must be at least 2.")
        if self.product == "similarity" and not (self.reference_points or self.reference_vector):
            raise JobError("Similarity needs reference points or a point/polygon vector file.")
        if self.product == "classify" and not (self.head_path or (self.labels_vector and self.label_field)):
            raise JobError("Classification needs a labelled vector file and its class field, or a saved head.")

    def _validate_seasonal(self) -> None:
        if len(self.inputs) < 2:
            raise JobError("A time series needs at least two input rasters (dates).")
        if self.seasonal_pooling not in SEASONAL_POOLING:
            raise JobError(f"Unknown seasonal pooling '{self.seasonal_pooling}'. Choose one of: "
                           f"{', '.join(SEASONAL_POOLING)}.")
        unknown = [o for o in self.seasonal_outputs if o not in SEASONAL_OUTPUTS]
        if unknown:
            raise JobError(f"Unknown seasonal output(s) {', '.join(unknown)}. Choose from: "
                           f"{', '.join(SEASONAL_OUTPUTS)}.")
        if "change" in self.seasonal_outputs and (not self.change_dates or len(self.change_dates) != 2):
            raise JobError("Seasonal change needs two dates (change_dates, e.g. 2019-04-01,2019-08-15).")
        if "clusters" in self.seasonal_outputs and self.k < 2:
            raise JobError(f"Number of clusters k={self.k} must be at least 2.")
        if "classify" in self.seasonal_outputs and not (self.labels_vector and self.label_field):
            raise JobError("Seasonal classification needs a labelled vector file and its class field.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "JobSpec":
        data = dict(data)
        data["inputs"] = [RasterInput(**i) if isinstance(i, dict) else i for i in data.get("inputs", [])]
        for key in ("extent",):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        data["reference_points"] = [tuple(p) for p in data.get("reference_points", [])]
        return cls(**data)


@dataclass
class JobResult:
    """What a finished run produced: final file paths and a report for logs and metadata."""

    outputs: dict[str, str]
    report: dict = field(default_factory=dict)


def run(job: JobSpec, progress: Optional[ProgressFn] = None, cancel: Optional[CancelFn] = None) -> JobResult:
    """Run a job end to end. The implementation lives in engine.products.dispatch."""
    job.validate()
    from .products.dispatch import run_job  # heavy imports only when a job runs

    return run_job(job, progress=progress or (lambda f, m: None), cancel=cancel or (lambda: False))


def parse_band_list(text: str | Sequence[str] | None) -> Optional[list[str]]:
    """Parse "B02,B03,skip" or a list into band entries; None/"" means identify from the file."""
    if text is None:
        return None
    if isinstance(text, str):
        items = [t.strip() for t in text.replace(";", ",").split(",")]
    else:
        items = [str(t).strip() for t in text]
    items = [t for t in items if t]
    return items or None
