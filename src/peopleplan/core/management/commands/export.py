"""peopleplan export KIND FILE: the same format the import reads, so a round trip is exact."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peopleplan.core.audit import audit_record
from peopleplan.core.exports import write_table
from peopleplan.core.imports import all_kinds, get_kind


class Command(BaseCommand):
    help = "Export one kind to a CSV or XLSX file (by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="; ".join(k.name for k in all_kinds()))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--template", action="store_true", help="write the headers and one example row only"
        )

    def handle(self, *args, **options):
        try:
            kind = get_kind(options["kind"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        path: Path = options["file"]
        headers = kind.column_names()
        if options["template"]:
            rows = [[c.example for c in kind.columns]]
        else:
            headers, rows = kind().export_table()
            rows = list(rows)
        path.write_bytes(write_table(path.name, headers, rows, kind.label))
        if not options["template"]:
            audit_record(
                actor=None,
                action="export",
                object_type=f"export:{kind.name}",
                object_label=path.name,
                summary=f"{kind.label}: {len(rows):,} rows exported by the command line",
            )
        self.stdout.write(f"Wrote {len(rows):,} rows to {path}.")
