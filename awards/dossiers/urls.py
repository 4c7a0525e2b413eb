from django.urls import path, re_path

from awards.dossiers import views

app_name = "dossiers"

# Parameters are named (not ``pk``): the route walk fills unknown names with 1.
urlpatterns = [
    path(
        "nominations/<int:nomination_id>/dossier.pdf",
        views.nomination_dossier,
        name="dossier",
    ),
    re_path(
        r"^nominations/(?P<nomination_id>[0-9]+)/report\.(?P<fmt>pdf|docx)$",
        views.nomination_report,
        name="report",
    ),
    re_path(
        r"^nominations/(?P<nomination_id>[0-9]+)/letter\.(?P<fmt>pdf|docx)$",
        views.nomination_letter,
        name="letter",
    ),
    path("council/sessions/<int:session_id>/dossiers.zip", views.session_zip, name="session-zip"),
    path(
        "decisions/<int:decision_id>/certificates.zip",
        views.certificates_zip,
        name="certificates-zip",
    ),
    path("vinh-danh/", views.honour_roll, name="honour-roll"),
    path("vinh-danh/quyet-dinh/<int:decision_id>/", views.public_decision, name="decision"),
]
