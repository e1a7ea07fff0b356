"""peopleplan data_formats: the column tables of docs/data-formats.md, from the import kinds."""

from django.core.management.base import BaseCommand

from peopleplan.core.imports import all_kinds


def formats_markdown() -> str:
    parts = []
    for kind in all_kinds():
        parts.append(f"### {kind.label} (`{kind.name}`)\n")
        parts.append(f"{kind.description}\n")
        parts.append("| column | required | also accepted as | what it holds | example |")
        parts.append("|---|---|---|---|---|")
        for c in kind.columns:
            aliases = ", ".join(c.aliases)
            example = f"`{c.example}`" if c.example else ""
            required = "yes" if c.required else ""
            parts.append(f"| `{c.name}` | {required} | {aliases} | {c.description} | {example} |")
        parts.append("")
    return "\n".join(parts)


class Command(BaseCommand):
    help = "Print the column tables of every import kind, as in docs/data-formats.md."

    def handle(self, *args, **options):
        self.stdout.write(formats_markdown())
