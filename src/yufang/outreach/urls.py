from __future__ import annotations

from django.urls import path

from yufang.outreach.views import campaigns, programmes, public

app_name = "outreach"
urlpatterns = [
    path("", campaigns.index, name="index"),
    path("campaigns/", campaigns.campaigns_view, name="campaigns"),
    path("campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("campaigns/<int:pk>/activities/new/", campaigns.activity_new, name="activity_new"),
    path("activities/<int:pk>/", campaigns.activity, name="activity"),
    path(
        "activities/photos/<int:pk>/<str:size>/",
        campaigns.activity_photo,
        name="activity_photo",
    ),
    path("statistics/", campaigns.statistics, name="statistics"),
    path("quizzes/", programmes.quizzes, name="quizzes"),
    path("quizzes/<int:pk>/", programmes.quiz, name="quiz"),
    path("quizzes/<int:pk>/draw/", programmes.quiz_draw, name="quiz_draw"),
    path("contests/", programmes.contests, name="contests"),
    path("contests/<int:pk>/", programmes.contest, name="contest"),
    path("contests/<int:pk>/judging/", programmes.judging, name="judging"),
    path("moderation/", programmes.moderation, name="moderation"),
    path("entries/<int:pk>/<str:size>/", programmes.entry_file, name="entry_file"),
    # The public's pages: no account, phone first.
    path("public/", public.public, name="public"),
    path("public/quizzes/<int:pk>/", public.public_quiz, name="public_quiz"),
    path("public/quizzes/<int:pk>/play/", public.public_quiz_play, name="public_quiz_play"),
    path("public/quizzes/<int:pk>/result/", public.public_quiz_result, name="public_quiz_result"),
    path(
        "public/quizzes/<int:pk>/leaderboard/", public.public_leaderboard, name="public_leaderboard"
    ),
    path("public/quizzes/<int:pk>/draw/", public.public_draw, name="public_draw"),
    path("public/contests/<int:pk>/", public.public_contest, name="public_contest"),
    path("public/contests/<int:pk>/enter/", public.public_entry_new, name="public_entry_new"),
    path("public/contests/<int:pk>/gallery/", public.public_gallery, name="public_gallery"),
    path("public/contests/<int:pk>/results/", public.public_results, name="public_results"),
    path("public/entries/<int:pk>/", public.public_entry, name="public_entry"),
    path(
        "public/entries/<int:pk>/<str:size>/", public.public_entry_media, name="public_entry_media"
    ),
]
