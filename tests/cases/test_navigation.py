"""The navigation bar: links kept per set of permissions ({% nav_menu %}) and the unread badge."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import registry
from cases.models import Notification
from cases.notifications import mark_read, notify
from cases.roles import Role
from cases.templatetags import navigation
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def nav_links(client, url=None) -> list[str]:
    """The labels of the navigation's links, in order."""
    html = client.get(url or reverse("cases:notifications")).content.decode()
    menu = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'class="nav-link" href="[^"]+">([^<]+)</a>', menu)


def badge(client, url=None) -> str | None:
    html = client.get(url or reverse("cases:notifications")).content.decode()
    link = re.search(r'<a [^>]*id="nav-notifications">(.*?)</a>', html, re.S).group(1)
    found = re.search(r'<span class="badge text-bg-danger">([^<]+)</span>', link)
    return found.group(1) if found else None


class TestNavMenu:
    def test_each_role_sees_its_own_links(self, client, hotline, worker, supervisor, police, admin_user):
        expected = {
            hotline: ["受理佇列", "登錄來電", "全部案件", "填寫轉介表"],
            worker: ["我的案件", "期限"],
            supervisor: [
                *("單位總覽", "受理佇列", "登錄來電", "全部案件", "期限", "中心告發"),
                *("緊急調閱確認", "稽核軌跡", "帳號核准", "登入鎖定", "簡訊範本"),
            ],
            police: ["我的轉介", "填寫轉介表", "報請檢察官指揮偵辦"],
            admin_user: ["簡訊範本", "系統管理"],
        }
        for user, links in expected.items():
            client.force_login(user)
            assert nav_links(client, reverse("accounts:security")) == links, user.username

    def test_a_role_given_or_taken_shows_on_the_next_page(self, client, worker):
        client.force_login(worker)
        assert "單位總覽" not in nav_links(client)
        worker.groups.add(Group.objects.get(name=Role.SUPERVISOR))
        assert nav_links(client)[:1] == ["單位總覽"] and "全部案件" in nav_links(client)
        worker.groups.remove(Group.objects.get(name=Role.SUPERVISOR))
        links = nav_links(client)
        assert "單位總覽" not in links and "全部案件" not in links and "我的案件" in links

    def test_a_permission_taken_from_the_role_shows_without_a_change_of_roles(self, client, worker):
        client.force_login(worker)
        assert "期限" in nav_links(client)
        Group.objects.get(name=Role.SOCIAL_WORKER).permissions.remove(
            Permission.objects.get(content_type__app_label="cases", codename="view_deadline")
        )
        assert "期限" not in nav_links(client)

    def test_staff_status_alone_changes_the_links(self, client, worker):
        client.force_login(worker)
        assert "系統管理" not in nav_links(client)
        worker.is_staff = True
        worker.save(update_fields=["is_staff"])
        assert nav_links(client)[-1] == "系統管理"

    def test_two_users_with_the_same_roles_share_the_links_but_not_the_name(self, client, worker, worker2):
        client.force_login(worker)
        first = client.get(reverse("cases:notifications")).content.decode()
        client.force_login(worker2)
        second = client.get(reverse("cases:notifications")).content.decode()
        menu = re.compile(r'<ul class="navbar-nav me-auto">.*?</ul>', re.S)
        assert menu.search(first).group(0) == menu.search(second).group(0)
        account = re.compile(r'id="nav-account">([^<]+)<')
        assert account.search(first).group(1) == "陳社工" and account.search(second).group(1) == "王社工"

    def test_a_registered_link_shows_to_holders_of_its_permission(self, client, worker, hotline, monkeypatch):
        link = registry.NavLink("cases.work_cases", "cases:deadlines", "測試連結", 50)
        monkeypatch.setattr(registry, "_nav_links", [*registry._nav_links, link])
        client.force_login(worker)
        assert "測試連結" in nav_links(client)
        client.force_login(hotline)
        assert "測試連結" not in nav_links(client)

    def test_the_kept_menus_are_bounded(self, client, hotline, worker, supervisor, monkeypatch):
        monkeypatch.setattr(navigation, "_kept", {})
        monkeypatch.setattr(navigation, "MAX_KEPT", 2)
        for user in (hotline, worker, supervisor):
            client.force_login(user)
            nav_links(client)
            assert len(navigation._kept) <= 2
        assert nav_links(client)[:1] == ["單位總覽"]  # the supervisor's, after the clear

    def test_the_signed_out_page_has_no_menu(self, client):
        assert 'class="navbar-nav me-auto"' not in client.get(reverse("login")).content.decode()


class TestUnreadBadge:
    def _notify(self, user, n):
        return notify(recipients=[user] * n, kind=Notification.Kind.SYSTEM, text="通知")

    def test_the_badge_counts_again_after_a_notification_is_read(self, client, worker):
        first, *_ = self._notify(worker, 3)
        client.force_login(worker)
        assert badge(client) == "3"
        client.post(reverse("cases:notifications_read"), {"id": [first.pk]})
        assert badge(client) == "2"
        mark_read(user=worker)
        assert badge(client) is None

    def test_the_case_page_counts_after_it_marks_its_dispatch_notice_read(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker)  # the dispatch notifies the worker
        client.force_login(worker)
        assert badge(client, reverse("cases:my_cases")) == "1"
        # The page marks the notice read in its view, before the bar is drawn: no badge on that page.
        assert badge(client, case.get_absolute_url()) is None

    def test_past_99_the_badge_is_still_one_query(self, client, worker):
        self._notify(worker, 150)
        client.force_login(worker)
        url = reverse("accounts:security")
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        assert 'badge text-bg-danger">99+<' in html
        assert sum("cases_notification" in q["sql"] for q in ctx.captured_queries) == 1
