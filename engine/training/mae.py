"""SMARTIES pretraining model: the engine's SpectralEncoder plus an MAE decoder with per-band
reprojection layers, cross-sensor token mixup and random masking.

The class subclasses engine.model.SpectralEncoder so its state_dict has exactly the released names
(encoder keys + decoder_embed, mask_token, decoder_pos_embed, decoder_blocks.*, decoder_norm,
decoder_preds.{i}); the encoder part loads through engine.model.load_encoder unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn

from ..model.encoder import SpectralEncoder
from ..model.projection import MAX_BANDS, NUM_TRAINED
from ..model.vit import LAYERNORM_EPS, Architecture, Block, resize_pos_embed, sincos_pos_embed

Mix = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class DecoderConfig:
    """Size of the MAE decoder (the reference uses 512 / 8 / 16; ours is scaled down)."""

    dim: int = 128
    depth: int = 2
    num_heads: int = 4


def tile_bands(x: torch.Tensor, mixes: Sequence[Mix], slots: int = MAX_BANDS):
    """Repeat bands cyclically up to `slots` channels, as in the reference pretraining."""
    c = x.shape[1]
    if c >= slots:
        return x, list(mixes)
    order = [i % c for i in range(slots)]
    return x[:, order], [mixes[i] for i in order]


def patchify(x: torch.Tensor, p: int) -> torch.Tensor:
    """[B, C, H, W] -> [B, L, C, p*p] (pixel (r, k) of a patch at r*p + k)."""
    b, c, h, w = x.shape
    return x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5).reshape(b, (h // p) * (w // p), c, p * p)


class SmartiesMAE(SpectralEncoder):
    """Encoder + MAE decoder; forward(xa, xb, mixes_a, mixes_b) -> (loss, details)."""

    def __init__(self, arch: Architecture = Architecture(), decoder: DecoderConfig = DecoderConfig()):
        super().__init__(arch)
        g = arch.grid
        self.decoder_config = decoder
        self.decoder_embed = nn.Linear(arch.embed_dim, decoder.dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder.dim))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, 1 + g * g, decoder.dim), requires_grad=False)
        self.decoder_blocks = nn.ModuleList(Block(decoder.dim, decoder.num_heads, arch.mlp_ratio)
                                            for _ in range(decoder.depth))
        self.decoder_norm = nn.LayerNorm(decoder.dim, eps=LAYERNORM_EPS)
        p2 = arch.patch_size ** 2
        self.decoder_preds = nn.ModuleList(nn.Linear(decoder.dim, p2) for _ in range(arch.num_spectral))
        self.init_weights()
        # Both position tables are fixed sin-cos tables, as in MAE/SMARTIES.
        self.pos_embed.requires_grad_(False)
        with torch.no_grad():
            self.decoder_pos_embed.copy_(sincos_pos_embed(decoder.dim, g))
        nn.init.normal_(self.mask_token, std=0.02)

    def encoder_state_dict(self) -> dict:
        """Only the encoder tensors (what load_encoder reads)."""
        return {k: v for k, v in self.state_dict().items()
                if not (k.startswith("decoder_") or k == "mask_token")}

    # -- pieces ----------------------------------------------------------------------------
    def _pred_weights(self, mixes: Sequence[Mix]):
        """Per-slot reprojection (weight [S, p*p, Dd], bias [S, p*p]): mixes of decoder_preds."""
        ws, bs = [], []
        for mix in mixes:
            w = sum(self.decoder_preds[i].weight * a for i, a in mix)
            b = sum(self.decoder_preds[i].bias * a for i, a in mix)
            ws.append(w)
            bs.append(b)
        return torch.stack(ws), torch.stack(bs)

    def _decoder_pos(self, grid: tuple[int, int]) -> torch.Tensor:
        g = self.arch.grid
        if grid == (g, g):
            return self.decoder_pos_embed
        return resize_pos_embed(self.decoder_pos_embed, g, grid)

    def _tokens(self, x: torch.Tensor, mixes: Sequence[Mix]) -> torch.Tensor:
        """Patch tokens as with bands tiled to 12 slots (tiling is skipped when it changes nothing)."""
        if x.shape[1] < MAX_BANDS and MAX_BANDS % x.shape[1]:
            x, mixes = tile_bands(x, mixes)
        # For C dividing 12 the tiled mean equals the plain mean: (12/C) * sum over the C bands.
        return self.embed_patches(x, mixes)

    @staticmethod
    def _slot_weights(c: int, device) -> torch.Tensor:
        """Share of each band among the 12 tiled slots (equal when C divides 12)."""
        slots = max(MAX_BANDS, c)
        counts = torch.tensor([len(range(i, slots, c)) for i in range(c)], dtype=torch.float32, device=device)
        return counts / counts.sum()

    def _targets(self, x: torch.Tensor, norm_pix: bool) -> torch.Tensor:
        """Per-patch normalised pixels [B, L, C, p*p], statistics over the tiled slots."""
        t = patchify(x, self.patch_size).float()
        if not norm_pix:
            return t
        w = self._slot_weights(x.shape[1], x.device).view(1, 1, -1, 1)
        mean = (t.mean(-1, keepdim=True) * w).sum(2, keepdim=True)
        var = (((t - mean) ** 2).mean(-1, keepdim=True) * w).sum(2, keepdim=True)
        return (t - mean) / (var + 1e-6).sqrt()

    def forward(self, xa: torch.Tensor, xb: torch.Tensor, mixes_a: Sequence[Mix], mixes_b: Sequence[Mix],
                mask_ratio: float = 0.75, mixup_ratio: float = 0.5, norm_pix: bool = True,
                cross_weight: float = 0.0, align_weight: float = 0.0):
        """Mixed-pair MAE loss. xa/xb: co-registered normalised images [B, C, H, W].

        cross_weight > 0 adds a cross-sensor term (our addition, not in the reference): at every
        token the decoder also predicts the pixels of the sensor that did NOT provide the token,
        which pushes both sensors' tokens of one place towards a shared representation.
        align_weight > 0 adds 1 - cosine (centred over the batch) between the encoder outputs of co-located visible tokens of
        the two mirrored twins (image 1 has sensor a where image 2 has sensor b, and they share the
        mask, so these pairs come for free); the MAE term keeps the tokens from collapsing.
        """
        p = self.patch_size
        b, _, h, w = xa.shape
        if xb.shape[0] != b or xb.shape[2:] != xa.shape[2:]:
            raise ValueError(f"pair images must share batch and size, got {list(xa.shape)} and {list(xb.shape)}")
        grid = (h // p, w // p)
        n = grid[0] * grid[1]
        ta, tb = self._tokens(xa, mixes_a), self._tokens(xb, mixes_b)  # [B, L, D]
        # Cross-sensor token mixup: image 1 takes a random half of its tokens from a, the rest from
        # b; its mirrored twin (image 2) takes the complement. Targets follow the tokens.
        n_a = int(round(n * (1 - mixup_ratio)))
        order = torch.rand(b, n, device=xa.device).argsort(1)
        from_a = torch.zeros(b, n, dtype=torch.bool, device=xa.device)
        from_a.scatter_(1, order[:, :n_a], True)
        sel = from_a.unsqueeze(-1)
        t1, t2 = torch.where(sel, ta, tb), torch.where(sel, tb, ta)
        pos = self.pos_embed_for(*grid).to(ta.dtype)
        # One random mask shared by both mixed images (as in the reference).
        n_keep = max(1, int(n * (1 - mask_ratio)))
        shuffle = torch.rand(b, n, device=xa.device).argsort(1)
        restore = shuffle.argsort(1)
        keep, hidden = shuffle[:, :n_keep], shuffle[:, n_keep:]
        mask = torch.ones(b, n, device=xa.device)
        mask[:, :n_keep] = 0
        mask = torch.gather(mask, 1, restore)  # 1 = hidden (predicted), 0 = visible
        targets = [self._targets(xa, norm_pix), self._targets(xb, norm_pix)]
        weights = [self._slot_weights(xa.shape[1], xa.device), self._slot_weights(xb.shape[1], xb.device)]
        preds = [self._pred_weights(mixes_a), self._pred_weights(mixes_b)]
        hid_t = [torch.gather(t, 1, hidden[:, :, None, None].expand(-1, -1, *t.shape[2:])) for t in targets]
        total = xa.new_zeros((), dtype=torch.float32)
        cross_total = xa.new_zeros((), dtype=torch.float32)
        latents = [self._encode_visible(t1, pos, keep), self._encode_visible(t2, pos, keep)]
        for latent, a_side in ((latents[0], from_a), (latents[1], ~from_a)):
            dec = self._decode(latent, restore, grid)
            dec_h = torch.gather(dec, 1, hidden.unsqueeze(-1).expand(-1, -1, dec.shape[-1]))  # [B, M, Dd]
            src_a = torch.gather(a_side, 1, hidden)  # [B, M]
            # Only the hidden tokens are predicted, each with the bands of the image it came from.
            for side, pick in ((0, src_a), (1, ~src_a)):
                if not bool(pick.any()):
                    continue
                wt, bs = preds[side]
                pred = torch.einsum("nd,cpd->ncp", dec_h[pick], wt) + bs
                err = ((pred.float() - hid_t[side][pick]) ** 2).mean(-1)  # [N, C]
                total = total + (err * weights[side]).sum()
            if cross_weight > 0:
                for side, pick in ((0, ~a_side), (1, a_side)):  # tokens that came from the other sensor
                    if not bool(pick.any()):
                        continue
                    wt, bs = preds[side]
                    pred = torch.einsum("nd,cpd->ncp", dec[pick], wt) + bs
                    err = ((pred.float() - targets[side][pick]) ** 2).mean(-1)
                    cross_total = cross_total + (err * weights[side]).sum()
        loss = total / mask.sum().clamp_min(1)
        if cross_weight > 0:
            loss = loss + cross_weight * cross_total / (2 * b * n)
        if align_weight > 0:
            z1, z2 = latents[0][:, 1:].float(), latents[1][:, 1:].float()
            # Centred: the raw cosine is dominated by the component every token shares.
            centre = torch.cat([z1, z2], 1).mean(dim=(0, 1), keepdim=True)
            cos = torch.nn.functional.cosine_similarity(z1 - centre, z2 - centre, dim=-1)
            loss = loss + align_weight * (1 - cos).mean()
        return loss, {"mask": mask, "from_a": from_a}

    def _encode_visible(self, tokens: torch.Tensor, pos: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        x = tokens + pos[:, 1:]
        x = torch.gather(x, 1, keep.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        cls = (self.cls_token + pos[:, :1]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], 1)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)

    def _decode(self, latent: torch.Tensor, restore: torch.Tensor, grid: tuple[int, int]) -> torch.Tensor:
        x = self.decoder_embed(latent)
        b, n = restore.shape
        fill = self.mask_token.to(x.dtype).expand(b, n + 1 - x.shape[1], -1)
        body = torch.cat([x[:, 1:], fill], 1)
        body = torch.gather(body, 1, restore.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        x = torch.cat([x[:, :1], body], 1) + self._decoder_pos(grid).to(x.dtype)
        for blk in self.decoder_blocks:
            x = blk(x)
        return self.decoder_norm(x)[:, 1:]


def build_mae(embed_dim: int = 192, depth: int = 4, num_heads: int = 3, patch_size: int = 16,
              img_size: int = 224, decoder: DecoderConfig = DecoderConfig()) -> SmartiesMAE:
    """A SMARTIES MAE of the given size (17 trained spectral layers)."""
    arch = Architecture(embed_dim=embed_dim, depth=depth, num_heads=num_heads, patch_size=patch_size,
                        img_size=img_size, num_spectral=NUM_TRAINED)
    return SmartiesMAE(arch, decoder)


# ------------------------------------------------------------------------------------------------
# Cross-sensor invariance (our addition to the SMARTIES recipe, off unless train.vicreg_weight > 0)
class ViewProjector(nn.Module):
    """Head used only by the VICReg term, never exported: an MLP (D -> hidden -> out), or with
    hidden=0 no MLP at all, only per-dimension standardisation over the batch, so the terms act on
    the tokens themselves as the probes standardise them."""

    def __init__(self, dim: int, hidden: int = 512, out: int = 512):
        super().__init__()
        if hidden <= 0:
            self.net = nn.BatchNorm1d(dim, affine=False)
        else:
            self.net = nn.Sequential(nn.Linear(dim, hidden), nn.BatchNorm1d(hidden), nn.GELU(), nn.Linear(hidden, out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[N, D] -> [N, out]."""
        return self.net(x)


