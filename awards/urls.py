from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.catalogue, name="catalogue"),
    path("awards/eligibility/", views.eligibility_list, name="eligibility"),
    path("awards/eligibility/export/", views.eligibility_export, name="eligibility-export"),
]
