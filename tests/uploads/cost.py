"""What reading a file costs: its time, and its memory measured two ways, because openpyxl
parses some XML with lxml, whose memory Python's tracemalloc does not see."""

import gc
import os
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def _resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class _ResidentPeak(threading.Thread):
    """The process's resident memory, sampled every 2 ms while a call runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.start_size = self.peak = _resident()
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.002):
            self.peak = max(self.peak, _resident())

    def stop(self) -> int:
        self.done.set()
        self.join()
        return max(self.peak, _resident()) - self.start_size


@dataclass
class Cost:
    seconds: float  # the processor's time: the machine is shared, so wall time says less
    wall_seconds: float
    traced_mb: float  # the peak of Python's allocations (tracemalloc)
    resident_mb: float  # the peak growth of the process's resident memory

    def __str__(self) -> str:
        return (
            f"{self.seconds:.2f} s ({self.wall_seconds:.2f} s of wall time), "
            f"{self.traced_mb:.1f} MB traced, "
            f"{self.resident_mb:.1f} MB resident"
        )


def cost_of(call: Callable[[], object]) -> tuple[BaseException | None, Cost]:
    """Runs `call` twice: timed alone (the processor time of this process, which other work on
    the machine does not inflate), then with memory traced (tracing slows it). Returns what it
    raised (or None) and the cost."""
    gc.collect()
    start, wall_start = time.process_time(), time.perf_counter()
    raised = _outcome(call)
    seconds, wall = time.process_time() - start, time.perf_counter() - wall_start
    gc.collect()
    resident = _ResidentPeak()
    resident.start()
    tracemalloc.start()
    try:
        _outcome(call)
        traced = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        grown = resident.stop()
    return raised, Cost(seconds, wall, traced / MB, grown / MB)


def _outcome(call) -> BaseException | None:
    try:
        call()
    except Exception as raised:  # the refusal is what is measured
        return raised
    return None
