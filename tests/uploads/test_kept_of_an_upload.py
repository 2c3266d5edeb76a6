"""What a page keeps of an uploaded file: 5 MB and a byte, whatever was sent; the page then
says the file is too large."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maca.uploads.limits import UPLOAD_MAX_BYTES

pytestmark = pytest.mark.django_db

SENT = 20 * 1024 * 1024


def test_no_more_of_an_upload_is_kept_than_a_page_reads(rf):
    request = rf.post("/", {"file": SimpleUploadedFile("big.xlsx", b"x" * SENT)})

    kept = request.FILES["file"]

    assert kept.size == UPLOAD_MAX_BYTES + 1
    assert kept.read(10) == b"x" * 10


def test_the_page_says_an_upload_is_larger_than_5_mb(coordinator, areas, agencies, client_for):
    upload = SimpleUploadedFile("big.xlsx", b"x" * SENT)

    response = client_for(coordinator).post(reverse("audits:history_upload"), {"file": upload})

    assert response.status_code == 400
    assert "The file is larger than 5 MB" in response.content.decode()
