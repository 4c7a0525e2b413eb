"""Names of audit actions for people: ``nomination.start_review`` is stored (a stable code
the chain hashes); pages show "Hồ sơ đề nghị: bắt đầu thẩm định"."""

from django.utils.translation import gettext_lazy, pgettext_lazy

# Context "audit": short words ("created", "Unit") mean other things in other catalogues.

# What the event is about, by the action's first part.
SUBJECTS = {
    "audit": pgettext_lazy("audit", "Audit log"),
    "award_record": pgettext_lazy("audit", "Award record"),
    "award_type": pgettext_lazy("audit", "Award type"),
    "base_salary": pgettext_lazy("audit", "Base salary"),
    "batch": pgettext_lazy("audit", "Submission batch"),
    "bloc": pgettext_lazy("audit", "Bloc"),
    "campaign": pgettext_lazy("audit", "Campaign"),
    "council": pgettext_lazy("audit", "Council"),
    "council_session": pgettext_lazy("audit", "Council session"),
    "decision": pgettext_lazy("audit", "Decision"),
    "disclosure": pgettext_lazy("audit", "Disclosure"),
    "eligibility": pgettext_lazy("audit", "Eligibility"),
    "external_decision": pgettext_lazy("audit", "External decision"),
    "initiative": pgettext_lazy("audit", "Initiative"),
    "meeting": pgettext_lazy("audit", "Bloc meeting"),
    "nomination": pgettext_lazy("audit", "Nomination"),
    "objection": pgettext_lazy("audit", "Objection"),
    "person": pgettext_lazy("audit", "Person"),
    "pledge": pgettext_lazy("audit", "Pledge"),
    "ranking": pgettext_lazy("audit", "Ranking"),
    "registration": pgettext_lazy("audit", "Registration"),
    "rule": pgettext_lazy("audit", "Rule"),
    "rule_set": pgettext_lazy("audit", "Rule set"),
    "score": pgettext_lazy("audit", "Score"),
    "submission": pgettext_lazy("audit", "Submission"),
    "unit": pgettext_lazy("audit", "Unit"),
    "units": pgettext_lazy("audit", "Registry"),
    "user": pgettext_lazy("audit", "Account"),
}

# What was done, by the action's last part.
VERBS = {
    "accept": pgettext_lazy("audit", "accepted for the council"),
    "acclamation_vote": pgettext_lazy("audit", "acclamation vote"),
    "add": pgettext_lazy("audit", "added"),
    "add_photo": pgettext_lazy("audit", "photo added"),
    "adjust": pgettext_lazy("audit", "adjusted"),
    "agenda": pgettext_lazy("audit", "agenda set"),
    "answer": pgettext_lazy("audit", "answered"),
    "approve": pgettext_lazy("audit", "approved"),
    "attach": pgettext_lazy("audit", "attached"),
    "attendance": pgettext_lazy("audit", "attendance recorded"),
    "build": pgettext_lazy("audit", "built"),
    "bulk_generate": pgettext_lazy("audit", "generated in bulk"),
    "carry_forward": pgettext_lazy("audit", "carried into the next year"),
    "cast": pgettext_lazy("audit", "ballot cast"),
    "casting": pgettext_lazy("audit", "casting vote"),
    "check": pgettext_lazy("audit", "checked"),
    "close": pgettext_lazy("audit", "closed"),
    "comment": pgettext_lazy("audit", "comment added"),
    "compute": pgettext_lazy("audit", "computed"),
    "create": pgettext_lazy("audit", "created"),
    "decide": pgettext_lazy("audit", "decided"),
    "delete": pgettext_lazy("audit", "deleted"),
    "demo_position_levels": pgettext_lazy("audit", "demo position levels"),
    "detach": pgettext_lazy("audit", "detached"),
    "discard": pgettext_lazy("audit", "discarded"),
    "discipline_add": pgettext_lazy("audit", "discipline recorded"),
    "discipline_delete": pgettext_lazy("audit", "discipline deleted"),
    "discipline_update": pgettext_lazy("audit", "discipline changed"),
    "edit": pgettext_lazy("audit", "edited"),
    "election_vote": pgettext_lazy("audit", "election vote"),
    "extend_phase": pgettext_lazy("audit", "deadline extended"),
    "from_proposals": pgettext_lazy("audit", "created from proposals"),
    "generate": pgettext_lazy("audit", "generated"),
    "head_recreated": pgettext_lazy("audit", "chain head re-created"),
    "import": pgettext_lazy("audit", "imported"),
    "initiative_add": pgettext_lazy("audit", "initiative added"),
    "initiative_delete": pgettext_lazy("audit", "initiative deleted"),
    "initiative_update": pgettext_lazy("audit", "initiative changed"),
    "launch": pgettext_lazy("audit", "launched"),
    "lock": pgettext_lazy("audit", "locked"),
    "member_add": pgettext_lazy("audit", "member added"),
    "member_remove": pgettext_lazy("audit", "member removed"),
    "member_role": pgettext_lazy("audit", "member's role changed"),
    "officer_assign": pgettext_lazy("audit", "officer assigned"),
    "officer_remove": pgettext_lazy("audit", "officer removed"),
    "open_signing": pgettext_lazy("audit", "opened for signing"),
    "override": pgettext_lazy("audit", "overridden"),
    "pass_request": pgettext_lazy("audit", "eligibility pass requested"),
    "places": pgettext_lazy("audit", "places set"),
    "publish": pgettext_lazy("audit", "published"),
    "raise": pgettext_lazy("audit", "raised"),
    "rate": pgettext_lazy("audit", "rated"),
    "record": pgettext_lazy("audit", "recorded"),
    "record_result": pgettext_lazy("audit", "result recorded"),
    "recuse": pgettext_lazy("audit", "recusal"),
    "reject": pgettext_lazy("audit", "rejected"),
    "remind": pgettext_lazy("audit", "reminder sent"),
    "return": pgettext_lazy("audit", "returned"),
    "revise": pgettext_lazy("audit", "new version"),
    "rotate_api_token": pgettext_lazy("audit", "API token renewed"),
    "save": pgettext_lazy("audit", "saved"),
    "schedule": pgettext_lazy("audit", "put on a council agenda"),
    "send": pgettext_lazy("audit", "sent"),
    "set_criteria": pgettext_lazy("audit", "criteria set"),
    "set_phase": pgettext_lazy("audit", "phase set"),
    "set_role": pgettext_lazy("audit", "role changed"),
    "sign": pgettext_lazy("audit", "signed"),
    "start": pgettext_lazy("audit", "started"),
    "start_review": pgettext_lazy("audit", "review started"),
    "submit": pgettext_lazy("audit", "submitted"),
    "substitute": pgettext_lazy("audit", "substitute named"),
    "undecide": pgettext_lazy("audit", "decision undone"),
    "update": pgettext_lazy("audit", "changed"),
    "use": pgettext_lazy("audit", "used"),
    "withdraw": pgettext_lazy("audit", "withdrawn"),
    "written": pgettext_lazy("audit", "written opinion"),
}


def action_label(action: str) -> str:
    """ "Subject: what was done" in the active language, from the action code's first and
    last parts; a part without a name shows as its code, so nothing is ever hidden."""
    parts = (action or "").split(".")
    subject = SUBJECTS.get(parts[0], parts[0])
    verb = VERBS.get(parts[-1], parts[-1].replace("_", " ")) if len(parts) > 1 else ""
    if not verb:
        return str(subject)
    return gettext_lazy("%(subject)s: %(verb)s") % {"subject": subject, "verb": verb}
