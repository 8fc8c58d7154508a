"""`manage.py rotate_keys`: everything (live and history tables) ends up under the newest key,
with progress, resumably, and nothing is touched when a value is unreadable."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test.utils import isolate_apps

from cases.management.commands import rotate_keys as rotate_module
from cases.management.commands.rotate_keys import encrypted_models
from cases.models import Victim
from cases.privacy import EncryptedTextField
from tests.privacy.helpers import PII, build_case_file, raw_tokens

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
KEY_C = Fernet.generate_key().decode()


def run(*args) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def readable_with(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def clear_values(tokens: dict, key: str) -> dict:
    return {where: Fernet(key).decrypt(token.encode()).decode() for where, token in tokens.items()}


@pytest.fixture
def data_under_a(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    build_case_file("rot")
    tokens = raw_tokens()
    assert tokens and all(readable_with(KEY_A, t) for t in tokens.values())
    return tokens


def test_discovers_live_history_and_future_models():
    labels = {m._meta.label for m in encrypted_models()}
    assert {
        "cases.Victim",
        "cases.HistoricalVictim",
        "cases.Intake",
        "cases.HistoricalIntake",
        "cases.Dispatch",
        "cases.HistoricalDispatch",
        "cases.Case",  # the danger flag's note
        "cases.Contact",
        "cases.HistoricalContact",
        "cases.CaseStatusChange",
    } <= labels
    assert "cases.CaseNumberCounter" not in labels  # no encrypted column, nothing to do

    with isolate_apps("cases") as registry:

        class FutureNote(models.Model):  # noqa: DJ008
            body = EncryptedTextField()

            class Meta:
                app_label = "cases"

        class PlainThing(models.Model):  # noqa: DJ008
            title = models.CharField(max_length=10)

            class Meta:
                app_label = "cases"

        assert encrypted_models(registry) == [FutureNote]


def test_rotates_everything_live_and_history_to_newest_key(settings, data_under_a):
    before = data_under_a
    history_labels = {"cases.HistoricalVictim", "cases.HistoricalIntake", "cases.HistoricalDispatch"}
    assert history_labels <= {label for label, _, _ in before}

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = run("--batch-size", "2")

    after = raw_tokens()
    assert after.keys() == before.keys()
    for where, token in after.items():
        assert readable_with(KEY_B, token), where
        assert not readable_with(KEY_A, token), where
        assert PII["victim_name"] not in token
    assert clear_values(after, KEY_B) == clear_values(before, KEY_A)

    # progress per model and batch, and a total
    assert "cases.Victim: 2/2 rows checked" in out
    assert "cases.HistoricalVictim: 2/3 rows checked" in out  # batch of 2 of 3 history rows
    assert "cases.HistoricalVictim: 3/3 rows checked" in out
    assert "cases.HistoricalDispatch:" in out and "cases.HistoricalIntake:" in out
    assert f"Done: {len(before)} value(s) re-encrypted" in out
    assert PII["victim_name"] not in out  # progress never shows clear text

    # the newest key alone now reads everything, history included
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    names = {h.name for h in Victim.history.all()}
    assert PII["victim_name"] in names and PII["ref_victim_name"] in names
    assert {v.address for v in Victim.objects.all()} >= {PII["address"]}


def test_second_run_rotates_nothing(settings, data_under_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    run()
    rotated = raw_tokens()
    out = run()
    assert "Done: 0 value(s) re-encrypted" in out
    assert raw_tokens() == rotated


def test_dry_run_counts_and_writes_nothing(settings, data_under_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = run("--dry-run")
    assert f"Dry run: {len(data_under_a)} value(s) would be re-encrypted" in out
    assert "cases.HistoricalVictim: 3 rows" in out
    assert raw_tokens() == data_under_a


def test_one_model_then_the_rest(settings, data_under_a):
    """Resume: a partial run (one model) followed by a full run that only does what is left."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = run("--model", "cases.Victim")
    assert "cases.Victim: 2/2 rows checked" in out and "HistoricalVictim" not in out
    partial = raw_tokens()
    victim_keys = {w for w in partial if w[0] == "cases.Victim"}
    assert victim_keys and all(readable_with(KEY_B, partial[w]) for w in victim_keys)
    assert all(readable_with(KEY_A, t) for w, t in partial.items() if w not in victim_keys)

    out = run()
    assert "cases.Victim: 2/2 rows checked, 0 values rotated" in out
    assert f"Done: {len(partial) - len(victim_keys)} value(s) re-encrypted" in out
    final = raw_tokens()
    assert all(readable_with(KEY_B, t) for t in final.values())
    # values already rotated by the first run were left as they were
    assert {w: final[w] for w in victim_keys} == {w: partial[w] for w in victim_keys}


def test_interrupted_run_resumes(settings, data_under_a, monkeypatch):
    """A crash in the middle keeps the committed batches; the next run finishes the rest only."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    real_rotate = rotate_module.rotate_token
    calls = {"n": 0}

    def crashing_rotate(token):
        calls["n"] += 1
        if calls["n"] > 7:
            raise RuntimeError("power cut")
        return real_rotate(token)

    monkeypatch.setattr(rotate_module, "rotate_token", crashing_rotate)
    with pytest.raises(RuntimeError, match="power cut"):
        run("--batch-size", "1")
    monkeypatch.undo()

    middle = raw_tokens()
    done = {w for w, t in middle.items() if readable_with(KEY_B, t)}
    assert 0 < len(done) <= 7  # the batch being written when it crashed was rolled back
    assert all(readable_with(KEY_A, t) for w, t in middle.items() if w not in done)

    out = run("--batch-size", "1")
    assert f"Done: {len(middle) - len(done)} value(s) re-encrypted" in out
    final = raw_tokens()
    assert all(readable_with(KEY_B, t) for t in final.values())
    assert {w: final[w] for w in done} == {w: middle[w] for w in done}


def test_missing_old_key_fails_closed_and_changes_nothing(settings, data_under_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_C]
    with pytest.raises(CommandError) as exc:
        run()
    message = str(exc.value)
    assert "do not decrypt with any key in FIELD_ENCRYPTION_KEYS" in message
    assert "Nothing was changed" in message
    assert "cases.Victim" in message and "cases.HistoricalVictim" in message
    assert PII["victim_name"] not in message
    assert raw_tokens() == data_under_a


def test_fails_closed_before_writing_even_when_some_values_are_rotatable(settings, data_under_a):
    """Victim under B (rotatable to C), the rest under A (unreadable with [C, B]): nothing is written."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    run("--model", "cases.Victim")
    mixed = raw_tokens()

    settings.FIELD_ENCRYPTION_KEYS = [KEY_C, KEY_B]
    with pytest.raises(CommandError, match="Nothing was changed"):
        run()
    assert raw_tokens() == mixed
    with pytest.raises(CommandError):
        run("--dry-run")


def test_unknown_model_and_bad_batch_size_are_refused():
    with pytest.raises(CommandError, match="not a model with encrypted fields"):
        run("--model", "cases.CaseNumberCounter")
    with pytest.raises(CommandError, match="batch-size"):
        run("--batch-size", "0")


def test_missing_or_malformed_keys_are_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS is empty"):
        run()
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(CommandError, match="not a Fernet key"):
        run()
