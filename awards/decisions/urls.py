from django.urls import path

from awards.decisions import submission_views, views

app_name = "decisions"

# Parameters are named (not ``pk``): the route walk fills unknown names with 1.
urlpatterns = [
    path("decisions/", views.index, name="index"),
    path("decisions/new/", views.new, name="new"),
    path("decisions/<int:decision_id>/", views.detail, name="detail"),
    path("decisions/<int:decision_id>/edit/", views.edit, name="edit"),
    path("decisions/<int:decision_id>/list/", views.set_list, name="list"),
    path("decisions/<int:decision_id>/move/", views.move, name="move"),
    path("decisions/<int:decision_id>/decision.pdf", views.download, name="download"),
    path(
        "decisions/<int:decision_id>/certificates/<int:item_id>.pdf",
        views.certificate,
        name="certificate",
    ),
    path("decisions/submissions/", submission_views.index, name="submissions"),
    path(
        "decisions/submissions/<int:submission_id>/",
        submission_views.detail,
        name="submission",
    ),
]
