"""Cached error values found in a sheet's XML however the cell tag is written (python-calamine
reads them as blank, so a missed one would score as full marks)."""

import pytest

from xlpy.engines.errorcells import error_cells, with_readable_errors


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="B3" t="e"><v>#DIV/0!</v></c>',
        b"<c r='B3' t='e'><v>#DIV/0!</v></c>",
        b'<c r="B3" t = "e" s="4"><f>1/0</f><v>#DIV/0!</v></c>',
        b'<x:c r="B3" t="e"><x:v>#DIV/0!</x:v></x:c>',
    ],
    ids=["double quotes", "single quotes", "spaces and a formula", "namespace prefix"],
)
def test_an_error_cell_is_found(cell):
    xml = b'<sheetData><row r="3"><c r="A3"><v>1</v></c>' + cell + b"</row></sheetData>"
    assert error_cells(xml) == {"B3": "#DIV/0!"}


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="B3" t="str"><v>e</v></c>',
        b'<c r="B3" t="inlineStr"><is><t>"e"</t></is></c>',
        b'<c r="B3"><v>5</v></c>',
    ],
    ids=["text e", "quoted e in text", "a number"],
)
def test_no_error_cell_is_invented(cell):
    assert error_cells(b'<sheetData><row r="3">' + cell + b"</row></sheetData>") == {}


def test_errors_calamine_cannot_read_are_stood_in_for():
    """python-calamine refuses a whole sheet holding an error it does not know (Excel 365's
    #SPILL!, #BUSY! …): those values are replaced for it, the rest of the XML kept byte for byte,
    while error_cells still gives each cell's own text."""
    xml = (
        b'<sheetData><row r="3"><c r="A3" t="e"><f>SEQUENCE(2)</f><v>#SPILL!</v></c>'
        b'<c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3" t=\'e\'><v>#BUSY!</v></c>'
        b'<c r="D3"><v>7</v></c></row></sheetData>'
    )
    readable = with_readable_errors(xml)
    assert readable == xml.replace(b"#SPILL!", b"#N/A").replace(b"#BUSY!", b"#N/A")
    assert error_cells(xml) == {"A3": "#SPILL!", "B3": "#DIV/0!", "C3": "#BUSY!"}
    assert with_readable_errors(readable) is None
    assert with_readable_errors(b'<c r="A1" t="e"><v>#REF!</v></c>') is None
