"""A frozen earlier encoder whose tokens anchor the student on synthetic batches (train.teacher_from).

The real-data stage moves the tokens towards what real imagery needs; on the synthetic pairs it may
keep what the synthetic stages learnt (cross-sensor transfer). On a batch drawn from the synthetic
share, the teacher encodes sensor a and sensor b unmasked and every view listed in `views` of the
student is asked to give the same tokens (PretrainObjective, teacher_weight). Real batches are free.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch

from ..errors import EngineError


class Teacher:
    """Frozen encoder (an exported .safetensors or a training checkpoint) and the views it anchors."""

    def __init__(self, path: str | Path, device: torch.device, views: Sequence[int] = (0, 1)):
        from ..model.checkpoint import encoder_from_state_dict, read_card, read_tensors

        path = Path(path)
        if not path.is_file():
            raise EngineError(f"train.teacher_from: {path} does not exist; export the earlier stage first "
                              "(see the config's output.notes).")
        tensors, _ = read_tensors(path)
        card = read_card(path) if path.suffix == ".safetensors" else {}
        self.encoder = encoder_from_state_dict({k: v.float() for k, v in tensors.items()}, card or {}).to(device).eval()
        for p in self.encoder.parameters():
            p.requires_grad_(False)
        self.views = tuple(int(v) for v in views)

    @torch.no_grad()
    def targets(self, views: Sequence[tuple]) -> list[torch.Tensor]:
        """Teacher tokens [B*N, D] of views 0..max(self.views) (images unshuffled, untransformed);
        views not anchored get None, so zip with the student's tokens keeps the order."""
        from .mae import view_tokens

        out = []
        for i in range(max(self.views) + 1):
            out.append(view_tokens(self.encoder, views[i][0], views[i][1]).float() if i in self.views else None)
        return out
