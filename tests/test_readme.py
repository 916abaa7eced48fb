"""The README's function reference examples give the results it states."""

import re
from pathlib import Path

import pytest

import udfs

README = Path(__file__).parent.parent.joinpath("README.md").read_text(encoding="utf-8")
ROWS = re.findall(r"^\| `\w+\(.*?\| `=(\w+)\((.*)\)` \| (.+?) \|$", README, re.MULTILINE)


def test_every_function_has_an_example():
    assert {name for name, _, _ in ROWS} == set(udfs.CATALOG)


@pytest.mark.parametrize(
    "name, args, expected", [r for r in ROWS if not re.search(r"[A-Z]\d+:", r[1])]
)
def test_example(name, args, expected):
    value = eval(f"udfs.{name.lower()}({args.replace('{', '[').replace('}', ']')})", {"udfs": udfs})
    if isinstance(value, float):
        assert value == pytest.approx(float(expected), abs=0.005)
    else:
        assert str(value) == expected
