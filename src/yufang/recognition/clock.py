"""The time limits of an accident report and a recognition application, derived from their
dates and the dated parameters (`policy/parameters/recognition.yaml`). Calendar days, as the
national texts count them ("日"), unless `limit_day_counting` says a limit counts working days
in the enterprise's county or city (`policy.workdays`, the province's working-day calendar).
The worker's one-year limit leaves out the time lost through no fault of theirs that the
bureau recorded (`LimitPause`). Nothing here is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yufang import policy
from yufang.policy import workdays
from yufang.recognition.models import (
    AccidentGrade,
    AccidentReport,
    ApplicantKind,
    ApplicationStatus,
    RecognitionApplication,
)


def rules_start(name: str) -> dt.date:
    """The first day a dated rule is known: dates before it cannot be judged by it."""
    return policy.parameter(name).values[0].since


def accident_grade(
    *, deaths: int, serious_injuries: int, direct_loss: Decimal, on: dt.date
) -> AccidentGrade:
    """The highest grade any one criterion reaches ("以上" includes the number)."""
    for row in policy.value("accident_grade_thresholds", on=on):
        if (
            deaths >= int(row["deaths"])
            or serious_injuries >= int(row["serious_injuries"])
            or direct_loss >= Decimal(str(row["direct_loss"]))
        ):
            return AccidentGrade(row["grade"])
    return AccidentGrade.ORDINARY


def report_grade(report: AccidentReport) -> AccidentGrade:
    return accident_grade(
        deaths=report.deaths,
        serious_injuries=report.serious_injuries,
        direct_loss=report.direct_loss,
        on=timezone.localdate(report.occurred_at),
    )


def report_due(occurred_at: dt.datetime) -> dt.datetime:
    """When the one-hour duty to report runs out."""
    hours = int(policy.value("accident_report_hours", on=timezone.localdate(occurred_at)))
    return occurred_at + dt.timedelta(hours=hours)


def report_is_late(report: AccidentReport) -> bool:
    return report.reported_at > report_due(report.occurred_at)


def region_codes(enterprise: Any) -> tuple[str, ...]:
    """The enterprise's county and city codes, most specific first, for regional limits."""
    return tuple(r.code for r in (enterprise.county, enterprise.city) if r is not None)


def due(name: str, start: dt.date, enterprise: Any) -> dt.date:
    """The last day of the limit `name` from `start`, for this enterprise's region."""
    regions = region_codes(enterprise) if workdays.has_regional_rule(name, on=start) else ()
    return workdays.due_date(name, start, regions=regions)


def paused_days(application: RecognitionApplication) -> int:
    """Days the bureau recorded as lost through no fault of the worker, a relative or the
    union (R10 第七条): not counted in their limit to apply. Nothing for the employer."""
    if application.applicant_kind == ApplicantKind.EMPLOYER or application.pk is None:
        return 0
    return sum(p.days for p in application.limit_pauses.all())


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def application_limit(
    *,
    accident_date: dt.date,
    applicant_kind: str,
    extended_until: dt.date | None = None,
    enterprise: Any = None,
    paused: int = 0,
) -> dt.date:
    """The last day to apply: the employer's days (or its approved extension), or the
    worker's, relatives' and union's years, from the accident or diagnosis, plus the days
    `paused` that do not count."""
    if applicant_kind == ApplicantKind.EMPLOYER:
        if enterprise is not None:
            limit = due("employer_application_days", accident_date, enterprise)
        else:
            days = int(policy.value("employer_application_days", on=accident_date))
            limit = accident_date + dt.timedelta(days=days)
        return max(limit, extended_until) if extended_until else limit
    years = int(policy.value("individual_application_years", on=accident_date))
    return _add_years(accident_date, years) + dt.timedelta(days=paused)


def application_deadline(application: RecognitionApplication) -> dt.date:
    report = application.accident_report
    return application_limit(
        accident_date=application.accident_date,
        applicant_kind=application.applicant_kind,
        extended_until=report.extended_until if report is not None else None,
        enterprise=application.enterprise,
        paused=paused_days(application),
    )


def application_is_late(application: RecognitionApplication) -> bool:
    return application.received_on > application_deadline(application)


def report_application_limit(report: AccidentReport) -> dt.date:
    """The employer's last day to apply for an injury of this accident."""
    return application_limit(
        accident_date=timezone.localdate(report.occurred_at),
        applicant_kind=ApplicantKind.EMPLOYER,
        extended_until=report.extended_until,
        enterprise=report.enterprise,
    )


