"""peopleplan send_evaluation_requests: ask for feedback on sessions that have ended, and for
impact checks (the learner and their line manager) once the weeks set in
PEOPLEPLAN["IMPACT_CHECK_WEEKS"] have passed. Run daily; running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from peopleplan.learning.evaluation import evaluation_requests_send


class Command(BaseCommand):
    help = "Ask for feedback after sessions and for impact checks some weeks later."

    def handle(self, *args, **options):
        made = evaluation_requests_send()
        self.stdout.write(
            f"{made['feedback']} feedback requests, {made['impact_learner']} impact checks to "
            f"learners and {made['impact_manager']} to line managers sent."
        )
