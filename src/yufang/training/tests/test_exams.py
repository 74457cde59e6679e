from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Certificate, ExamAttempt, Question
from yufang.training.tasks import certificate_reminders_task
from yufang.training.tests.conftest import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(world: Any) -> Any:
    user = world.people[Role.WORKER]
    svc.trainee_upsert(
        actor=user,
        name="工人甲",
        id_number=id_number(11),
        phone="13800000011",
        user=user,
        enterprise=world.enterprise,
    )
    return user


@pytest.fixture
def exam(staff: Any, bank: int) -> Any:
    return svc.exam_create(
        actor=staff,
        title="工伤保险知识考试",
        single_count=4,
        multiple_count=2,
        true_false_count=2,
        pass_mark=60,
        time_limit_minutes=20,
        max_attempts=2,
    )


def right_answers(attempt: ExamAttempt) -> dict[int, list[str]]:
    return {
        i.question_id: list(i.question.answer) for i in attempt.items.select_related("question")
    }


def test_seed_bank_loads_sixty_questions_once(bank: int, world: Any) -> None:
    assert bank == 60
    assert Question.objects.count() == 60
    assert svc.question_bank_import(actor=world.people[Role.ADMIN], document={"questions": []}) == 0
    assert set(Question.objects.values_list("type", flat=True)) == {
        "single",
        "multiple",
        "true_false",
    }


def test_question_with_a_wrong_answer_key_is_refused(staff: Any) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.question_save(
            actor=staff,
            data=svc.QuestionFields(
                topic="fire",
                type="single",
                stem="?",
                options=[{"key": "A", "text": "x"}, {"key": "B", "text": "y"}],
                answer=["C"],
            ),
        )
    assert "answer" in exc.value.errors


def test_exam_cannot_ask_for_more_questions_than_the_bank_holds(staff: Any, bank: int) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.exam_create(actor=staff, title="x", topics=["fire"], single_count=50)
    assert "single_count" in exc.value.errors


def test_each_attempt_draws_the_asked_counts_per_type(worker: Any, exam: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam, rng=random.Random(1))
    types = [i.question.type for i in attempt.items.select_related("question")]
    assert types.count("single") == 4
    assert types.count("multiple") == 2
    assert types.count("true_false") == 2
    assert attempt.deadline == attempt.started_at + dt.timedelta(minutes=20)


def test_passing_issues_a_certificate(worker: Any, exam: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    attempt = svc.exam_attempt_submit(actor=worker, attempt=attempt, answers=right_answers(attempt))
    assert attempt.passed is True
    assert attempt.score == 100
    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.expires_on.year == certificate.issued_on.year + 3
    assert sel.certificate_status(certificate) == "valid"


def test_wrong_answers_fail_and_count_items(worker: Any, exam: Any, staff: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    attempt = svc.exam_attempt_submit(actor=worker, attempt=attempt, answers={})
    assert attempt.passed is False
    assert not Certificate.objects.exists()
    stats = sel.question_statistics(staff, exam=exam).filter(asked__gt=0)  # type: ignore[misc]
    assert stats.count() == 8
    assert all(q.right == 0 for q in stats)  # type: ignore[attr-defined]
    results = sel.exam_results(staff, exam)
    assert results["attempts"] == 1
    assert results["pass_rate"] == 0


def test_submission_after_the_time_limit_is_refused_and_flagged(worker: Any, exam: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    late = attempt.deadline + dt.timedelta(minutes=5)
    with pytest.raises(svc.TrainingInvalid, match="time limit"):
        svc.exam_attempt_submit(
            actor=worker, attempt=attempt, answers=right_answers(attempt), now=late
        )
    attempt.refresh_from_db()
    assert attempt.status == ExamAttempt.Status.EXPIRED
    assert attempt.passed is False
    assert not Certificate.objects.exists()


def test_submission_within_the_grace_is_accepted(worker: Any, exam: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    attempt = svc.exam_attempt_submit(
        actor=worker,
        attempt=attempt,
        answers=right_answers(attempt),
        now=attempt.deadline + dt.timedelta(seconds=30),
    )
    assert attempt.passed is True


def test_attempt_limit_is_enforced(worker: Any, exam: Any) -> None:
    for _n in range(2):
        attempt = svc.exam_attempt_start(actor=worker, exam=exam)
        svc.exam_attempt_submit(actor=worker, attempt=attempt, answers={})
    with pytest.raises(svc.TrainingInvalid, match="all 2 attempts"):
        svc.exam_attempt_start(actor=worker, exam=exam)


def test_an_attempt_cannot_be_submitted_twice(worker: Any, exam: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(actor=worker, attempt=attempt, answers={})
    with pytest.raises(svc.TrainingInvalid, match="already been submitted"):
        svc.exam_attempt_submit(actor=worker, attempt=attempt, answers={})


def test_revoked_certificate_shows_revoked_on_verification(
    worker: Any, exam: Any, staff: Any, client: Any
) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(actor=worker, attempt=attempt, answers=right_answers(attempt))
    certificate = Certificate.objects.get()
    with pytest.raises(svc.TrainingInvalid):
        svc.certificate_revoke(actor=staff, certificate=certificate, reason=" ")
    svc.certificate_revoke(actor=staff, certificate=certificate, reason="考试作弊")
    response = client.get(f"/training/certificates/verify/{certificate.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "工人甲" not in body
    assert "工**" in body
    assert certificate.trainee.id_masked in body
    assert sel.certificate_status(Certificate.objects.get()) == "revoked"


def test_unknown_certificate_code_is_not_found(client: Any, db: Any) -> None:
    assert client.get("/training/certificates/verify/NOPE/").status_code == 404


def test_certificate_pdf_is_a_pdf_with_chinese_font(worker: Any, exam: Any, client: Any) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(actor=worker, attempt=attempt, answers=right_answers(attempt))
    certificate = Certificate.objects.get()
    client.force_login(worker)
    response = client.get(f"/training/certificates/{certificate.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"STSong-Light" in response.content


def test_reminder_task_texts_holders_of_expiring_certificates_once(
    worker: Any, exam: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(actor=worker, attempt=attempt, answers=right_answers(attempt))
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + dt.timedelta(days=30)
    )
    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_task.delay().get() == 1
    assert "13800000011" in caplog.text
    assert certificate_reminders_task.delay().get() == 0
    assert sel.certificates_expiring(worker).count() == 1


def test_periodic_reminder_is_scheduled_in_code() -> None:
    from yufang.celery import app

    entry = app.conf.beat_schedule["training-certificate-reminders"]
    assert entry["task"] == certificate_reminders_task.name
