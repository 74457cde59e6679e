"""The grid module's writes. Every service is keyword-only, runs in a transaction and raises
`GridInvalid` (an `InvalidInput`) naming the field for bad input."""

from yufang.grid.services.assignments import (
    assignment_add,
    assignment_end,
    tasks_reassign,
    worker_leave,
)
from yufang.grid.services.common import GridInvalid
from yufang.grid.services.duty import duty_list_set
from yufang.grid.services.placement import enterprise_place, enterprises_place_automatically
from yufang.grid.services.plans import (
    GenerationResult,
    campaign_create,
    campaign_tasks_generate,
    routine_plan,
    routine_tasks_generate,
    tasks_generate,
)
from yufang.grid.services.screenings import (
    ScreeningConflict,
    enterprise_closure_record,
    screening_finding_add,
    screening_record,
)

__all__ = [
    "GenerationResult",
    "GridInvalid",
    "ScreeningConflict",
    "assignment_add",
    "assignment_end",
    "campaign_create",
    "campaign_tasks_generate",
    "duty_list_set",
    "enterprise_closure_record",
    "enterprise_place",
    "enterprises_place_automatically",
    "routine_plan",
    "routine_tasks_generate",
    "screening_finding_add",
    "screening_record",
    "tasks_generate",
    "tasks_reassign",
    "worker_leave",
]
