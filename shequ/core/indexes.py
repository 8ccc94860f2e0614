"""Indexes added to big tables in a migration without locking their writes (docs/deploy.md)."""

from __future__ import annotations

from django.db import migrations, models


def add_concurrently(
    app_label: str, model_name: str, indexes: list[models.Index]
) -> migrations.SeparateDatabaseAndState:
    """The migration operation that adds ``indexes`` to the model: ``CREATE INDEX CONCURRENTLY`` on PostgreSQL, a plain
    ``CREATE INDEX`` elsewhere (SQLite's schema editor has no such option, so Django's ``AddIndexConcurrently`` cannot
    be used); reversed by dropping them the same way. The migration must say ``atomic = False``."""

    def each(apps, schema_editor, method: str) -> None:
        model = apps.get_model(app_label, model_name)
        options = {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}
        for index in indexes:
            getattr(schema_editor, method)(model, index, **options)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name.lower(), index=index) for index in indexes],
        database_operations=[
            migrations.RunPython(
                lambda apps, editor: each(apps, editor, "add_index"),
                lambda apps, editor: each(apps, editor, "remove_index"),
            )
        ],
    )
