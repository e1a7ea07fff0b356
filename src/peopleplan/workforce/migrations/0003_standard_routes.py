"""The recruitment routes most councils use, so cohorts can be imported from the start; a
council adds its own (or renames these) in the admin."""

from django.db import migrations

ROUTES = (
    ("graduate-academy", "Graduate academy", "The council's own graduate entry scheme."),
    ("frontline", "Frontline", "The Frontline fast-track programme into children's social work."),
    ("step-up", "Step Up to Social Work", "The Department for Education's Step Up programme."),
    ("apprenticeship", "Apprenticeship", "A social work or other degree apprenticeship."),
    ("international", "International recruitment", "Recruited from outside the UK."),
    ("agency-to-permanent", "Agency to permanent", "An agency worker who took a permanent post."),
    ("own", "The council's own", "Any other route the council runs."),
)


def add_routes(apps, schema_editor):
    route = apps.get_model("workforce", "RecruitmentRoute")
    for code, name, description in ROUTES:
        route.objects.get_or_create(code=code, defaults={"name": name, "description": description})


def remove_routes(apps, schema_editor):
    apps.get_model("workforce", "RecruitmentRoute").objects.filter(
        code__in=[code for code, _, _ in ROUTES], cohorts__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_recruitment_routes")]

    operations = [migrations.RunPython(add_routes, remove_routes)]
