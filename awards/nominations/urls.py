from django.urls import path

from awards.nominations import views

app_name = "nominations"

urlpatterns = [
    path("nominations/", views.queue, name="queue"),
    path("nominations/new/", views.create, name="create"),
    path("nominations/<int:pk>/", views.detail, name="detail"),
    path("nominations/<int:pk>/edit/", views.edit, name="edit"),
    path("nominations/<int:pk>/move/", views.move, name="move"),
    path("nominations/<int:pk>/comment/", views.comment, name="comment"),
    path("nominations/<int:pk>/upload/", views.upload, name="upload"),
    path("nominations/<int:pk>/check/", views.check, name="check"),
    path("nominations/<int:pk>/override/", views.override, name="override"),
    path("nominations/<int:pk>/object/", views.object_to, name="object"),
    path("nominations/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("nominations/objections/<int:pk>/answer/", views.answer, name="answer"),
    path("nominations/files/<int:pk>/", views.download, name="download"),
    path("nominations/files/<int:pk>/delete/", views.delete_attachment, name="delete-file"),
    path("nominations/letters/new/", views.batch_create, name="batch-create"),
    path("nominations/letters/<int:pk>/", views.batch_detail, name="batch"),
    path("nominations/disclosures/", views.disclosure_list, name="disclosure-list"),
    path("nominations/disclosures/<int:pk>/", views.disclosure_detail, name="disclosure"),
    path("nominations/from-proposals/", views.from_proposals, name="from-proposals"),
]
