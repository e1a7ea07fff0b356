"""peopleplan send_learning_reminders: remind everyone booked on a session that starts soon.
Run daily from cron; a booking is reminded once however often it runs."""

from django.core.management.base import BaseCommand

from peopleplan.learning.messages import reminders_send


class Command(BaseCommand):
    help = "Remind people booked on sessions that start within the next days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="how many days ahead")

    def handle(self, *args, **options):
        sent = reminders_send(days_before=options["days"])
        self.stdout.write(f"{sent} reminders looked at.")
