"""Satellite apps add a panel to the case page through this registry; cases never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    title: str
    template: str
    context: Callable  # (request, case) -> dict, or None to hide the panel for this user
    order: int = 100


_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    _panels.append(panel)
    _panels.sort(key=lambda p: p.order)


def panels_for(request, case) -> list[tuple[CasePanel, dict]]:
    shown = []
    for panel in _panels:
        ctx = panel.context(request, case)
        if ctx is not None:
            shown.append((panel, ctx))
    return shown
