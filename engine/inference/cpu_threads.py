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
from typing import Iterator, Optional

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


@contextlib.contextmanager
def torch_threads_for_run(on_cpu: bool) -> Iterator[Optional[int]]:
    """Set torch's CPU team size for the run (see the module doc); yields it (None off CPU)."""
    if not on_cpu:
        yield None
        return
    try:
        import torch
    except ImportError:
        yield None
        return
    before = torch.get_num_threads()
    n = choose_threads(before)
    if n != before:
        torch.set_num_threads(n)
    try:
        yield n
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
