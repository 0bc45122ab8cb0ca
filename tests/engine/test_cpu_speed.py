"""The CPU path's speed settings change no numbers: thread team size, channels-last patch conv."""
from __future__ import annotations

import numpy as np
import pytest

from engine.errors import EngineError
from engine.inference.cpu_threads import ENV, TeamTuner, choose_threads, running_elsewhere, torch_threads_for_run

torch = pytest.importorskip("torch")


def test_team_is_the_free_cores_and_the_variable_wins():
    assert choose_threads(2, env="", busy=0, cores=2) == 2
    assert choose_threads(2, env="", busy=1, cores=2) == 1
    assert choose_threads(2, env="", busy=6, cores=2) == 1  # never below one
    assert choose_threads(4, env="", busy=1, cores=16) == 4  # never above torch's own setting
    assert choose_threads(2, env="3", busy=6, cores=2) == 3
    assert choose_threads(2, env="0", busy=1, cores=2) == 1  # 0 = choose
    with pytest.raises(EngineError, match=ENV):
        choose_threads(2, env="many", busy=0, cores=2)


def test_running_elsewhere_reads_a_count():
    seen = running_elsewhere(samples=2, interval=0.0)
    assert seen is None or seen >= 0


def test_thread_setting_is_given_back(monkeypatch):
    before = torch.get_num_threads()
    monkeypatch.setenv(ENV, "1")
    with torch_threads_for_run(True) as tuner:
        assert tuner.candidates == [1] and torch.get_num_threads() == 1
        assert tuner.choose() == 1
    assert torch.get_num_threads() == before
    with torch_threads_for_run(False) as tuner:
        assert tuner is None and torch.get_num_threads() == before


class FakeTorch:
    def __init__(self):
        self.n = 2

    def get_num_threads(self):
        return self.n

    def set_num_threads(self, n):
        self.n = n


def test_tuner_keeps_the_faster_team_and_looks_again():
    fake = FakeTorch()
    tuner = TeamTuner(fake, [1, 2], every=4)
    speed = {1: 0.1, 2: 0.3}  # seconds per window: one thread is faster on this (busy) machine
    seen = []
    for _ in range(9):
        n = tuner.choose()
        seen.append(n)
        assert fake.n == n
        tuner.record(speed[n] * 8, 8)
    # warm-up (not counted), then each candidate once, then the faster; every 4th batch the other again
    assert seen == [1, 1, 2, 1, 2, 1, 1, 1, 2]
    speed[2] = 0.05  # the other jobs ended: two threads win now
    assert tuner.choose() == 1  # until the tuner looks at two threads again
    tuner.record(speed[fake.n] * 8, 8)
    picks = []
    for _ in range(6):
        picks.append(tuner.choose())
        tuner.record(speed[fake.n] * 8, 8)
    assert picks[-1] == 2
    assert tuner.summary()["cpu_threads_batches"]["1"] >= 5


def test_channels_last_and_team_size_give_the_same_tokens():
    from engine.model.backends import make_backend
    from engine.model.encoder import SpectralEncoder
    from engine.model.vit import Architecture

    torch.manual_seed(0)
    encoder = SpectralEncoder(Architecture(embed_dim=32, depth=1, num_heads=2, img_size=64))
    backend = make_backend(encoder, ["sentinel2:B02", "sentinel2:B03", "sentinel2:B04", "sentinel2:B08"],
                           32, backend="torch", device="cpu")
    x = np.random.default_rng(1).standard_normal((5, 4, 32, 32)).astype(np.float32)
    assert backend._channels_last
    fast = backend.run(x)
    backend._channels_last = False
    plain = backend.run(x)
    np.testing.assert_allclose(fast, plain, rtol=0, atol=1e-5)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = backend.run(x)
    finally:
        torch.set_num_threads(before)
    np.testing.assert_allclose(one, plain, rtol=0, atol=1e-5)