def check_due(application: RecognitionApplication) -> dt.date | None:
    """While the materials are being checked: the day the bureau must accept, refuse or ask
    for what is missing (counted again from the supplement)."""
    if application.status != ApplicationStatus.SUBMITTED:
        return None
    start = application.supplemented_on or application.received_on
    return due("materials_check_days", start, application.enterprise)


def _decision_limit(application: RecognitionApplication) -> dt.date:
    """Acceptance + 60 days (15 for a clear case), before any suspension."""
    name = "decision_days_clear_case" if application.is_clear_case else "decision_days"
    accepted = application.accepted_on or application.received_on
    return due(name, accepted, application.enterprise)


def suspended_days(application: RecognitionApplication, *, today: dt.date) -> int:
    """Days the clock stood still: each suspension from its first day to the day before it
    was lifted (an open one up to today)."""
    total = 0
    for s in application.suspensions.all():
        end = s.ended_on or today
        total += max((end - s.started_on).days, 0)
    return total


def decision_due(
    application: RecognitionApplication, *, today: dt.date | None = None
) -> dt.date | None:
    """The day the decision is due: acceptance + 60 days (15 for a clear case) + the days
    suspended. None before acceptance and after the decision; while suspended, the date it
    would be if the clock started again today."""
    if application.accepted_on is None or application.status not in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.SUSPENDED,
    ):
        return None
    today = today or timezone.localdate()
    return _decision_limit(application) + dt.timedelta(
        days=suspended_days(application, today=today)
    )


def decision_was_late(application: RecognitionApplication) -> bool:
    """A decision made after its due date (flagged on the board and the letter's record)."""
    if application.decided_on is None or application.accepted_on is None:
        return False
    limit = _decision_limit(application) + dt.timedelta(
        days=suspended_days(application, today=application.decided_on)
    )
    return application.decided_on > limit


def letter_due(application: RecognitionApplication) -> dt.date | None:
    if application.decided_on is None:
        return None
    return due("decision_letter_delivery_days", application.decided_on, application.enterprise)


def pause_claim_open(application: RecognitionApplication) -> bool:
    """A late applicant says time was lost through no fault of theirs and the bureau has not
    recorded the pause yet, nor closed the application: the bureau is to decide."""
    return (
        application.pause_claimed
        and application.status
        in (ApplicationStatus.SUBMITTED, ApplicationStatus.MATERIALS_REQUESTED)
        and application_is_late(application)
    )


def counts_working_days(enterprise: Any, *, on: dt.date) -> bool:
    """Whether any of the application's limits counts working days for this enterprise."""
    names = workdays.regional_rule_names(on=on)
    if not names:
        return False
    regions = region_codes(enterprise)
    return any(
        workdays.limit_rule(name, on=on, regions=regions).counting == workdays.WORKING
        for name in names
    )


def warning_days(on: dt.date) -> int:
    return int(policy.value("application_warning_days", on=on))


@dataclass(frozen=True)
class Clock:
    """What a page shows of an application's time limits."""

    deadline: dt.date
    is_late: bool
    check_due: dt.date | None
    decision_due: dt.date | None
    suspended: bool
    suspended_days: int
    overdue: bool
    days_left: int | None
    decided_late: bool
    letter_due: dt.date | None
    paused_days: int
    pause_claim_open: bool
    working_days: bool

    @property
    def due(self) -> dt.date | None:
        return self.check_due or self.decision_due

    @property
    def days_over(self) -> int:
        """Days past the due date (0 when not overdue)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def clock_of(application: RecognitionApplication, *, today: dt.date | None = None) -> Clock:
    today = today or timezone.localdate()
    check = check_due(application)
    decision = decision_due(application, today=today)
    suspended = application.status == ApplicationStatus.SUSPENDED
    due = check or (None if suspended else decision)
    return Clock(
        deadline=application_deadline(application),
        is_late=application_is_late(application),
        check_due=check,
        decision_due=decision,
        suspended=suspended,
        suspended_days=suspended_days(application, today=today) if application.accepted_on else 0,
        overdue=due is not None and today > due,
        days_left=(due - today).days if due is not None else None,
        decided_late=decision_was_late(application),
        letter_due=letter_due(application),
        paused_days=paused_days(application),
        pause_claim_open=pause_claim_open(application),
        working_days=any(
            counts_working_days(application.enterprise, on=day)
            for day in {
                today,
                application.received_on,
                application.supplemented_on or today,
                application.accepted_on or today,
                application.decided_on or today,
            }
        ),
    )


def with_clock(rows: Any, *, today: dt.date | None = None) -> list[Any]:
    """The applications, each with its `clock` for a list page."""
    found = list(rows)
    for a in found:
        a.clock = clock_of(a, today=today)
    return found
