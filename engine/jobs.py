"""JobSpec: the one description of a job that the dialog, Processing and the CLI all build."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Callable, Optional, Sequence

from .errors import JobError

PRODUCTS = ("embeddings", "pca", "clusters", "similarity", "change", "classify", "seasonal")
FUSIONS = ("concat", "mean", "stack")
# What a seasonal (time-series) job writes besides the seasonal embeddings (engine.products.seasonal).
SEASONAL_OUTPUTS = ("change_profile", "change", "clusters", "classify")
SEASONAL_POOLING = ("seasons", "mean", "concat", "concat_unit", "fusion")

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


def default_at_input_resolution(product: str) -> bool:
    """Maps (PCA, clusters, similarity, change, classes) come on the input grid; embeddings on tokens.

    'seasonal' writes seasonal embeddings first of all, so it keeps the token grid too.
    """
    return product not in ("embeddings", "seasonal")


@dataclass
class RasterInput:
    """One input raster (or several single-band files stacked onto one grid)."""

    paths: list[str]
    # One entry per band of the (stacked) raster: a band spec string ("sentinel2:B04",
    # "634-696nm", "VV"), or "skip" to exclude the band. None means: identify from the file.
    bands: Optional[list[str]] = None
    sensor: Optional[str] = None  # sensor preset id used when bands is None
    date: Optional[str] = None  # acquisition date (YYYY-MM-DD) of a time-series input; None = from the file

    def __setattr__(self, name, value):  # every field is checked when set (engine.job_checks)
        from .job_checks import check_input_field

        super().__setattr__(name, check_input_field(name, value))


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
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps; several GPUs: "cuda:0,1" or "all"
    backend: str = "torch"  # torch | onnxruntime
    extent: Optional[tuple[float, float, float, float]] = None  # xmin, ymin, xmax, ymax
    extent_crs: Optional[str] = None  # CRS of extent (WKT/EPSG); None = raster CRS
    resolution: Optional[float] = None  # ground resolution to process at (raster units)
    extrapolate: bool = False  # allow nearest-layer extrapolation outside the spectrum
    # band mapping: reference (the reference's/paper's layers: presets' tables, derived layers for
    # Landsat-8 B2/B10, nearest layer otherwise) | published | linear (interpolate between two layers)
    interpolation: str = "reference"
    # auto: the model card's statistics for its sensors, else this raster's | card | raster
    # (statistics computed from this raster; "percentiles" is the older name of raster)
    normalization: str = "auto"
    # model scale: auto (the model card's factor for the sensor; x1 for models without one) |
    # native (x1, fastest) | a factor such as 1.87 (windows are upsampled by it before the encoder)
    scale: str = "auto"
    # several inputs of different sensors on one grid: concat (one pass per sensor, features
    # concatenated, as the reference) | mean (one pass per sensor, features averaged) | stack
    # (all bands in one pass). For change: inputs are the "before" rasters, then the "after" ones.
    fusion: str = "concat"
    embedding_dtype: str = "float32"  # float16 | float32
    # True: the result on the input's pixel grid; False: one pixel per 16x16 token (clipped to the
    # input extent); None: the product's default (maps on the input grid, embeddings on tokens).
    at_input_resolution: Optional[bool] = None
    # Tokens whose share of valid (not nodata) input pixels is below this are nodata in every product,
    # so half-empty tokens along swath edges do not form their own cluster / PCA colour.
    min_valid_share: float = 0.5
    # product options
    k: int = 8  # clusters (k-means)
    cluster_method: str = "kmeans"  # clusters: kmeans (choose k) | hdbscan (no k to choose)
    composite_method: str = "pca"  # pca product: pca | umap (optional package umap-learn)
    min_cluster_size: Optional[int] = None  # clusters, hdbscan: smallest cluster in sample tokens (None = auto)
    reference_points: list[tuple[float, float]] = field(default_factory=list)  # similarity
    reference_crs: Optional[str] = None
    reference_vector: Optional[str] = None  # vector file with points/polygons (similarity)
    similarity_mode: str = "mean"  # mean: one reference (mean of all); max: best match over each reference
    labels_vector: Optional[str] = None  # classify: labelled points/polygons
    label_field: Optional[str] = None
    classifier: str = "logistic"  # logistic | knn | mlp | random_forest
    head_path: Optional[str] = None  # classify: apply a saved head instead of training
    classify_features: str = "embeddings"  # classify: embeddings | bands+embeddings (engine.products.features)
    seed: int = 0
    keep_embeddings: bool = False  # products other than embeddings: also keep <output>_embeddings.tif
    align: bool = True  # change: warp the second raster onto the first's grid when they differ
    # seasonal (time series: one input per date, aligned onto the first input's grid)
    seasonal_pooling: str = "seasons"  # seasons | mean | concat | concat_unit | fusion (see engine.products.seasonal)
    seasonal_outputs: list[str] = field(default_factory=lambda: ["change_profile"])
    change_dates: Optional[list[str]] = None  # seasonal "change": two dates (YYYY-MM-DD) or input numbers
    series_mask: Optional[str] = None  # seasonal: "fmask=2,3,4" = pixels of band fmask with these values left out

    def __post_init__(self) -> None:
        if self.at_input_resolution is None:
            self.at_input_resolution = default_at_input_resolution(self.product)

    def __setattr__(self, name, value):  # types and ranges checked when set, not after a run (engine.job_checks)
        from .job_checks import check_job_field

        super().__setattr__(name, check_job_field(name, value, _JOB_FIELD_NAMES))

    def validate(self) -> None:
        """Raise JobError with a readable message when the spec cannot run."""
        if self.product not in PRODUCTS:
            raise JobError(f"Unknown product '{self.product}'. Choose one of: {', '.join(PRODUCTS)}.")
        if not self.inputs:
            raise JobError("No input raster given.")
        if self.product == "change" and (len(self.inputs) < 2 or len(self.inputs) % 2):
            raise JobError("A change map needs two input rasters (before and after), or, to fuse sensors, "
                           "the same number of 'before' and 'after' rasters (before ones first).")
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
        if not 0.0 <= float(self.min_valid_share) <= 1.0:
            raise JobError(f"Valid-pixel share {self.min_valid_share} must be between 0 and 1 (e.g. 0.5 = half "
                           "of a token's 16x16 pixels).")
        if self.similarity_mode not in ("mean", "max"):
            raise JobError(f"Similarity mode '{self.similarity_mode}' is not 'mean' or 'max'.")
        if self.product == "pca" and self.composite_method not in ("pca", "umap"):
            raise JobError(f"Unknown composite method '{self.composite_method}'. Choose pca or umap.")
        if self.product == "clusters" and self.cluster_method not in ("kmeans", "hdbscan"):
            raise JobError(f"Unknown clustering method '{self.cluster_method}'. Choose kmeans or hdbscan.")
        if self.product == "clusters" and self.cluster_method == "kmeans" and self.k < 2:
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
        if self.series_mask:
            from .series import parse_mask

            parse_mask(self.series_mask)
        if "classify" in self.seasonal_outputs and not (self.labels_vector and self.label_field):
            raise JobError("Seasonal classification needs a labelled vector file and its class field.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "JobSpec":
        from .job_checks import raster_input_from_dict

        data = dict(data)
        unknown = sorted(set(data) - _JOB_FIELD_NAMES)
        if unknown:
            raise JobError(f"JobSpec has no setting {', '.join(repr(u) for u in unknown)}; known settings: "
                           f"{', '.join(sorted(_JOB_FIELD_NAMES))}.")
        data["inputs"] = [raster_input_from_dict(i) if isinstance(i, dict) else i for i in data.get("inputs", [])]
        for key in ("extent",):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        data["reference_points"] = [tuple(p) for p in data.get("reference_points", [])]
        return cls(**data)


_JOB_FIELD_NAMES = {f.name for f in fields(JobSpec)}


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
