from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_attendancemark_completion"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
