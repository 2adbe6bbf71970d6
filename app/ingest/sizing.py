"""How large a page is rendered: as large as the model takes, and no larger."""

from __future__ import annotations

import math


def fit_scale(width: float, height: float, max_pixels: int, cap: float) -> float:
    """The largest scale, at most `cap`, at which a `width` x `height` page stays within
    `max_pixels` once the renderer rounds each side up (PyMuPDF's pixmaps and Chromium's
    screenshots both do)."""
    scale = min(cap, math.sqrt(max_pixels / max(width * height, 1.0)))
    while math.ceil(width * scale) * math.ceil(height * scale) > max_pixels:
        scale *= 0.995
    return scale
