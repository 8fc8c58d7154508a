"""{% nav_menu %}: the links of the top navigation (cases/_nav_menu.html), rendered once per set of
permissions and kept for the life of the process.

Every signed-in page drew the same list again, asking a dozen permissions and reversing a dozen URLs
(0.1 to 0.3 ms a page, by role, against a floor page of about 8 ms: issue 19, docs/benchmarks.md). The
list depends only on the user's permissions, is_staff and the apps' registered links (cases.registry),
and the template sees nothing else (not the user, not the request), so those values are the key: a user
whose roles change has another key on the next request, and so gets the other list. The URL prefix,
URLconf and language are in the key as well, and a reloaded template (runserver) is rendered afresh.
"""

from __future__ import annotations

from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cases.registry import nav_links_for

register = template.Library()

MENU_TEMPLATE = "cases/_nav_menu.html"
# Distinct keys are the distinct permission sets in use (about one per role combination); the bound only
# keeps odd per-user grants from growing the dict without end.
MAX_KEPT = 256

_kept: dict[tuple, tuple[template.base.Template, str]] = {}


def _permissions_key(user):
    # An active superuser holds every permission (has_perm answers without the backends); asking
    # get_all_permissions() would read them all from the database.
    if user.is_active and user.is_superuser:
        return "superuser"
    # has_perm(p) is `p in get_all_permissions()` for the backends in use (ModelBackend, axes); ModelBackend
    # answers from the cache cases.roles.load_access filled for the request, so this costs no query.
    return frozenset(user.get_all_permissions())


@register.simple_tag(takes_context=True)
def nav_menu(context) -> str:
    user = context["user"]
    links = tuple(nav_links_for(user))
    key = (_permissions_key(user), user.is_staff, links, get_urlconf(), get_script_prefix(), get_language())
    menu = context.template.engine.get_template(MENU_TEMPLATE)
    kept = _kept.get(key)
    if kept is not None and kept[0] is menu:
        return mark_safe(kept[1])
    html = menu.render(
        template.Context({"perms": PermWrapper(user), "is_staff": user.is_staff, "nav_links": links})
    )
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = (menu, html)
    return mark_safe(html)
