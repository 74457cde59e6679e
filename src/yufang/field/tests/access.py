"""The field app's pages and API operations in the authorization matrix
(accounts/tests/access.py explains the tokens). The field app is the grid worker's: every
other role is refused (403); a task outside the worker's grids is not found (404). Its
records are grid's screening tasks (kind `grid_task`, built by grid's `build_records`)."""

from __future__ import annotations

from yufang.accounts.tests.access_base import Op, Page, rule

RULES = {
    # The grid worker's own pages and sync; every other role has no business here.
    "field_worker": rule("403/403", grid_worker="ok/ok"),
    # A task of the grid worker's grids; outside them 404; other roles 403.
    "field_task": rule("403/403", grid_worker="ok/404"),
}

PAGES = {
    "field:today": Page(None, "field_worker"),
    "field:task": Page("grid_task", "field_task", "field_task"),
    # What makes the app installable holds no record: served to anyone, as static files are.
    "field:manifest": Page(None, "public"),
    "field:sw": Page(None, "public"),
}

_P = "/api/v1/field"
OPERATIONS = {
    ("GET", f"{_P}/tasks"): Op("field_worker"),
    ("GET", f"{_P}/tasks/{{task_id}}"): Op("field_task"),
    ("POST", f"{_P}/sync"): Op("field_worker", body={"entries": []}),
}
