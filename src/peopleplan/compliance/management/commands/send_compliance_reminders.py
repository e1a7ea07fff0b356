"""peopleplan send_compliance_reminders: tell learners, their managers, their managers'
managers and HR what mandatory training and checks are falling due or overdue. Run daily;
running it twice sends nothing twice, and the next day sends only what is new."""

import datetime as dt

from django.core.management.base import BaseCommand

from peopleplan.compliance.reminders import compliance_reminders_send


class Command(BaseCommand):
    help = "Send compliance reminders: due soon, a month to go, overdue, escalated; HR weekly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, default=None, help="as of this date (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        counts = compliance_reminders_send(on=options["on"])
        self.stdout.write(
            f"{counts['messages']} reminders sent: {counts['window']} window opened, "
            f"{counts['month']} a month to go, {counts['overdue']} overdue, "
            f"{counts['escalated']} escalated; {counts['hr_digests']} HR digests; "
            f"{counts['no_email']} people not told for want of an email."
        )
