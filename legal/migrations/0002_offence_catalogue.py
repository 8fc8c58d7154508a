"""Loads the offence catalogue of guideline 4-1-1 from legal/fixtures/offences.json."""

from django.db import migrations


def load(apps, schema_editor):
    from legal.catalogue import load_offences

    load_offences(apps.get_model("legal", "Offence"), apps.get_model("legal", "HistoricalOffence"))


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
