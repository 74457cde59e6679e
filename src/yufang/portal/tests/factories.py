"""Helpers to make the portal's records in tests, through its services."""

from __future__ import annotations

from typing import Any

from yufang.lib.identifiers import id_number_check_character
from yufang.portal import services
from yufang.portal.models import ChangeRequest, RosterChange


def id_number(n: int = 1, born: str = "19900101", county: str = "370211") -> str:
    body = f"{county}{born}{n % 1000:03d}"
    return body + id_number_check_character(body)


def headcount_request(manager: Any, count: str = "150", **over: Any) -> ChangeRequest:
    data: dict[str, Any] = {
        "field": "insured_headcount",
        "requested_value": count,
        "headcount_year": "2026",
        "reason": "新招聘员工已参保",
        **over,
    }
    return services.change_request_submit(actor=manager, enterprise=manager.enterprise, **data)


def roster_add(manager: Any, n: int = 1, name: str = "李四", **over: Any) -> RosterChange:
    return services.roster_change_submit(
        actor=manager,
        enterprise=manager.enterprise,
        given=services.RosterInput(kind="add", person_name=name, id_number=id_number(n), **over),
    )
