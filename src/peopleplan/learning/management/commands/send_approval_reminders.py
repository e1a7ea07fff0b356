"""peopleplan send_approval_reminders: remind approvers of requests left waiting, and escalate
those left too long to the manager's manager. Run daily; running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from peopleplan.learning.approvals import approval_reminders_send


class Command(BaseCommand):
    help = "Remind approvers of waiting requests and escalate those left too long."

    def handle(self, *args, **options):
        self.stdout.write(f"{approval_reminders_send()} waiting requests looked at.")
