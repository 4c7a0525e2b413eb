"""The decisions demo on top of the whole demo: a signed and published decision from the
council's published session, its records, and a draft."""

import io

import pytest
from django.core.management import call_command

from awards.models import AwardRecord, Decision

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_decisions():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    published = Decision.objects.get(state="published")
    assert published.reference == "01/QĐ-BNNMT" and published.items.exists()
    assert AwardRecord.objects.filter(decision=published).count() == published.items.count()
    assert Decision.objects.filter(state="draft").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Decision.objects.count() == 2
