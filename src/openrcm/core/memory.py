"""Bulk work that creates hundreds of thousands of objects without cycles runs with the cycle
collector paused: otherwise it walks the growing heap again and again (work grows with the square
of the file). Reference counting still frees everything as usual."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_for_process() -> None:
    """What is loaded now (code sets, indexes, the NLP pipeline) lives as long as the process.

    Moving it out of the collector's generations means a full collection no longer walks hundreds of
    thousands of long-lived table objects each time the per-note garbage triggers one.
    """
    gc.collect()
    gc.freeze()
