"""The OpenAPI document names each request and answer shape once: two schemas with the same
class name would share one entry in `components`, and a client (or the authorization matrix)
would be told the wrong fields for one of them."""

from __future__ import annotations

import inspect
import sys
from collections import defaultdict

from ninja import Schema


def test_every_api_schema_has_its_own_name() -> None:
    import yufang.api  # noqa: F401 - imports every router and so every schema

    owners: dict[str, set[str]] = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if not name.startswith("yufang.") or ".api" not in name or module is None:
            continue
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls is not Schema and cls.__module__ == name:
                owners[cls_name].add(name)
    clashes = {n: sorted(m) for n, m in owners.items() if len(m) > 1}
    assert not clashes, f"schemas named alike in several modules (rename one): {clashes}"
