"""What the field app's tests make: tasks (through grid's factories), photos as a phone keeps
them (data URLs) and outbox entries as the phone sends them."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any

from django.utils import timezone
from PIL import Image

from yufang.grid.tests.factories import grid_worker, task

__all__ = ["entry", "grid_worker", "jpeg_data_url", "task"]


def jpeg_data_url(colour: str = "red") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def entry(kind: str = "screening", **fields: Any) -> dict[str, Any]:
    """One outbox entry as field.js sends it (a fresh key, the phone's time, a position)."""
    base: dict[str, Any] = {
        "key": uuid.uuid4().hex,
        "kind": kind,
        "done_at": timezone.now().isoformat(),
        "latitude": "36.0671",
        "longitude": "120.3826",
        "accuracy_m": 12,
    }
    if kind == "hazard":
        base.update(topic="fire", level="ordinary", description="安全出口被货物堵塞")
    return base | fields
