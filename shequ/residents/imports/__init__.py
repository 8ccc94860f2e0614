"""Import of persons and households from xlsx or csv with Chinese column headers.

One pass checks every row (a dry run reports every problem by row and column, and how many rows
would be added, updated or left unchanged); the real import writes everything in one transaction
or nothing. Rows are keyed by the ID number's keyed hash, so importing the same file again adds
nothing. The work is done in bulk: one query per 2,000 rows to find existing persons, batched
hashing and encryption, bulk inserts and updates — no query per row.

Blank cells leave an existing person's value as it is.

The parts: ``reading`` (the file to rows of cells), ``headers`` (the template's columns and the header
row), ``checks`` (every row against the registry's rules), ``writing`` (bulk writes), ``run`` (the
import, all or nothing) and ``jobs`` (uploads, confirmation and the background task).
"""

from shequ.residents.imports.checks import ImportResult, RowError
from shequ.residents.imports.headers import COLUMNS, HEADERS, template_rows
from shequ.residents.imports.reading import ImportFileError
from shequ.residents.imports.run import NeedsMapping, open_source, read_table, run_import

__all__ = [
    "COLUMNS",
    "HEADERS",
    "ImportFileError",
    "ImportResult",
    "NeedsMapping",
    "RowError",
    "open_source",
    "read_table",
    "run_import",
    "template_rows",
]
