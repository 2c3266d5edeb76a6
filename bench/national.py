"""Fill a PostgreSQL database with the national figures: every partnership in England (150) for
ten years: 1,500 audits, 25,000 cases, 150,000 returns.

    .venv/bin/python bench/national.py --database maca_national   # a database to explore

One partnership's ten years is made first, through the ordinary bundle import (so every row is
what maca itself writes, change history included): ten audits made from the demo's bundles, each
case given six involved agencies and 16 or 17 cases an audit. That partnership is then copied
149 times by PostgreSQL itself: one `INSERT … SELECT` per table over `generate_series`, each copy
with its ids moved by a fixed offset, so the copies keep every relation of the original. Nobody
is a member of the copies: they are the other partnerships on the same installation, whose rows
every query of ours must step over. (Their history's hash chains do not verify: a record's
hash covers its id and partnership, which the copy moves. Nothing but `maca verify-history`
reads them.)
"""

import argparse
import copy
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, fresh_database, maca, setup_django

PARTNERSHIPS = 150
AUDITS_EACH = 10
CASES_EACH = 167  # ten audits: seven of 17 cases, three of 16
AGENCIES_A_CASE = 6
TEMPLATE = "National Template Safeguarding Children Partnership"
SOURCES = ["01-children-in-need", "02-transitions", "03-neglect", "05-domestic-abuse"]
# Each copy's ids are the original's plus copy × OFFSET: far above any id of the original.
OFFSET = 10_000_000


def template_bundles() -> list[dict]:
    """One partnership's ten audits, as bundles made from the demo's."""
    sources = [
        json.loads((ROOT / "demo" / "bundles" / f"{name}.json").read_text(encoding="utf-8"))
        for name in SOURCES
    ]
    sizes = [17] * 7 + [16] * 3
    bundles = []
    for number, size in enumerate(sizes, start=1):
        bundle = copy.deepcopy(sources[(number - 1) % len(sources)])
        bundle["partnership"] = TEMPLATE
        bundle["audit"]["title"] = f"{bundle['audit']['title']} ({number})"
        originals = bundle["cases"]
        bundle["cases"] = [
            _six_agencies(
                {**copy.deepcopy(originals[i % len(originals)]), "reference": f"N{number}-{i:03d}"},
                bundle["agencies"],
            )
            for i in range(size)
        ]
        bundle["audit"]["sample_plan"] = dict(Counter(case["area"] for case in bundle["cases"]))
        bundles.append(bundle)
    return bundles


def _six_agencies(case: dict, agencies: list[str]) -> dict:
    """The case with AGENCIES_A_CASE involved agencies: each added one's return copies the
    case's first."""
    others = [name for name in agencies if name not in case["involved_agencies"]]
    while len(case["involved_agencies"]) < AGENCIES_A_CASE and others:
        agency = others.pop(0)
        case["involved_agencies"].append(agency)
        case["returns"].append({**copy.deepcopy(case["returns"][0]), "agency": agency})
    return case


def load_template() -> int:
    """Import the template partnership's audits; its id."""
    from maca.bundles.services import bundle_import

    audits = [bundle_import(data=bundle, via="bench") for bundle in template_bundles()]
    return audits[0].partnership_id


def copy_partnership(template_id: int, copies: int) -> None:
    """`copies` copies of the partnership, made by PostgreSQL (see the module's docstring)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    models = _copied_models()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            sql, params = _copy_sql(model, models, template_id, copies)
            cursor.execute(sql, params)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _copied_models() -> list:
    """The partnership and everything it holds, parents before children; memberships and API
    tokens (people) are not copied."""
    from django.apps import apps

    from maca.partnerships.models import Partnership

    held = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in {"partnerships.Membership", "api.ApiToken"}
        and (
            any(
                field.is_relation and field.related_model is Partnership
                for field in model._meta.concrete_fields
            )
            or model._meta.auto_created
        )
    ]
    candidates = [Partnership, *held]
    owned = {m for m in candidates if not m._meta.auto_created or _joins_copied(m, candidates)}
    ordered: list = []

    def visit(model):
        if model in ordered:
            return
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model in owned
                and field.related_model is not model
            ):
                visit(field.related_model)
        ordered.append(model)

    for model in sorted(owned, key=lambda m: m._meta.label):
        visit(model)
    return ordered


def _joins_copied(through, candidates) -> bool:
    related = [f.related_model for f in through._meta.concrete_fields if f.is_relation]
    return bool(related) and all(model in candidates for model in related)


def _copy_sql(model, models, template_id: int, copies: int) -> tuple[str, list]:
    from maca.history.models import ChangeRecord
    from maca.partnerships.models import Partnership

    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        columns.append(f'"{column}"')
        moved = (
            field.primary_key
            or (field.is_relation and field.related_model in models)
            or (model is ChangeRecord and column == "audit_id")
        )
        if moved:
            values.append(f't."{column}" + k * {OFFSET}')
        elif model is Partnership and column == "name":
            values.append("t.\"name\" || ' ' || k")
        else:
            values.append(f't."{column}"')
    if model is Partnership:
        where, params = 't."id" = %s', [template_id]
    elif model._meta.auto_created:
        field = next(f for f in model._meta.concrete_fields if f.is_relation)
        parent = field.related_model._meta.db_table
        where = f't."{field.column}" IN (SELECT "id" FROM "{parent}" WHERE "partnership_id" = %s)'
        params = [template_id]
    else:
        where, params = 't."partnership_id" = %s', [template_id]
    table = model._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(values)} '
        f'FROM "{table}" t CROSS JOIN generate_series(1, %s) AS k WHERE {where}'
    )
    return sql, [copies, *params]


def fill(*, partnerships: int = PARTNERSHIPS) -> dict[str, float]:
    """Add the national figures to the database Django is set up with; seconds each step took."""
    timings = {}
    started = time.perf_counter()
    template_id = load_template()
    timings["one partnership through the bundle import"] = time.perf_counter() - started
    started = time.perf_counter()
    copy_partnership(template_id, partnerships - 1)
    timings[f"{partnerships - 1} copies by PostgreSQL"] = time.perf_counter() - started
    return timings


def counts() -> dict[str, int]:
    from maca.audits.models import Audit, Case
    from maca.history.models import ChangeRecord
    from maca.partnerships.models import Partnership
    from maca.returns.models import Return

    return {
        "partnerships": Partnership.objects.count(),
        "audits": Audit.objects.count(),
        "cases": Case.objects.count(),
        "returns": Return.objects.count(),
        "change records": ChangeRecord.objects.count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="maca_national", help="dropped and made anew")
    parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
    args = parser.parse_args()
    url = fresh_database(args.database)
    var_dir = Path(tempfile.mkdtemp(prefix="maca-national-"))
    setup_django(url, var_dir)
    from bench.common import bench_environment

    maca("migrate", "--noinput", "-v", "0", env=bench_environment(url, var_dir))
    for step, seconds in fill(partnerships=args.partnerships).items():
        print(f"{step}: {seconds:.1f} s")
    for what, number in counts().items():
        print(f"{what}: {number:,}")
    print(f"Database: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
