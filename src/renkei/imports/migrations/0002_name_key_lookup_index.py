"""The look-up index on Corporation.name_key, in binary (code point) order on both databases, so
that "names starting with X" is one index range scan, ordered, whatever the database collation."""

from django.db import migrations

INDEX = "imports_corp_name_key_bin_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX {INDEX} ON imports_corporation ((name_key COLLATE "C"))')
    else:
        schema_editor.execute(f"CREATE INDEX {INDEX} ON imports_corporation (name_key)")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_corporations_and_runs")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
