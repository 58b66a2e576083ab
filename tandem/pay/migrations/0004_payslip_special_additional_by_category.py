from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pay", "0003_payroll"),
    ]

    operations = [
        migrations.AddField(
            model_name="payslip",
            name="special_additional_by_category",
            field=models.JSONField(blank=True, default=dict,
                                   verbose_name="special additional deductions by category"),
        ),
    ]
