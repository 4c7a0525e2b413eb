from django.urls import path

from awards.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/dashboard/", views.dashboard, name="dashboard"),
    path("reports/records/", views.records, name="records"),
    path("reports/units/<str:code>/years/", views.unit_years, name="unit-years"),
    path("reports/forms/<str:code>/<int:year>/", views.form_download, name="form"),
    path("reports/editions/<int:pk>/", views.edition_download, name="edition"),
]
