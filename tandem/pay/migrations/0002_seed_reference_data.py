"""Seeds the reference data (city policies, minimum wages, deduction standards, the 2025 and
2026 holiday table): see `pay.seeds`."""

from django.db import migrations


def seed(apps, schema_editor):
    from tandem.pay.seeds import seed_reference_data

    seed_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("pay", "0001_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
