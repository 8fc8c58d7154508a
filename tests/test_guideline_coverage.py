"""docs/guideline-coverage.md stays true: one row per guideline requirement, and what it names exists.

The table is read from the repository only. The guideline's requirement IDs are listed below
(EXPECTED_IDS, in the guideline's order); a requirement added to or dropped from the table must be
added to or dropped from that list in the same change.

Each check is a function that takes parsed rows and returns readable problems, so the tests at the end
can feed them broken tables and show that they fail.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "docs" / "guideline-coverage.md"

STATUSES = ("done", "partial", "missing", "not-applicable")
# The note a status needs in the requirement cell (done rows may carry a **Note:**, nothing is required).
REQUIRED_NOTE = {"partial": "Missing", "missing": "Missing", "not-applicable": "Not applicable"}
NONE = "—"
COLUMNS = ("ID", "requirement", "status", "code", "test")

# G-1 … G-5, then item 1 … 10: 3-1-1A, 1-2a, 6-1-3B(a), 3-2-T, 10-N.
ID_PATTERN = re.compile(r"(?:G|[1-9]|10)-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*(?:\([a-z]\))?")
NODE_ID_PATTERN = re.compile(r"(tests/(?:\w+/)*test_\w+\.py)::(\w+)(?:::(\w+))?")
CODE_PATTERN = re.compile(r"(?P<path>[\w./-]+)(?::\s*(?P<names>[\w.]+(?:\s*,\s*[\w.]+)*))?")

# 《數位性影像案件成年被害人服務指引》 (112.10.18): every actionable requirement, in the guideline's order.
EXPECTED_IDS = (
    # G: cross-cutting (header, 備註)
    "G-1", "G-2", "G-3", "G-4", "G-5",
    # 1 單一案件受理窗口
    "1-A", "1-1", "1-2a", "1-2b", "1-2c", "1-2d", "1-2e", "1-2f", "1-3a", "1-3b", "1-3c", "1-B",
    # 2 心理支持
    "2-1", "2-1-1a", "2-1-1b", "2-1-1c", "2-2a", "2-2b", "2-2c", "2-2d",
    # 3 陪同服務
    "3-A", "3-1-1A", "3-1-1B", "3-1-1C", "3-1-1D", "3-1-1E", "3-1-1F", "3-1-2A", "3-1-2B", "3-1-2C",
    "3-1-2D", "3-1-2E", "3-1-2F", "3-1-3A", "3-1-3B", "3-1-3C", "3-1-3D", "3-2-1A", "3-2-1B", "3-2-1C",
    "3-2-1D", "3-2-1E", "3-2-1F", "3-2-2", "3-2-3A", "3-2-3B", "3-2-3C", "3-2-3D", "3-2-T", "3-3-1",
    "3-3-2",
    # 4 提供法律諮詢
    "4-A", "4-1a", "4-1b", "4-1-1", "4-1-2", "4-2-1", "4-2-2", "4-2-3", "4-3a", "4-3-1A", "4-3-1B",
    "4-3-2A", "4-3-2B", "4-3-2C", "4-3-2D", "4-3-2E",
    # 5 預防性影像遭散布或持續被散布
    "5-1", "5-2", "5-2-1", "5-2-2", "5-2-3", "5-3", "5-3-1", "5-3-2", "5-3-3A", "5-3-3B", "5-3-R",
    # 6 保存證據教學
    "6-1", "6-1-1", "6-1-2", "6-1-3A", "6-1-3B", "6-1-3B(a)", "6-1-3B(b)", "6-1-3B(c)", "6-1-3B(d)",
    "6-1-3B(e)", "6-1-3B(f)", "6-1-3B(g)", "6-1-4", "6-2a", "6-2-1", "6-2-2",
    # 7 維護被害人人身安全
    "7-1a", "7-1b", "7-2", "7-2-1", "7-2-2", "7-2-3a", "7-2-3b", "7-2-3c", "7-3",
    # 8 協助性影像下架申訴
    "8-1", "8-1-T", "8-1-1", "8-1-2", "8-1-3A", "8-1-3B", "8-1-3C", "8-1-3D", "8-1-4", "8-2", "8-2-1",
    "8-2-2",
    # 9 完成報警程序
    "9-1", "9-1-1", "9-1-2", "9-1-3", "9-2", "9-2-1", "9-2-2", "9-2-3", "9-2-4", "9-2-5", "9-2-6",
    "9-2-7", "9-3",
    # 10 視情節報請檢察官指揮偵辦
    "10-1", "10-2", "10-N",
)  # fmt: skip


# --- parsing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One table row: where it is, the section heading it sits under, its cells."""

    line: int
    section: str | None
    cells: tuple[str, ...]

    def _cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""

    @property
    def id(self) -> str:
        return self._cell(0)

    @property
    def requirement(self) -> str:
        return self._cell(1)

    @property
    def status(self) -> str:
        return self._cell(2)

    @property
    def code(self) -> str:
        return self._cell(3)

    @property
    def test(self) -> str:
        return self._cell(4)

    def where(self) -> str:
        return f"line {self.line} ({self.id or 'no ID'})"


