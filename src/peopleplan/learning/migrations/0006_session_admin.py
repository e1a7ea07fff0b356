from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_evaluation"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
