"""Background tasks of the shared kernel (django-tasks)."""

from django_tasks import task

from peopleplan.core import services


@task()
def import_run_task(run_id: int, apply: bool) -> None:
    services.import_run_process(run_id=run_id, apply=apply)
