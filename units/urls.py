from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("units/", views.unit_tree, name="unit-tree"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<str:code>/rating/", views.unit_rating, name="unit-rating"),
    path("units/<str:code>/rate/<int:year>/", views.rating_grid, name="rating-grid"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<str:code>/", views.person_detail, name="person-detail"),
    path("people/<str:code>/edit/", views.person_edit, name="person-edit"),
    path("people/<str:code>/initiatives/new/", views.initiative_create, name="initiative-create"),
    path(
        "people/<str:code>/initiatives/<int:pk>/delete/",
        views.initiative_delete,
        name="initiative-delete",
    ),
    path("people/<str:code>/disciplines/new/", views.discipline_form, name="discipline-create"),
    path("people/<str:code>/disciplines/<int:pk>/", views.discipline_form, name="discipline-edit"),
    path(
        "people/<str:code>/disciplines/<int:pk>/delete/",
        views.discipline_delete,
        name="discipline-delete",
    ),
    path("blocs/", views.bloc_list, name="bloc-list"),
    path("blocs/<str:code>/", views.bloc_detail, name="bloc-detail"),
    path("blocs/<str:code>/members/add/", views.bloc_member_add, name="bloc-member-add"),
    path("blocs/<str:code>/members/role/", views.bloc_member_role, name="bloc-member-role"),
    path("blocs/<str:code>/members/remove/", views.bloc_member_remove, name="bloc-member-remove"),
    path("blocs/<str:code>/carry-forward/", views.bloc_carry_forward, name="bloc-carry-forward"),
    path("exchange/import/", views.import_upload, name="import"),
    path("exchange/import/confirm/", views.import_confirm, name="import-confirm"),
    path("exchange/import/preview/<int:job_id>/", views.import_preview, name="import-preview"),
    path("exchange/export/", views.export_download, name="export"),
]
