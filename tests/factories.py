"""factory_boy factories. Units go through `unit_create` so their tree paths are right."""

import datetime as dt
from decimal import Decimal

import factory
from faker import Faker

from peopleplan.access.models import RoleGrant, User
from peopleplan.org import services as org_services
from peopleplan.org.models import Assignment, Grade, JobRole, Person, Post, Unit

_FAKE = Faker("en_GB")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    unit_type = "team"
    parent = None
    cost_centre = factory.Sequence(lambda n: f"CC{n:04d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_services.unit_create(**kwargs)


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.LazyAttribute(lambda o: f"Grade {o.code}")
    rank = factory.Sequence(lambda n: n)


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole

    code = factory.Sequence(lambda n: f"JR{n:04d}")
    title = factory.Sequence(lambda n: f"Officer {n}")
    job_family = "Business support"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    post_number = factory.Sequence(lambda n: f"P{n:05d}")
    unit = factory.SubFactory(UnitFactory)
    job_role = factory.SubFactory(JobRoleFactory)
    grade = factory.SubFactory(GradeFactory)
    fte = Decimal("1.00")
    start_date = dt.date(2020, 4, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    # Without apostrophes (O'Connor), so that tests find a name in a page as it is written; a
    # page escapes an apostrophe, and the tests that check for a name do not.
    last_name = factory.LazyFunction(lambda: _FAKE.last_name().replace("'", ""))
    email = factory.LazyAttribute(
        lambda o: f"{o.first_name}.{o.last_name}.{o.employee_number}@council.example".lower()
    )
    service_start = dt.date(2020, 4, 1)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    person = factory.SubFactory(PersonFactory)
    start_date = dt.date(2020, 4, 1)
    contract_type = Assignment.ContractType.PERMANENT
    fte = Decimal("1.00")
    unit = factory.SubFactory(UnitFactory)
    job_role = factory.SubFactory(JobRoleFactory)
    grade = factory.SubFactory(GradeFactory)
    is_primary = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@council.example")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = RoleGrant.Role.HR_OFFICER
    unit = None


class LearningItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learning.LearningItem"

    code = factory.Sequence(lambda n: f"LI{n:05d}")
    title = factory.Sequence(lambda n: f"Course {n}")
    kind = "classroom"
    duration_hours = Decimal("6.5")
    development_days = Decimal("1")


class SessionFactory(factory.django.DjangoModelFactory):
    """An open session that starts in 30 days, one day long."""

    class Meta:
        model = "learning.Session"
        skip_postgeneration_save = True

    item = factory.SubFactory(LearningItemFactory)
    capacity = 20
    status = "open"

    @factory.post_generation
    def starts_at(obj, create, extracted, **kwargs):
        if not create:
            return
        from django.utils import timezone

        from peopleplan.learning.models import SessionPart

        start = extracted or timezone.now() + dt.timedelta(days=30)
        SessionPart.objects.create(
            session=obj, starts_at=start, ends_at=start + dt.timedelta(hours=7)
        )
