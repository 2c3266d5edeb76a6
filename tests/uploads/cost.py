"""What reading a file costs in memory, measured two ways, because openpyxl parses some XML
with lxml, whose memory Python's tracemalloc does not see. (Its time is bench/limits.py's to
measure: timing belongs in bench/, not in tests.)"""

import gc
import os
import threading
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
    traced_mb: float  # the peak of Python's allocations (tracemalloc)
    resident_mb: float  # the peak growth of the process's resident memory

    def __str__(self) -> str:
        return f"{self.traced_mb:.1f} MB traced, {self.resident_mb:.1f} MB resident"


def cost_of(call: Callable[[], object]) -> tuple[BaseException | None, Cost]:
    """Runs `call` with its memory traced. Returns what it raised (or None) and the cost."""
    gc.collect()
    resident = _ResidentPeak()
    resident.start()
    tracemalloc.start()
    try:
        raised = outcome(call)
        traced = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        grown = resident.stop()
    return raised, Cost(traced / MB, grown / MB)


def outcome(call) -> BaseException | None:
    try:
        call()
    except Exception as raised:  # the refusal is what is measured
        return raised
    return None
