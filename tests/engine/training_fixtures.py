"""Small settings shared by the training tests (imported by them; pytest puts this folder on the path)."""
from __future__ import annotations

# A one-block encoder and decoder: fast enough for several optimiser steps in a test.
TINY_MODEL = {"embed_dim": 64, "depth": 1, "num_heads": 1, "decoder_dim": 32, "decoder_depth": 1, "decoder_heads": 2}
# One Sentinel-2 L2A / Sentinel-1 GRD pair kind.
PAIRS = [["sentinel2_l2a", "sentinel1_grd", 1.0]]


def synthetic_pairs(n: int = 3, size: int = 64, seed: int = 11):
    """A few small synthetic co-registered pairs of the PAIRS kind."""
    from engine.training.datasets import SyntheticPairDataset

    return SyntheticPairDataset(n, size, pairs=[tuple(p) for p in PAIRS], seed=seed)
