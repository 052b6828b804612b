"""The layers hold: no import cycle between packages (TYPE_CHECKING imports included), and each layer
imports only what lies below it.

A "package" here is each subpackage or root module of `bot/` (bot.communities, bot.app, …) and each
of handlers, storage and schedules as a whole.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = ("bot", "handlers", "storage", "schedules")
DOMAIN = ("bot.communities", "bot.welcome", "bot.knowledge", "bot.home", "bot.rhythms", "bot.delivery", "bot.slack")
ENTRY_POINTS = ("bot.app", "bot.cli", "bot.web", "bot.sandbox", "bot.__main__")


def modules() -> Iterator[tuple[str, Path]]:
    for top in TOP:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path: Path) -> set[str]:
    """Every copbot module a file imports, wherever the import statement stands."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in TOP}


def unit(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 1 else parts[0]


def unit_graph() -> dict[str, set[str]]:
    known = {name for name, _ in modules()}
    graph: dict[str, set[str]] = {}
    for name, path in modules():
        targets = {unit(target) for target in imported(path) if target in known}
        graph.setdefault(unit(name), set()).update(targets - {unit(name)})
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_packages() -> None:
    assert cycles(unit_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_storage_knows_nothing_above_it() -> None:
    assert unit_graph()["storage"] == set()


def test_schedules_knows_no_feature() -> None:
    assert unit_graph()["schedules"] <= {"storage", "bot.clock"}


def test_the_domain_knows_no_slack_adapter_and_no_entry_point() -> None:
    graph = unit_graph()
    for package in DOMAIN:
        assert not graph.get(package, set()) & {"handlers", *ENTRY_POINTS}, package


def test_handlers_call_the_domain_and_use_storage_only_for_its_types() -> None:
    for name, path in modules():
        if unit(name) != "handlers":
            continue
        for target in imported(path):
            assert unit(target) not in ENTRY_POINTS, f"{name} imports {target}"
            if target.startswith("storage"):
                assert target.startswith(("storage.models", "storage.errors")), (
                    f"{name} imports {target}: ask the domain instead"
                )
        source = path.read_text()
        for query in ("session.get(", "session.execute(", "session.scalar(", "session.scalars(", "select("):
            assert query not in source, f"{name} queries the database itself ({query}…): the domain owns queries"
        for queueing in ("enqueue(", "post_message(", "update_message("):
            assert queueing not in source, f"{name} queues a message itself: the domain owns what it queues"