def _split_cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(cell.strip() for cell in re.split(r"(?<!\\)\|", inner))


def parse_table(text: str) -> list[Row]:
    """The data rows of every table, each with the `## X.` section it sits under (X, or the heading)."""
    rows: list[Row] = []
    section: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            heading = re.match(r"##\s+(G|\d+)\.\s", line)
            section = heading.group(1) if heading else line[3:].strip()
            continue
        if not line.lstrip().startswith("|"):
            continue
        cells = _split_cells(line)
        if cells and cells[0] == COLUMNS[0]:
            continue  # header row
        if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
            continue  # separator row
        rows.append(Row(line=number, section=section, cells=cells))
    return rows


def parse_file(path: Path) -> list[Row]:
    return parse_table(path.read_text(encoding="utf-8"))


def _entries(cell: str) -> list[str]:
    """The `;`-separated entries of a code or test cell; `—` alone means none."""
    if cell.strip() == NONE:
        return []
    return [part.strip() for part in cell.split(";")]


# --- Python source lookups (no import: the table must not need the code to run) ----------------------


@cache
def _module(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None


def _names_defined(body: list[ast.stmt]) -> dict[str, ast.AST]:
    """Functions, classes and assigned names of one module or class body (imports do not count)."""
    names: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names[leaf.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
    return names


def _member(cls: ast.ClassDef, name: str, top: dict[str, ast.AST], seen: frozenset = frozenset()):
    """`name` defined in the class or in one of its base classes defined in the same file."""
    if cls.name in seen:
        return None
    found = _names_defined(cls.body).get(name)
    if found is not None:
        return found
    for base in cls.bases:
        if isinstance(base, ast.Name) and isinstance(top.get(base.id), ast.ClassDef):
            found = _member(top[base.id], name, top, seen | {cls.name})
            if found is not None:
                return found
    return None


def resolve(module: ast.Module, dotted: str):
    """The node that defines `Name`, `Class.attribute` or `Class.Inner.attribute`, or None."""
    top = _names_defined(module.body)
    first, *rest = dotted.split(".")
    node = top.get(first)
    for part in rest:
        if not isinstance(node, ast.ClassDef):
            return None
        node = _member(node, part, top)
    return node


# --- the checks: each returns readable problems, [] when all is well --------------------------------


def shape_problems(rows: list[Row]) -> list[str]:
    return [
        f"{row.where()}: {len(row.cells)} cells, expected {len(COLUMNS)} ({' | '.join(COLUMNS)})"
        for row in rows
        if len(row.cells) != len(COLUMNS)
    ]


def status_problems(rows: list[Row]) -> list[str]:
    """(a) Only the four statuses; partial and missing say what is missing, not-applicable says why."""
    problems = []
    for row in rows:
        if row.status not in STATUSES:
            problems.append(f"{row.where()}: status {row.status!r} is not one of {', '.join(STATUSES)}")
            continue
        label = REQUIRED_NOTE.get(row.status)
        if label and not re.search(rf"\*\*{label}:\*\*\s*\S", row.requirement):
            problems.append(
                f"{row.where()}: a {row.status} row needs '**{label}:** …' in its requirement cell"
            )
    return problems


def id_problems(rows: list[Row]) -> list[str]:
    """(c) IDs well formed, unique, each under the `## X.` heading of its section."""
    problems = []
    counts = Counter(row.id for row in rows)
    for row in rows:
        if not ID_PATTERN.fullmatch(row.id):
            problems.append(f"{row.where()}: {row.id!r} is not a guideline ID such as G-1, 3-1-1A, 6-1-3B(a)")
            continue
        if counts[row.id] > 1:
            problems.append(f"{row.where()}: {row.id} appears {counts[row.id]} times")
        section = row.id.split("-", 1)[0]
        if row.section != section:
            problems.append(
                f"{row.where()}: {row.id} sits under section {row.section!r}, expected '## {section}.'"
            )
    return problems


def expected_id_problems(rows: list[Row], expected: tuple[str, ...] = EXPECTED_IDS) -> list[str]:
    """(d) Exactly the guideline's IDs, in the guideline's order."""
    found = [row.id for row in rows]
    problems = []
    absent = [i for i in expected if i not in found]
    extra = [i for i in found if i not in expected]
    if absent:
        problems.append(f"missing from the table: {', '.join(absent)}")
    if extra:
        lines = [row.where() for row in rows if row.id in extra]
        problems.append(f"not guideline IDs (or not in EXPECTED_IDS): {', '.join(lines)}")
    if not absent and not extra and found != list(expected):
        for index, (have, want) in enumerate(zip(found, expected, strict=False)):
            if have != want:
                problems.append(f"{rows[index].where()}: out of order, expected {want} here")
                break
    if len(found) != len(expected) and not problems:
        problems.append(f"{len(found)} rows, expected {len(expected)}")
    return problems


def node_id_problems(rows: list[Row], root: Path = ROOT) -> list[str]:
    """(b) Every named test exists: the file under tests/, the function or Class::method in it."""
    problems = []
    for row in rows:
        for node_id in _entries(row.test):
            where = f"{row.where()}: {node_id}"
            match = NODE_ID_PATTERN.fullmatch(node_id)
            if not match:
                problems.append(f"{where}: not a node id like tests/dir/test_x.py::TestClass::test_name")
                continue
            path, first, second = match.groups()
            module = _module(root / path)
            if module is None:
                problems.append(f"{where}: {path} does not exist or does not parse")
                continue
            top = _names_defined(module.body)
            if second is None:
                node = top.get(first)
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    problems.append(f"{where}: no test function {first} in {path}")
                elif not first.startswith("test"):
                    problems.append(
                        f"{where}: {first} is not collected by pytest (name must start with test)"
                    )
                continue
            cls = top.get(first)
            if not isinstance(cls, ast.ClassDef):
                problems.append(f"{where}: no class {first} in {path}")
                continue
            method = _member(cls, second, top)
            if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                problems.append(f"{where}: no method {second} in {first} (nor its bases in {path})")
            elif not (first.startswith("Test") and second.startswith("test")):
                problems.append(f"{where}: not collected by pytest (TestClass::test_name)")
    return problems


def code_reference_problems(rows: list[Row], root: Path = ROOT) -> list[str]:
    """Every named file exists in the repository; every Python name after `path:` is defined in it."""
    problems = []
    for row in rows:
        for entry in _entries(row.code):
            where = f"{row.where()}: {entry}"
            match = CODE_PATTERN.fullmatch(entry)
            if not match:
                problems.append(f"{where}: expected 'path' or 'path: Name, Class.attribute'")
                continue
            path = root / match["path"]
            if not path.exists():
                problems.append(f"{where}: {match['path']} does not exist")
                continue
            if not match["names"]:
                continue
            module = _module(path) if path.suffix == ".py" else None
            if module is None:
                problems.append(f"{where}: names can be checked in Python files only")
                continue
            for name in (n.strip() for n in match["names"].split(",")):
                if resolve(module, name) is None:
                    problems.append(f"{where}: {name} is not defined in {match['path']}")
    return problems


# --- the table as it is -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    assert TABLE.exists(), f"{TABLE.relative_to(ROOT)} is missing"
    return parse_file(TABLE)


def _report(problems: list[str], what: str) -> None:
    if problems:
        listed = "\n  ".join(problems)
        pytest.fail(f"docs/guideline-coverage.md: {what}:\n  {listed}", pytrace=False)


def test_every_row_has_the_five_columns(rows):
    _report(shape_problems(rows), "rows without the five columns")


def test_statuses_are_the_four_words_and_each_says_what_is_missing_or_why(rows):
    _report(status_problems(rows), "bad status or missing note")


def test_every_named_test_exists(rows):
    _report(node_id_problems(rows), "tests named in the table that do not exist")


def test_ids_are_unique_well_formed_and_under_their_section(rows):
    _report(id_problems(rows), "bad IDs")


def test_the_table_holds_exactly_the_guideline_ids_in_order(rows):
    assert len(EXPECTED_IDS) == len(set(EXPECTED_IDS)) == 136
    _report(expected_id_problems(rows), "the IDs differ from the guideline's")


def test_every_named_file_and_python_name_exists(rows):
    _report(code_reference_problems(rows), "code named in the table that does not exist")


# --- the checks catch mistakes (broken copies of the table) -------------------------------------------


def _broken(tmp_path: Path, old: str, new: str, *, count: int = 1) -> list[Row]:
    text = TABLE.read_text(encoding="utf-8")
    assert old in text, f"the fixture text {old!r} is no longer in the table; pick another"
    copy = tmp_path / "guideline-coverage.md"
    copy.write_text(text.replace(old, new, count), encoding="utf-8")
    return parse_file(copy)


class TestTheChecksCatchMistakes:
    def test_the_real_table_parses_into_one_row_per_id(self, rows):
        assert [row.id for row in rows][:3] == ["G-1", "G-2", "G-3"]
        assert len(rows) == len(EXPECTED_IDS)

    def test_an_unknown_status(self, tmp_path):
        rows = _broken(
            tmp_path,
            "| Receive referral forms (轉介表) and dispatch the case by the working procedure. | done |",
            "| Receive referral forms (轉介表) and dispatch the case by the working procedure. | Done |",
        )
        problems = status_problems(rows)
        assert len(problems) == 1 and "1-1" in problems[0] and "'Done'" in problems[0]

    def test_not_applicable_without_a_reason_and_missing_without_saying_what(self, rows):
        # Two rows of the real table, rewritten in memory: whatever their statuses are today.
        first, second = rows[0], rows[1]

        def broken(row):
            if row is first:
                return Row(
                    row.line, row.section, (row.id, "A requirement.", "not-applicable", *row.cells[3:])
                )
            if row is second:
                return Row(row.line, row.section, (row.id, "Another requirement.", "missing", *row.cells[3:]))
            return row

        problems = status_problems([broken(r) for r in rows])
        assert any(first.id in p and "Not applicable" in p for p in problems)
        assert any(second.id in p and "Missing" in p for p in problems)
        assert len(problems) == 2

    def test_a_test_that_does_not_exist(self, tmp_path):
        rows = _broken(
            tmp_path,
            "tests/cases/test_views.py::TestCaseDetail::test_the_assigned_worker_sees_what_the_victim_already_told",
            "tests/cases/test_views.py::TestCaseDetail::test_renamed_meanwhile; "
            "tests/cases/test_nowhere.py::test_x; tests/cases/test_views.py::NoSuchClass::test_y; "
            "tests/cases/test_one_window.py::test_gone; tests/cases/test_views.py::test_a",
        )
        problems = "\n".join(node_id_problems(rows))
        assert "no method test_renamed_meanwhile in TestCaseDetail" in problems
        assert "tests/cases/test_nowhere.py does not exist" in problems
        assert "no class NoSuchClass" in problems
        assert "no test function test_gone" in problems
        assert "no test function test_a" in problems
        assert problems.count("G-2") == 5

    def test_methods_inherited_from_a_base_class_in_the_same_file_count(self, tmp_path):
        (tmp_path / "tests" / "demo").mkdir(parents=True)
        (tmp_path / "tests" / "demo" / "test_base.py").write_text(
            "class Base:\n    def test_shared(self):\n        pass\n\n"
            "class TestChild(Base):\n    def test_own(self):\n        pass\n\n"
            "def helper():\n    pass\n",
            encoding="utf-8",
        )
        cells = (
            "G-1",
            "x",
            "done",
            NONE,
            "tests/demo/test_base.py::TestChild::test_shared; tests/demo/test_base.py::TestChild::test_own",
        )
        assert node_id_problems([Row(1, "G", cells)], root=tmp_path) == []
        bad = (*cells[:4], "tests/demo/test_base.py::TestChild::test_none; tests/demo/test_base.py::helper")
        problems = node_id_problems([Row(1, "G", bad)], root=tmp_path)
        assert len(problems) == 2 and "not collected" in problems[1]

    def test_a_duplicate_a_bad_id_and_a_row_under_the_wrong_section(self, tmp_path):
        rows = _broken(tmp_path, "| 1-2b |", "| 1-2a |")
        rows = [Row(r.line, r.section, ("9-9-9x!", *r.cells[1:])) if r.id == "1-2c" else r for r in rows]
        rows = [Row(r.line, "3", r.cells) if r.id == "2-1" else r for r in rows]
        problems = "\n".join(id_problems(rows))
        assert "1-2a appears 2 times" in problems
        assert "'9-9-9x!' is not a guideline ID" in problems
        assert "2-1 sits under section '3'" in problems

    def test_a_missing_an_extra_and_a_swapped_id(self, tmp_path):
        rows = parse_file(TABLE)
        dropped = [r for r in rows if r.id != "7-3"]
        assert expected_id_problems(dropped) == ["missing from the table: 7-3"]
        extra = [*rows, Row(999, "10", ("10-3", "x", "missing", NONE, NONE))]
        assert expected_id_problems(extra) == ["not guideline IDs (or not in EXPECTED_IDS): line 999 (10-3)"]
        swapped = list(rows)
        swapped[0], swapped[1] = swapped[1], swapped[0]
        problems = expected_id_problems(swapped)
        assert len(problems) == 1 and "out of order, expected G-1 here" in problems[0]

    def test_code_that_does_not_exist(self, tmp_path):
        rows = _broken(
            tmp_path,
            "cases/choices.py: ServiceOffered.EXPLAIN",
            "cases/choices.py: ServiceOffered.EXPLAINED, NoSuchClass; cases/gone.py: x; "
            "legal/fixtures/offences.json: y",
        )
        problems = "\n".join(code_reference_problems(rows))
        assert "ServiceOffered.EXPLAINED is not defined in cases/choices.py" in problems
        assert "NoSuchClass is not defined" in problems
        assert "cases/gone.py does not exist" in problems
        assert "names can be checked in Python files only" in problems

    def test_the_failure_message_lists_the_rows(self):
        with pytest.raises(pytest.fail.Exception) as exc:
            _report(["line 3 (G-1): a", "line 4 (G-2): b"], "bad status or missing note")
        assert str(exc.value) == (
            "docs/guideline-coverage.md: bad status or missing note:\n  line 3 (G-1): a\n  line 4 (G-2): b"
        )
