import pytest

from cases.models import CaseReadLog
from cases.privacy import phone_index
from tests.factories import make_case

pytestmark = pytest.mark.django_db


class TestVictimEdit:
    def url(self, case):
        return f"/cases/{case.pk}/victim/"

    def test_assigned_worker_updates_details_and_the_match_index_follows(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_phone="0912345678")
        client.force_login(worker)
        response = client.post(
            self.url(case),
            {
                "name": "林小姐",
                "phone": "0922-000-111",
                "national_id": "a123456789",
                "birth_date": "85.03.04",
                "address": "臺北市中正區某路1號",
                "sms_consent": "on",
            },
        )
        assert response.status_code == 302
        victim = case.victim
        victim.refresh_from_db()
        assert (victim.name, victim.phone, victim.national_id) == ("林小姐", "0922-000-111", "A123456789")
        assert victim.birth_date.isoformat() == "1996-03-04"
        assert victim.phone_index == phone_index("0922000111") != phone_index("0912345678")
        assert victim.sms_consent is True
        assert victim.history.first().history_user == worker

    def test_bad_input_keeps_what_was_typed(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        client.force_login(worker)
        response = client.post(
            self.url(case),
            {
                "name": "林小姐",
                "phone": "12345",
                "address": "臺北市中正區某路1號",
                "birth_date": "2999-01-01",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "請輸入臺灣手機號碼" in html and "出生日期不能晚於今天" in html
        assert "臺北市中正區某路1號" in html and 'value="12345"' in html

    def test_other_worker_gets_404_and_hotline_cannot_edit(self, client, hotline, worker, worker2):
        case = make_case(actor=hotline, worker=worker)
        client.force_login(worker2)
        assert client.get(self.url(case)).status_code == 404
        client.force_login(hotline)
        assert client.get(self.url(case)).status_code == 404

    def test_opening_the_form_is_logged_as_a_read_of_the_case(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        client.force_login(worker)
        client.get(self.url(case))
        assert list(CaseReadLog.objects.filter(case=case).values_list("user", "view")) == [
            (worker.pk, "被害人資料編輯頁")
        ]
