"""Demo decisions (seeder ``decisions``, order 50), written through the services.

Two issuers: the ministry (``QĐ-BNNMT``, the minister confers) and the ministry's office
(``QĐ-VPB``, its head confers LDTT, CSTD_CS, TTLDTT, GK). From the council's published
session (Cờ thi đua của Bộ 2024): a decision signed on 10 Feb 2025 and published, with all
but the last approved unit on its list, and a draft holding the last one. ``thidua2``
(who proposed none of them) signs: the separation of duties.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from awards.decisions import services
from awards.models import AwardType, Decision, DecisionIssuer, Nomination, NominationState
from units.models import Unit


def _issuers() -> DecisionIssuer | None:
    ministry = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if ministry is None:
        return None
    issuer, _ = DecisionIssuer.objects.get_or_create(
        unit=ministry,
        defaults={
            "is_ministry": True,
            "name": ministry.name.upper(),
            "symbol": "QĐ-BNNMT",
            "submission_symbol": "TTr-BNNMT",
            "head_title": "BỘ TRƯỞNG",
        },
    )
    office_unit = Unit.objects.filter(code="VP_BO").first()
    if office_unit is not None:
        DecisionIssuer.objects.get_or_create(
            unit=office_unit,
            defaults={
                "name": office_unit.name.upper(),
                "parent_name": ministry.name.upper(),
                "symbol": "QĐ-VPB",
                "head_title": "CHÁNH VĂN PHÒNG",
            },
        )
    return issuer


def seed(ctx) -> None:
    if Decision.objects.exists():
        ctx.log("  decisions: already seeded")
        return
    issuer = _issuers()
    signer = get_user_model().objects.filter(username="thidua2").first()
    if issuer is None or signer is None:
        ctx.log("  decisions: needs the units, nominations and council seeders; skipped")
        return
    flag = AwardType.objects.get(code="CO_BO")
    approved = list(
        Nomination.objects.filter(
            award_type=flag, year=2024, state=NominationState.APPROVED
        ).order_by("id")
    )
    if not approved:
        ctx.log("  decisions: no approved nomination from the council's session; skipped")
        return
    texts = {"signer_name": "Lê Minh Quân"}
    try:
        signed = services.create_draft(
            signer,
            issuer=issuer,
            award_type=flag,
            year=2024,
            nomination_ids=[n.pk for n in approved[:-1] or approved],
            **texts,
        )
        signed = services.sign(
            signer,
            signed,
            date=dt.date(2025, 2, 10),
            signature_reference="VGCA-DEMO-2025-0001",
        )
        services.publish(signer, signed)
        if len(approved) > 1:
            services.create_draft(
                signer,
                issuer=issuer,
                award_type=flag,
                year=2024,
                nomination_ids=[approved[-1].pk],
                **texts,
            )
    except (ValidationError, PermissionDenied) as exc:
        ctx.log(f"  decisions: refused ({exc}); skipped")
        return
    ctx.log(
        f"  decisions: {signed.reference} signed and published, {Decision.objects.count()} in all"
    )
