"""The parts of an enterprise's page. The registry shows the enterprise's whole picture
without importing the programme's modules: each module (hazards, training, injuries …)
registers a panel from its `AppConfig.ready()`.

A panel's builder takes the user and the enterprise and returns its template's context, or
None when the user may not see that part (it answers as that part's own list would: a
user who may not read the injury cases sees no injuries panel). It must be cheap: a few
queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PanelBuilder = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class EnterprisePanel:
    name: str
    order: int
    build: PanelBuilder
    template: str


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict[str, Any]


_PANELS: dict[str, EnterprisePanel] = {}


def register_enterprise_panel(name: str, order: int, build: PanelBuilder, template: str) -> None:
    """Add (or, under the same name, replace) a panel; lower `order` comes first."""
    _PANELS[name] = EnterprisePanel(name=name, order=order, build=build, template=template)


def enterprise_panels(user: Any, enterprise: Any) -> list[ShownPanel]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.build(user, enterprise)
        if context is not None:
            shown.append(ShownPanel(panel.name, panel.template, context))
    return shown
