"""`maca verify-history`: check every hash chain (the change history and the access log of
each partnership) and name the first broken record of each broken chain."""

from django.core.management.base import BaseCommand, CommandError

from maca.history.verification import verify_all


class Command(BaseCommand):
    help = (
        "Check the hash chains of the change history and the access log. Exits 0 with one "
        "line when every chain holds; exits 1 naming the first broken record of each broken "
        "chain (table, record id, partnership, and what does not match)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--heads",
            action="store_true",
            help="also print each chain's last hash, to keep elsewhere and compare later",
        )

    def handle(self, *args, **options):
        results = verify_all()
        broken = [result for result in results if result.breaks]
        for result in broken:
            for found in result.breaks:
                self.stderr.write(f"Broken: {found}")
        if options["heads"]:
            for result in results:
                self.stdout.write(
                    f"{result.table} partnership {result.partnership_id}: "
                    f"{result.records} records, last hash {result.head_hash or '-'}"
                )
        if broken:
            raise CommandError(
                f"{len(broken)} of {len(results)} chains are broken: the history has been "
                "changed outside maca.",
                returncode=1,
            )
        records = sum(result.records for result in results)
        self.stdout.write(f"History verified: {len(results)} chains, {records:,} records, intact.")
