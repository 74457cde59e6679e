"""Two approvals at the same time never commit more than the budget holds (PostgreSQL: real
parallel transactions; SQLite serialises writers, so it proves nothing there)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from yufang.accounts.models import Role
from yufang.funds import selectors, services
from yufang.funds.models import Budget, Project, ProjectStatus
from yufang.funds.tests.factories import fee_budget, fee_project
from yufang.lib.errors import InvalidInput

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_never_over_commit_the_budget(reference_data: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official, training="1000000.00")
    proposals = [
        fee_project(official, title=f"项目{i}", amount="400000.00", approve=False) for i in range(4)
    ]
    barrier = threading.Barrier(len(proposals))
    outcomes: list[str] = []

    def approve(project: Project) -> None:
        try:
            barrier.wait()
            services.project_review(actor=official, project=project, approve=True)
            outcomes.append("approved")
        except InvalidInput:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(p,)) for p in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "approved", "refused", "refused"]
    figures = selectors.budget_figures(Budget.objects.get())
    assert figures["committed"] == Decimal("800000.00")
    assert Project.objects.filter(status=ProjectStatus.APPROVED).count() == 2
    assert services.ledger_verify() is None
