from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the demo council."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, **options):
        self.stdout.write("The demo council is not built yet.")
