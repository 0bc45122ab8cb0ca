"""How many threads torch gets for the model on CPU during a run.

torch runs its CPU kernels on an OpenMP thread team that spin-waits at every barrier. When other
processes hold some of the cores, one member of the team is often descheduled and every other
member waits for it at each of the thousands of barriers of a forward pass: on 2 cores shared with
other jobs the default team of 2 ran the bundled model about 4x slower than a team of 1 (measured,
benchmarks/README.md). So a run on CPU sizes the team to the cores other processes leave free,
counted when the run starts, and gives the old setting back afterwards. Thread counts do not change
the numbers (each output element is computed in the same order whatever the team size).

`SMARTIES_TORCH_THREADS=N` fixes the count (`0` or unset: choose as above).
"""
from __future__ import annotations

import contextlib
import os
import time
from typing import Iterator, Optional, Sequence

ENV = "SMARTIES_TORCH_THREADS"


def running_elsewhere(samples: int = 3, interval: float = 0.005) -> Optional[float]:
    """Runnable threads of other processes right now (median of a few looks at /proc/loadavg).

    The 4th field of /proc/loadavg counts runnable threads, the reading one included; None where
    the file does not exist (not Linux).
    """
    seen = []
    for i in range(samples):
        try:
            with open("/proc/loadavg", encoding="ascii") as f:
                running = int(f.read().split()[3].split("/")[0])
        except (OSError, ValueError, IndexError):
            return None
        seen.append(max(0, running - 1))
        if i + 1 < samples:
            time.sleep(interval)
    seen.sort()
    return float(seen[len(seen) // 2])


def cpu_cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def choose_threads(current: int, env: Optional[str] = None, busy: Optional[float] = None,
                   cores: Optional[int] = None) -> int:
    """The team size for a run: $SMARTIES_TORCH_THREADS when set (> 0), else the free cores
    (at least 1, at most `current`, torch's setting before the run)."""
    text = os.environ.get(ENV, "") if env is None else env
    if text.strip():
        try:
            n = int(text)
        except ValueError:
            from ..errors import EngineError

            raise EngineError(f"{ENV}={text!r} is not a whole number; set it to a thread count, "
                              "or to 0 to let the engine choose.") from None
        if n > 0:
            return n
    cores = cpu_cores() if cores is None else cores
    busy = running_elsewhere() if busy is None else busy
    if busy is None:
        return current
    return max(1, min(current, cores - int(round(busy))))


class TeamTuner:
    """Chooses torch's CPU team size batch by batch among `candidates`.

    Each candidate runs a batch first (the run's first batch is a warm-up and not counted), then
    the one with the lower model time per window is kept, and every `every` batches the other(s)
    get one batch again, since the jobs sharing the machine come and go. Team size changes no
    numbers, so this only changes speed.
    """

    def __init__(self, torch, candidates: Sequence[int], every: int = 12):
        self.torch = torch
        self.candidates = list(dict.fromkeys(int(c) for c in candidates if int(c) > 0)) or [1]
        self.every = max(2, every)
        self.cost: dict = {c: None for c in self.candidates}  # seconds per window, latest measurement
        self.measured_at: dict = {c: -1 for c in self.candidates}
        self.used: dict = {c: 0 for c in self.candidates}
        self.batch = 0
        self.current = self.candidates[0]
        self._set(self.current)

    def _set(self, n: int) -> None:
        if self.torch.get_num_threads() != n:
            self.torch.set_num_threads(n)
        self.current = n

    def choose(self) -> int:
        """The team for the next batch (and sets it)."""
        if self.batch == 0 or len(self.candidates) == 1:
            n = self.current
        else:
            untried = [c for c in self.candidates if self.cost[c] is None]
            if untried:
                n = untried[0]
            elif self.batch % self.every == 0:  # look again at the one measured longest ago
                n = min(self.candidates, key=lambda c: self.measured_at[c])
            else:
                n = min(self.candidates, key=lambda c: self.cost[c])
        self._set(n)
        return n

    def record(self, seconds: float, windows: int) -> None:
        """Model time of the batch just run with the current team."""
        if self.batch > 0 and windows > 0:
            self.cost[self.current] = seconds / windows
            self.measured_at[self.current] = self.batch
        self.used[self.current] += 1
        self.batch += 1

    def summary(self) -> dict:
        """The team most batches ran with, and batches per team size."""
        return {"cpu_threads": max(self.used, key=self.used.get),
                "cpu_threads_batches": {str(k): v for k, v in self.used.items() if v}}


@contextlib.contextmanager
def torch_threads_for_run(on_cpu: bool) -> Iterator[Optional[TeamTuner]]:
    """A TeamTuner for a run on CPU (None off CPU); torch's own setting comes back afterwards.

    Candidates: $SMARTIES_TORCH_THREADS alone when set; else torch's setting and the free cores
    counted now (when they differ, the tuner measures both and keeps the faster).
    """
    if not on_cpu:
        yield None
        return
    try:
        import torch
    except ImportError:
        yield None
        return
    before = torch.get_num_threads()
    text = os.environ.get(ENV, "").strip()
    fixed = choose_threads(before) if text and text != "0" else None
    candidates = [fixed] if fixed else [choose_threads(before), before]
    tuner = TeamTuner(torch, candidates)
    try:
        yield tuner
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
