from django.urls import path

from awards.council import views

app_name = "council"

# Parameters are named (not ``pk``): the route walk fills unknown names with 1.
urlpatterns = [
    path("council/", views.index, name="index"),
    path("council/<int:council_id>/sessions/new/", views.session_create, name="session-create"),
    path("council/sessions/<int:session_id>/", views.session, name="session"),
    path("council/sessions/<int:session_id>/move/", views.move, name="move"),
    path("council/sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("council/sessions/<int:session_id>/substitute/", views.substitute, name="substitute"),
    path("council/sessions/<int:session_id>/agenda/", views.build_agenda, name="agenda"),
    path("council/sessions/<int:session_id>/progress/", views.progress, name="progress"),
    path("council/sessions/<int:session_id>/ballot/", views.ballot, name="ballot"),
    path(
        "council/sessions/<int:session_id>/written/<int:member_id>/",
        views.written,
        name="written",
    ),
    path("council/sessions/<int:session_id>/results/", views.results, name="results"),
    path("council/sessions/<int:session_id>/tie/", views.settle_tie, name="tie"),
    path("council/sessions/<int:session_id>/minutes.pdf", views.minutes, name="minutes"),
]