def _off_diagonal(m: torch.Tensor) -> torch.Tensor:
    n = m.shape[0]
    return m.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg_terms(views: Sequence[torch.Tensor], gamma: float = 1.0, eps: float = 1e-4) -> dict:
    """VICReg terms over >= 2 aligned views [N, F] (row i of every view is the same place).

    invariance: mean pairwise MSE; variance: hinge on each dimension's std (>= gamma), averaged
    over views; covariance: squared off-diagonal covariances / F, averaged over views.
    """
    if len(views) < 2:
        raise ValueError("VICReg needs at least two views")
    inv = torch.stack([torch.nn.functional.mse_loss(views[i], views[j])
                       for i in range(len(views)) for j in range(i + 1, len(views))]).mean()
    var, cov = [], []
    for z in views:
        z = z - z.mean(0)
        std = torch.sqrt(z.var(0) + eps)
        var.append(torch.relu(gamma - std).mean())
        c = (z.T @ z) / max(1, z.shape[0] - 1)
        cov.append(_off_diagonal(c).pow(2).sum() / z.shape[1])
    return {"invariance": inv, "variance": torch.stack(var).mean(), "covariance": torch.stack(cov).mean()}


def vicreg_loss(views: Sequence[torch.Tensor], inv_w: float = 25.0, var_w: float = 25.0, cov_w: float = 1.0) -> torch.Tensor:
    """Weighted VICReg loss (weights 25/25/1 as in Bardes et al. 2022)."""
    t = vicreg_terms(views)
    return inv_w * t["invariance"] + var_w * t["variance"] + cov_w * t["covariance"]


