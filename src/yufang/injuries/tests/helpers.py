from __future__ import annotations

from decimal import Decimal
from typing import Any

from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.lib.identifiers import id_number_check_character


def id_number(n: int = 1, born: str = "19900101") -> str:
    body = f"370211{born}{n % 1000:03d}"
    return body + id_number_check_character(body)


def insure(
    enterprise: Enterprise, year: int, headcount: int = 100, hours: Decimal | None = None
) -> InsuredHeadcount:
    return InsuredHeadcount.objects.create(
        enterprise=enterprise, year=year, insured_headcount=headcount, hours_worked=hours
    )


def case_data(enterprise: Enterprise | str, n: int = 1, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_number": f"RS-2024-{n:05d}",
        "enterprise": enterprise,
        "person_name": f"张{n}",
        "id_number": id_number(n),
        "accident_date": "2024-03-05",
        "recognition_date": "2024-05-10",
        "kind": "work_injury",
        "occupational_disease": "",
        "is_death": False,
        "disability_grade": "",
        "lost_workdays": "12",
        "accident_category": "03",
        "body_part": "hand",
        "payout": "12000.50",
    }
    data.update(over)
    return data
