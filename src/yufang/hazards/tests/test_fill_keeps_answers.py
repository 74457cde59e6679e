"""Adding a measurement or a photo while filling a checklist keeps the answers given so far:
the measurement and photo fields belong to the checklist's form, so every button saves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone, browser_login
from yufang.hazards import services
from yufang.hazards.models import Answer, AnswerResult, Assessment
from yufang.tests.factories import TEST_PASSWORD


def staff_assessment(world: Any) -> Assessment:
    staff = world.people[Role.INSTITUTION_STAFF]
    return services.assessment_create(
        actor=world.people[Role.CITY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T16",
        method="environmental_monitoring",
        institution_id=staff.institution_id,
    )


@pytest.mark.django_db
def test_adding_a_measurement_saves_the_answers_given_so_far(
    world: Any, checklists: int, client: Any
) -> None:
    assessment = staff_assessment(world)
    items = list(assessment.checklist.items.all())
    client.force_login(world.people[Role.INSTITUTION_STAFF])
    fill = f"/hazards/assessments/{assessment.pk}/fill/"
    response = client.submit(
        fill,
        {
            f"item_{items[0].pk}": "pass",
            f"item_{items[1].pk}": "fail",
            f"note_{items[1].pk}": "未配发耳塞",
            "action": "measurement",
            "agent": "noise",
            "sample_type": "twa_8h",
            "value": "88",
            "unit": "dB(A)",
            "sampled_on": timezone.localdate().isoformat(),
            "location": "冲压车间",
        },
    )
    assert response.status_code == 302
    saved = {a.item_id: (a.result, a.note) for a in Answer.objects.filter(assessment=assessment)}
    assert saved == {items[0].pk: ("pass", ""), items[1].pk: ("fail", "未配发耳塞")}
    assert assessment.measurements.get().value == 88
    page = client.get(response.url).content.decode()
    assert "已添加检测结果，已填的答案已保存" in page
    assert f'id="i{items[1].pk}fail" value="fail" autocomplete="off" checked' in page


@pytest.mark.django_db
def test_a_refused_measurement_keeps_the_answers_and_what_was_typed(
    world: Any, checklists: int, client: Any
) -> None:
    assessment = staff_assessment(world)
    item = assessment.checklist.items.first()
    client.force_login(world.people[Role.INSTITUTION_STAFF])
    fill = f"/hazards/assessments/{assessment.pk}/fill/"
    response = client.submit(
        fill,
        {
            f"item_{item.pk}": "na",
            "action": "measurement",
            "agent": "noise",
            "sample_type": "twa_8h",
            "value": "88",
            "unit": "mg/m³",
            "location": "冲压车间",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert Answer.objects.get(assessment=assessment).result == AnswerResult.NOT_APPLICABLE
    assert "单位" in page and "unit:" not in page  # the field is named as the form names it
    assert 'value="88"' in page and 'value="冲压车间"' in page
    assert f'id="i{item.pk}na" value="na" autocomplete="off" checked' in page
    assert not assessment.measurements.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_on_a_phone_add_a_measurement_and_keep_their_answers(
    phone_page: Any, world: Any
) -> None:
    services.checklists_import()
    assessment = staff_assessment(world)
    items = list(assessment.checklist.items.all())
    page = phone_page
    browser_login(page, world.people[Role.INSTITUTION_STAFF].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/hazards/assessments/{assessment.pk}/fill/")
    page.click(f"label[for=i{items[0].pk}pass]")
    page.click(f"label[for=i{items[1].pk}fail]")
    page.fill(f"[name=note_{items[1].pk}]", "未配发耳塞")
    page.select_option("#agent", "noise")
    page.select_option("#unit", "dB(A)")
    page.fill("#value", "88")
    page.click("[data-testid=add-measurement]")
    page.wait_for_url("**/fill/#measurements")
    assert page.locator("[data-testid=measurement]").first.inner_text().startswith("噪声")
    assert page.is_checked(f"#i{items[0].pk}pass")
    assert page.is_checked(f"#i{items[1].pk}fail")
    assert page.input_value(f"[name=note_{items[1].pk}]") == "未配发耳塞"
    assert_fits_phone(page)
