"""No page takes a file (指引 4-3-2E): the file parts of a multipart post to any page are dropped before a
view sees them, and nothing is written to disk."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact
from cases.rocdate import format_roc
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_tmp(tmp_path, settings, monkeypatch):
    """A temporary directory of this test's own, where Django would put an uploaded file that does not
    fit in memory (the shared /tmp sees other processes' files come and go)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _image(size: int = 3 * 1024 * 1024) -> SimpleUploadedFile:
    # Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE, so Django's default handlers would write it to disk.
    return SimpleUploadedFile("evidence.jpg", b"\xff\xd8\xff" + b"0" * size, content_type="image/jpeg")


def test_the_file_part_of_a_multipart_post_never_reaches_the_request(private_tmp):
    request = RequestFactory().post("/cases/", {"notes": "附上截圖", "file": _image()})
    assert request.POST["notes"] == "附上截圖"
    assert len(request.FILES) == 0
    assert _files(private_tmp) == set()


def test_the_check_can_fail_with_djangos_default_handlers(private_tmp, settings):
    settings.FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
    request = RequestFactory().post("/cases/", {"file": _image()})
    assert len(request.FILES) == 1  # with a handler, a big file goes to disk in the private folder
    assert _files(private_tmp) != set()


def test_a_form_posted_with_a_file_saves_its_fields_and_no_file(client, hotline, worker, private_tmp):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker)
    response = client.post(
        reverse("cases:contact_new", args=[case.pk]),
        {
            "contacted_at_0": format_roc(timezone.localdate() - dt.timedelta(days=1)),
            "contacted_at_1": "09:00",
            "mode": "phone",
            "result": "not_reached",
            "notes": "被害人未接聽",
            "screenshot": _image(),
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(case=case).notes == "被害人未接聽"
    assert _files(private_tmp) == set()


def test_no_upload_handler_is_configured():
    assert settings.FILE_UPLOAD_HANDLERS == []


def test_no_model_has_a_file_field():
    from django.apps import apps
    from django.db import models

    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert fields == []
