"""The `maca` command: every manage.py command, plus the project's own.

Our own commands are spelled with hyphens (`maca import-bundle`); Django's module names use
underscores, so the first argument is translated when such a command exists.
"""

import argparse
import datetime
import os
import sys


def iso_date(value: str) -> datetime.date:
    """An argument type for our commands' `--date`/`--today`: a date as YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {value!r}") from None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maca.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        import django
        from django.core.management import get_commands

        django.setup()
        underscored = argv[1].replace("-", "_")
        if underscored in get_commands():
            argv[1] = underscored
    argv[0] = "maca"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
