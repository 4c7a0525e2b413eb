"""Trigram indexes for the accent-insensitive search on PostgreSQL.

The search matches every word anywhere in ``search_text`` (``LIKE '%word%'``), which a
B-tree cannot serve: at a million people each search read the whole table. A GIN index
with ``gin_trgm_ops`` serves those patterns (words of three letters or more). It needs the
``pg_trgm`` extension; where the database user may not create it, the migration says so
and goes on without the index (search still works, only slower). SQLite: nothing to do.
"""

from django.db import migrations

INDEXES = [
    ("units_unit", "units_unit_search_trgm"),
    ("units_person", "units_person_search_trgm"),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT trgm")
            except Exception as exc:  # no privilege: the DBA can add it later
                cursor.execute("ROLLBACK TO SAVEPOINT trgm")
                print(
                    f"\n  pg_trgm is not available ({exc.__class__.__name__}); people and unit "
                    "search works without its index. A database administrator can run "
                    "CREATE EXTENSION pg_trgm and then migrate units 0002, then 0003 again."
                )
                return
        for table, name in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for _table, name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("units", "0002_person_name_order")]

    operations = [migrations.RunPython(create, drop)]
