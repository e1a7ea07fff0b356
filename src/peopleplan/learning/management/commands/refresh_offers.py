"""peopleplan refresh_offers: pass on offers of a place not taken in time, and offer places that
have become free (reserved places past their release time). Run every few minutes from cron;
running it twice does nothing more."""

from django.core.management.base import BaseCommand

from peopleplan.learning.services import offers_refresh


class Command(BaseCommand):
    help = "Pass on offers not taken in time and offer places that have become free."

    def handle(self, *args, **options):
        expired = offers_refresh()
        self.stdout.write(f"{expired} offers passed on.")
