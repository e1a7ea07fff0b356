"""JSON shapes of the organisation, read-only. Writes come through the HR import for now.

Equality monitoring data has its own serializer and is never nested in a person: the API
serves it from `people/{id}/equality/` to HR equality viewers only.
"""

from rest_framework import serializers

from peopleplan.org.models import Assignment, EqualityRecord, Grade, JobRole, Person, Post, Unit

# --- the short forms nested in other objects -------------------------------------------------


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name"]


class GradeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grade
        fields = ["id", "code", "name"]


class JobRoleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRole
        fields = ["id", "code", "title"]


class PostBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "post_number"]


class PersonBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "employee_number", "full_name"]


# --- reference data and the structure --------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "unit_type",
            "parent",
            "path",
            "depth",
            "cost_centre",
            "is_active",
        ]
        read_only_fields = fields


class GradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grade
        fields = ["id", "code", "name", "rank"]
        read_only_fields = fields


class JobRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRole
        fields = [
            "id",
            "code",
            "title",
            "job_family",
            "registration_body",
            "dbs_level",
            "works_with_children",
            "works_with_adults",
            "manages_people",
        ]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    job_role = JobRoleBriefSerializer(read_only=True)
    grade = GradeBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "post_number",
            "unit",
            "job_role",
            "grade",
            "fte",
            "start_date",
            "end_date",
            "is_critical",
        ]
        read_only_fields = fields


# --- people ----------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    """One job from a date. The caller loads unit, post, job role, grade and line manager
    with the assignment (select_related)."""

    unit = UnitBriefSerializer(read_only=True)
    post = PostBriefSerializer(read_only=True, allow_null=True)
    job_role = JobRoleBriefSerializer(read_only=True)
    grade = GradeBriefSerializer(read_only=True, allow_null=True)
    line_manager = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "start_date",
            "end_date",
            "contract_type",
            "fte",
            "unit",
            "post",
            "job_role",
            "grade",
            "line_manager",
            "is_primary",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A person with the assignments current today. The caller prefetches them into
    `current_assignments` (see `org.api.PersonViewSet`)."""

    current_assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "service_start",
            "leaving_date",
            "leaving_reason",
            "current_assignments",
        ]
        read_only_fields = fields


class EqualityRecordSerializer(serializers.ModelSerializer):
    """Special-category data: served only where `gates.can_view_equality` allows."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    recorded = serializers.SerializerMethodField()

    class Meta:
        model = EqualityRecord
        fields = [
            "person",
            "recorded",
            "sex",
            "date_of_birth",
            "ethnicity",
            "disability",
            "religion",
            "sexual_orientation",
        ]
        read_only_fields = fields

    def get_recorded(self, record: EqualityRecord) -> bool:
        """False when the person has no equality record yet (every field is then empty)."""
        return record.pk is not None