def infonce_loss(views: Sequence[torch.Tensor], temperature: float = 0.1) -> torch.Tensor:
    """Symmetric InfoNCE between the first view and every other one ([N, F] each, row i = same
    place): a token's positive is the same place in the other view, its negatives every other
    token of the batch. Cosine similarity, as the kNN probe measures it."""
    if len(views) < 2:
        raise ValueError("InfoNCE needs at least two views")
    anchor = torch.nn.functional.normalize(views[0], dim=1)
    target = torch.arange(anchor.shape[0], device=anchor.device)
    losses = []
    for v in views[1:]:
        logits = anchor @ torch.nn.functional.normalize(v, dim=1).T / temperature
        losses.append(0.5 * (torch.nn.functional.cross_entropy(logits, target)
                             + torch.nn.functional.cross_entropy(logits.T, target)))
    return torch.stack(losses).mean()


def _standardised_directions(f: torch.Tensor) -> torch.Tensor:
    """Rows of f standardised per column over the batch (constant columns dropped to 0), then
    scaled to unit length: the geometry a cosine kNN on standardised features sees."""
    mu, sd = f.mean(0, keepdim=True), f.std(0, keepdim=True)
    z = torch.where(sd > 1e-6, (f - mu) / sd.clamp_min(1e-6), torch.zeros_like(f))
    return nn.functional.normalize(z, dim=1)


