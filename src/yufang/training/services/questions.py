"""The question bank: the province's shared bank and the questions regions and institutions add."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
    can_write,
    may_change_question,
)
from yufang.audit.services import audit_create, audit_create_many, audit_update, snapshot
from yufang.support.topics import QUESTION_TOPICS, Topic
from yufang.training.models import (
    Question,
    QuestionType,
)
from yufang.training.services.common import (
    TrainingInvalid,
)


@dataclass
class QuestionFields:
    topic: str
    type: str
    stem: str
    options: list[dict[str, str]]
    answer: list[str]
    explanation: str = ""
    basis: str = ""


def _clean_question(data: QuestionFields) -> None:
    errors = {}
    if data.topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if data.type not in QuestionType.values:
        errors["type"] = _("Choose single choice, multiple choice or true/false.")
    if not data.stem.strip():
        errors["stem"] = _("Enter the question.")
    keys = [str(o.get("key", "")).strip() for o in data.options]
    if len(keys) < 2 or any(not k for k in keys) or len(set(keys)) != len(keys):
        errors["options"] = _("Give at least two options with distinct keys.")
    if any(not str(o.get("text", "")).strip() for o in data.options):
        errors["options"] = _("Every option needs a text.")
    if data.type == QuestionType.TRUE_FALSE and sorted(keys) != ["F", "T"]:
        errors["options"] = _("A true/false question has the options T and F.")
    answer = list(data.answer)
    if any(a not in keys for a in answer) or len(set(answer)) != len(answer):
        errors["answer"] = _("The answer must be keys of the options.")
    elif data.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(answer) != 1:
        errors["answer"] = _("This type of question has exactly one correct option.")
    elif data.type == QuestionType.MULTIPLE and len(answer) < 2:
        errors["answer"] = _("A multiple-choice question has at least two correct options.")
    if errors:
        raise TrainingInvalid(errors)


def question_save(
    *, actor: Any, data: QuestionFields, question: Question | None = None, code: str = ""
) -> Question:
    """Create a question or edit one. The province owns the shared bank; a region's officials
    and an institution's staff add questions of their own and edit only those
    (`scoping.may_change_question`)."""
    if not can_write(actor) or actor.role not in (
        *PROVINCE_WIDE_ROLES,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
    ):
        raise PermissionDenied(_("Your role cannot edit the question bank."))
    if question is not None and not may_change_question(
        actor, region_id=question.region_id, institution_id=question.institution_id
    ):
        raise PermissionDenied(
            _("This question belongs to the province's bank or another owner: add your own.")
        )
    _clean_question(data)
    values = {
        "topic": data.topic,
        "type": data.type,
        "stem": data.stem.strip(),
        "options": [
            {"key": str(o["key"]).strip(), "text": str(o["text"]).strip()} for o in data.options
        ],
        "answer": sorted(data.answer),
        "explanation": data.explanation.strip(),
        "basis": data.basis.strip()[:300],
    }
    with transaction.atomic():
        if question is None:
            code = code.strip() or f"U{secrets.token_hex(3).upper()}"
            if Question.objects.filter(code=code).exists():
                raise TrainingInvalid({"code": _("A question with this code exists.")})
            question = Question.objects.create(
                code=code,
                region=None if actor.role in PROVINCE_WIDE_ROLES else actor.region,
                institution=actor.institution if actor.role == Role.INSTITUTION_STAFF else None,
                **values,
            )
            audit_create(actor, question)
            return question
        before = snapshot(question)
        for key, value in values.items():
            setattr(question, key, value)
        question.save()
        audit_update(actor, question, before)
    return question


def question_bank_import(*, actor: Any, document: dict[str, Any]) -> int:
    """Load the seed bank (data/question_bank.json); existing codes are left alone."""
    existing = set(Question.objects.values_list("code", flat=True))
    new = []
    for item in document.get("questions", []):
        if item["id"] in existing:
            continue
        data = QuestionFields(
            topic=QUESTION_TOPICS[item["topic"]].value,
            type=item["type"],
            stem=item["stem"],
            options=item["options"],
            answer=item["answer"],
            explanation=item.get("explanation", ""),
            basis=item.get("basis", ""),
        )
        _clean_question(data)
        new.append(
            Question(
                code=item["id"],
                topic=data.topic,
                type=data.type,
                stem=data.stem,
                options=data.options,
                answer=sorted(data.answer),
                explanation=data.explanation,
                basis=data.basis[:300],
            )
        )
    with transaction.atomic():
        created = Question.objects.bulk_create(new)
        audit_create_many(actor, created, reason="question bank import")
    return len(created)
