"""The project's own OpenAPI schema fuzzed against a live server (schemathesis), with a
bearer token for two roles: no operation answers 5xx, and every answer matches the schema
(its status declared, its body the declared shape).

Examples are derandomized, so a failure repeats on every run; each failure is printed with
the request that caused it (as a curl command). `YUFANG_FUZZ_EXAMPLES` sets how many
examples each operation gets (default 6, to keep CI within its time).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from yufang.accounts.models import Role

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("YUFANG_FUZZ_EXAMPLES", "6"))
# Revoking the token the fuzzer signs in with would leave the rest of the run signed out.
SKIPPED = {("DELETE", "/api/v1/auth/token")}


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def _fuzz(base_url: str, token: str) -> list[str]:
    import schemathesis

    from yufang.api import api

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    headers = {"Authorization": f"Bearer {token}"}
    checks = _checks()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=base_url, headers=headers)
            case.validate_response(response, checks=checks)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - schemathesis groups its failures
            failures.append(f"{operation.method.upper()} {operation.path}\n{_described(exc)}")
    return failures


def _described(exc: BaseException) -> str:
    parts = [str(exc)]
    for inner in getattr(exc, "exceptions", ()):
        parts.append(f"  - {type(inner).__name__}: {inner}")
    return "\n".join(parts)


@pytest.mark.parametrize("role", [Role.CITY_OFFICIAL, Role.SAFETY_MANAGER])
def test_no_operation_answers_5xx_or_off_its_schema(role, reference_data, world, live_server):
    from yufang.accounts.services import api_token_issue

    token, _ = api_token_issue(user=world.people[role])
    failures = _fuzz(live_server.url, token)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
