"""The demo holds a yearly assurance report of the last twelve months, published; its web
page, PDF and Word file print every figure of its JSON (read back)."""

import html
import io
import re

import pytest
from django.core.management import call_command

from maca.accounts.models import User
from maca.yearly.files import yearly_file
from maca.yearly.models import YearlyEdition
from maca.yearly.selectors import edition_published
from tests.support.readback import document_rows, docx_rows, pdf_text, squeezed

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_yearly_report_and_its_formats_agree(client, tmp_path):
    call_command("load_demo", "--without-feedback-packs", stdout=io.StringIO())
    edition = YearlyEdition.objects.get()
    document = edition.document
    [audits] = [s for s in document["sections"] if s["key"] == "audits"]
    [table] = [b for b in audits["blocks"] if b["kind"] == "table"]
    assert [row[0] for row in table["rows"]] == ["Children living with domestic abuse"]
    [themes] = [t for t in document["figures"]["tables"] if t["key"] == "yearly-themes"]
    assert any(row[4] == "Yes" for row in themes["rows"])  # a theme recurring from 2017
    rows = document_rows(document)

    which = edition_published(edition)
    pdf = squeezed(pdf_text(yearly_file(document, which, "pdf"), tmp_path))
    for row in rows:
        assert squeezed(" ".join(row)) in pdf, row
    word = docx_rows(yearly_file(document, which, "docx"))
    for row in rows:
        assert row in word, row

    client.force_login(User.objects.get(email="board@example.org"))
    page = client.get(f"/yearly-reports/{edition.report_id}/editions/1/")
    assert page.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode()))
    for row in rows:
        assert squeezed(" ".join(row)) in squeezed(text), row
