"""The surveys' ledgers."""

LEDGERS = ()
