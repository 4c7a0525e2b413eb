"""Pages for each role. Views check the page permission, call one service, and turn its
ValidationError into form errors (input kept) or a message; no business rule lives here.

One module per workflow: ``campaigns`` (the list, a campaign's page and its steps, phases),
``registrations``, ``blocs`` (the blocs' pages, a bloc-year, the unit page's panel),
``pledges``, ``scoring`` (score cells, the ranking), ``meetings`` (meetings, photos, votes,
the result); ``common`` holds the permission check, messages and the bloc-year loader.
``urls`` and the app's panels import from this package."""

from campaigns.views.blocs import all_blocs, bloc_results_panel, bloc_year, my_blocs
from campaigns.views.campaigns import (
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_launch,
    campaign_list,
    campaign_phase,
    campaign_remind,
    phase_extend,
)
from campaigns.views.common import bloc_action
from campaigns.views.meetings import (
    meeting_create,
    meeting_detail,
    meeting_minutes,
    meeting_photo,
    meeting_photo_file,
    meeting_result,
    meeting_vote,
)
from campaigns.views.pledges import (
    pledge_edit,
    pledge_open,
    pledge_revise,
    pledge_sign,
    pledge_start,
)
from campaigns.views.registrations import registration_edit
from campaigns.views.scoring import ranking_compute, ranking_publish, score_cell

__all__ = [
    "all_blocs",
    "bloc_action",
    "bloc_results_panel",
    "bloc_year",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_launch",
    "campaign_list",
    "campaign_phase",
    "campaign_remind",
    "meeting_create",
    "meeting_detail",
    "meeting_minutes",
    "meeting_photo",
    "meeting_photo_file",
    "meeting_result",
    "meeting_vote",
    "my_blocs",
    "phase_extend",
    "pledge_edit",
    "pledge_open",
    "pledge_revise",
    "pledge_sign",
    "pledge_start",
    "ranking_compute",
    "ranking_publish",
    "registration_edit",
    "score_cell",
]
