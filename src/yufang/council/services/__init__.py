"""Writes of the joint meeting's records: one service per change, keyword-only, inside a
transaction, raising `CouncilInvalid` (a field-named, translated message) for bad input and
`PermissionDenied` for a role that may not. The pages and the API call the same ones."""

from yufang.council.services.common import CouncilInvalid
from yufang.council.services.exchange import exchange_import
from yufang.council.services.meetings import (
    attachment_add,
    attachment_remove,
    attendance_record,
    joint_meeting_create,
    liaison_add,
    meeting_close,
    meeting_create,
    meeting_update,
    membership_add,
    resolution_add,
)
from yufang.council.services.plans import (
    work_plan_create,
    work_plan_item_add,
    work_plan_item_remove,
)
from yufang.council.services.reports import (
    yearly_report_create,
    yearly_report_submit,
    yearly_report_update,
)
from yufang.council.services.tasks import (
    liaisons_of,
    progress_report,
    task_create,
    task_reminders_run,
    task_reopen,
)

__all__ = [
    "CouncilInvalid",
    "attachment_add",
    "attachment_remove",
    "attendance_record",
    "joint_meeting_create",
    "liaison_add",
    "liaisons_of",
    "meeting_close",
    "meeting_create",
    "meeting_update",
    "membership_add",
    "progress_report",
    "resolution_add",
    "task_create",
    "task_reminders_run",
    "task_reopen",
    "exchange_import",
    "work_plan_create",
    "work_plan_item_add",
    "work_plan_item_remove",
    "yearly_report_create",
    "yearly_report_submit",
    "yearly_report_update",
]
