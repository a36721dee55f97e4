"""Look-up indexes on Corporation.furigana and on the upper-cased English name, in binary (code
point) order on both databases like the name_key index of 0002, so that "furigana (or English
name, any case) starting with X" is one index range scan."""

from django.db import migrations

INDEXES = {
    "imports_corp_furigana_bin_idx": ('(furigana COLLATE "C")', "furigana"),
    "imports_corp_name_en_upper_bin_idx": ('(UPPER(name_en) COLLATE "C")', "UPPER(name_en)"),
}


def create_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (on_postgres, on_sqlite) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON imports_corporation ({on_postgres if postgres else on_sqlite})")


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("imports", "0004_gbizinfo_profiles_regional_statistics")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
