"""The layers of maca: which part of the code may import which (decision 46).

A part is a top-level piece of the `maca` package: an app (`maca/audits/`) or a module
(`maca/grades.py`). The parts stand in layers, in the audit's own order, and a part imports only
parts of its own layer or below. `maca/access.py`, the scoping module, stands between the apps'
models and everything else: it imports only models (and base modules), and no models module
imports it; so every app may import it. Every import counts, those inside a function too.

Run as a script (`.venv/bin/python tests/test_layers.py [ROOT]`) it prints the figures:
arrows between parts, those running upward, pairs of parts importing each other, and import
cycles between modules.
"""

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A part may import its own layer and those below it.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "base",
        {
            "errors",
            "grades",
            "roles",
            "links",
            "sealing",
            "sessions",
            "forms",
            "downloads",
            "wordfiles",
            "drawing",
            "uploads",
            "cli",
            "access_rls",
            "tables",
            "disclosure",
            "profiles",
            "kept",
        },
    ),
    ("the change history", {"history"}),
    ("people", {"accounts"}),
    ("the partnership", {"partnerships"}),
    ("planning an audit", {"audits"}),
    ("e-mail", {"notices"}),
    ("returns", {"returns"}),
    ("the meeting", {"meetings"}),
    ("actions", {"actions"}),
    ("the report", {"reports"}),
    ("learning across audits", {"learning"}),
    ("the yearly report", {"yearly"}),
    ("whole audits", {"retention", "bundles"}),
    ("pages and doors", {"front", "api", "demo", "backups", "tag_colours"}),
    ("the project", {"settings", "urls", "wsgi"}),
]
SCOPING = "access"
# Besides models, the scoping module reads the audit's stage table (which imports nothing of
# maca): which stages allow what is the audit's to say, who may do it the scoping module's.
SCOPING_READS = {"maca.audits.stages"}

# The upward imports that remain, each with why (at most 10: issue 20). An entry no import needs
# any more fails the test too, so the list only shrinks.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    ("audits", "notices"): "sending the requests and chasing write the e-mails they cause",
    ("audits", "returns"): "the tracking grid shows each return's flag",
    ("notices", "returns"): "send-reminders chases the returns and their flags",
    ("notices", "actions"): "send-reminders chases the actions; a notice can name its action",
    ("meetings", "actions"): "the meeting records immediate actions and reads them",
    ("actions", "reports"): "a dissemination names the published edition it sent",
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, "maca.audits.views"
    target: str  # the module imported, "maca.grades"
    where: str  # "maca/audits/views.py:12"


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "maca").rglob("*.py")):
        names = list(path.relative_to(root).with_suffix("").parts)
        if names[-1] == "__init__":
            names.pop()
        found[".".join(names)] = path
    return found


def imports(root: Path) -> list[Import]:
    """Every import of a maca module by a maca module, at any depth of the code."""
    known = modules(root)
    found = []
    for name, path in known.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "maca":
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    found.append(Import(name, target, where))
    return found


def part(module: str) -> str:
    return module.split(".")[1]


def parts(root: Path) -> set[str]:
    return {part(name) for name in modules(root) if name != "maca"}


def rank() -> dict[str, int]:
    return {name: number for number, (_, names) in enumerate(LAYERS) for name in names}


def arrows(found: list[Import]) -> dict[tuple[str, str], list[str]]:
    """(importing part, imported part) -> where, for imports between different parts."""
    between = defaultdict(dict)
    for each in found:
        if part(each.source) != part(each.target):
            between[part(each.source), part(each.target)][each.where] = True
    return {pair: list(where) for pair, where in between.items()}


def upward(found: list[Import]) -> dict[tuple[str, str], list[str]]:
    """The arrows from a part to a part of a higher layer (the scoping module apart)."""
    ranks = rank()
    return {
        (source, target): where
        for (source, target), where in arrows(found).items()
        if SCOPING not in (source, target) and ranks[source] < ranks[target]
    }


def scoping_breaches(found: list[Import]) -> list[str]:
    """Imports by the scoping module of anything but models and base modules, and imports of it
    by a models module: either would let it close a loop between the apps."""
    base = LAYERS[0][1]
    breaches = []
    for each in found:
        target_part = part(each.target)
        reads = target_part in base or each.target.endswith(".models")
        reads = reads or each.target in SCOPING_READS
        if part(each.source) == SCOPING and target_part != SCOPING and not reads:
            breaches.append(f"{each.where} imports {each.target}")
        if target_part == SCOPING and each.source.endswith(".models"):
            breaches.append(f"{each.where}: a models module imports the scoping module")
    return breaches


def cycles(found: list[Import]) -> list[list[str]]:
    """The modules that import each other, directly or through others (Tarjan's strongly
    connected components, iteratively)."""
    graph = defaultdict(set)
    for each in found:
        graph[each.source].add(each.target)
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for start in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def figures(root: Path) -> dict[str, int]:
    found = imports(root)
    between = arrows(found)
    mutual = {frozenset(pair) for pair in between if pair[::-1] in between}
    return {
        "arrows": len(between),
        "upward": len(upward(found)),
        "mutual pairs": len(mutual),
        "cycles": len(cycles(found)),
    }


# --- The tests ---------------------------------------------------------------------------------


def test_every_part_stands_in_a_layer():
    placed = set(rank()) | {SCOPING}
    assert parts(ROOT) - placed == set(), "add the new part to LAYERS"
    assert placed - parts(ROOT) == set(), "a part in LAYERS no longer exists"


def test_no_import_runs_upward_beyond_the_allowed():
    found = upward(imports(ROOT))
    unexpected = {pair: where for pair, where in found.items() if pair not in ALLOWED_UPWARD}
    assert unexpected == {}, "an import runs against the layers (decision 46)"
    assert set(ALLOWED_UPWARD) - set(found) == set(), "no import needs this exception any more"
    assert len(ALLOWED_UPWARD) <= 10


def test_the_scoping_module_reads_only_models():
    assert scoping_breaches(imports(ROOT)) == []


def test_no_modules_import_each_other():
    assert cycles(imports(ROOT)) == []


def test_the_checks_see_an_upward_import_and_a_cycle(tmp_path):
    """The same checks, on a made-up package: a grade module importing an audit's views, which
    import it back, and the scoping module importing views."""
    for name, text in {
        "maca/__init__.py": "",
        "maca/grades.py": "def f():\n    from maca.audits import views\n",
        "maca/audits/__init__.py": "",
        "maca/audits/models.py": "from maca import access\n",
        "maca/audits/views.py": "from maca.grades import f\n",
        "maca/access.py": "from maca.audits.views import x\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = imports(tmp_path)
    assert set(upward(found)) == {("grades", "audits")}
    assert cycles(found) == [["maca.audits.views", "maca.grades"]]
    assert scoping_breaches(found) == [
        "maca/access.py:1 imports maca.audits.views",
        "maca/audits/models.py:1: a models module imports the scoping module",
    ]


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    for label, count in figures(root).items():
        print(f"{label}: {count}")
    found = imports(root)
    for (source, target), where in sorted(upward(found).items()):
        print(f"  upward {source} -> {target}: {', '.join(where)}")
    for component in cycles(found):
        print(f"  cycle: {' ~ '.join(component)}")
