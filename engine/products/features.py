"""What goes into a classifier: embeddings alone, or raw bands + embeddings side by side.

Each block (e.g. 17 spectral-layer values of the raw bands, 192 embedding dimensions) is first
standardised, then divided by the square root of its width, so that every block carries the same
total variance: a wide embedding does not drown a few bands in distance-based classifiers (kNN,
clustering), and a linear model sees each block on the same footing.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def combine_blocks(blocks: Sequence[Sequence[np.ndarray]]) -> list[np.ndarray]:
    """Join standardised feature blocks column-wise with equal total variance per block.

    blocks: one entry per block, each a list of arrays [N_i, D_block] (e.g. [fit, test]) that are
    already standardised with the fit set's statistics. Returns one [N_i, sum D] array per set.
    """
    if not blocks:
        raise ValueError("combine_blocks needs at least one block of features")
    n_sets = len(blocks[0])
    if any(len(b) != n_sets for b in blocks):
        raise ValueError("every block must give the same number of sets (e.g. fit and test)")
    out = []
    for s in range(n_sets):
        parts = [np.asarray(b[s], np.float32) / np.float32(np.sqrt(max(1, np.asarray(b[s]).shape[1]))) for b in blocks]
        rows = {p.shape[0] for p in parts}
        if len(rows) != 1:
            raise ValueError(f"blocks of set {s} have different numbers of rows: {sorted(rows)}")
        out.append(np.concatenate(parts, axis=1))
    return out
