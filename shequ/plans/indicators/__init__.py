"""The indicator catalogue and its computation (see :mod:`shequ.core.indicators` for the declarations).

- ``registry``: the nouns and indicators the apps declare, checked by a system check;
- ``compute``: every asked indicator for every asked org and year in a fixed number of queries, and the
  rows behind each side for the drill-down page.
"""
