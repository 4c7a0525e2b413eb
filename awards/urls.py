from django.urls import include, path

from awards import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.catalogue, name="catalogue"),
    path("awards/eligibility/", views.eligibility_list, name="eligibility"),
    path("awards/eligibility/export/", views.eligibility_export, name="eligibility-export"),
    path("", include("awards.reports.urls")),
    path(
        "awards/eligibility/recompute/",
        views.eligibility_recompute,
        name="eligibility-recompute",
    ),
    path(
        "awards/eligibility/why/<str:subject_type>/<str:code>/",
        views.eligibility_why,
        name="eligibility-why",
    ),
]
