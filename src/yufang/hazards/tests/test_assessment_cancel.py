"""A draft assessment started by mistake can be cancelled: kept, marked cancelled, audited,
and left out of the lists and the work queue."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.hazards import services
from yufang.hazards.models import AnswerResult, Assessment, AssessmentStatus
from yufang.hazards.selectors import assessment_list


def draft(world: Any) -> Assessment:
    return services.assessment_create(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T15",
        method="site_patrol",
    )


@pytest.mark.django_db
def test_a_draft_is_cancelled_kept_and_audited(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = draft(world)
    services.assessment_cancel(actor=official, assessment=assessment, reason="选错了企业")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CANCELLED
    entry = AuditEntry.objects.filter(object_id=str(assessment.pk)).order_by("-id").first()
    assert entry is not None and entry.reason == "选错了企业"
    assert entry.changes["status"] == ["in_progress", "cancelled"]
    assert assessment not in assessment_list(official)
    assert assessment in assessment_list(official, status=AssessmentStatus.CANCELLED)


@pytest.mark.django_db
def test_a_cancelled_assessment_takes_no_more_answers(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = draft(world)
    services.assessment_cancel(actor=official, assessment=assessment)
    item = assessment.checklist.items.first()
    with pytest.raises(services.HazardInvalid):
        services.assessment_record(
            actor=official, assessment=assessment, answers={item.pk: (AnswerResult.PASS, "")}
        )


@pytest.mark.django_db
def test_a_completed_assessment_cannot_be_cancelled(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = draft(world)
    services.assessment_record(
        actor=official,
        assessment=assessment,
        answers={i.pk: (AnswerResult.PASS, "") for i in assessment.checklist.items.all()},
    )
    services.assessment_complete(actor=official, assessment=assessment)
    with pytest.raises(services.HazardInvalid) as exc:
        services.assessment_cancel(actor=official, assessment=assessment)
    assert "status" in exc.value.errors


@pytest.mark.django_db
def test_only_those_who_may_work_on_it_cancel_it(world: Any, checklists: int) -> None:
    from django.core.exceptions import PermissionDenied

    assessment = draft(world)
    with pytest.raises(PermissionDenied):
        services.assessment_cancel(actor=world.people[Role.SAFETY_MANAGER], assessment=assessment)


@pytest.mark.django_db
def test_the_report_page_cancels_a_draft(world: Any, checklists: int, client: Any) -> None:
    assessment = draft(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    detail = f"/hazards/assessments/{assessment.pk}/"
    enterprise_page = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    assert f"/hazards/assessments/{assessment.pk}/" in enterprise_page
    response = client.submit(
        detail, {"reason": "误建"}, action=f"/hazards/assessments/{assessment.pk}/cancel/"
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "已取消" in page and 'data-testid="cancel-form"' not in page
    listing = client.get("/hazards/assessments/").content.decode()
    assert f"/hazards/assessments/{assessment.pk}/" not in listing
    queue = client.get("/hazards/queue/").content.decode()
    assert f"/hazards/assessments/{assessment.pk}/fill/" not in queue
    cancelled = client.get("/hazards/assessments/?status=cancelled").content.decode()
    assert f"/hazards/assessments/{assessment.pk}/" in cancelled
    enterprise_page = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    assert f"/hazards/assessments/{assessment.pk}/" not in enterprise_page
    # The fill page of a cancelled assessment leads back to its report.
    assert client.get(f"{detail}fill/").url == detail


@pytest.mark.django_db(transaction=True)
def test_api_cancels_a_draft(reference_data: None, world: Any, api_client: Any) -> None:
    services.checklists_import()
    assessment = draft(world)
    api = api_client(world.people[Role.COUNTY_OFFICIAL])
    response = api.post(f"/hazards/assessments/{assessment.pk}/cancel", json={"reason": "误建"})
    assert response.status_code == 200, response.text
    assert response.json()["assessment"]["status"] == "cancelled"
    listed = api.get("/hazards/assessments").json()["items"]
    assert assessment.pk not in [a["id"] for a in listed]
    again = api.post(f"/hazards/assessments/{assessment.pk}/cancel", json={})
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "status"]
    bad = api.post(f"/hazards/assessments/{assessment.pk}/cancel", json={"reason": 5})
    assert bad.status_code == 422 and "reason" in bad.json()["detail"][0]["loc"]
    outsider = api_client(world.jinan_city_official)
    other = draft(world)
    assert outsider.post(f"/hazards/assessments/{other.pk}/cancel", json={}).status_code == 404
