"""peopleplan expire_offers: pass on offers of a place not taken in time. Run every few
minutes from cron; running it twice does nothing more."""

from django.core.management.base import BaseCommand

from peopleplan.learning.services import offers_expire


class Command(BaseCommand):
    help = "Pass on every offer of a place that was not taken in time."

    def handle(self, *args, **options):
        expired = offers_expire()
        self.stdout.write(f"{expired} offers passed on.")
