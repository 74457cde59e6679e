"""Writes of the outreach module: campaigns and activities, prize quizzes, contests."""

from yufang.outreach.services.campaigns import (
    activity_photo_add,
    outreach_activity_record,
    publicity_campaign_create,
)
from yufang.outreach.services.contests import (
    award_label,
    contest_create,
    contest_is_open,
    contest_judges_set,
    contest_results_publish,
    entry_moderate,
    entry_submit,
    flagged_votes_decide,
    recusal_declare,
    score_record,
    source_digest,
    vote_cast,
    voting_is_open,
)
from yufang.outreach.services.quizzes import (
    quiz_create,
    quiz_draw,
    quiz_entry_questions,
    quiz_entry_start,
    quiz_entry_submit,
    quiz_is_open,
    quiz_qualified,
)

__all__ = [
    "activity_photo_add",
    "award_label",
    "contest_create",
    "contest_is_open",
    "contest_judges_set",
    "contest_results_publish",
    "entry_moderate",
    "entry_submit",
    "flagged_votes_decide",
    "outreach_activity_record",
    "publicity_campaign_create",
    "quiz_create",
    "quiz_draw",
    "quiz_entry_questions",
    "quiz_entry_start",
    "quiz_entry_submit",
    "quiz_is_open",
    "quiz_qualified",
    "recusal_declare",
    "score_record",
    "source_digest",
    "vote_cast",
    "voting_is_open",
]
