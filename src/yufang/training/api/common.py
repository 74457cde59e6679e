"""The training API's router (every module of this package adds its operations to it)."""

from ninja import Router

router = Router(tags=["training"])
