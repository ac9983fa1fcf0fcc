"""The kennisbank's search document, stored (PostgreSQL only).

Searching computed to_tsvector() of every article on every search. PostgreSQL now
keeps the document of each article in a generated column, ``search_document``, and a
GIN index on it finds the matches. The expression is the one questions/search.py used
to compute (title weight A, body weight B, Dutch configuration), so the matches and
their ranking stay the same.

The column is not a field of the model: SQLite (tests, ``make run``) has no tsvector
and searches with its own fallback, and the ORM must never write a generated column.
questions/search.py reads it on PostgreSQL only.
"""

from django.db import migrations

ADD = [
    """
    ALTER TABLE questions_article ADD COLUMN search_document tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')
            || setweight(to_tsvector('dutch'::regconfig, COALESCE(body, '')), 'B')
        ) STORED
    """,
    "CREATE INDEX article_search_document ON questions_article USING gin (search_document)",
]

REMOVE = [
    "DROP INDEX IF EXISTS article_search_document",
    "ALTER TABLE questions_article DROP COLUMN IF EXISTS search_document",
]


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in ADD:
            schema_editor.execute(statement)


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("questions", "0002_callback_queue_indexes"),
    ]

    operations = [
        migrations.RunPython(add_search_document, remove_search_document),
    ]
