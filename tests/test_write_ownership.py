"""Every INSERT, UPDATE, DELETE, MERGE or COPY ... FROM of an app table stands
in the one module of tracker/write/ that owns the table.

The source is read, not run: every string literal of tracker/, app_pages/,
dashboard.py and bench/ (implicit and ``+`` concatenations folded, f-string
placeholders kept as ``{}``), and also each module's literals joined in
order, so SQL split over several strings is still seen. Docstrings are prose
and are skipped. Case does not matter.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "tracker").rglob("*.py")), *sorted((ROOT / "app_pages").rglob("*.py"))]
SOURCES += [ROOT / "dashboard.py", *sorted((ROOT / "bench").rglob("*.py"))]

# table -> the one module that writes it
OWNERS = {
    "measures": "tracker/write/measures.py",
    "status_events": "tracker/write/measures.py",
    "budget_lines": "tracker/write/budget.py",
    "cost_centres": "tracker/write/budget.py",
    "decisions": "tracker/write/decisions.py",
    "measure_decisions": "tracker/write/decisions.py",
    "organisations": "tracker/write/programmes.py",
    "programmes": "tracker/write/programmes.py",
    "themes": "tracker/write/programmes.py",
    "users": "tracker/write/accounts.py",
    "sessions": "tracker/write/sessions.py",
    "sign_in_handoffs": "tracker/write/sessions.py",
    "known_browsers": "tracker/write/sessions.py",
    "sign_in_throttle": "tracker/write/password_sign_in.py",
    "settings": "tracker/write/settings.py",
    "audit_log": "tracker/write/audit.py",
    "id_counters": "tracker/write/ids.py",
    "indicators": "tracker/write/indicators.py",
    "indicator_values": "tracker/write/indicator_values.py",
    "indicator_goals": "tracker/write/indicator_values.py",
    "measure_indicators": "tracker/write/indicator_links.py",
    "emission_rows": "tracker/write/emissions.py",
    "emission_imports": "tracker/write/emissions.py",
    # the reporting cycle (issue 14)
    "reporting_periods": "tracker/write/periods.py",
    "period_ready": "tracker/write/periods.py",
    "period_closings": "tracker/write/periods.py",
    "snapshot_measures": "tracker/write/periods.py",
    "snapshot_money": "tracker/write/periods.py",
    "snapshot_decisions": "tracker/write/periods.py",
    "snapshot_indicators": "tracker/write/periods.py",
    "snapshot_indicator_goals": "tracker/write/periods.py",
    "reminder_contacts": "tracker/write/reminders.py",
    "reminder_sends": "tracker/write/reminders.py",
    "import_batches": "tracker/write/imports.py",
    "import_batch_items": "tracker/write/imports.py",
    "measure_search": "tracker/write/search.py",
    "feedback": "tracker/write/feedback.py",
    "feedback_senders": "tracker/write/feedback.py",
}
ANY_TABLE = "{}"
# module -> tables it may write besides its own (ANY_TABLE: a table named at run time), and why
ALLOWED = {
    # bulk loaders of a whole programme or of many synthetic municipalities, with
    # one audit row for the whole load (ids from tracker.write.ids)
    "tracker/demo/seed.py": set(OWNERS),
    "tracker/demo/synth.py": {*OWNERS, ANY_TABLE},
    # the migration runner records which migrations it applied (and its helpers
    # rebuild a table in one transaction for the changes DuckDB cannot make in place)
    "tracker/db.py": {"schema_migrations", ANY_TABLE},
}

# a table name, or {} where an f-string puts one in (a write to a table chosen at run time)
_IDENTIFIER = r'(?:"?main"?\s*\.\s*)?"?(\{\}|[a-z_][a-z0-9_]*)"?'
_WRITES = [
    re.compile(r"\binsert\s+(?:or\s+\w+\s+)?into\s+" + _IDENTIFIER),
    re.compile(r"\bupdate\s+" + _IDENTIFIER + r"(?:\s+(?:as\s+)?\w+)?\s+set\b"),
    re.compile(r"\bdelete\s+from\s+" + _IDENTIFIER),
    re.compile(r"\bmerge\s+into\s+" + _IDENTIFIER),
    re.compile(r"\bcopy\s+" + _IDENTIFIER + r"(?:\s*\([^)]*\))?\s+from\b"),
    re.compile(r"\btruncate\s+(?:table\s+)?" + _IDENTIFIER),
]


def _schema_tables() -> set[str]:
    # .py migrations hold their SQL in strings; reading them whole finds their CREATE TABLEs too
    paths = sorted((ROOT / "migrations").glob("*.sql")) + sorted((ROOT / "migrations").glob("[0-9]*.py"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    text = re.sub(r"--[^\n]*", " ", text)
    return {
        m.lower()
        for m in re.findall(r"(?i)\bcreate\s+(?:or\s+replace\s+)?table\s+(?:if\s+not\s+exists\s+)?(\w+)", text)
    }


def _fold(node: ast.AST) -> str | None:
    """The text of a string expression: a literal, an f-string, or ``+`` of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _fold(node.left), _fold(node.right)
        if left is not None or right is not None:
            return (left or "{}") + (right or "{}")
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def string_literals(source: str) -> list[str]:
    """Every string expression of a module in source order, outermost folds only."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    texts, inside = [], set()
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside:
            continue
        text = _fold(node)
        if text is None:
            continue
        texts.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), text))
        inside.update(id(child) for child in ast.walk(node))
    return [text for _line, _col, text in sorted(texts)]


def written_tables(source: str) -> set[str]:
    """Tables the SQL in a module's strings writes, per string and across the module."""
    literals = string_literals(source)
    found = set()
    for text in [*literals, " ".join(literals)]:
        folded = text.lower()
        for pattern in _WRITES:
            found.update(match.group(1) for match in pattern.finditer(folded))
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(
    ("source", "tables"),
    [
        ('cur.execute("INSERT INTO measures (id) VALUES (?)")', {"measures"}),
        ('cur.execute("insert into " "Budget_Lines (id) VALUES (?)")', {"budget_lines"}),
        ('cur.execute("UPDATE " + "users" + " SET role = ?")', {"users"}),
        ('sql = f"UPDATE decisions AS d SET {x} WHERE id = ?"', {"decisions"}),
        ('a = "DELETE"\nb = "FROM measure_decisions WHERE true"', {"measure_decisions"}),
        ("cur.execute(\"COPY themes FROM 'x.csv'\")", {"themes"}),
        ('cur.execute("MERGE INTO settings USING s ON true")', {"settings"}),
        ('cur.execute("INSERT OR REPLACE INTO main.audit_log VALUES (1)")', {"audit_log"}),
        ('def f():\n    """Insert into measures the rows."""\n    return 1', set()),
        ("cur.execute(\"SELECT * FROM measures WHERE status = 'update'\")", set()),
        ("cur.execute(\"COPY (SELECT 1) TO 'out.csv'\")", set()),
        ('cur.execute(f"INSERT INTO {table} SELECT * FROM frame")', {"{}"}),
    ],
)
def test_the_reader_sees_writes_however_the_sql_is_spelled(source, tables):
    assert written_tables(source) == tables


def test_every_table_of_the_schema_has_an_owner():
    tables = _schema_tables()
    assert "measures" in tables and "id_counters" in tables, tables
    assert tables - {"schema_migrations"} == set(OWNERS), "a new table needs its owner in OWNERS (and a write module)"


def test_every_owner_module_exists():
    for owner in {module for module in OWNERS.values() if module}:
        assert (ROOT / owner).is_file(), owner


def test_each_table_is_written_only_by_its_owner():
    assert len(SOURCES) > 40
    strays = []
    for path in SOURCES:
        module = _name(path)
        for table in sorted(written_tables(path.read_text(encoding="utf-8"))):
            if table not in OWNERS and table not in _schema_tables() and table != ANY_TABLE:
                continue  # a staging table of a bulk write, not an app table
            if OWNERS.get(table) == module or table in ALLOWED.get(module, set()):
                continue
            strays.append(f"{module} writes {table} (owner: {OWNERS.get(table)})")
    assert strays == []


def test_each_owner_writes_its_tables():
    written = {_name(path): written_tables(path.read_text(encoding="utf-8")) for path in SOURCES}
    for table, owner in OWNERS.items():
        if owner is not None:
            assert table in written[owner], f"{owner} owns {table} but writes it nowhere"
