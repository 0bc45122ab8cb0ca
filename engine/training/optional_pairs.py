"""A pair folder where some scenes have no sensor-b image: <root>/<a>/NAME.tif with, when it
exists, <root>/<b>/NAME.tif. Paired scenes are PairSamples as in FolderPairDataset; scenes of
sensor a alone are PairSamples with b = None and no sensor-b bands, so a batcher puts them in
their own group (AuxMAE feeds them to its MAE task only)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import RasterError
from .datasets import FolderPairDataset, PairSample, normalize


class OptionalPairFolderDataset(FolderPairDataset):
    """Co-registered pairs plus sensor-a-only scenes (same bands as the pairs' sensor a)."""

    def __init__(self, root: str | os.PathLike, a: str = "s2", b: str = "s1", sensor_a: Optional[str] = None,
                 sensor_b: Optional[str] = None, normalization: Optional[dict] = None):
        super().__init__(root, a, b, sensor_a, sensor_b, normalization)
        paired = {Path(pa).name for pa, _ in self.pairs}
        self.singles = [str(p) for p in sorted((Path(root) / a).glob("*.tif*"))
                        if p.suffix.lower() in (".tif", ".tiff") and p.name not in paired]
        n_a = len(self.layout[0][0])
        for path in self.singles:
            data, _, _ = self._read(path)
            if data.shape[0] < max(self.layout[0][0]) + 1:
                raise RasterError(f"{path} has {data.shape[0]} bands but the {a} images of the pairs have "
                                  f"{n_a} usable bands; a scene without a pair must have the same bands.")

    def __len__(self) -> int:
        return len(self.pairs) + len(self.singles)

    def __getitem__(self, i: int) -> PairSample:
        if i < len(self.pairs):
            return super().__getitem__(i)
        path = self.singles[i - len(self.pairs)]
        data, nodata, _ = self._read(path)
        idx, _, mixes, sensor = self.layout[0]
        sub = data[idx].astype(np.float32)
        valid = np.isfinite(sub).all(0)
        if nodata is not None:
            valid &= ~(sub == nodata).all(0)
        if not valid.any():
            raise RasterError(f"{path} has no valid pixels (all NaN or nodata); remove it from the folder.")
        return PairSample(normalize(sub, self._stats[0], nodata), None, mixes, [], (sensor, None))
