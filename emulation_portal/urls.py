"""The composition root: the only module that names every app's URLs and API."""

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from emulation_portal import views
from emulation_portal.api import ApiDocsView, JobViewSet

router = DefaultRouter()
router.register("jobs", JobViewSet, basename="api-job")
DOMAIN_MODULES = ("units", "campaigns", "awards", "awards.nominations")


def _optional(module_name: str):
    """Import ``module_name`` if it exists; a missing dependency inside it still raises."""
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise


for app_label in DOMAIN_MODULES:
    api_module = _optional(f"{app_label}.api")
    if api_module:
        api_module.register(router)

# The council's API is registered by awards.api (its hook); only its pages are mounted here.
PAGE_MODULES = (*DOMAIN_MODULES, "awards.council")

app_pages = []
for app_label in PAGE_MODULES:
    if _optional(f"{app_label}.urls"):
        app_pages.append(path("", include(f"{app_label}.urls")))
# The decisions' pages (their API is registered by awards.api's hook).
app_pages.append(path("", include("awards.decisions.urls")))
# A nomination's papers, the bulk ZIPs and the public honour roll.
app_pages.append(path("", include("awards.dossiers.urls")))

admin.site.site_header = "Cổng Thi đua - Khen thưởng"
admin.site.site_title = "Thi đua - Khen thưởng"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links: answer it, not a 404 per page.
    path("favicon.ico", views.favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/api-token/", views.api_token, name="api-token"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jobs/", views.my_jobs, name="my-jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/export/", views.audit_export, name="audit-export"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    *app_pages,
]

# Vietnamese pages for the site, JSON under /api/ (used whenever DEBUG is off).
handler400 = "emulation_portal.errors.bad_request"
handler403 = "emulation_portal.errors.permission_denied"
handler404 = "emulation_portal.errors.not_found"
handler500 = "emulation_portal.errors.server_error"
