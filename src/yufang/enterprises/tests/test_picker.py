"""The enterprise picker: every form that chooses an enterprise searches by name or code
within the user's scope, and works without scripts."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.enterprises.forms import EnterprisePickForm
from yufang.tests.factories import EnterpriseFactory, InstitutionFactory, persona, region

pytestmark = pytest.mark.django_db

R = Role


def pick(user, **data):
    form = EnterprisePickForm(data, user=user)
    return form, form.is_valid()


def test_an_exact_credit_code_or_a_unique_name_fragment_is_resolved(world):
    official = world.people[R.CITY_OFFICIAL]
    form, ok = pick(official, enterprise_search=world.enterprise.credit_code.lower())
    assert ok and form.cleaned_data["enterprise"] == world.enterprise
    EnterpriseFactory(name="黄岛蓝海化工有限公司")
    form, ok = pick(official, enterprise_search="蓝海化工")
    assert ok and form.cleaned_data["enterprise"].name == "黄岛蓝海化工有限公司"


def test_several_matches_ask_to_choose_and_offer_the_candidates(world):
    official = world.people[R.CITY_OFFICIAL]
    form, ok = pick(official, enterprise_search="测试企业")
    assert not ok
    assert "choose one below" in form.errors["enterprise"][0]
    html = str(form["enterprise"])
    assert 'data-testid="picker-candidates"' in html
    assert world.enterprise.name in html and world.other_enterprise.name in html
    assert world.jinan_enterprise.name not in html
    chosen, ok = pick(official, enterprise=str(world.other_enterprise.pk))
    assert ok and chosen.cleaned_data["enterprise"] == world.other_enterprise


def test_an_enterprise_outside_the_scope_cannot_be_chosen(world):
    official = world.people[R.CITY_OFFICIAL]
    form, ok = pick(official, enterprise=str(world.jinan_enterprise.pk))
    assert not ok and "not one you may choose" in form.errors["enterprise"][0]
    form, ok = pick(official, enterprise_search=world.jinan_enterprise.credit_code)
    assert not ok and "No enterprise you may choose" in form.errors["enterprise"][0]
    form, ok = pick(world.people[R.GRID_WORKER], enterprise=str(world.other_enterprise.pk))
    assert not ok


def test_nothing_typed_asks_to_choose(world):
    form, ok = pick(world.people[R.CITY_OFFICIAL], enterprise="", enterprise_search="")
    assert not ok and form.errors["enterprise"] == ["Choose an enterprise."]


def test_institution_staff_choose_among_their_citys_enterprises(world):
    staff = persona(R.INSTITUTION_STAFF, institution=InstitutionFactory(city=region("370100")))
    form, ok = pick(staff, enterprise_search=world.jinan_enterprise.credit_code)
    assert ok
    form, ok = pick(staff, enterprise=str(world.enterprise.pk))
    assert not ok


def test_the_search_answers_names_with_codes_within_the_scope(client, world):
    client.force_login(world.people[R.CITY_OFFICIAL])
    html = client.get("/enterprises/pick/", {"enterprise_search": "测试企业"}).content.decode()
    assert world.enterprise.name in html and world.enterprise.credit_code in html
    assert f'data-pick-id="{world.enterprise.pk}"' in html
    assert world.jinan_enterprise.name not in html
    by_code = client.get("/enterprises/pick/", {"q": world.jinan_enterprise.credit_code[:10]})
    assert world.jinan_enterprise.name not in by_code.content.decode()
    client.force_login(world.jinan_city_official)
    html = client.get("/enterprises/pick/", {"q": "测试企业"}).content.decode()
    assert world.jinan_enterprise.name in html and world.enterprise.name not in html


def test_the_widget_shows_the_chosen_enterprise(world):
    form = EnterprisePickForm(
        initial={"enterprise": world.enterprise.pk}, user=world.people[R.COUNTY_OFFICIAL]
    )
    html = str(form["enterprise"])
    assert f'value="{world.enterprise.pk}"' in html and world.enterprise.credit_code in html
    assert 'hx-get="/enterprises/pick/"' in html


def test_a_credit_code_sent_where_the_id_goes_is_resolved(world):
    """Forms and clients that posted the credit code as `enterprise` keep working."""
    official = world.people[R.COUNTY_OFFICIAL]
    form, ok = pick(official, enterprise=world.other_enterprise.credit_code)
    assert ok and form.cleaned_data["enterprise"] == world.other_enterprise
    shown = EnterprisePickForm(initial={"enterprise": world.enterprise.credit_code}, user=official)
    assert world.enterprise.credit_code in str(shown["enterprise"])


def test_injury_case_and_headcount_forms_choose_with_the_picker(client, world):
    from yufang.enterprises.models import InsuredHeadcount

    world.enterprise.name = "黄岛蓝海精细化工有限公司"
    world.enterprise.save()
    client.force_login(world.people[R.CITY_OFFICIAL])
    case_page = client.get(f"/injuries/cases/new/?enterprise={world.enterprise.pk}")
    html = case_page.content.decode()
    assert 'data-testid="enterprise-picker"' in html and "蓝海精细化工" in html
    response = client.submit(
        "/injuries/headcounts/",
        {"enterprise_search": "蓝海精细", "year": "2024", "insured_headcount": "150"},
    )
    assert response.status_code == 302
    assert InsuredHeadcount.objects.get(enterprise=world.enterprise).insured_headcount == 150
    ambiguous = client.submit(
        "/injuries/headcounts/",
        {"enterprise_search": "有限公司", "year": "2024", "insured_headcount": "9"},
    )
    page = ambiguous.content.decode()
    assert 'data-testid="picker-candidates"' in page
    assert world.jinan_enterprise.name not in page


def test_an_on_site_session_chooses_its_host_with_the_picker(client, world):
    from django.utils import timezone

    world.enterprise.name = "黄岛蓝海精细化工有限公司"
    world.enterprise.save()
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    assert (
        'data-testid="enterprise-picker"' in client.get("/training/sessions/new/").content.decode()
    )
    day = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = client.submit(
        "/training/sessions/new/",
        {
            "kind": "onsite",
            "title": "有限空间作业班组培训",
            "topic": "confined_space",
            "enterprise_search": "蓝海精细",
            "trainer": "赵老师",
            "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T12:00",
            "class_hours": "3",
            "capacity": "30",
            "location": "二车间",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert world.enterprise.onsite_sessions.count() == 1


def test_a_form_opened_from_the_enterprises_page_starts_with_it(client, world):
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    html = client.get(
        f"/hazards/assessments/new/?enterprise={world.enterprise.pk}"
    ).content.decode()
    assert f'name="enterprise" value="{world.enterprise.pk}"' in html
    outside = client.get(
        f"/hazards/assessments/new/?enterprise={world.jinan_enterprise.pk}"
    ).content.decode()
    assert world.jinan_enterprise.name not in outside
