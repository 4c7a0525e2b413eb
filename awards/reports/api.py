"""REST endpoints of yearly reporting: ``figures/`` (exactly the JSON of ``manage.py
yearly_figures``) and ``report-forms/`` (the statistical forms in force for a year, and
one form's cells). The office and administrators read the ministry and any unit; a unit
officer reads the units of their scope (``?unit=`` required; another unit is a 404)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from awards.reports import figures, statforms
from emulation_portal.params import query_year
from emulation_portal.permissions import RulesPermission
from units.models import Unit


class LevelsSerializer(serializers.Serializer):
    LANH_DAO_BO = serializers.IntegerField()
    LANH_DAO_VU = serializers.IntegerField()
    QUAN_LY = serializers.IntegerField()
    DOANH_NHAN = serializers.IntegerField()
    TRUC_TIEP = serializers.IntegerField()


class PeopleFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    women = serializers.IntegerField()
    by_position_level = LevelsSerializer()


class AwardCountSerializer(serializers.Serializer):
    award_code = serializers.CharField()
    subject_type = serializers.ChoiceField(choices=["person", "unit"])
    kind = serializers.CharField()
    count = serializers.IntegerField()


class UnitFiguresSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    staff = serializers.IntegerField()
    awards = serializers.DictField(child=serializers.IntegerField())


class YearFiguresSerializer(serializers.Serializer):
    """``codes.md`` "Yearly figures": the object ``manage.py yearly_figures`` prints."""

    year = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True)
    awards = AwardCountSerializer(many=True)
    individual_awards = PeopleFiguresSerializer()
    staff = PeopleFiguresSerializer()
    units = UnitFiguresSerializer(many=True)


class LayoutSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    circular = serializers.CharField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class CellSerializer(serializers.Serializer):
    row_code = serializers.CharField()
    row_label = serializers.CharField()
    column = serializers.CharField()
    column_label = serializers.CharField()
    ref = serializers.CharField(help_text="The cell in the form's XLSX, e.g. C7")
    keys = serializers.ListField(child=serializers.CharField())
    value = serializers.IntegerField(
        allow_null=True, help_text="null: figures the office has not entered (forms 0604/0605)"
    )


class FormCellsSerializer(serializers.Serializer):
    form = LayoutSerializer()
    year = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True)
    cells = CellSerializer(many=True)


YEAR = OpenApiParameter("year", OpenApiTypes.INT, required=True)
UNIT = OpenApiParameter(
    "unit", OpenApiTypes.STR, description="a unit code: that unit and its sub-units"
)


def _scope(request) -> tuple[int, Unit | None]:
    """The year and unit asked for, checked against the caller's scope."""
    year = query_year(request.query_params, required=True)
    code = request.query_params.get("unit", "").strip()
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        raise NotFound(_("There is no unit with the code %(code)s.") % {"code": code[:40]})
    if not request.user.has_perm("reports.view_figures", unit):
        if unit is None:
            raise PermissionDenied(_("Give one of your units, e.g. ?unit=CODE."))
        raise NotFound(_("There is no unit with the code %(code)s.") % {"code": code[:40]})
    try:
        figures.check_year(year)
    except ValidationError as exc:
        raise DRFValidationError({"year": exc.messages}) from exc
    return year, unit


class FiguresViewSet(viewsets.ViewSet):
    """The figures of a year (``?year=Y[&unit=CODE]``), the one source of the summary, the
    statistical forms and the dashboard."""

    permission_classes = [RulesPermission]
    rules = {"list": "reports.browse"}

    @extend_schema(parameters=[YEAR, UNIT], responses=YearFiguresSerializer)
    def list(self, request):
        year, unit = _scope(request)
        data = figures.compute(year, unit).as_json()
        return Response(YearFiguresSerializer(data).data)


class ReportFormViewSet(viewsets.ViewSet):
    """The statistical forms in force for ``?year=`` and, by code, one form's cells."""

    permission_classes = [RulesPermission]
    rules = {"list": "reports.browse", "retrieve": "reports.browse"}
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z_.-]{1,20}"

    @extend_schema(parameters=[YEAR], responses=LayoutSerializer(many=True))
    def list(self, request):
        year = query_year(request.query_params, required=True)
        return Response(
            LayoutSerializer(statforms.layouts_in_force(max(year, 1945)), many=True).data
        )

    @extend_schema(parameters=[YEAR, UNIT], responses=FormCellsSerializer)
    def retrieve(self, request, code=None):
        year, unit = _scope(request)
        try:
            data = statforms.form_cells(code, year, unit)
        except ValidationError as exc:
            raise NotFound(" ".join(exc.messages)) from exc
        payload = {
            "form": data["layout"],
            "year": year,
            "unit": unit.code if unit else None,
            "cells": data["cells"],
        }
        return Response(FormCellsSerializer(payload).data)


def register(router) -> None:
    router.register("figures", FiguresViewSet, basename="figures")
    router.register("report-forms", ReportFormViewSet, basename="report-form")
