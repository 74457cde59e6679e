"""The vocabulary of the authorization matrix, shared by the central declarations
(`access.py`) and each programme module's own (`yufang/<module>/tests/access.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "province",
    "city",
    "county",
    "grid_worker",
    "safety_manager",
    "institution",
    "liaison",
    "worker",
    "auditor",
    "admin",
)
ANONYMOUS = "anonymous"
# The roles whose scope takes in Jinan: the "outside" records are inside theirs.
PROVINCE_WIDE = ("province", "admin", "auditor")


@dataclass(frozen=True)
class Page:
    kind: str | None
    get: str
    post: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    # The form its POST sends (empty by default). A value "{kind}" is the id of the side's
    # record of that kind, so a page whose form (not its URL) names the record is called with
    # one inside the scope and one outside it.
    form: dict[str, str] = field(default_factory=dict)

    def form_kind(self) -> str | None:
        for value in self.form.values():
            if value.startswith("{") and value.endswith("}"):
                return value[1:-1]
        return None


@dataclass(frozen=True)
class Op:
    rule: str
    kind: str | None = None
    # A JSON body to send instead of the one made from the schema (where the schema's small
    # values would be refused for their input before the role is checked).
    body: dict[str, Any] | None = None


# URL parameter of an API path -> the kind of record it names (the modules add theirs).
API_PARAM_KINDS = {
    "user_id": "user",
    "enterprise_id": "enterprise",
    "case_id": "case",
    "checklist_id": "checklist",
    "assessment_id": "assessment",
    "hazard_id": "hazard",
    "escalation_id": "escalation",
    "base_id": "base",
    "session_id": "session",
    "enrollment_id": "enrollment",
    "trainee_id": "trainee",
    "course_id": "course",
    "lesson_id": "lesson",
    "certificate_id": "certificate",
    "campaign_id": "campaign",
    "job_id": "job",
    "exam_id": "exam",
    "attempt_id": "attempt",
    "question_id": "question",
    "kind": "import_kind",
    "year": "year",
    "region": "region",
}
# Rules whose pages show a record to anyone holding its code, whatever their scope.
SHOWS_ANY_SCOPE = {"public"}


def rule(default: str, anonymous: str = "login/login", **roles: str) -> dict[str, tuple[str, str]]:
    """`default` for every role not named; each value is "inside/outside"."""
    spec = {role: roles.get(role, default) for role in ROLES} | {ANONYMOUS: anonymous}
    return {who: tuple(value.split("/")) for who, value in spec.items()}  # type: ignore[misc]
