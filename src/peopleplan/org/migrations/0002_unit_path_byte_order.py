"""Unit paths compare byte by byte on PostgreSQL, whatever the database's collation.

The subtree query is a range on `path` ("/1/7/" up to "/1/70"), which is right only when
strings sort by their bytes. A database created with a language collation (en-GB, ICU) sorts
"/17/" inside that range. SQLite compares bytes already (BINARY).
"""

from django.db import migrations


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE org_unit ALTER COLUMN path TYPE varchar(1000) COLLATE "C"'
        )


def language_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE org_unit ALTER COLUMN path TYPE varchar(1000) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(byte_order, language_order)]
