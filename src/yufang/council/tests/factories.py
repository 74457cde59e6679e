"""A Qingdao joint meeting with members, a meeting, a resolution and a task, made through the
council's services (so the records are what the platform itself would make)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yufang.accounts.models import Role
from yufang.council import services
from yufang.council.models import CouncilTask, JointMeeting, Meeting, Resolution
from yufang.organisations.models import Department
from yufang.tests.factories import DepartmentFactory, persona, region


@dataclass
class Council:
    joint_meeting: JointMeeting
    emergency: Department
    health: Department
    meeting: Meeting
    resolution: Resolution
    task: CouncilTask
    health_liaison: Any


def council_for(official: Any, *, city: str = "370200", name: str = "") -> Council:
    """A city's joint meeting run by `official`: emergency (the world's liaison's department)
    and health as members, one open meeting, one resolution, one task for emergency."""
    where = region(city)
    emergency = DepartmentFactory(
        region=where, code=Department.Code.EMERGENCY, name=f"{name}应急管理局"
    )
    health = DepartmentFactory(
        region=where, code=Department.Code.HEALTH, name=f"{name}卫生健康委员会"
    )
    # The meeting and its task's deadline fall in this year whatever the day: the year's plan
    # and report count them.
    today = timezone.localdate()
    jm = services.joint_meeting_create(
        actor=official, region=where, name=f"{name}{where.name}工伤预防联席会议"
    )
    services.membership_add(actor=official, joint_meeting=jm, department=emergency)
    services.membership_add(actor=official, joint_meeting=jm, department=health)
    meeting = services.meeting_create(
        actor=official,
        joint_meeting=jm,
        title=f"{name}第一次全体会议",
        held_on=max(today.replace(month=1, day=1), today - dt.timedelta(days=3)),
        agenda="一、通报隐患排查情况",
    )
    resolution = services.resolution_add(
        actor=official, meeting=meeting, text=f"{name}开展有限空间专项整治"
    )
    task = services.task_create(
        actor=official,
        resolution=resolution,
        department=emergency,
        title=f"{name}完成有限空间企业排查",
        deadline=min(today.replace(month=12, day=31), today + dt.timedelta(days=20)),
    )
    health_liaison = persona(Role.DEPARTMENT_LIAISON, department=health)
    return Council(jm, emergency, health, meeting, resolution, task, health_liaison)
