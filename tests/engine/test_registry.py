"""Registry: ids resolve through resources, the user folder, the HF cache, or a (fake) download."""
from __future__ import annotations

import shutil
import sys
import types

import pytest

from engine.errors import CheckpointError
from engine.model import registry


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No shipped models, empty user folder and HF cache; downloads allowed but no hub module."""
    monkeypatch.setattr(registry, "RESOURCES", tmp_path / "resources")
    monkeypatch.setenv("SMARTIES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # import fails
    return tmp_path


@pytest.fixture
def weights(reference_dir):
    return reference_dir / "smarties_tiny" / "weights.safetensors"


def _fake_cache(root, repo, filename, src, rev="abc123", with_ref=True):
    repo_dir = root / ("models--" + repo.replace("/", "--"))
    snap = repo_dir / "snapshots" / rev
    snap.mkdir(parents=True)
    shutil.copyfile(src, snap / filename)
    if with_ref:
        (repo_dir / "refs").mkdir()
        (repo_dir / "refs" / "main").write_text(rev)
    return snap / filename


def test_ids_and_aliases():
    assert registry.canonical_id("default") == "smarties-eo-tiny"
    assert registry.canonical_id("SMARTIES-V1-VITB") == "smarties-v1-vitb"
    assert registry.MODELS["smarties-v1-vitl"].url == (
        "https://huggingface.co/gsumbul/SMARTIES-v1-ViT-L/resolve/main/smarties-v1-vitl.safetensors")
    assert registry.canonical_id("nope") is None


def test_missing_published_model_says_what_to_download(isolated):
    with pytest.raises(CheckpointError) as err:
        registry.resolve_model("smarties-v1-vitb")
    msg = str(err.value)
    assert "smarties-v1-vitb.safetensors" in msg and "huggingface.co/gsumbul/SMARTIES-v1-ViT-B" in msg
    assert str(isolated / "home" / "models") in msg
    with pytest.raises(CheckpointError, match="ships with the plugin"):
        registry.resolve_model("default")
    with pytest.raises(CheckpointError, match="unknown model 'resnet'"):
        registry.resolve_model("resnet")
    with pytest.raises(CheckpointError, match="file not found"):
        registry.resolve_model(str(isolated / "nothere.safetensors"))


def test_hf_cache_layout_is_found(isolated, weights, monkeypatch):
    cached = _fake_cache(isolated / "hf" / "hub", "gsumbul/SMARTIES-v1-ViT-B", "smarties-v1-vitb.safetensors",
                         weights)
    assert registry.locate("smarties-v1-vitb") == cached
    enc = registry.load_encoder("vitb")
    assert enc.embed_dim == 192 and enc.card["id"] == "smarties-v1-vitb"
    # HF_HUB_CACHE wins over HF_HOME; a cache without refs/main still works
    monkeypatch.setenv("HF_HUB_CACHE", str(isolated / "hub2"))
    assert registry.locate("smarties-v1-vitb") is None
    other = _fake_cache(isolated / "hub2", "gsumbul/SMARTIES-v1-ViT-L", "smarties-v1-vitl.safetensors", weights,
                        with_ref=False)
    assert registry.locate("smarties-v1-vitl") == other
    rows = {r["id"]: r for r in registry.list_models()}
    assert rows["smarties-v1-vitl"]["path"] == str(other) and rows["smarties-v1-vitb"]["path"] is None
    assert "default" in rows["smarties-eo-tiny"]["aliases"]


def test_download_through_huggingface_hub(isolated, weights, monkeypatch):
    calls = []

    def hf_hub_download(repo_id, filename, **kw):
        calls.append((repo_id, filename))
        return str(_fake_cache(isolated / "dl", repo_id, filename, weights))

    monkeypatch.setitem(sys.modules, "huggingface_hub", types.SimpleNamespace(hf_hub_download=hf_hub_download))
    path = registry.resolve_model("smarties-v1-vitl")
    assert calls == [("gsumbul/SMARTIES-v1-ViT-L", "smarties-v1-vitl.safetensors")] and path.is_file()
    with pytest.raises(CheckpointError, match="downloads were not allowed"):
        registry.resolve_model("smarties-v1-vitb", download=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(CheckpointError, match="HF_HUB_OFFLINE"):
        registry.resolve_model("smarties-v1-vitb")
    assert len(calls) == 1


def test_failed_download_explains(isolated, monkeypatch):
    def hf_hub_download(repo_id, filename, **kw):
        raise OSError("connection refused")

    monkeypatch.setitem(sys.modules, "huggingface_hub", types.SimpleNamespace(hf_hub_download=hf_hub_download))
    with pytest.raises(CheckpointError, match="connection refused.*Download smarties-v1-vitb.safetensors"):
        registry.resolve_model("smarties-v1-vitb")


def test_install_and_resources_order(isolated, weights, tmp_path):
    src = tmp_path / "mine.safetensors"
    shutil.copyfile(weights, src)
    (tmp_path / "mine.json").write_text('{"title": "mine"}')
    dest = registry.install(str(src), id="smarties-v1-vitb")
    assert dest == isolated / "home" / "models" / "smarties-v1-vitb.safetensors"
    assert dest.with_suffix(".json").is_file()
    assert registry.locate("smarties-v1-vitb") == dest
    # a shipped copy in resources/models takes precedence over the user folder
    res = isolated / "resources"
    res.mkdir()
    shutil.copyfile(weights, res / "smarties-v1-vitb.safetensors")
    assert registry.locate("smarties-v1-vitb") == res / "smarties-v1-vitb.safetensors"
    other = registry.install(str(src))
    assert other.name == "mine.safetensors"
    assert registry.locate("mine") == other  # installed under its own name
    assert registry.load_encoder("mine").card["title"] == "mine"
    assert any(r["id"] == "mine" and r["path"] == str(other) for r in registry.list_models())
    with pytest.raises(CheckpointError, match="not found"):
        registry.install(str(tmp_path / "nope.pt"))
    with pytest.raises(CheckpointError, match="unknown model id"):
        registry.install(str(src), id="bogus")


def test_explicit_path_wins(isolated, weights):
    assert registry.resolve_model(str(weights)) == weights
    enc = registry.load_encoder(str(weights))
    assert enc.source == str(weights)


def test_shipped_default_model_loads():
    path = registry.RESOURCES / "smarties-eo-tiny.safetensors"
    if not path.is_file():
        pytest.skip("default model not shipped yet (resources/models/smarties-eo-tiny.safetensors)")
    enc = registry.load_encoder("default")
    assert enc.card.get("id") and enc.embed_dim > 0
    assert "architecture" in enc.card
