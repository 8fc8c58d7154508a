"""No page takes a file (指引 4-3-2E): a multipart post to any URL is refused before a view runs, and
nothing is written to disk."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _tmp_files() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir()}


@pytest.mark.parametrize("name", ["cases:contact_new", "cases:victim_edit", "cases:intake_new_call", "login"])
def test_a_multipart_post_is_refused_and_nothing_is_kept(client, hotline, worker, name):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker if name != "cases:intake_new_call" else hotline)
    url = (
        reverse(name, args=[case.pk])
        if name.startswith("cases:") and name != "cases:intake_new_call"
        else reverse(name)
    )
    before = _tmp_files()
    image = SimpleUploadedFile("evidence.jpg", b"\xff\xd8\xff" + b"0" * 4096, content_type="image/jpeg")
    response = client.post(url, {"notes": "附上截圖", "file": image})  # the test client sends multipart
    assert response.status_code == 415
    assert "不接受上傳檔案" in response.content.decode()
    assert _tmp_files() - before == set()


def test_a_normal_form_post_still_works(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker)
    response = client.post(
        reverse("cases:contact_new", args=[case.pk]),
        "mode=phone&result=not_reached",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200  # the form comes back with its errors (no date given)


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
