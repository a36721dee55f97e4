from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0005_corporation_kana_lookup"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="deleted",
            field=models.PositiveBigIntegerField(
                default=0,
                help_text="Stored records the file replaced and no longer lists (e-Stat figures of its areas).",
                verbose_name="deleted",
            ),
        ),
    ]
