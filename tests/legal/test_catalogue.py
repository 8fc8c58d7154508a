"""The offence catalogue (guideline 4-1-1) is data: loaded by migration, edited in the admin with history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cases.roles import Role, sync_role_groups
from legal.catalogue import catalogue_rows, load_offences
from legal.models import Offence

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_the_guideline_rows_with_their_periods():
    rows = {o.code: o for o in Offence.objects.all()}
    assert list(rows) == ["C-A", "C-B", "P-A", "P-B", "P-C", "P-D", "P-E", "P-F"]
    assert {c for c, o in rows.items() if o.complaint_required} == {"C-A", "C-B"}
    assert {c: o.limitation_years for c, o in rows.items()} == {
        "C-A": 20,
        "C-B": 20,
        "P-A": 20,
        "P-B": 20,
        "P-C": 20,
        "P-D": 10,  # art. 305: maximum 2 years, so 10 (the guideline's "20" is later than the law)
        "P-E": 10,
        "P-F": 20,
    }
    assert "319條之1" in rows["C-A"].article and "319條之6" in rows["C-A"].article
    assert "305" in rows["P-D"].article and "第80條" in rows["P-D"].legal_note
    assert all(o.is_active and o.name and o.max_penalty for o in rows.values())


def test_the_migration_wrote_the_first_history_row_of_each_offence():
    offence = Offence.objects.get(code="C-A")
    first = offence.history.earliest()
    assert first.history_type == "+" and "4-1-1" in first.history_change_reason


def test_loading_again_adds_nothing_and_keeps_admin_edits():
    edited = Offence.objects.get(code="P-D")
    edited.max_penalty = "管理員修訂"
    edited.save()
    assert load_offences(Offence) == 0
    call_command("loaddata", "offences", verbosity=0)  # the file is a plain fixture as well
    assert Offence.objects.count() == len(catalogue_rows()) == 8
    # loaddata matches rows by natural key (the code) and, like any fixture, writes the file's values.
    assert Offence.objects.get(code="P-D").limitation_years == 10


def test_the_admin_group_manages_the_catalogue_but_not_deleting_it():
    sync_role_groups()
    perms = set(Group.objects.get(name=Role.ADMIN).permissions.values_list("codename", flat=True))
    assert {"add_offence", "change_offence", "view_offence", "view_historicaloffence"} <= perms
    assert {"add_restday", "change_restday", "delete_restday", "view_restday"} <= perms
    assert "delete_offence" not in perms
    assert not {"manage_legal", "view_accusation_queue", "record_prosecutor_direction"} & perms


def test_role_permissions_for_the_legal_pages():
    sync_role_groups()

    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    assert "manage_legal" in codenames(Role.SOCIAL_WORKER) and "manage_legal" in codenames(Role.SUPERVISOR)
    assert "view_accusation_queue" in codenames(Role.SUPERVISOR)
    assert "record_prosecutor_direction" in codenames(Role.POLICE)
    assert not {"manage_legal", "view_accusation_queue"} & codenames(Role.HOTLINE)


class TestOffenceAdmin:
    def test_an_administrator_edits_an_offence_and_history_names_them(self, client, admin_user):
        offence = Offence.objects.get(code="P-B")
        client.force_login(admin_user)
        url = reverse("admin:legal_offence_change", args=[offence.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "code": "P-B",
                "name": offence.name,
                "guideline_ref": offence.guideline_ref,
                "sort_order": offence.sort_order,
                "is_active": "on",
                "prosecution": "public",
                "article": offence.article,
                "max_penalty": "5年以下有期徒刑（意圖營利者7年以下）；修正",
                "limitation_years": 20,
                "legal_note": offence.legal_note,
            },
        )
        assert response.status_code == 302
        offence.refresh_from_db()
        assert offence.max_penalty.endswith("修正")
        assert offence.history.latest().history_user == admin_user
        history = client.get(reverse("admin:legal_offence_history", args=[offence.pk]))
        assert history.status_code == 200

    def test_an_implausible_period_is_refused(self, client, admin_user):
        offence = Offence.objects.get(code="P-A")
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:legal_offence_change", args=[offence.pk]),
            {
                "code": "P-A",
                "name": offence.name,
                "sort_order": 1,
                "prosecution": "public",
                "article": offence.article,
                "max_penalty": offence.max_penalty,
                "limitation_years": 0,
            },
        )
        assert response.status_code == 200
        assert "追訴權時效應為 1 至 40 年（刑法第80條）。" in response.content.decode()

    def test_offences_cannot_be_deleted_only_deactivated(self, client, admin_user):
        offence = Offence.objects.get(code="P-A")
        client.force_login(admin_user)
        assert client.get(reverse("admin:legal_offence_delete", args=[offence.pk])).status_code == 403

    def test_the_legal_admin_shows_catalogues_only(self, client, admin_user):
        client.force_login(admin_user)
        html = client.get("/admin/legal/").content.decode()
        assert "/admin/legal/offence/" in html and "/admin/legal/restday/" in html
        for model in (
            "caseoffence",
            "accusation",
            "legalconsultation",
            "policereport",
            "prosecutordirection",
        ):
            assert f"/admin/legal/{model}/" not in html
            assert client.get(f"/admin/legal/{model}/").status_code == 404

    def test_other_roles_cannot_reach_it(self, client, worker, supervisor):
        for user in (worker, supervisor):
            client.force_login(user)
            response = client.get(reverse("admin:legal_offence_changelist"))
            assert response.status_code == 302  # not staff: the admin's own login page
