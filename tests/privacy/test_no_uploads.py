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


def _tmp_files() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


def _image(size: int = 3 * 1024 * 1024) -> SimpleUploadedFile:
    # Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE, so Django's default handlers would write it to disk.
    return SimpleUploadedFile("evidence.jpg", b"\xff\xd8\xff" + b"0" * size, content_type="image/jpeg")


def test_the_file_part_of_a_multipart_post_never_reaches_the_request():
    request = RequestFactory().post("/cases/", {"notes": "附上截圖", "file": _image()})
    before = _tmp_files()
    assert request.POST["notes"] == "附上截圖"
    assert len(request.FILES) == 0
    assert _tmp_files() - before == set()


def test_a_form_posted_with_a_file_saves_its_fields_and_no_file(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker)
    before = _tmp_files()
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
    assert _tmp_files() - before == set()


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
