"""The search box: exact matches through blind indexes, scoped by role as the lists are, every case
shown a logged read, the term never in a URL or stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseReadLog, Intake
from cases.people import staff_name
from cases.rocdate import format_roc
from cases.search import classify
from tests.factories import make_case, make_intake, make_referral

pytestmark = pytest.mark.django_db


class TestClassify:
    @pytest.mark.parametrize(
        ("raw", "kind", "value"),
        [
            ("115-000042", "case_number", "115-000042"),
            ("115-42", "case_number", "115-000042"),
            ("１１５－４２", "case_number", "115-000042"),  # full-width from an input method
            ("0912-345-678", "mobile", "0912345678"),
            ("０９１２３４５６７８", "mobile", "0912345678"),
            ("a123456789", "national_id", "A123456789"),
            ("陳 小美", "name", "陳 小美"),
            ("陳", "too_short", ""),
            ("", "too_short", ""),
        ],
    )
    def test_what_a_typed_term_is(self, raw, kind, value):
        term = classify(raw)
        assert (term.kind, term.value) == (kind, value)


def search(client, term):
    return client.post(reverse("cases:search"), {"q": term})


class TestScope:
    def test_a_worker_finds_their_case_by_phone_name_id_and_number(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_name="范姜若蘅", victim_phone="0933271846")
        client.force_login(worker)
        for term in ("0933-271-846", "范姜 若蘅", case.victim.national_id.lower(), case.number):
            response = search(client, term)
            assert [c.pk for c in response.context["result"].cases] == [case.pk], term

    def test_a_worker_does_not_find_another_workers_case(self, client, hotline, worker, worker2):
        make_case(actor=hotline, worker=worker2, victim_name="司徒晴嵐")
        client.force_login(worker)
        response = search(client, "司徒晴嵐")
        assert response.context["result"].empty
        assert "查無您可檢視的案件" in response.content.decode()

    def test_the_query_compiled_for_one_worker_finds_the_next_workers_own_cases(
        self, client, hotline, worker, worker2
    ):
        # The SQL is compiled once per process with a stand-in user (cases.compiled): each worker's search
        # runs it with their own id.
        first = make_case(actor=hotline, worker=worker, victim_name="夏侯書涵")
        second = make_case(actor=hotline, worker=worker2, victim_name="夏侯書涵")
        for user, case in ((worker, first), (worker2, second), (worker, first)):
            client.force_login(user)
            assert [c.pk for c in search(client, "夏侯書涵").context["result"].cases] == [case.pk]
        client.force_login(hotline)
        assert {c.pk for c in search(client, "夏侯書涵").context["result"].cases} == {first.pk, second.pk}

    def test_the_hotline_finds_a_returning_victim_and_the_waiting_call(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_name="上官映雪", victim_phone="0955123456")
        waiting = make_intake(actor=hotline, victim_name="上官映雪", victim_phone="0955123456")
        client.force_login(hotline)
        result = search(client, "0955123456").context["result"]
        assert [c.pk for c in result.cases] == [case.pk]
        assert [i.pk for i in result.intakes] == [waiting.pk]

    def test_the_police_find_only_their_own_referrals(self, client, police, police2, hotline):
        mine = make_referral(police=police, victim_name="歐陽靜瑤", police_case_number="ＡＢ１２３")
        make_referral(police=police2, victim_name="歐陽靜瑤")
        client.force_login(police)
        result = search(client, "歐陽靜瑤").context["result"]
        assert result.cases == [] and result.intakes == []
        assert [h.url for h in result.hits] == [mine.get_absolute_url()]
        assert [h.url for h in search(client, "ab 123").context["result"].hits] == [mine.get_absolute_url()]
        # The label: the form's day in Taipei, the agency and what the centre shares back, nothing more.
        day = format_roc(timezone.localtime(mine.submitted_at).date())
        assert [h.label for h in result.hits] == [
            f"轉介表 {day} {mine.referring_agency}（家防中心已收件，處理中）"
        ]

    def test_staff_find_a_case_by_the_police_case_number(self, client, police, hotline):
        referral = make_referral(police=police, police_case_number="1130012345")
        client.force_login(hotline)
        hits = search(client, "1130012345").context["result"].hits
        assert [h.url for h in hits] == [referral.get_absolute_url()]


class TestPrivacy:
    def test_each_case_shown_is_a_logged_read_in_one_insert(
        self, client, hotline, worker, django_assert_num_queries
    ):
        first = make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏", victim_phone="0912000001")
        second = make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏", victim_phone="0912000002")
        client.force_login(worker)
        search(client, "鍾離雪霏")
        logged = set(CaseReadLog.objects.filter(view="搜尋結果").values_list("case_id", flat=True))
        assert logged == {first.pk, second.pk}

    def test_the_term_is_posted_not_put_in_a_url_and_not_stored(self, client, hotline, worker):
        make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏")
        client.force_login(worker)
        response = search(client, "鍾離雪霏")
        assert response.status_code == 200
        assert client.get(reverse("cases:search") + "?q=鍾離雪霏").context["result"] is None
        html = client.get(reverse("cases:my_cases")).content.decode()
        assert 'method="post" action="/search/"' in html

    def test_the_query_count_does_not_grow_with_matches(
        self, client, hotline, worker, django_assert_num_queries
    ):
        for i in range(3):
            make_case(actor=hotline, worker=worker, victim_name="公孫明月", victim_phone=f"091200000{i}")
        client.force_login(worker)
        search(client, "公孫明月")
        # session, user, groups and permissions (one query: cases.middleware.LoadAccessMiddleware), cases,
        # the referrals app's match, read log, badge
        with django_assert_num_queries(6) as small:
            search(client, "公孫明月")
        for i in range(3, 9):
            make_case(actor=hotline, worker=worker, victim_name="公孫明月", victim_phone=f"091200000{i}")
        with django_assert_num_queries(len(small.captured_queries)):
            assert len(search(client, "公孫明月").context["result"].cases) == 9


class TestCommonName:
    """A full name many victims share (thousands at a million cases): one bounded list of the newest cases
    and waiting intakes together, said so on the page, and only what is shown is read, decrypted and
    logged."""

    @pytest.fixture
    def page_of_two(self, monkeypatch):
        monkeypatch.setattr("cases.search.MAX_RESULTS", 2)

    def _opened(self, case, days):
        Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=days))

    def _received(self, intake, days):
        Intake.objects.filter(pk=intake.pk).update(received_at=timezone.now() - dt.timedelta(days=days))

    def test_more_cases_than_a_page_show_the_newest_and_say_how_to_narrow(
        self, page_of_two, client, hotline, worker
    ):
        cases = [make_case(actor=hotline, worker=worker, victim_name="東方若晴") for _ in range(3)]
        for days, case in enumerate(cases):  # the last one made is the oldest
            self._opened(case, days)
        client.force_login(worker)
        response = search(client, "東方若晴")
        assert [c.pk for c in response.context["result"].rows] == [cases[0].pk, cases[1].pk]
        html = response.content.decode()
        assert cases[0].number in html and cases[2].number not in html
        more = html.split('id="search-more">')[1].split("</p>")[0]
        assert "符合的結果超過 2 筆" in more and "僅列出最新的 2 筆" in more
        assert "請改以案號、手機或身分證字號查詢" in more
        logged = set(CaseReadLog.objects.filter(view="搜尋結果").values_list("case_id", flat=True))
        assert logged == {cases[0].pk, cases[1].pk}

    def test_a_page_or_less_has_no_cap_note(self, page_of_two, client, hotline, worker):
        make_case(actor=hotline, worker=worker, victim_name="東方若晴")
        make_case(actor=hotline, worker=worker, victim_name="東方若晴")
        client.force_login(worker)
        response = search(client, "東方若晴")
        assert len(response.context["result"].rows) == 2
        assert 'id="search-more"' not in response.content.decode()

    def test_cases_and_waiting_intakes_share_one_page_newest_first(
        self, page_of_two, client, hotline, worker
    ):
        """A case by its opening, an intake by its receipt: the hotline sees the newest of either first."""
        old_case, new_case = (make_case(actor=hotline, worker=worker, victim_name="東方若晴") for _ in "12")
        old_intake, new_intake = (make_intake(actor=hotline, victim_name="東方若晴") for _ in range(2))
        self._opened(new_case, 1)
        self._received(new_intake, 2)
        self._opened(old_case, 3)
        self._received(old_intake, 4)
        client.force_login(hotline)
        result = search(client, "東方若晴").context["result"]
        assert [(r.kind, r.pk) for r in result.rows] == [("case", new_case.pk), ("intake", new_intake.pk)]
        assert result.more
        logged = CaseReadLog.objects.filter(view="搜尋結果").values_list("case_id", "intake_id")
        assert set(logged) == {(new_case.pk, None), (None, new_intake.pk)}

    def test_a_waiting_intake_newer_than_every_case_comes_first(self, page_of_two, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_name="東方若晴")
        self._opened(case, 1)
        intake = make_intake(actor=hotline, victim_name="東方若晴")
        client.force_login(hotline)
        result = search(client, "東方若晴").context["result"]
        assert [r.pk for r in result.rows] == [intake.pk, case.pk] and not result.more

    def test_only_the_names_shown_are_decrypted(self, page_of_two, client, hotline, worker, monkeypatch):
        from cases import search as case_search

        for _ in range(3):
            make_case(actor=hotline, worker=worker, victim_name="東方若晴")
            make_intake(actor=hotline, victim_name="東方若晴")
        decrypted, decrypt = [], case_search.decrypt_text

        def counting(token):
            decrypted.append(token)
            return decrypt(token)

        monkeypatch.setattr(case_search, "decrypt_text", counting)
        client.force_login(hotline)
        result = search(client, "東方若晴").context["result"]
        assert len(result.rows) == 2 and result.more
        assert len(decrypted) == 2
        assert {row.name for row in result.rows} == {"東方若晴"}


class TestRows:
    def test_a_case_row_prints_number_name_danger_status_worker_and_date(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_name="夏侯明澄")
        Case.objects.filter(pk=case.pk).update(danger_since=timezone.now())
        client.force_login(hotline)
        html = search(client, "夏侯明澄").content.decode()
        rows = html.split('id="search-results">')[1].split("<tbody>")[1].split("</tbody>")[0]
        assert f'<a href="{case.get_absolute_url()}">{case.number}</a></td>' in rows
        assert '<td data-label="被害人">夏侯明澄</td>' in rows
        assert 'class="badge text-bg-danger danger-flag"' in rows and "有立即危險" in rows
        assert f'<td data-label="狀態">服務中</td><td data-label="承辦社工">{staff_name(worker)}</td>' in rows

    def test_a_waiting_intake_row_links_to_it_and_says_it_has_no_case_yet(self, client, hotline):
        waiting = make_intake(actor=hotline, victim_name="夏侯明澄")
        client.force_login(hotline)
        html = search(client, "夏侯明澄").content.decode()
        rows = html.split('id="search-results">')[1].split("<tbody>")[1].split("</tbody>")[0]
        assert rows.startswith('<tr class="search-intake">')
        assert f'<a href="{waiting.get_absolute_url()}">受理紀錄' in rows
        assert '<td data-label="被害人">夏侯明澄</td>' in rows
        assert f"待處理（{waiting.get_source_display()}，尚未開案）" in rows

    def test_a_name_is_escaped(self, client, hotline, worker):
        make_case(actor=hotline, worker=worker, victim_name="<b>司馬</b>")
        make_intake(actor=hotline, victim_name="<b>司馬</b>")
        client.force_login(hotline)
        html = search(client, "<b>司馬</b>").content.decode()
        assert html.count("&lt;b&gt;司馬&lt;/b&gt;") == 2 and "<b>司馬</b>" not in html


class TestRenamedVictim:
    def test_the_case_is_found_by_the_new_name_not_the_old(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_name="皇甫舊名")
        services.victim_update(actor=hotline, victim=case.victim, name="皇甫新名")
        client.force_login(worker)
        assert [c.pk for c in search(client, "皇甫新名").context["result"].cases] == [case.pk]
        assert search(client, "皇甫舊名").context["result"].empty
