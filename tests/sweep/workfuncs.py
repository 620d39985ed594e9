"""Importable chunk functions for the engine tests (workers import them by name)."""

from __future__ import annotations

import json
import os
import time

import numpy as np


def draws(inputs, seed, chunk_id):
    """Sum of the inputs and three draws from the chunk's seed."""
    rng = np.random.default_rng(seed)
    return {"chunk": chunk_id, "sum": int(sum(inputs)), "draws": rng.random(3).tolist()}


def fails_on_three(inputs, seed, chunk_id):
    if 3 in inputs:
        raise ValueError("three is not allowed")
    return list(inputs)


def log_warmup(inputs):
    """Warm-up that records (pid, start, end) in the folder named by the first input."""
    folder = inputs[0]["log"]
    t0 = time.time()
    time.sleep(0.3)
    with open(os.path.join(folder, f"warm-{os.getpid()}.json"), "w") as fh:
        json.dump({"pid": os.getpid(), "start": t0, "end": time.time()}, fh)


def pid_of(inputs, seed, chunk_id):
    time.sleep(0.05)
    return os.getpid()


def spans(inputs, seed, chunk_id):
    """(pid, start, end) of a chunk that takes 0.1 s."""
    t0 = time.time()
    time.sleep(0.1)
    return os.getpid(), t0, time.time()
