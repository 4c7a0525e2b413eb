"""Yearly reporting: the statistical forms' layouts (data, so a new circular is a new
record), the figures the emulation office enters itself (forms 0604/0605) and the filed
editions of the yearly summary."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import MAX_YEAR, MIN_YEAR, Unit


class ReportLayout(models.Model):
    """The layout of one statistical form under one circular, in force for a period.

    ``layout`` is JSON: ``{"title": [...lines], "columns": [{"key", "label"}...],
    "rows": [{"label", "cells": {column key: figure key or [keys to add up]}}...],
    "notes": [...]}``; figure keys are those of ``awards.reports.figures.flat``. The
    layout in force on 31 December of the reporting year is the one used."""

    code = models.CharField(_("form code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    circular = models.CharField(_("circular"), max_length=120)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    layout = models.JSONField(_("layout"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report layout")
        verbose_name_plural = _("report layouts")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="report_layout_code_period"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="report_layout_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.circular})"


class OfficeStatistics(models.Model):
    """What the registry does not hold for forms 0604 (emulation offices) and 0605
    (emulation staff): entered by the emulation office per year (the ministry's own
    figures; one row per year)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    offices = models.PositiveIntegerField(_("emulation offices (councils' standing bodies)"))
    dedicated_offices = models.PositiveIntegerField(_("of which dedicated units"), default=0)
    staff_full_time = models.PositiveIntegerField(_("full-time emulation staff"))
    staff_part_time = models.PositiveIntegerField(_("part-time emulation staff"), default=0)
    staff_women = models.PositiveIntegerField(_("of whom women"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("emulation office statistics")
        verbose_name_plural = _("emulation office statistics")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="office_statistics_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(dedicated_offices__lte=models.F("offices")),
                name="office_statistics_dedicated_within_offices",
            ),
            models.CheckConstraint(
                condition=Q(
                    staff_women__lte=models.F("staff_full_time") + models.F("staff_part_time")
                ),
                name="office_statistics_women_within_staff",
            ),
        ]

    def __str__(self):
        return f"{self.year}"


class SummaryEdition(models.Model):
    """A filed edition of a closed year's summary for a scope (the ministry, or a unit with
    its sub-units). Editions are numbered from 1 per (year, scope, format)."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "" for the ministry: a unique constraint over a nullable key would let duplicates in
    scope = models.CharField(_("scope"), max_length=40, blank=True)
    format = models.CharField(_("format"), max_length=8, default="xlsx")
    first_year = models.PositiveSmallIntegerField(_("compared from"))
    edition = models.PositiveIntegerField(_("edition"))
    file = models.FileField(_("file"), upload_to="reports/%Y/")
    checksum = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("summary edition")
        verbose_name_plural = _("summary editions")
        ordering = ["-year", "scope", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope", "format", "edition"], name="summary_edition_number"
            ),
            models.CheckConstraint(condition=Q(edition__gte=1), name="summary_edition_from_1"),
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("year")), name="summary_span_before_year"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.scope or 'BO'} #{self.edition}"
