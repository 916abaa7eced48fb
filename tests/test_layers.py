"""The import graph follows the README's drawing: arrows point down, no cycles.

Every import in every module counts, function-level ones included (a lazy import hides a cycle,
it does not remove it). Packages are ``xlpy.<name>`` (and ``udfs``); each sits in one layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bottom to top. A package may import its own layer's packages only through SIDEWAYS.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"xlpy", "xlpy.errors", "xlpy.memo"}),
    ("words", {"xlpy.words"}),
    ("rules", {"xlpy.rules"}),
    ("core", {"xlpy.core"}),
    ("shared", {"xlpy.shared"}),
    ("descriptions and engines", {"xlpy.forms", "xlpy.engines"}),
    (
        "jobs",
        {
            "xlpy.template",
            "xlpy.validate",
            "xlpy.consolidate",
            "xlpy.recalc",
            "xlpy.addin",
            "xlpy.period",
            "xlpy.feedback",
            "xlpy.export",
            "xlpy.adopt",
        },
    ),
    ("slices", {"xlpy.ledgers"}),
    ("composition", {"xlpy.demo"}),
    ("front ends", {"udfs", "xlpy.cli", "xlpy.ribbon"}),
]

# Edges the drawing allows besides "down": each with its reason.
NAMED_EDGES = {
    ("xlpy.consolidate", "xlpy.validate"): "a month is validated before it is consolidated",
    ("xlpy.addin", "udfs"): "the add-in's VBA wrappers are generated from the functions' catalog",
    ("xlpy.recalc", "udfs"): "recalculation evaluates the functions themselves",
    ("xlpy.cli", "udfs"): "xlpy functions lists the functions' catalog",
    ("xlpy.period", "xlpy.consolidate"): "quarter/year results read the monthly summaries "
    "(SavedSummary) and reuse its ranking, writer and 分布",
    ("xlpy.feedback", "xlpy.consolidate"): "slips show the summary's columns, in its styles",
    ("xlpy.export", "xlpy.consolidate"): "the pay export copies the summary's columns",
    ("xlpy.feedback", "xlpy.period"): "slips read summaries with the shared summary reader",
    ("xlpy.export", "xlpy.period"): "the pay export reads summaries with the shared reader",
    ("xlpy.adopt", "xlpy.validate"): "an adopted workbook is read into the validator's own records "
    "(FormRead, WorkbookRead); validate gets the reader as a "
    "parameter (layouts=), never by importing adopt",
}

LAYER_OF = {package: index for index, (_, packages) in enumerate(LAYERS) for package in packages}


def package_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "udfs":
        return "udfs"
    return ".".join(parts[:2])


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Every xlpy/udfs module this file (in the tree at ``root``) imports, at any depth of the
    code."""
    module = module_name(path, root)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[
                    : len(module.split(".")) - node.level + (path.name == "__init__.py")
                ]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in ("xlpy", "udfs")}


def package_edges() -> dict[tuple[str, str], str]:
    """(from package, to package) → one module where the edge is made."""
    edges: dict[tuple[str, str], str] = {}
    for path in sorted([*ROOT.glob("xlpy/**/*.py"), *ROOT.glob("udfs/**/*.py")]):
        source = package_of(module_name(path))
        for target in imports_of(path):
            target_package = package_of(target)
            if target_package != source and (target_package in LAYER_OF or target == "xlpy"):
                edges.setdefault((source, target_package), module_name(path))
    return edges


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def violations(edges: dict[tuple[str, str], str]) -> list[str]:
    problems = []
    for (source, target), where in sorted(edges.items()):
        if source not in LAYER_OF:
            problems.append(f"{source} (in {where}) is in no layer: add it to LAYERS")
            continue
        if (source, target) in NAMED_EDGES or LAYER_OF[target] < LAYER_OF[source]:
            continue
        kind = "sideways" if LAYER_OF[target] == LAYER_OF[source] else "upward"
        problems.append(f"{kind} import {source} → {target} in {where}")
    problems += [" → ".join(cycle) for cycle in cycles(set(edges))]
    return problems


def test_every_package_sits_in_a_layer_and_imports_only_downwards():
    assert violations(package_edges()) == []


def module_edges() -> set[tuple[str, str]]:
    """(module, module) imports between xlpy's own modules, a package's __init__ excluded when
    its own submodules import it."""
    paths = [*ROOT.glob("xlpy/**/*.py"), *ROOT.glob("udfs/**/*.py")]
    modules = {module_name(path) for path in paths}
    return {
        (module_name(path), target)
        for path in paths
        for target in imports_of(path)
        if target in modules
        and target != module_name(path)
        and not module_name(path).startswith(target + ".")
    }


def test_no_module_imports_itself_through_others():
    assert cycles(module_edges()) == []


def test_the_contract_catches_an_upward_import_and_a_cycle():
    edges = package_edges()
    assert edges, "the scan found no imports at all"
    planted = dict(edges) | {("xlpy.core", "xlpy.validate"): "xlpy.core.planted"}
    found = violations(planted)
    assert "upward import xlpy.core → xlpy.validate in xlpy.core.planted" in found
    assert any(line.startswith("xlpy.core → ") or "→ xlpy.core →" in line for line in found)


def test_the_scan_sees_function_level_and_relative_imports(tmp_path):
    # Planted in a tree of its own, not the repo's: tests in other workers read the repo's tree.
    module = tmp_path / "xlpy" / "core" / "_probe_for_layers_test.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def f():\n    from ..validate import batch\n    import udfs\n", encoding="utf-8"
    )
    assert {"xlpy.validate.batch", "udfs"} <= imports_of(module, tmp_path)


@pytest.mark.parametrize(
    "entry",
    [
        "xlpy.rules",
        "xlpy.core.registry",
        "xlpy.core.monthly",
        "xlpy.core.kpi",
        "xlpy.core.tech",
        "xlpy.core.survey",
        "xlpy.core.performance",
    ],
)
def test_the_core_loads_no_workbook_library(entry):
    code = (
        f"import sys\nimport {entry}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'xlwings', 'openpyxl', 'python_calamine', 'xlsxwriter', 'udfs'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
