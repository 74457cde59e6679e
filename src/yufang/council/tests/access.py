"""The joint meeting's pages and API operations in the authorization matrix
(`accounts/tests/test_authorization_matrix.py`): who may do what, with a Qingdao joint meeting
inside the world's scope and a Jinan one outside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.accounts.tests.access_base import Op, Page, rule
from yufang.accounts.tests.records import OUTSIDE, png
from yufang.council import services
from yufang.organisations.models import Department
from yufang.tests.factories import DepartmentFactory, persona, region

RULES = {
    # The joint meeting's records: officials of the region (a county official also its city's),
    # the liaisons of its member departments (of tasks, their own department's), the auditor.
    "council_read": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        liaison="ok/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # The joint meeting's lists and dashboards: the same readers; lists filter to the scope.
    "council_list": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        liaison="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Running a joint meeting (its members, meetings, resolutions, tasks, plan, report): the
    # officials of its own region and province-wide writers; readers of it 403, others 404/403.
    "council_run": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="403/404",
        liaison="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Setting up one's own region's joint meeting, plan or report on a page: officials.
    "council_create": rule("403/403", province="ok/ok", city="ok/ok", county="ok/ok"),
    # The same over the API: the administrator names the region (refused for its input here).
    "council_create_api": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # Progress on a task: only the liaison of the department it is assigned to.
    "council_progress": rule("403/403", city="403/404", county="403/404", liaison="ok/404"),
    # The yearly data exchange's import: the region's officials, the health and emergency
    # liaisons (the world's liaison is emergency management's) and province-wide writers.
    "council_exchange_import": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        liaison="ok/ok",
        admin="ok/ok",
    ),
}

PAGES = {
    "council:index": Page(None, "council_list", "council_create"),
    "council:joint_meeting": Page("joint_meeting", "council_read", "council_run"),
    "council:meeting": Page("council_meeting", "council_read", "council_run"),
    "council:attachment": Page("council_attachment", "council_read"),
    "council:task": Page("council_task", "council_read", "council_progress"),
    "council:evidence": Page("council_report", "council_read"),
    "council:board": Page(None, "council_list"),
    "council:plans": Page(None, "council_list", "council_create"),
    "council:plan": Page("work_plan", "council_read", "council_run"),
    "council:shared": Page(None, "council_list"),
    "council:exchange": Page(None, "council_list", "council_exchange_import"),
    "council:reports": Page(None, "council_list", "council_create"),
    "council:report": Page("yearly_report", "council_read", "council_run"),
    "council:report_docx": Page("yearly_report", "council_read"),
    "council:report_pdf": Page("yearly_report", "council_read"),
}

API_PARAM_KINDS = {
    "joint_meeting_id": "joint_meeting",
    "council_meeting_id": "council_meeting",
    "council_attachment_id": "council_attachment",
    "resolution_id": "resolution",
    "council_task_id": "council_task",
    "council_report_id": "council_report",
    "work_plan_id": "work_plan",
    "plan_item_id": "plan_item",
    "yearly_report_id": "yearly_report",
}

_P = "/api/v1/council"
OPERATIONS = {
    ("GET", f"{_P}/joint-meetings"): Op("council_list"),
    ("POST", f"{_P}/joint-meetings"): Op("council_create_api"),
    ("GET", f"{_P}/joint-meetings/{{joint_meeting_id}}"): Op("council_read"),
    ("POST", f"{_P}/joint-meetings/{{joint_meeting_id}}/members"): Op("council_run"),
    ("POST", f"{_P}/joint-meetings/{{joint_meeting_id}}/liaisons"): Op("council_run"),
    ("GET", f"{_P}/joint-meetings/{{joint_meeting_id}}/meetings"): Op("council_read"),
    ("POST", f"{_P}/joint-meetings/{{joint_meeting_id}}/meetings"): Op("council_run"),
    ("GET", f"{_P}/meetings/{{council_meeting_id}}"): Op("council_read"),
    ("PATCH", f"{_P}/meetings/{{council_meeting_id}}"): Op("council_run"),
    ("POST", f"{_P}/meetings/{{council_meeting_id}}/attendance"): Op("council_run"),
    ("POST", f"{_P}/meetings/{{council_meeting_id}}/attachments"): Op("council_run"),
    ("GET", f"{_P}/attachments/{{council_attachment_id}}"): Op("council_read"),
    ("POST", f"{_P}/meetings/{{council_meeting_id}}/resolutions"): Op("council_run"),
    ("POST", f"{_P}/meetings/{{council_meeting_id}}/close"): Op("council_run"),
    ("POST", f"{_P}/resolutions/{{resolution_id}}/tasks"): Op("council_run"),
    ("GET", f"{_P}/tasks"): Op("council_list"),
    ("GET", f"{_P}/tasks/{{council_task_id}}"): Op("council_read"),
    ("POST", f"{_P}/tasks/{{council_task_id}}/reports"): Op("council_progress"),
    ("POST", f"{_P}/tasks/{{council_task_id}}/reopen"): Op("council_run"),
    ("GET", f"{_P}/evidence/{{council_report_id}}"): Op("council_read"),
    ("GET", f"{_P}/plans"): Op("council_list"),
    ("POST", f"{_P}/plans"): Op("council_create_api"),
    ("GET", f"{_P}/plans/{{work_plan_id}}"): Op("council_read"),
    ("GET", f"{_P}/plans/{{work_plan_id}}/sources"): Op("council_read"),
    ("POST", f"{_P}/plans/{{work_plan_id}}/items"): Op("council_run"),
    ("DELETE", f"{_P}/plans/{{work_plan_id}}/items/{{plan_item_id}}"): Op("council_run"),
    ("GET", f"{_P}/shared"): Op("council_list"),
    ("GET", f"{_P}/exchange"): Op("council_list"),
    ("POST", f"{_P}/exchange"): Op("council_exchange_import"),
    ("GET", f"{_P}/reports"): Op("council_list"),
    ("POST", f"{_P}/reports"): Op("council_create_api"),
    ("GET", f"{_P}/reports/{{yearly_report_id}}"): Op("council_read"),
    ("PATCH", f"{_P}/reports/{{yearly_report_id}}"): Op("council_run"),
    ("POST", f"{_P}/reports/{{yearly_report_id}}/submit"): Op("council_run"),
    ("GET", f"{_P}/reports/{{yearly_report_id}}/document"): Op("council_read"),
}


def _side(official: Any, city: str, marker: str, liaison_department: Department) -> dict[str, Any]:
    """A city's joint meeting with the records every endpoint names, made by its official.
    The meeting stays open without minutes and the report without a summary, so that closing
    and submitting are refused for their input wherever the matrix tries them."""
    where = region(city)
    health = DepartmentFactory(
        region=where, code=Department.Code.HEALTH, name=f"{marker}卫生健康委员会"
    )
    jm = services.joint_meeting_create(actor=official, region=where, name=f"{marker}联席会议")
    services.membership_add(actor=official, joint_meeting=jm, department=liaison_department)
    services.membership_add(actor=official, joint_meeting=jm, department=health)
    meeting = services.meeting_create(
        actor=official,
        joint_meeting=jm,
        title=f"{marker}全体会议",
        held_on=timezone.localdate() - dt.timedelta(days=1),
    )
    attachment = services.attachment_add(actor=official, meeting=meeting, upload=png())
    resolution = services.resolution_add(actor=official, meeting=meeting, text=f"{marker}议定事项")
    task = services.task_create(
        actor=official,
        resolution=resolution,
        department=liaison_department,
        title=f"{marker}督办任务",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    liaison = persona(Role.DEPARTMENT_LIAISON, department=liaison_department)
    report = services.progress_report(
        actor=liaison,
        task=task,
        note=f"{marker}进展",
        evidence=SimpleUploadedFile("evidence.png", png().read(), content_type="image/png"),
    )
    year = timezone.localdate().year
    plan = services.work_plan_create(
        actor=official, region=where, year=year, title=f"{marker}工作计划"
    )
    item = services.work_plan_item_add(
        actor=official, plan=plan, title=f"{marker}计划事项", source="council_tasks"
    )
    yearly = services.yearly_report_create(actor=official, region=where, year=year)
    return {
        "joint_meeting": jm.pk,
        "council_meeting": meeting.pk,
        "council_attachment": attachment.pk,
        "resolution": resolution.pk,
        "council_task": task.pk,
        "council_report": report.pk,
        "work_plan": plan.pk,
        "plan_item": item.pk,
        "yearly_report": yearly.pk,
        "department": health.pk,
    }


def build_records(world: Any, records: Any) -> None:
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    inside = _side(world.people[Role.CITY_OFFICIAL], "370200", "青岛", liaison.department)
    jinan_emergency = DepartmentFactory(
        region=region("370100"), code=Department.Code.EMERGENCY, name=f"{OUTSIDE}应急管理局"
    )
    outside = _side(world.jinan_city_official, "370100", OUTSIDE, jinan_emergency)
    records.inside.update(inside)
    records.outside.update(outside)
