"""The organisation's JSON API, read-only and scoped by the access gates (audiences, which
are written here too, are in `audience_api`).

Writes come through the HR import for now. Every queryset here starts from a gate:

- units: `gates.units_for_user` (the subtrees of the user's role grants);
- posts: `gates.posts_for_user`;
- people: `gates.people_for_user` (themselves, their reports, the subtrees of their grants);
- grades and job roles are reference data, open to every signed-in user.

An object the user may not see is answered exactly like one that does not exist: 404 with the
same body. Equality monitoring data is never in a person; `people/{id}/equality/` serves it
under `gates.can_view_equality` and is a 404 otherwise.

The `?unit=<id>` filter narrows a list to that unit's subtree. The unit is looked up among the
units the user may see (`gates.units_for_user`): a unit outside that scope, or one that does not
exist, gives an empty list (never a 404 nor an error), so the filter reveals nothing. A user with
no role grant (a line manager, a member of staff) has no unit scope, so for them the filter
always gives an empty list.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org.audience_api import AudienceViewSet
from peopleplan.org.models import Assignment, EqualityRecord, Grade, JobRole, subtree_q
from peopleplan.org.serializers import (
    AssignmentSerializer,
    EqualityRecordSerializer,
    GradeSerializer,
    JobRoleSerializer,
    PersonSerializer,
    PostSerializer,
    UnitSerializer,
)

TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}

ASSIGNMENT_RELATED = ("unit", "post", "job_role", "grade", "line_manager")

NOT_FOUND = OpenApiResponse(
    description="No such person, or one you may not see: the two are answered alike."
)
UNIT_PARAMETER = OpenApiParameter(
    "unit",
    OpenApiTypes.INT,
    description=(
        "Only what lies in this unit's subtree (the unit and every unit under it). A unit "
        "outside your scope, or one that does not exist, gives an empty list."
    ),
)


# --- query parameters ------------------------------------------------------------------------


def _id_or_none(value: str) -> int | None:
    """An id from the URL, or None when it is not a whole number. (Django answers an id
    beyond the database's range with no rows, so any whole number is safe to look up.)"""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bool_param(request: Request, name: str) -> bool | None:
    value = request.query_params.get(name, "").strip().lower()
    if not value:
        return None
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValidationError({name: "Give true or false."})


def _unit_paths(request: Request) -> list[str] | None:
    """The subtree `?unit=` asks for, as a list of paths for `subtree_q`: None when not asked,
    an empty list (matching nothing) when the unit is outside the user's scope or unknown."""
    value = request.query_params.get("unit", "").strip()
    if not value:
        return None
    unit_id = _id_or_none(value)
    if unit_id is None:
        raise ValidationError({"unit": "Give a unit id, a whole number."})
    path = gates.units_for_user(request.user).filter(pk=unit_id).values_list("path", flat=True)
    return list(path)


# --- the viewsets ----------------------------------------------------------------------------


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose `get_queryset` is scoped by a gate. The list filters apply
    to the list only; a detail URL answers 404 for anything outside `get_queryset`."""

    def filter_list(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "list":
            return self.filter_list(queryset)
        return queryset

    def get_object(self):
        pk = _id_or_none(self.kwargs["pk"])
        obj = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj


@extend_schema_view(
    list=extend_schema(
        summary="Units you may see",
        description="The subtrees of your role grants, in tree order.",
        parameters=[UNIT_PARAMETER],
    ),
    retrieve=extend_schema(summary="A unit"),
)
class UnitViewSet(ScopedViewSet):
    """The units of the organisation that the user may see."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return gates.units_for_user(self.request.user)

    def filter_list(self, queryset):
        paths = _unit_paths(self.request)
        if paths is not None:
            queryset = queryset.filter(subtree_q("path", paths))
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Grades", description="Reference data, in order of rank."),
    retrieve=extend_schema(summary="A grade"),
)
class GradeViewSet(ScopedViewSet):
    """Grades (pay bands), reference data."""

    serializer_class = GradeSerializer

    def get_queryset(self):
        return Grade.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="Job roles",
        description="Reference data.",
        parameters=[
            OpenApiParameter(
                "job_family", OpenApiTypes.STR, description="Only this job family (any case)."
            )
        ],
    ),
    retrieve=extend_schema(summary="A job role"),
)
class JobRoleViewSet(ScopedViewSet):
    """Job roles, reference data."""

    serializer_class = JobRoleSerializer

    def get_queryset(self):
        return JobRole.objects.all()

    def filter_list(self, queryset):
        family = self.request.query_params.get("job_family", "").strip()
        if family:
            queryset = queryset.filter(job_family__iexact=family)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Posts you may see",
        description="The establishment in the subtrees of your role grants.",
        parameters=[UNIT_PARAMETER],
    ),
    retrieve=extend_schema(summary="A post"),
)
class PostViewSet(ScopedViewSet):
    """The posts of the establishment that the user may see."""

    serializer_class = PostSerializer

    def get_queryset(self):
        return gates.posts_for_user(self.request.user).select_related("unit", "job_role", "grade")

    def filter_list(self, queryset):
        paths = _unit_paths(self.request)
        if paths is not None:
            queryset = queryset.filter(subtree_q("unit__path", paths))
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="People you may see",
        description=(
            "Yourself, the people who report to you (directly or through others) and the people "
            "placed in the subtrees of your role grants, each with the assignments current today."
        ),
        parameters=[
            UNIT_PARAMETER,
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Search: every word must be in the first name, last name or "
                "employee number.",
            ),
            OpenApiParameter(
                "active",
                OpenApiTypes.BOOL,
                description="true: only people in post today; false: only people not in post.",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="A person, with the assignments current today",
        responses={200: PersonSerializer, 404: NOT_FOUND},
    ),
)
class PersonViewSet(ScopedViewSet):
    """The people the user may see; a person outside their scope is a 404."""

    serializer_class = PersonSerializer

    def get_queryset(self):
        people = gates.people_for_user(self.request.user)
        if self.action in ("list", "retrieve"):
            current = (
                Assignment.objects.current_on(today())
                .select_related(*ASSIGNMENT_RELATED)
                .order_by("-is_primary", "start_date", "id")
            )
            people = people.prefetch_related(
                Prefetch("assignments", queryset=current, to_attr="current_assignments")
            )
        return people

    def filter_list(self, queryset):
        on = today()
        for word in self.request.query_params.get("q", "").split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(employee_number__icontains=word)
            )
        paths = _unit_paths(self.request)
        if paths is not None:
            placed = Assignment.objects.current_on(on).filter(
                subtree_q("unit__path", paths), person=OuterRef("pk")
            )
            queryset = queryset.filter(Exists(placed))
        active = _bool_param(self.request, "active")
        if active is not None:
            in_post = Q(Exists(Assignment.objects.current_on(on).filter(person=OuterRef("pk")))) & (
                Q(leaving_date__isnull=True) | Q(leaving_date__gte=on)
            )
            queryset = queryset.filter(in_post) if active else queryset.exclude(in_post)
        return queryset

    @extend_schema(
        summary="A person's assignment history",
        description="Every assignment, past, current and future, newest first.",
        responses={200: AssignmentSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="assignments")
    def assignments(self, request, pk=None):
        person = self.get_object()
        history = (
            Assignment.objects.filter(person=person)
            .select_related(*ASSIGNMENT_RELATED)
            .order_by("-start_date", "-id")
        )
        page = self.paginate_queryset(history)
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        summary="A person's equality monitoring data",
        description=(
            "Only for an HR equality viewer whose grant covers the person; anyone else gets the "
            "same 404 as for a person who does not exist. `recorded` is false when the person "
            "has given no data."
        ),
        responses={200: EqualityRecordSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="equality")
    def equality(self, request, pk=None):
        person = self.get_object()
        if not gates.can_view_equality(request.user, person):
            raise NotFound
        record = EqualityRecord.objects.filter(person=person).first()
        response = Response(EqualityRecordSerializer(record or EqualityRecord(person=person)).data)
        response["Cache-Control"] = "no-store"
        return response


router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("grades", GradeViewSet, basename="grade")
router.register("job-roles", JobRoleViewSet, basename="job-role")
router.register("posts", PostViewSet, basename="post")
router.register("people", PersonViewSet, basename="person")
router.register("audiences", AudienceViewSet, basename="audience")

urlpatterns = router.urls
