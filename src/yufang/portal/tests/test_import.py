"""The portal's files through the imports app: an enterprise's roster changes and the bureau's
premiums. Each is checked whole (errors by row, the user's enterprise or region enforced) and
written whole or not at all."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.imports.models import ImportJob
from yufang.imports.services import import_job_confirm, import_job_create
from yufang.portal import services
from yufang.portal.models import PremiumPaid, RosterChange
from yufang.portal.tests.factories import id_number, roster_add
from yufang.tests.factories import persona

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def upload(user: Any, kind: str, body: str) -> ImportJob:
    return import_job_create(
        actor=user, kind=kind, upload=SimpleUploadedFile("file.csv", body.encode()), options={}
    )


def confirm(user: Any, job: ImportJob, capture: Any) -> ImportJob:
    with capture(execute=True):
        import_job_confirm(actor=user, job=job)
    job.refresh_from_db()
    return job


def test_a_roster_file_is_previewed_with_the_flag_then_sent_whole(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    other = persona(Role.SAFETY_MANAGER, enterprise=world.other_enterprise)
    services.roster_change_decide(
        actor=world.people[Role.COUNTY_OFFICIAL], change=roster_add(other, 5), approve=True
    )
    body = f"增减,姓名,身份证号,用工日期\n增员,王一,{id_number(1)},\n增员,赵五,{id_number(5)},\n"
    job = upload(manager, "portal_roster", body)
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    preview = job.result["preview"]
    assert [p["person_name"] for p in preview] == ["王一", "赵五"]
    assert id_number(1) not in str(preview) and "*" in preview[0]["id_number"]
    assert world.other_enterprise.name in preview[1]["action"]
    assert not RosterChange.objects.filter(enterprise=world.enterprise).exists()
    job = confirm(manager, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    made = RosterChange.objects.filter(enterprise=world.enterprise, source="file")
    assert made.count() == 2
    assert made.get(person_name="赵五").insured_elsewhere == world.other_enterprise.name


def test_a_roster_file_with_a_bad_row_sends_nothing_and_names_the_row(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    body = (
        f"增减,姓名,身份证号\n增员,王一,{id_number(1)}\n增员,王二,123\n"
        f"换人,王三,{id_number(3)}\n增员,王四,{id_number(1)}\n"
    )
    job = upload(manager, "portal_roster", body)
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["field"]) for e in job.errors} == {
        (3, "id_number"),
        (4, "kind"),
        (5, "id_number"),
    }
    assert not RosterChange.objects.exists()


def test_only_a_safety_manager_imports_a_roster_file(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        upload(world.people[Role.CITY_OFFICIAL], "portal_roster", "增减,姓名,身份证号\n")


def test_premiums_are_imported_within_the_officials_region_all_or_nothing(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    e, other, jinan = world.enterprise, world.other_enterprise, world.jinan_enterprise
    PremiumPaid.objects.create(enterprise=e, year=YEAR, amount=Decimal("100.00"))
    bad = upload(
        city,
        "portal_premiums",
        "统一社会信用代码,年度,实缴金额\n"
        f'{e.credit_code},{YEAR},"12,345.60"\n'
        f"{jinan.credit_code},{YEAR},500\n"
        f"{other.credit_code},1999,500\n"
        f"{other.credit_code},{YEAR},1.234\n"
        f"{e.credit_code},{YEAR},1\n",
    )
    assert bad.status == ImportJob.Status.INVALID
    assert {(x["row"], x["field"]) for x in bad.errors} == {
        (3, "credit_code"),
        (4, "year"),
        (5, "amount"),
        (6, "year"),
    }
    good = upload(
        city,
        "portal_premiums",
        "统一社会信用代码,年度,实缴金额\n"
        f'{e.credit_code},{YEAR},"12,345.60"\n'
        f"{other.credit_code},{YEAR},800\n",
    )
    assert good.status == ImportJob.Status.PREVIEW, good.errors
    assert good.result["preview"][0]["previous"] == "100.00"
    good = confirm(city, good, django_capture_on_commit_callbacks)
    assert good.status == ImportJob.Status.DONE, good.errors
    assert good.result["premiums"] == 2
    assert set(PremiumPaid.objects.values_list("enterprise", "year", "amount")) == {
        (e.pk, YEAR, Decimal("12345.60")),
        (other.pk, YEAR, Decimal("800.00")),
    }


def test_an_enterprise_cannot_import_premiums(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        upload(
            world.people[Role.SAFETY_MANAGER], "portal_premiums", "统一社会信用代码,年度,实缴金额\n"
        )
