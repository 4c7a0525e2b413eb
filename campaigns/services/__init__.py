"""Every write in campaigns: one function per workflow step.

One module per workflow: ``campaigns`` (create, edit, launch and close a campaign, its
phases and deadline extensions), ``registrations`` (a unit's registration, reminders),
``pledges`` (the bloc's pledge, its criteria, signing, revision), ``scoring`` (self-scores
and the office's adjustments), ``ranking`` (the bloc's ranking and its tie-break),
``meetings`` (bloc meetings and their photos), ``votes`` (acclamation and election votes,
the year-end result); ``common`` holds what they share (the business date, the permission
check, state moves). Callers import from this package.

Each function takes the acting user first, runs in one transaction, locks the row it moves
(``select_for_update``) or updates conditionally, records an audit event, and starts any
after-commit work with ``jobs.enqueue``. Refusals raise ``ValidationError`` (bad input or a
state that does not allow the step) or ``PermissionDenied`` (not the actor's business), with
messages for the user. Permission checks live here too, so pages, API and admin agree.
"""

from campaigns.services.campaigns import (
    CAMPAIGN_FIELDS,
    CAMPAIGN_MOVES,
    close_campaign,
    create_campaign,
    extend_phase,
    launch_campaign,
    set_phase,
    update_campaign,
)
from campaigns.services.common import as_of
from campaigns.services.meetings import (
    MAX_PHOTO_BYTES,
    PHOTO_FORMATS,
    add_photo,
    create_meeting,
    update_meeting,
    validate_image,
)
from campaigns.services.pledges import (
    PLEDGE_MOVES,
    open_signing,
    revise_pledge,
    set_criteria,
    sign_pledge,
    start_pledge,
    update_pledge,
)
from campaigns.services.ranking import TIE_BREAK, compute_ranking, publish_ranking, rank_rows
from campaigns.services.registrations import (
    PersonTarget,
    registration_closed_reason,
    remind_unregistered,
    save_registration,
)
from campaigns.services.scoring import adjust_score, save_self_score
from campaigns.services.votes import (
    MeetingResult,
    cast_acclamation_vote,
    cast_election_vote,
    record_meeting_result,
    tally,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "CAMPAIGN_MOVES",
    "MAX_PHOTO_BYTES",
    "PHOTO_FORMATS",
    "PLEDGE_MOVES",
    "TIE_BREAK",
    "MeetingResult",
    "PersonTarget",
    "add_photo",
    "adjust_score",
    "as_of",
    "cast_acclamation_vote",
    "cast_election_vote",
    "close_campaign",
    "compute_ranking",
    "create_campaign",
    "create_meeting",
    "extend_phase",
    "launch_campaign",
    "open_signing",
    "publish_ranking",
    "rank_rows",
    "record_meeting_result",
    "registration_closed_reason",
    "remind_unregistered",
    "revise_pledge",
    "save_registration",
    "save_self_score",
    "set_criteria",
    "set_phase",
    "sign_pledge",
    "start_pledge",
    "tally",
    "update_campaign",
    "update_meeting",
    "update_pledge",
    "validate_image",
]
