from django.db import migrations


def install(apps, schema_editor):
    """The count of open cases without the reminder sheet, kept by triggers (safety/counters.py)."""
    from safety import counters

    counters.install(using=schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        for table in ("cases_case", "safety_sheetdelivery"):
            for event in ("insert", "delete", "update"):
                if conn.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS safety_counter_{event} ON {table}")
                else:
                    name = "case" if table == "cases_case" else "delivery"
                    cursor.execute(f"DROP TRIGGER IF EXISTS safety_counter_{name}_{event}")
        cursor.execute("DELETE FROM cases_unitcounter WHERE key = 'safety:without_sheet'")


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0003_audit_chain"),
        ("cases", "0030_unit_counter"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
