"""Who may see and do what in the recognition module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them."""

from __future__ import annotations
