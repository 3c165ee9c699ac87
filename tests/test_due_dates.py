"""Due dates: deadlines as one ISO day, relative ones resolved against the document's date."""

from __future__ import annotations

import pytest

from policykg.loaders.due_dates import due_date, end_of_period


@pytest.mark.parametrize(
    ("deadline", "iso", "document_date", "expected"),
    [
        ("2018年底前", "2018-12-31", None, ("2018-12-31", False)),
        ("2021年6月底前", "2021-06", None, ("2021-06-30", False)),
        ("2020年第一季度", "2020-03-31", None, ("2020-03-31", False)),
        ("到2020年", "2020", "2017-07-03", ("2020-12-31", False)),
        ("年底前", None, "2018-12-23", ("2018-12-31", True)),
        ("上半年", None, "2019-01-12", ("2019-06-30", True)),
        ("6月底前", None, "2019-01-12", ("2019-06-30", True)),
        ("3月底前", None, "2019-11-02", ("2020-03-31", True)),  # the next March
        ("本意见印发之日起30日内", None, "2019-01-12", ("2019-02-11", True)),
        ("印发之日起3个月内", None, "2019-11-30", ("2020-02-29", True)),
        ("5个工作日内", None, "2019-01-11", ("2019-01-18", True)),  # a Friday: Mon–Fri of the next week
        ("半年内", None, "2019-01-01", ("2019-07-02", True)),
        ("持续推进", None, "2019-01-12", (None, False)),
        ("年底前", None, None, (None, False)),  # no document date: nothing is invented
    ],
)
def test_due_dates(
    deadline: str, iso: str | None, document_date: str | None, expected: tuple[str | None, bool]
) -> None:
    assert due_date(deadline, iso, document_date=document_date) == expected


def test_partial_and_impossible_iso_dates() -> None:
    assert end_of_period("2024-02") == "2024-02-29"
    assert end_of_period("2019-13") is None
    assert end_of_period("2019-02-30") is None
    assert end_of_period("soon") is None
