"""The `peopleplan` console command: Django's management commands under one name.

peopleplan migrate
peopleplan demo --people 5000 --seed 1
peopleplan import people people.csv --dry-run
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peopleplan.config.settings")
    from django.core.management import execute_from_command_line

    args = ["peopleplan", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
