"""The import graph of the package (an ast scan of bargaining/, lazy imports inside functions
included): no circle through the report, viz or sweep layers, no upward import out of the model
layer into pictures or reports, and notebook display still works through the model's hook."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bargaining"
OWNED = ("bargaining.report", "bargaining.viz", "bargaining.sweep")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere in its text (top level or in a function)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                ]
            for t in targets:
                while t and t not in modules:  # "bargaining.x.y" where y is a name in bargaining.x
                    t = t.rpartition(".")[0]
                if t and t != name and t != "bargaining":
                    graph[name].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _subpackage(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_the_scan_sees_known_edges():
    graph = import_graph()  # a scan that found nothing would make the tests below pass vacuously
    assert "bargaining.report.registry" in graph["bargaining.report.render"]
    assert "bargaining.report.render_tree" in graph["bargaining.report.registry"]
    assert "bargaining.sweep.spec" in graph["bargaining.sweep.engine"]
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_no_module_circle_through_report_viz_or_sweep():
    bad = [c for c in _cycles(import_graph()) if any(_in(m, OWNED) for m in c)]
    assert bad == []


def test_no_subpackage_circle_through_report_viz_or_sweep():
    sub: dict[str, set[str]] = {}
    for m, targets in import_graph().items():
        sub.setdefault(_subpackage(m), set()).update(
            _subpackage(t) for t in targets if _subpackage(t) != _subpackage(m)
        )
    bad = [c for c in _cycles(sub) if any(_in(m, OWNED) for m in c)]
    assert bad == []


@pytest.mark.parametrize(
    "source, forbidden",
    [
        (
            ("bargaining.model",),
            ("bargaining.report", "bargaining.viz", "bargaining.sweep", "bargaining.cli"),
        ),
        (
            ("bargaining.formats",),
            ("bargaining.report", "bargaining.viz", "bargaining.sweep", "bargaining.cli"),
        ),
        (
            ("bargaining.report", "bargaining.viz"),
            ("bargaining.sweep", "bargaining.cli", "bargaining.formats"),
        ),
        (("bargaining.viz",), ("bargaining.report",)),
        (("bargaining.sweep",), ("bargaining.cli",)),
    ],
)
def test_no_upward_import(source, forbidden):
    bad = sorted(
        (m, t)
        for m, targets in import_graph().items()
        if _in(m, source)
        for t in targets
        if _in(t, forbidden)
    )
    assert bad == []


def test_notebook_display_goes_through_the_model_hook(monkeypatch):
    import bargaining
    from bargaining.model import display

    game = bargaining.NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    sol = bargaining.solve(game)
    assert "<table" in game._repr_html_()
    html = sol._repr_html_()
    assert "1 equilibrium" in html and "<table" in html  # the prisoner's dilemma: (D, D) only
    monkeypatch.setattr(display, "HOOKS", {})  # nothing registered: IPython falls back to repr
    assert game._repr_html_() is None and sol._repr_html_() is None and sol._repr_svg_() is None
    with pytest.raises(ValueError):
        display.register("latex", str)
