"""Making many objects at once: the cyclic garbage collector paused while they are made.

Loading a large overlay or writing a catalogue's built form allocates hundreds of thousands
of small objects that all stay alive until the work is done. The collector would scan the
growing heap again and again for nothing, which makes such work several times slower and
grow worse than linearly.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the ``with`` block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
