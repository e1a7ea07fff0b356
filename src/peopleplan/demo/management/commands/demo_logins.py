from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a demo login for every role."

    def handle(self, *args, **options):
        self.stdout.write("No demo logins yet.")
