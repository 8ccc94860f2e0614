"""Backup and restore of the database and the media folder, into one tar archive with a manifest.

The archive holds ``manifest.json``, the database (``database.pgdump``, pg_dump's custom format, on PostgreSQL;
``database.sqlite3``, a copy made with SQLite's backup API, on SQLite) and ``media/`` (the uploaded files). The
manifest records, for every table, its row count and a SHA-256 over its rows in primary-key order, the SHA-256 of
the database file and of every media file, the migrations applied and Shequ's version; a restore is checked
against it. On PostgreSQL the counts and checksums are read in the same snapshot pg_dump dumps
(``pg_export_snapshot``), so they describe exactly the rows in the archive while the site goes on writing.

``databases`` talks to the two kinds of database through their own drivers (no Django connection: a restore
drill writes into another database than the configured one), ``archive`` writes and reads the tar and the media.
"""
