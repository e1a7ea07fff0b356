"""peopleplan import KIND FILE [--dry-run] [--skip-invalid] [--rejected FILE]"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peopleplan.core.imports import ImportFailed, all_kinds, get_kind, run_import


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r} is not a date like 2026-03-31.") from None


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one kind (units, grades, job_roles, posts, people, ...)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="; ".join(k.name for k in all_kinds()))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and show, change nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="apply the good rows and write the rejected ones, with reasons, to a CSV",
        )
        parser.add_argument(
            "--rejected",
            type=Path,
            help="where to write rejected rows (default: FILE.rejected.csv)",
        )
        parser.add_argument(
            "--as-of",
            type=_date,
            help="the date the file describes (default today): a change with no date of its "
            "own in the file, such as a new line manager, takes effect from it",
        )
        parser.add_argument("--show", type=int, default=20, help="how many changes to list")

    def handle(self, *args, **options):
        try:
            kind = get_kind(options["kind"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        verbosity = options["verbosity"]

        def progress(stage: str, done: int, total: int) -> None:
            if verbosity >= 1 and total >= 2000:
                self.stderr.write(f"\r{stage}: {done:,} of {total:,} rows", ending="")
                if done == total:
                    self.stderr.write("")

        try:
            result = run_import(
                kind.name,
                path.read_bytes(),
                file_name=path.name,
                actor=None,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                as_of=options["as_of"],
                progress=progress,
            )
        except ImportFailed as exc:
            raise CommandError(f"{path.name}: {exc}") from None

        for column in result.unknown_columns:
            self.stdout.write(f"Column {column!r} is not used by the {kind.name} import.")
        for problem in result.problems[:200]:
            self.stdout.write(str(problem))
        if len(result.problems) > 200:
            self.stdout.write(f"... and {len(result.problems) - 200} more problems.")
        shown = [c for c in result.changes if c.action != "unchanged"][: options["show"]]
        for change in shown:
            details = f": {'; '.join(change.details)}" if change.details else ""
            self.stdout.write(f"{change.action} {change.key} {change.label}{details}")
        for note in result.notes:
            self.stdout.write(note)

        if result.rejected and options["skip_invalid"]:
            rejected_path = options["rejected"] or path.with_suffix(".rejected.csv")
            rejected_path.write_text(result.rejected_csv(), encoding="utf-8")
            self.stdout.write(f"Rejected rows, with reasons: {rejected_path}")

        outcome = (
            "Dry run, nothing changed"
            if result.dry_run
            else ("Applied" if result.applied else "Nothing applied")
        )
        self.stdout.write(f"{outcome}. {result.rows_total:,} rows: {result.summary_line()}.")
        if result.problems and not options["skip_invalid"]:
            raise CommandError(
                f"{len(result.problems)} problems in {len(result.rejected)} rows; nothing was "
                "applied. Correct the file, or use --skip-invalid to apply the good rows."
            )
