"""The platform's fuzzer (`tests/test_api_fuzz.py`) over the council's operations alone, with
a joint meeting in place, for the city official who runs it and the liaison: no input gives a
5xx or an answer off the schema."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.tests import test_api_fuzz as fuzz

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", [Role.CITY_OFFICIAL, Role.DEPARTMENT_LIAISON])
def test_no_council_operation_answers_5xx_or_off_its_schema(
    role: Any, reference_data: Any, world: Any, live_server: Any, monkeypatch: Any
) -> None:
    from yufang.accounts.services import api_token_issue
    from yufang.council.tests.factories import council_for

    council_for(world.people[Role.CITY_OFFICIAL])
    import schemathesis

    real = schemathesis.openapi.from_dict

    def only_council(raw: dict) -> Any:
        raw = dict(raw)
        raw["paths"] = {k: v for k, v in raw["paths"].items() if "/council/" in k}
        return real(raw)

    monkeypatch.setattr(schemathesis.openapi, "from_dict", only_council)
    token, _ = api_token_issue(user=world.people[role])
    failures = fuzz._fuzz(live_server.url, token)
    assert not failures, "\n\n".join(failures)
