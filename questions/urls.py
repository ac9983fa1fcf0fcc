from django.urls import path

from .views import callbacks, desk, kennisbank

app_name = "questions"

urlpatterns = [
    # The desk (views/desk.py)
    path("balie/", desk.desk_choose, name="desk_choose"),
    path("balie/<slug:slug>/", desk.desk, name="desk"),
    path("balie/<slug:slug>/zelfde/", desk.desk_repeat, name="desk_repeat"),
    path("balie/<slug:slug>/geen-antwoord/", desk.gap_create, name="gap_create"),
    path("balie/vraag/<int:pk>/", desk.question_edit, name="question_edit"),
    path("vragen/", desk.question_list, name="question_list"),
    path("beheer/onderwerpen/", desk.topics, name="topics"),
    path("beheer/onderwerpen/<int:pk>/", desk.topic_edit, name="topic_edit"),
    path("beheer/doorverwijzingen/", desk.referrals, name="referrals"),
    path("beheer/doorverwijzingen/<int:pk>/", desk.referral_edit, name="referral_edit"),
    # Callback requests and teams (views/callbacks.py)
    path("balie/<slug:slug>/terugbelverzoek/", callbacks.callback_create, name="callback_create"),
    path("terugbelverzoeken/", callbacks.callbacks_sent, name="callbacks_sent"),
    path("terugbelverzoeken/<str:reference>/", callbacks.callback_detail, name="callback_detail"),
    path("terugbelverzoeken/<str:reference>/bon/", callbacks.callback_slip, name="callback_slip"),
    path(
        "terugbelverzoeken/<str:reference>/oppakken/",
        callbacks.callback_claim,
        name="callback_claim",
    ),
    path(
        "terugbelverzoeken/<str:reference>/loslaten/",
        callbacks.callback_release,
        name="callback_release",
    ),
    path(
        "terugbelverzoeken/<str:reference>/poging/",
        callbacks.callback_attempt,
        name="callback_attempt",
    ),
    path(
        "terugbelverzoeken/<str:reference>/afronden/",
        callbacks.callback_complete,
        name="callback_complete",
    ),
    path(
        "terugbelverzoeken/<str:reference>/doorsturen/",
        callbacks.callback_forward,
        name="callback_forward",
    ),
    path(
        "terugbelverzoeken/<str:reference>/heropenen/",
        callbacks.callback_reopen,
        name="callback_reopen",
    ),
    path("teams/", callbacks.teams, name="teams"),
    path("teams/<int:pk>/", callbacks.team_queue, name="team_queue"),
    path("beheer/teams/", callbacks.team_admin, name="team_admin"),
    path("beheer/teams/<int:pk>/", callbacks.team_edit, name="team_edit"),
    path("beheer/inzage/", callbacks.access_log, name="access_log"),
    # Kennisbank (views/kennisbank.py)
    path("kennisbank/", kennisbank.search, name="kb_search"),
    path("kennisbank/nieuw/", kennisbank.article_create, name="article_create"),
    path("kennisbank/hiaten/", kennisbank.gap_list, name="gap_list"),
    path("kennisbank/hiaten/<int:pk>/opgelost/", kennisbank.gap_resolve, name="gap_resolve"),
    path("kennisbank/<int:pk>/", kennisbank.article_detail, name="article_detail"),
    path("kennisbank/<int:pk>/bewerken/", kennisbank.article_edit, name="article_edit"),
]
