"""`peopleplan demo_logins`: a table of the demo logins, one for every role."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from peopleplan.demo.logins import DEMO_PASSWORD, demo_users
from peopleplan.org.models import Assignment


class Command(BaseCommand):
    help = "Print a demo login for every role: role, email, password, who, and what they see."

    def handle(self, *args, **options) -> None:
        logins = [(login, user) for login, user in demo_users() if user is not None]
        if not logins:
            self.stdout.write("No demo logins: build the demo council with `peopleplan demo`.")
            return
        jobs = {
            a.person_id: a
            for a in Assignment.objects.filter(
                person_id__in=[u.person_id for _, u in logins if u.person_id],
                is_primary=True,
                end_date__isnull=True,
            ).select_related("job_role", "unit")
        }
        rows = [("Role", "Email", "Password", "Who", "What they see")]
        for login, user in logins:
            job = jobs.get(user.person_id)
            who = user.display_name
            if job is not None:
                who = f"{who}, {job.job_role.title} ({job.unit.name})"
            rows.append((login.title, login.email, DEMO_PASSWORD, who, login.sees))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        self.stdout.write("Demo logins (every one has the same password):")
        for number, row in enumerate(rows):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[-1]]))
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in [*widths, len(row[-1])]))
