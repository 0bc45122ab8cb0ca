"""Checkpoints: the released ViT-B/ViT-L layouts load strictly; damaged files fail by name."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from engine.errors import CheckpointError  # noqa: E402
from engine.model.checkpoint import (  # noqa: E402
    encoder_from_state_dict, infer_architecture, load_checkpoint, load_state, read_card, save_encoder,
)


def _keys(path):
    """(name, shape) pairs from a reference keys file."""
    out = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, shape = line.split("\t")[:2]
        out.append((name, tuple(int(v) for v in re.findall(r"\d+", shape))))
    return out


def _meta_state(pairs):
    # Meta tensors carry names and shapes only: the 300M-parameter ViT-L costs no memory.
    return {name: torch.empty(shape, device="meta") for name, shape in pairs}


@pytest.mark.parametrize("which,dims", [("vitb", (768, 12, 12)), ("vitl", (1024, 24, 16))])
def test_released_layouts_load_strictly(reference_dir, which, dims):
    pairs = _keys(reference_dir / f"smarties_{which}_keys.txt")
    assert len(pairs) == {"vitb": 182, "vitl": 326}[which]
    model = encoder_from_state_dict(_meta_state(pairs), source=which)
    arch = model.arch
    assert (arch.embed_dim, arch.depth, arch.num_heads) == dims
    assert (arch.patch_size, arch.img_size, arch.mlp_ratio, arch.fc_norm) == (16, 224, 4.0, False)
    assert {k: tuple(v.shape) for k, v in model.state_dict().items()} == dict(pairs)


def test_decoder_tensors_are_ignored_for_the_encoder(reference_dir):
    pairs = _keys(reference_dir / "smarties_vitb_keys.txt")
    pairs += _keys(reference_dir / "smarties_vitb_mae_decoder_keys.txt")
    model = encoder_from_state_dict(_meta_state(pairs), source="vitb+decoder")
    assert not any(k.startswith("decoder") or k == "mask_token" for k in model.state_dict())


@pytest.mark.parametrize("name", ["blocks.11.mlp.fc2.bias", "blocks.0.norm1.weight", "norm.weight",
                                  "cls_token", "spectrum_projection.spectrum_embeds.16.proj.weight",
                                  "blocks.5.attn.qkv.weight", "pos_embed"])
def test_dropping_one_tensor_names_it(reference_dir, name):
    sd = _meta_state(_keys(reference_dir / "smarties_vitb_keys.txt"))
    del sd[name]
    with pytest.raises(CheckpointError) as err:
        encoder_from_state_dict(sd, source="vitb.safetensors")
    assert name in str(err.value) and "vitb.safetensors" in str(err.value)


@pytest.mark.parametrize("name,shape", [
    ("blocks.3.attn.qkv.weight", (2304, 700)), ("spectrum_projection.spectrum_embeds.3.proj.weight", (768, 255)),
    ("norm.weight", (700,)), ("cls_token", (1, 1, 512)), ("pos_embed", (1, 197, 512)),
    ("blocks.7.mlp.fc1.weight", (3000, 768)),
])
def test_reshaping_one_tensor_names_it_with_shapes(reference_dir, name, shape):
    sd = _meta_state(_keys(reference_dir / "smarties_vitb_keys.txt"))
    expected = tuple(sd[name].shape)
    sd[name] = torch.empty(shape, device="meta")
    with pytest.raises(CheckpointError) as err:
        encoder_from_state_dict(sd, source="vitb")
    msg = str(err.value)
    assert name in msg and str(list(shape)) in msg and str(list(expected)) in msg


def test_projection_layers_must_be_the_17(reference_dir):
    sd = _meta_state(_keys(reference_dir / "smarties_vitb_keys.txt"))
    fewer = {k: v for k, v in sd.items() if not k.startswith("spectrum_projection.spectrum_embeds.16.")}
    with pytest.raises(CheckpointError, match=r"missing layers \[16\].*17 trained spectral ranges"):
        encoder_from_state_dict(fewer)
    gap = {k.replace("spectrum_embeds.5.", "spectrum_embeds.20."): v for k, v in sd.items()}
    with pytest.raises(CheckpointError, match=r"missing layers \[5\]; unexpected layers \[20\]"):
        encoder_from_state_dict(gap)


def test_unexpected_tensor_is_refused(reference_dir):
    sd = _meta_state(_keys(reference_dir / "smarties_vitb_keys.txt"))
    sd["segmenter.weight"] = torch.empty(10, 768, device="meta")
    with pytest.raises(CheckpointError, match="segmenter.weight"):
        encoder_from_state_dict(sd)


def test_card_sets_heads_and_non_multiple_of_64_needs_it():
    sd = {"cls_token": torch.empty(1, 1, 96, device="meta"), "pos_embed": torch.empty(1, 5, 96, device="meta"),
          "blocks.0.norm1.weight": torch.empty(96, device="meta")}
    with pytest.raises(CheckpointError):
        infer_architecture(sd)  # no spectrum projection at all
    for i in range(17):
        sd[f"spectrum_projection.spectrum_embeds.{i}.proj.weight"] = torch.empty(96, 256, device="meta")
    sd["blocks.0.mlp.fc1.weight"] = torch.empty(384, 96, device="meta")
    with pytest.raises(CheckpointError, match="num_heads"):
        infer_architecture(sd)
    arch = infer_architecture(sd, card={"architecture": {"num_heads": 4}})
    assert (arch.embed_dim, arch.num_heads, arch.img_size, arch.depth) == (96, 4, 32, 1)


def test_fixture_roundtrip_pt_nested_and_fp16(reference_dir, tmp_path):
    from safetensors.torch import load_file

    src = reference_dir / "smarties_tiny" / "weights.safetensors"
    sd = load_file(str(src))
    x = torch.randn(1, 3, 64, 64)
    ref = load_checkpoint(src)
    with torch.inference_mode():
        want = ref.cls_features(x, [2, 3, 5])
    torch.save({"model": sd, "epoch": 3}, tmp_path / "nested.pt")
    torch.save({"state_dict": {"module." + k: v for k, v in sd.items()}}, tmp_path / "ddp.pth")
    torch.save(sd, tmp_path / "plain.pth")
    for name in ("nested.pt", "ddp.pth", "plain.pth"):
        with torch.inference_mode():
            got = load_checkpoint(tmp_path / name).cls_features(x, [2, 3, 5])
        assert torch.allclose(got, want, atol=1e-6), name
    state = load_state(tmp_path / "nested.pt")
    assert state.extra.get("epoch") == 3 and set(state.encoder) == set(sd)

    card = {"id": "tiny-test", "title": "fixture", "normalization": {"s2": {"B04": {"p1": 0, "p99": 1,
                                                                            "mean": 0.5, "std": 0.2}}}}
    out = save_encoder(ref, tmp_path / "out" / "tiny.safetensors", card, fp16=True)
    saved = read_card(out)
    assert saved["architecture"]["embed_dim"] == 192 and saved["normalization"] == card["normalization"]
    assert load_file(str(out))["cls_token"].dtype == torch.float16
    assert set(load_file(str(out))) == set(sd)
    again = load_checkpoint(out)
    assert again.card["id"] == "tiny-test"
    with torch.inference_mode():
        assert (again.cls_features(x, [2, 3, 5]) - want).abs().max() < 0.05  # fp16 storage
    assert not list((tmp_path / "out").glob("*.part"))


def test_load_state_keeps_decoder_tensors(reference_dir, tmp_path):
    from safetensors.torch import load_file, save_file

    sd = load_file(str(reference_dir / "smarties_tiny" / "weights.safetensors"))
    sd["mask_token"] = torch.zeros(1, 1, 32)
    sd["decoder_embed.weight"] = torch.zeros(32, 192)
    sd["decoder_preds.3.weight"] = torch.zeros(256, 32)
    save_file(sd, str(tmp_path / "pretrain.safetensors"))
    state = load_state(tmp_path / "pretrain.safetensors")
    assert set(state.decoder) == {"mask_token", "decoder_embed.weight", "decoder_preds.3.weight"}
    assert "mask_token" not in state.encoder and not state.other
    model = load_checkpoint(tmp_path / "pretrain.safetensors")  # encoder ignores the decoder
    assert "mask_token" not in model.state_dict()


def test_corrupt_and_truncated_files_name_the_file(reference_dir, tmp_path):
    data = (reference_dir / "smarties_tiny" / "weights.safetensors").read_bytes()
    trunc = tmp_path / "truncated.safetensors"
    trunc.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated.safetensors"):
        load_checkpoint(trunc)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\x00\x01not a checkpoint" * 10)
    with pytest.raises(CheckpointError, match="junk.safetensors"):
        load_checkpoint(junk)
    bad_pt = tmp_path / "bad.pt"
    bad_pt.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(CheckpointError, match="bad.pt"):
        load_checkpoint(bad_pt)
    with pytest.raises(CheckpointError, match="not found"):
        load_checkpoint(tmp_path / "missing.safetensors")
    with pytest.raises(CheckpointError, match="unknown checkpoint type"):
        (tmp_path / "w.npz").write_bytes(b"x")
        load_checkpoint(tmp_path / "w.npz")
    bad_card = tmp_path / "c.safetensors"
    bad_card.write_bytes(data)
    (tmp_path / "c.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="c.json"):
        load_checkpoint(bad_card)


def test_pickled_objects_are_refused(tmp_path):
    import pickle

    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump({"model": np.dtype}, f)  # not a plain tensor dict: weights_only refuses it
    with pytest.raises(CheckpointError, match="evil.pt"):
        load_checkpoint(path)


@pytest.mark.slow
def test_vitb_zero_file_loads_and_runs(reference_dir, tmp_path):
    """A real ViT-B sized file (written from zeros in fp16) loads through a path and runs."""
    from safetensors.torch import save_file

    pairs = _keys(reference_dir / "smarties_vitb_keys.txt")
    save_file({n: torch.zeros(s, dtype=torch.float16) for n, s in pairs}, str(tmp_path / "vitb.safetensors"))
    (tmp_path / "vitb.json").write_text(json.dumps({"id": "zeros-vitb"}))
    from engine.model.registry import load_encoder

    model = load_encoder(str(tmp_path / "vitb.safetensors"))
    assert model.embed_dim == 768 and model.card["id"] == "zeros-vitb"
    assert model.cls_token.dtype == torch.float32
    with torch.inference_mode():
        out = model.patch_tokens(torch.zeros(1, 2, 32, 32), [15, 16])
    assert out.shape == (1, 768, 2, 2) and torch.isfinite(out).all()


def test_bad_card_architecture_is_explained(reference_dir):
    sd = _meta_state(_keys(reference_dir / "smarties_vitb_keys.txt"))
    with pytest.raises(CheckpointError, match="architecture.img_size"):
        encoder_from_state_dict(sd, card={"architecture": {"img_size": [224, 224]}})
    with pytest.raises(CheckpointError, match="pos_embed"):
        encoder_from_state_dict(sd, card={"architecture": {"img_size": 256}})  # table is 14x14
