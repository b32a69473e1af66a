"""The register's CSV export: its headers in the reader's language."""

import csv
import io

import pytest

from tests.signatories.test_register import csv_url
from tests.support.catalogue import welsh_catalogue

pytestmark = pytest.mark.django_db


def header_row(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_headers_are_in_the_active_language(client, edition, tmp_path):
    english = header_row(client.get(csv_url(edition.compact), headers={"accept-language": "en-GB"}))
    assert english[:2] == ["organisation", "sector"]
    with welsh_catalogue(tmp_path, {"organisation": "sefydliad", "date signed": "dyddiad llofnodi"}):
        welsh = header_row(client.get(csv_url(edition.compact), headers={"accept-language": "cy"}))
    assert welsh[0] == "sefydliad" and "dyddiad llofnodi" in welsh
    assert len(welsh) == len(english)
