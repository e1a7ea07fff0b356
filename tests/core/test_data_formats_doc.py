from pathlib import Path

from peopleplan.core.management.commands.data_formats import formats_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-formats.md"


def test_the_data_formats_page_has_every_column_of_every_kind():
    assert formats_markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/data-formats.md is out of date: paste the output of `peopleplan data_formats`"
    )
