from __future__ import annotations

from django.urls import path

from yufang.outreach.views import campaigns, programmes, public

app_name = "outreach"
urlpatterns = [
    path("", campaigns.index, name="index"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/activities/new/", campaigns.activity_new, name="activity_new"),
    path("activities/<int:pk>/", campaigns.activity_detail, name="activity"),
    path(
        "activities/photos/<int:pk>/<str:size>/",
        campaigns.activity_photo,
        name="activity_photo",
    ),
    path("statistics/", campaigns.statistics, name="statistics"),
    path("quizzes/", programmes.quiz_list, name="quizzes"),
    path("quizzes/<int:pk>/", programmes.quiz_detail, name="quiz"),
    path("quizzes/<int:pk>/draw/", programmes.quiz_draw, name="quiz_draw"),
    path("contests/", programmes.contest_list, name="contests"),
    path("contests/<int:pk>/", programmes.contest_detail, name="contest"),
    path("contests/<int:pk>/judging/", programmes.judging, name="judging"),
    path("moderation/", programmes.moderation, name="moderation"),
    path("entries/<int:pk>/<str:size>/", programmes.entry_file, name="entry_file"),
    # The public's pages: no account, phone first.
    path("public/", public.landing, name="public"),
    path("public/quizzes/<int:pk>/", public.quiz, name="public_quiz"),
    path("public/quizzes/<int:pk>/play/", public.quiz_play, name="public_quiz_play"),
    path("public/quizzes/<int:pk>/result/", public.quiz_result, name="public_quiz_result"),
    path("public/quizzes/<int:pk>/leaderboard/", public.leaderboard, name="public_leaderboard"),
    path("public/quizzes/<int:pk>/draw/", public.quiz_draw, name="public_draw"),
    path("public/contests/<int:pk>/", public.contest, name="public_contest"),
    path("public/contests/<int:pk>/enter/", public.entry_new, name="public_entry_new"),
    path("public/contests/<int:pk>/gallery/", public.gallery, name="public_gallery"),
    path("public/contests/<int:pk>/results/", public.results, name="public_results"),
    path("public/entries/<int:pk>/", public.entry, name="public_entry"),
    path("public/entries/<int:pk>/<str:size>/", public.entry_media, name="public_entry_media"),
]
