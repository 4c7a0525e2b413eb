"""Who proposed each nomination, so that none of them reviews or decides it.

Existing nominations get their proposers from what is on record: the creator, the uploaders
of its files and of its letter's files, the letter's author, and the actors of the audit
events that create, edit, attach to or submit it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PROPOSING_ACTIONS = (
    "nomination.create",
    "nomination.edit",
    "nomination.attach",
    "nomination.detach",
    "nomination.submit",
)


def backfill(apps, schema_editor):
    Nomination = apps.get_model("awards", "Nomination")
    Attachment = apps.get_model("awards", "Attachment")
    Proposer = apps.get_model("awards", "NominationProposer")
    AuditEvent = apps.get_model("emulation_portal", "AuditEvent")
    pairs = set()
    for pk, creator, batch_creator in Nomination.objects.values_list(
        "pk", "created_by_id", "batch__created_by_id"
    ).iterator():
        pairs.update((pk, u) for u in (creator, batch_creator) if u)
    pairs.update(
        Attachment.objects.filter(nomination__isnull=False, uploaded_by__isnull=False)
        .values_list("nomination_id", "uploaded_by_id")
        .distinct()
    )
    pairs.update(
        Nomination.objects.filter(batch__attachments__uploaded_by__isnull=False)
        .values_list("pk", "batch__attachments__uploaded_by_id")
        .distinct()
    )
    existing = set(Nomination.objects.values_list("pk", flat=True))
    for object_id, actor in (
        AuditEvent.objects.filter(
            object_type="awards.nomination", action__in=PROPOSING_ACTIONS, actor__isnull=False
        )
        .values_list("object_id", "actor_id")
        .distinct()
        .iterator()
    ):
        if object_id.isdigit() and int(object_id) in existing:
            pairs.add((int(object_id), actor))
    Proposer.objects.bulk_create(
        [Proposer(nomination_id=n, user_id=u) for n, u in sorted(pairs)],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_rule_sets_by_decree_period"),
        ("emulation_portal", "0002_audit_head"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NominationProposer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("since", models.DateTimeField(auto_now_add=True, verbose_name="since")),
                (
                    "nomination",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="proposers",
                        to="awards.nomination",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "proposer",
                "verbose_name_plural": "proposers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("nomination", "user"), name="nomination_proposer_once"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
