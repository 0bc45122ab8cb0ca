"""Seasonal pooling 'fusion': the SeaMo temporal-multimodal (TM) blocks of a model trained with them.

A model exported by `python -m engine.training seamo-export` has `<stem>.seamo.safetensors` next to
its weights. The per-date embeddings of a series (one raster per date, any sensor) go through the
encoder's final norm and the TM blocks in date order, tile by tile of the token grid (tokens of a
tile attend to each other, as in a training crop); the fused tokens of the last date are the
seasonal embedding. A token that is nodata on a date keeps its fused state from the dates before.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..errors import JobCancelled, JobError
from ..raster.writer import GeoTiffWriter
from ..series import SeriesDate

TILE = 6  # tokens per side of a fusion tile (the size the TM blocks were probed at: 96 px)


def fusion_file(weights: str | os.PathLike) -> Path:
    p = Path(weights)
    return p.with_name(p.stem + ".seamo.safetensors")


def _weights_path(model: str) -> Optional[Path]:
    if os.path.isfile(model):
        return Path(model)
    from ..model.registry import locate

    return locate(model)


def check_fusion_model(model: str) -> Path:
    """The fusion file of `model`; JobError saying what to do when the model has none."""
    path = _weights_path(model)
    fusion = fusion_file(path) if path is not None else None
    if fusion is None or not fusion.is_file():
        raise JobError(f"Model '{model}' has no SeaMo fusion blocks ({fusion.name if fusion else '<model>.seamo.safetensors'} "
                       "next to its weights), so 'fusion' pooling cannot run. Use pooling 'seasons', 'mean' or "
                       "'concat', or a model exported with `python -m engine.training seamo-export`.")
    return fusion


def load_fusion(model: str):
    """(TemporalMultimodalFusion, encoder final LayerNorm) of a SeaMo-exported model, in eval mode."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    from ..inference.backend import load_model
    from ..training.seamo import TemporalMultimodalFusion

    path = check_fusion_model(model)
    with safe_open(str(path), "pt") as fh:
        meta = fh.metadata() or {}
    tensors = {k[len("fusion."):]: v.float() for k, v in load_file(str(path)).items()}
    tm = TemporalMultimodalFusion(int(meta["embed_dim"]), int(meta["heads"]), int(meta["tm_depth"]), meta["tm_variant"])
    tm.load_state_dict(tensors)
    encoder = load_model(model)
    return tm.eval(), encoder.norm.float().eval(), meta


def fuse_tile(tm, norm, tokens: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """tokens [T, n, D] (one tile, date order), valid [T, n] -> fused last-date tokens [n, D] (NaN: never valid)."""
    import torch

    with torch.no_grad():
        x = torch.from_numpy(np.nan_to_num(tokens)).float()
        ok = torch.from_numpy(valid)
        state = None
        seen = torch.zeros(x.shape[1], dtype=torch.bool)
        for t in range(x.shape[0]):
            if not bool(ok[t].any()):
                continue
            own = norm(x[t])[None]
            fused = tm.step([own], state)[0][0]
            if state is not None:  # a token without data on this date keeps what it had
                fused = torch.where(ok[t][None, :, None], fused, state)
            state = fused
            seen |= ok[t]
        if state is None:
            return np.full(tokens.shape[1:], np.nan, np.float32)
        out = state[0].numpy().astype(np.float32)
        out[~seen.numpy()] = np.nan
        return out


def write_fused(model: str, paths: Sequence[str], dates: Sequence[SeriesDate], out_path: str, grid: dict,
                metadata: dict, cancel=None) -> dict:
    """Seasonal embeddings from the TM fusion of the per-date embeddings rasters `paths` (date order)."""
    from osgeo import gdal

    tm, norm, meta = load_fusion(model)
    dim = int(grid["embed_dim"])
    if int(meta["embed_dim"]) != dim:
        raise JobError(f"The fusion blocks of '{model}' expect {meta['embed_dim']}-dimensional embeddings, "
                       f"the series has {dim}; use the same model for both.")
    w, h = grid["width"], grid["height"]
    sources = [gdal.Open(p) for p in paths]
    info = dict(metadata)
    info.update({"SMARTIES_PRODUCT": "seasonal_embeddings", "SMARTIES_SEASONAL_POOLING": "fusion",
                 "SMARTIES_DATES": [d.iso for d in dates], "SMARTIES_FUSION": meta.get("tm_variant", "")})
    valid_places = 0
    with GeoTiffWriter(out_path, w, h, dim, "float32", grid["geotransform"], grid["crs_wkt"], nodata=float("nan"),
                       descriptions=[f"seasonal embedding {i + 1}" for i in range(dim)], metadata=info,
                       block=64 if dim > 16 else 256) as writer:
        for y in range(0, h, TILE):
            if cancel is not None and cancel():
                raise JobCancelled("Cancelled by the user; no output was written.")
            n = min(TILE, h - y)
            rows = np.stack([ds.ReadAsArray(0, y, w, n).astype(np.float32).reshape(dim, n, w) for ds in sources])
            out = np.full((dim, n, w), np.nan, np.float32)
            for x in range(0, w, TILE):
                m = min(TILE, w - x)
                tile = rows[:, :, :, x:x + m].reshape(len(paths), dim, n * m).transpose(0, 2, 1)  # [T, n*m, D]
                fused = fuse_tile(tm, norm, tile, np.isfinite(tile).all(-1))
                out[:, :, x:x + m] = fused.T.reshape(dim, n, m)
            valid_places += int(np.isfinite(out).all(0).sum())
            writer.write_rows(out, y)
        writer.commit()
    return {"pooling": "fusion", "bands": dim, "valid_tokens": valid_places, "tm_variant": meta.get("tm_variant"),
            "tile_tokens": TILE}
