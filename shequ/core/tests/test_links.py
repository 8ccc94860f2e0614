import pytest
from django.urls import NoReverseMatch, reverse

from shequ.core.links import url_for


def test_a_rows_link_is_the_reversed_url_of_its_id():
    detail, household = url_for("residents:detail"), url_for("residents:household")
    for pk in (1, 7, 2_147_483_646, 10**12):
        assert detail(pk) == reverse("residents:detail", args=[pk])
        assert household(pk) == reverse("residents:household", args=[pk])


def test_a_url_without_one_id_is_refused():
    with pytest.raises(NoReverseMatch):
        url_for("residents:list")
