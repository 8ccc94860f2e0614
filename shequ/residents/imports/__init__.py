"""Import of persons and households from the rosters offices keep: xlsx, xls, et (WPS), csv, with the column names
and cell values people actually write.

A dry run checks every row and reports every problem by row and column (and how many rows would be added,
updated or left unchanged, with the old and new values of each change); the real import writes everything in one
transaction or nothing. Rows are keyed by the ID number's keyed hash, so importing the same file again adds
nothing; a blank cell never erases a stored value. The file is read as a stream and checked in batches of 2,000
rows (one query per batch to find registered persons, batched hashing and encryption, bulk inserts), with what
later steps need kept in a scratch store, so memory stays bounded whatever the number of rows. New persons' and
households' ids are taken in advance, so a household is written once, with its head. On PostgreSQL a batch's COPY
runs on a worker thread while the next batch is checked, and an import in a transaction of its own (a job) reads
the registry and takes ids through a second connection meanwhile.

The parts: ``reading`` (the file to a stream of rows), ``values`` (cell values as people write them), ``headers``
(the columns, the header row and the rows that are not persons), ``checks`` (every row against the registry's
rules), ``spill`` (the scratch store), ``writing`` (bulk writes), ``run`` (the import, all or nothing), ``jobs``
(uploads, column mapping, confirmation and the background task) and ``report`` (the file of errors).
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
