from django.urls import path

from campaigns import views

app_name = "campaigns"

BY = "campaigns/blocs/<int:bloc_id>/<int:year>/"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_create, name="create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("campaigns/<int:pk>/launch/", views.campaign_launch, name="launch"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="close"),
    path("campaigns/<int:pk>/phase/", views.campaign_phase, name="phase"),
    path("campaigns/<int:pk>/remind/", views.campaign_remind, name="remind"),
    path("campaigns/<int:pk>/phases/<int:phase_id>/extend/", views.phase_extend, name="extend"),
    path("campaigns/<int:pk>/register/", views.registration_edit, name="register"),
    path("campaigns/blocs/", views.all_blocs, name="all-blocs"),
    path("campaigns/my-blocs/", views.my_blocs, name="my-blocs"),
    path(BY, views.bloc_year, name="bloc-year"),
    path(BY + "pledge/start/", views.pledge_start, name="pledge-start"),
    path(BY + "pledge/<int:pledge_id>/edit/", views.pledge_edit, name="pledge-edit"),
    path(BY + "pledge/<int:pledge_id>/open/", views.pledge_open, name="pledge-open"),
    path(BY + "pledge/<int:pledge_id>/sign/", views.pledge_sign, name="pledge-sign"),
    path(BY + "pledge/<int:pledge_id>/revise/", views.pledge_revise, name="pledge-revise"),
    path(BY + "scores/<int:criterion_id>/<int:unit_id>/", views.score_cell, name="score"),
    path(BY + "ranking/compute/", views.ranking_compute, name="ranking-compute"),
    path(BY + "ranking/publish/", views.ranking_publish, name="ranking-publish"),
    path(BY + "meetings/new/", views.meeting_create, name="meeting-create"),
    path(BY + "meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path(BY + "meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path(BY + "meetings/<int:meeting_id>/photo/", views.meeting_photo, name="meeting-photo"),
    path(
        BY + "meetings/<int:meeting_id>/photos/<int:photo_id>/",
        views.meeting_photo_file,
        name="meeting-photo-file",
    ),
    path(BY + "meetings/<int:meeting_id>/vote/", views.meeting_vote, name="meeting-vote"),
    path(BY + "meetings/<int:meeting_id>/result/", views.meeting_result, name="meeting-result"),
]
