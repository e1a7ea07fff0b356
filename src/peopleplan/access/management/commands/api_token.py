"""`peopleplan api_token EMAIL [--reset]`: print a user's API token, creating it if needed.

Use it as `Authorization: Token <key>` on /api/. The token sees exactly what the user sees.
"""

from django.core.management.base import BaseCommand, CommandError

from peopleplan.access.models import User
from peopleplan.access.services import AccessError, api_token_issue


class Command(BaseCommand):
    help = "Print the API token of the user with this email address, creating it if needed."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's email address")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace the user's token with a new one (the old one stops working)",
        )

    def handle(self, *args, email: str, reset: bool, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email!r}.")
        try:
            token = api_token_issue(user=user, reset=reset, actor="api_token command")
        except AccessError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(token.key)