def similarity_distillation(tokens: torch.Tensor, targets: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """KL(target || token) between each row's softmax over cosine similarities to the other rows,
    targets [N, F] vs tokens [N, D] (relational distillation): tokens end up with the neighbours
    the target features have, which is what a kNN probe on the tokens reads."""
    n = tokens.shape[0]
    eye = torch.eye(n, dtype=torch.bool, device=tokens.device)
    zt = _standardised_directions(targets.float())
    zs = _standardised_directions(tokens.float())
    p = torch.softmax((zt @ zt.T / temperature).masked_fill(eye, -1e4), dim=1)
    log_q = torch.log_softmax((zs @ zs.T / temperature).masked_fill(eye, -1e4), dim=1)
    return (p * (torch.log(p.clamp_min(1e-12)) - log_q)).masked_fill(eye, 0).sum(1).mean()


def apply_d4(x: torch.Tensor, tf) -> torch.Tensor:
    """Rotate by tf[0] quarter turns then (if tf[1]) flip left-right, on the last two axes' grid
    ([B, C, H, W] images or [B, gh, gw, D] token maps via `dims`)."""
    k, flip = tf
    x = torch.rot90(x, k, dims=(2, 3))
    return torch.flip(x, dims=(3,)) if flip else x


def undo_d4_tokens(tok: torch.Tensor, tf) -> torch.Tensor:
    """Inverse of apply_d4 on a token map [B, gh, gw, D]: back to the untransformed grid."""
    k, flip = tf
    if flip:
        tok = torch.flip(tok, dims=(2,))
    return torch.rot90(tok, -k, dims=(1, 2))


def view_tokens(model: SpectralEncoder, x: torch.Tensor, mixes: Sequence[Mix], tf=None) -> torch.Tensor:
    """Unmasked patch tokens [B*N, D] as the probes read them (last block output, no final norm).

    tf = (quarter turns, flip): the image is transformed before encoding and the token grid
    transformed back, so row i is the same place as in an untransformed view but was encoded at
    another position: invariance then also removes position from the tokens.
    A tf of ("shuffle", permutation) instead encodes the patches in shuffled positions (each
    token meets random neighbours) and puts the outputs back in place: invariance to that teaches
    tokens to describe their own patch rather than its surroundings."""
    if tf is not None and tf[0] == "shuffle":
        b, _, h, w = x.shape
        grid = (h // model.patch_size, w // model.patch_size)
        perm = tf[1]
        tokens = model.embed_patches(x, mixes)[:, perm]
        _, last = model.forward_tokens(tokens, grid)
        out = torch.empty_like(last[:, 1:])
        out[:, perm] = last[:, 1:]
        return out.reshape(-1, last.shape[-1])
    if tf is not None:
        x = apply_d4(x, tf)
    b, _, h, w = x.shape
    grid = (h // model.patch_size, w // model.patch_size)
    _, last = model.forward_tokens(model.embed_patches(x, mixes), grid)
    tok = last[:, 1:]
    if tf is not None:
        tok = undo_d4_tokens(tok.reshape(b, grid[0], grid[1], -1), tf)
    return tok.reshape(-1, last.shape[-1])


class PretrainObjective(nn.Module):
    """MAE (SMARTIES) loss plus, when vicreg_weight > 0, VICReg on co-located unmasked patch tokens
    of several views of the same crop (different sensors / band subsets). Wraps both modules so
    one DistributedDataParallel sees every parameter; the MAE keeps the released layout."""

    def __init__(self, mae: SmartiesMAE, projector: "ViewProjector | None" = None,
                 invariance: str = "vicreg", temperature: float = 0.1, clusters: "int | Sequence[int]" = 0,
                 readout_dim: int = 0, zero_heads: bool = False):
        super().__init__()
        # Pseudo-label head (HuBERT-style targets, see views.SpectralClusters), one slice of
        # outputs per codebook; never exported.
        sizes = [int(clusters)] if isinstance(clusters, int) else [int(k) for k in clusters]
        self.cluster_sizes = [k for k in sizes if k > 0]
        self.cluster_head = nn.Linear(mae.embed_dim, sum(self.cluster_sizes)) if self.cluster_sizes else None
        # Linear read-out head (never exported): tokens -> their patch's statistics (readout term).
        self.readout_head = nn.Linear(mae.embed_dim, int(readout_dim)) if readout_dim > 0 else None
        # Fresh heads start at zero: predictions 0 (the batch mean) / uniform cluster posteriors, so
        # their first gradients do not push the encoder anywhere (it starts from trained weights).
        for head in (self.readout_head, self.cluster_head):
            if head is not None and zero_heads:
                nn.init.zeros_(head.weight)
                nn.init.zeros_(head.bias)
        if invariance not in ("vicreg", "infonce"):
            raise ValueError(f"invariance must be 'vicreg' or 'infonce', got {invariance!r}")
        self.mae = mae
        self.projector = projector
        self.invariance = invariance
        self.temperature = temperature

    def forward(self, xa, xb, mixes_a, mixes_b, mask_ratio: float = 0.75, mixup_ratio: float = 0.5,
                cross_weight: float = 0.0, align_weight: float = 0.0, vicreg_weight: float = 0.0,
                views: Sequence[tuple[torch.Tensor, Sequence[Mix]]] = (), mae_weight: float = 1.0,
                cluster_weight: float = 0.0, cluster_targets: "torch.Tensor | None" = None,
                distill_weight: float = 0.0, distill_targets: "torch.Tensor | None" = None,
                distill_temperature: float = 0.1, readout_weight: float = 0.0,
                teacher_weight: float = 0.0, teacher_targets: "Sequence[torch.Tensor]" = ()):
        """(loss, details); `views` are (image, mixes[, D4 transform]) of the same crop, one grid.
        mae_weight scales the MAE term (0 skips it: invariance only). readout_weight: every view's
        tokens linearly predict the patch statistics of sensor a (distill_targets, standardised over
        the batch): what the statistics hold stays linearly in the tokens, and so in their mean over
        a patch (a linear map commutes with pooling), which relational distillation does not ensure.
        teacher_targets: a frozen earlier encoder's tokens of views 0, 1, ... (see teacher.py);
        each is matched by the same view's tokens (MSE in units of the teacher's spread)."""
        if mae_weight > 0:
            loss, details = self.mae(xa, xb, mixes_a, mixes_b, mask_ratio, mixup_ratio,
                                     cross_weight=cross_weight, align_weight=align_weight)
            details["mae"] = float(loss.detach())
            loss = mae_weight * loss
        else:
            loss, details = xa.new_zeros((), dtype=torch.float32), {}
        tokens = [view_tokens(self.mae, *v).float() for v in views] if views else []
        if cluster_weight > 0 and tokens and cluster_targets is not None:
            if self.cluster_head is None:
                raise ValueError("cluster_weight > 0 needs a cluster head (clusters > 0)")
            # Every view (any sensor, band subset, shuffled neighbours) predicts the cluster of the
            # place's spectral shape as sensor a saw it.
            targets = cluster_targets.view(cluster_targets.shape[0], -1)  # [N, codebooks]
            if targets.shape[1] != len(self.cluster_sizes):
                raise ValueError(f"{targets.shape[1]} target codebook(s) for a head of {len(self.cluster_sizes)}")
            ce = torch.stack([torch.nn.functional.cross_entropy(logits, targets[:, j])
                              for t in tokens
                              for j, logits in enumerate(self.cluster_head(t).split(self.cluster_sizes, dim=1))]).mean()
            details["cluster"] = float(ce.detach())
            loss = loss + cluster_weight * ce
        if distill_weight > 0 and tokens and distill_targets is not None:
            # Every view's tokens (any sensor, band subset, shuffled neighbours) are asked to have
            # the neighbourhoods of the target statistics of sensor a: similarity distillation.
            d = torch.stack([similarity_distillation(t, distill_targets, distill_temperature) for t in tokens]).mean()
            details["distill"] = float(d.detach())
            loss = loss + distill_weight * d
        if readout_weight > 0 and tokens and distill_targets is not None:
            if self.readout_head is None:
                raise ValueError("readout_weight > 0 needs a read-out head (readout_dim > 0)")
            z = distill_targets.float()
            mu, sd = z.mean(0, keepdim=True), z.std(0, keepdim=True)
            z = torch.where(sd > 1e-6, (z - mu) / sd.clamp_min(1e-6), torch.zeros_like(z))
            r = torch.stack([nn.functional.mse_loss(self.readout_head(t), z) for t in tokens]).mean()
            details["readout"] = float(r.detach())
            loss = loss + readout_weight * r
        if teacher_weight > 0 and teacher_targets:
            terms = []
            for t, target in zip(tokens, teacher_targets):
                if target is None:
                    continue
                target = target.float()
                scale = target.std(0, keepdim=True).clamp_min(1e-3)
                terms.append((((t - target) / scale) ** 2).mean())
            tch = torch.stack(terms).mean()
            details["teacher"] = float(tch.detach())
            loss = loss + teacher_weight * tch
        if vicreg_weight > 0 and len(views) >= 2:
            if self.projector is None:
                raise ValueError("vicreg_weight > 0 needs a projector")
            zs = [self.projector(t) for t in tokens]
            if self.invariance == "infonce":
                nce = infonce_loss(zs, self.temperature)
                details["infonce"] = float(nce.detach())
                loss = loss + vicreg_weight * nce
            else:
                terms = vicreg_terms(zs)
                vic = 25.0 * terms["invariance"] + 25.0 * terms["variance"] + terms["covariance"]
                details.update({k: float(v.detach()) for k, v in terms.items()})
                loss = loss + vicreg_weight * vic
        return loss, details
