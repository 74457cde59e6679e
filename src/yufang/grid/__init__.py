"""Grid governance (issue 18): grid workers on grids, routine screening planned by itself,
coverage. The grids themselves are the backbone's `regions.Grid`.

For the field app (the grid worker's phone pages), the contract:

Models (`yufang.grid.models`)
    `ScreeningTask` (enterprise, grid, worker nullable, plan, period_start/period_end,
    due_on, status `TaskStatus.OPEN/DONE/CANCELLED`), `Screening` (task, enterprise, grid,
    worker, done_at = the phone's time, latitude, longitude, accuracy_m, distance_m,
    far_from_enterprise, answers = [{"item", "answer": "yes"|"no"|"na"}], note, photos
    (`ScreeningPhoto`), unique nullable `idempotency_key`), `ScreeningFinding` (a hazard
    reported at a screening), `GridAssignment` (a worker on a grid; several each way).

Selectors (`yufang.grid.selectors`)
    `worker_tasks(user, *, on)` → QuerySet of the worker's open tasks (their own and their
    grids' unassigned ones) whose period has begun by `on` + 6 days, overdue included,
    soonest due first (a routine period is one to six months: the due date tells today's);
    `worker_week(user, *, on)` → every open task of their current periods;
    `tasks_nearest_first(tasks, latitude=, longitude=)` → list, nearest first, each with
    `distance_m`; `task_get(user, pk)` (404 outside the scope);
    `enterprise_card(user, enterprise)` → dict: enterprise, industry, address, contact_person,
    contact_phone, open_hazards, last_screening, map_url, latitude, longitude;
    `duty_checklist(user, task)` → list[str], the checklist items of the duty list in force.

Services (`yufang.grid.services`)
    `screening_record(*, actor, task, answers, note, latitude, longitude, accuracy_m,
    done_at, photos, idempotency_key) -> Screening` — photos are uploaded files or bytes
    (checked from the content, at most 10). Raises `GridInvalid` (field-named errors) for
    bad input and `ScreeningConflict` (a `GridInvalid` with `.reason` in "reassigned",
    "cancelled", "already_done", "enterprise_closed", "not_assigned" and a translated
    `.message`). A replay with the same idempotency key returns the first screening.
    A position with no accuracy is refused (field "accuracy_m"); one far away or with poor
    accuracy is kept and flagged `far_from_enterprise`.
    `screening_finding_add(*, actor, screening, hazard)` links a hazard reported through
    `yufang.hazards.services.hazard_report` to the screening (idempotent).
    `enterprise_closure_record(*, actor, enterprise, reason)` records an enterprise found
    closed (its open tasks are cancelled).

Pages: `grid:my_work` is the grid worker's own record of work done (field links to it);
`grid:task` a task's page; `grid:photo` serves a screening photo through the scope.
"""
