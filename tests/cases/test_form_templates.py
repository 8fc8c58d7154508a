"""Every form of every app, now and later (issue 18): POST forms carry the one-time token, textareas
have a limit the server enforces in Chinese, and nothing the user types is put in browser storage."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import Context, Template

from cases.forms import CallIntakeForm
from cases.forms_fields import NARRATIVE_MAX_CHARS, LongTextField

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = [c for c in apps.get_app_configs() if Path(c.path).parent == ROOT]

# The sign-in flow has no user yet to bind a token to, and a repeated sign-in saves nothing.
EXEMPT_DIRS = ("registration/",)

FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST_RE = re.compile(r"""method\s*=\s*["']?post""", re.I)


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    dirs += [Path(c.path) / "templates" for c in PROJECT_APPS]
    return [d for d in dirs if d.is_dir()]


def _post_forms() -> list[tuple[str, str]]:
    found = []
    for directory in _template_dirs():
        for path in sorted(directory.rglob("*.html")):
            name = path.relative_to(directory).as_posix()
            if name.startswith(EXEMPT_DIRS):
                continue
            for form in FORM_RE.findall(path.read_text(encoding="utf-8")):
                opening = form[: form.index(">") + 1]
                if POST_RE.search(opening):
                    found.append((name, form))
    return found


def test_every_post_form_in_every_template_carries_the_one_time_token():
    forms_found = _post_forms()
    assert len(forms_found) > 15  # the scan found the templates (an empty scan would pass trivially)
    missing = [(name, form[:120]) for name, form in forms_found if "{% form_guard %}" not in form]
    assert missing == [], "add {% form_guard %} next to {% csrf_token %} in these forms"


def test_crispy_forms_that_draw_their_own_form_tag_carry_the_token_too():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": CallIntakeForm(), "csrf_token": "x"})
    )
    assert re.search(r'<input type="hidden" name="form_guard" value="[A-Za-z0-9_-]{20,}">', html)


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for config in PROJECT_APPS:
        for module in ("forms", "sms.forms"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                pass

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {c.name for c in PROJECT_APPS}
    return sorted(
        {c for c in subclasses(forms.BaseForm) if c.__module__.split(".")[0] in names},
        key=lambda c: f"{c.__module__}.{c.__name__}",
    )


def test_every_textarea_of_every_form_has_a_limit():
    textareas = [
        (f"{cls.__module__}.{cls.__name__}.{name}", field)
        for cls in _project_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    ]
    assert len(textareas) > 30  # the walk found the forms
    without = [name for name, field in textareas if not getattr(field, "max_length", None)]
    assert without == [], "give these textareas a max_length (cases.forms_fields.LongTextField)"
    for name, field in textareas:
        assert field.widget_attrs(field.widget)["maxlength"] == str(field.max_length), name


def test_the_narrative_of_a_call_has_room_and_a_clear_limit():
    field = CallIntakeForm.base_fields["narrative"]
    assert field.max_length == NARRATIVE_MAX_CHARS >= 4000
    assert f'maxlength="{NARRATIVE_MAX_CHARS}"' in str(CallIntakeForm()["narrative"])


class TestLongTextField:
    def test_too_long_a_text_is_refused_in_chinese_with_both_numbers(self):
        with pytest.raises(forms.ValidationError) as exc:
            LongTextField(max_length=10).clean("一" * 12)
        assert exc.value.messages == ["最多 10 字，目前 12 字，請精簡後再送出。"]

    def test_a_line_break_counts_once_as_the_browser_counted_it(self):
        posted = "第一行\r\n第二行\r\n" + "字" * 2
        assert LongTextField(max_length=10).clean(posted) == "第一行\n第二行\n字字"


def test_no_script_keeps_anything_in_browser_storage():
    scripts = [p for p in (ROOT / "static" / "js").rglob("*.js")]
    assert scripts
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        assert "localStorage" not in text and "sessionStorage" not in text and "indexedDB" not in text, path


def test_the_forms_script_is_on_every_page():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'js/forms.js' %}" in base
    assert "{% idle_warning %}" in base and "{% form_draft %}" in base
