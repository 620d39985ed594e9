"""Shared by the benchmarks: what machine the figures come from."""

from __future__ import annotations

import os
import platform


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), else what platform reports."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load() -> str:
    """The 1-, 5- and 15-minute load averages (other jobs on the cores make times upper
    bounds)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def target(work: str, areo: str, reference: str, ratio: str, goal: str, met: bool) -> None:
    """One row of the performance table (issue 18), on a line ``make bench`` collects into
    its closing summary: the work, areo's figure, the peer's or the limit's, their ratio,
    the target, whether it is met, and the load when it was measured."""
    print(f"TARGET | {work} | areo {areo} | {reference} | {ratio} | target {goal} | "
          f"{'met' if met else 'MISSED'} | load {load()}", flush=True)
