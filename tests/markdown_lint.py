"""A static check that text from a person, a file or a URL reaches a Streamlit
element that draws markdown only through ``ui.text.md``/``tr_md``/``md_link``.

Streamlit draws markdown in st.markdown, st.write, st.caption, titles and
headers, st.info/warning/error/success, st.toast, st.metric, st.progress and in
every widget's label and help. An argument there must be built from what the
app wrote itself: string literals, catalogue messages (``tr`` whose parameters
are themselves safe), numbers and dates formatted by ui.formats, and data only
inside ``md()``/``tr_md()``. A name counts as safe when every assignment to it
in its function (or module) is; a function parameter when it is annotated
``Markdown``. Anything else (``row.title``, ``measure["name"]``, ``tr(key,
**params)``) is reported with its file and line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# Element methods whose first argument (or label/help/body/text) Streamlit draws as markdown.
SINKS = {
    "markdown",
    "write",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "metric",
    "expander",
    "popover",
    "progress",
    "spinner",
    "status",
    "tabs",
    "page_link",
    "link_button",
    "button",
    "download_button",
    "form_submit_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "segmented_control",
    "pills",
    "color_picker",
    "chat_input",
}
MARKDOWN_KEYWORDS = {"body", "label", "help", "text", "captions"}
# Receivers whose methods of these names are no Streamlit elements.
NOT_STREAMLIT = {"log", "logger", "logging", "_LOGGER", "warnings", "parser", "os", "sys", "re", "write"}
# Functions whose result is markdown the app wrote, or plain digits and words of the catalogue.
SAFE_CALLS = {
    "md",
    "tr_md",
    "error_text",
    "problem_text",
    "md_link",
    "Markdown",
    "int",
    "len",
    "round",
    "fmt_eur",
    "fmt_pct",
    "fmt_number",
    "fmt_date",
    "status_text",
    "status_label",
    "status_name",
    "role_label",
    "number",
    "pct",
}
# Inside st.markdown(..., unsafe_allow_html=True): HTML-escaped text and the app's own HTML.
SAFE_HTML_CALLS = {"esc", "status_badge"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


class _Element(ast.AST):
    """The value a loop name takes from ``source`` (a name bound to a literal
    tuple of tuples), at ``path`` inside each item."""

    _fields = ()

    def __init__(self, source: ast.Name, path: tuple[int, ...]):
        super().__init__()
        self.source = source
        self.path = path


class _Scope:
    def __init__(self, node: ast.AST, parent: _Scope | None):
        self.node = node
        self.parent = parent
        self.assignments: dict[str, list[ast.AST | None]] = {}
        self.parameters: dict[str, ast.arg] = {}
        # name -> what ``name.append(...)`` added to it
        self.members: dict[str, list[ast.AST]] = {}


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _receiver_root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def markdown_parameters(tree: ast.Module) -> dict[str, dict[str, int]]:
    """function name -> {parameter: position} of its parameters annotated ``Markdown``."""
    found: dict[str, dict[str, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = [*node.args.posonlyargs, *node.args.args]
            if params and params[0].arg in ("self", "cls"):
                params = params[1:]
            marked = {
                arg.arg: index
                for index, arg in enumerate(params)
                if isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Markdown"
            }
            marked.update(
                {
                    arg.arg: -1
                    for arg in node.args.kwonlyargs
                    if isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Markdown"
                }
            )
            if marked:
                found[node.name] = marked
    return found


class _Checker:
    def __init__(self, tree: ast.Module, path: str, source: str, takes_markdown: dict[str, dict[str, int]]):
        self.takes_markdown = takes_markdown
        self.path = path
        self.source = source
        self.findings: list[Finding] = []
        self.scopes: dict[ast.AST, _Scope] = {}
        self._collect(tree, None)
        # names this file imports: their methods (importer.write ...) are no elements
        self.modules = {
            (alias.asname or alias.name).split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }

    # -- scopes and what is assigned in them --

    def _collect(self, node: ast.AST, parent: _Scope | None) -> None:
        scope = _Scope(node, parent)
        self.scopes[node] = scope
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                scope.parameters[arg.arg] = arg
            for arg in (args.vararg, args.kwarg):
                if arg is not None:
                    scope.parameters[arg.arg] = arg
        for child in ast.iter_child_nodes(node):
            self._walk(child, scope)

    def _walk(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                scope.assignments.setdefault(node.name, []).append(None)
            self._collect(node, scope)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            for generator in node.generators:
                self._bind(generator.target, None, scope)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind(target, node.value, scope)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            # name += value: the name stays safe when what is added is
            self._bind(node.target, node.value, scope)
        elif isinstance(node, ast.NamedExpr):
            self._bind(node.target, node.value, scope)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._bind_loop(node.target, node.iter, scope)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, None, scope)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and node.args
        ):
            scope.members.setdefault(node.func.value.id, []).append(node.args[0])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                scope.assignments.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
        for child in ast.iter_child_nodes(node):
            self._walk(child, scope)

    def _bind(self, target: ast.AST, value: ast.AST | None, scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.assignments.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [None] * len(target.elts)
            for element, element_value in zip(target.elts, values, strict=False):
                self._bind(element, element_value, scope)

    def _bind_loop(self, target: ast.AST, iterable: ast.AST, scope: _Scope) -> None:
        """A loop over a literal tuple of tuples binds each name to every value it takes."""
        if isinstance(iterable, ast.IfExp):  # for x in (a if shown else ()): x takes the values of both
            self._bind_loop(target, iterable.body, scope)
            self._bind_loop(target, iterable.orelse, scope)
            return
        if isinstance(iterable, (ast.Tuple, ast.List)) and all(
            isinstance(item, (ast.Tuple, ast.List)) or not isinstance(target, (ast.Tuple, ast.List))
            for item in iterable.elts
        ):
            for item in iterable.elts:
                self._bind(target, item, scope)
            return
        if isinstance(iterable, ast.Call) and _callee(iterable) == "zip":
            if isinstance(target, ast.Tuple) and len(target.elts) == len(iterable.args):
                for element, source in zip(target.elts, iterable.args, strict=True):
                    if isinstance(source, (ast.Tuple, ast.List)):
                        for item in source.elts:
                            self._bind(element, item, scope)
                    elif isinstance(source, ast.Name):
                        self._bind_element(element, source, (), scope)
                    else:
                        self._bind(element, None, scope)
                return
        if isinstance(iterable, ast.Name):
            self._bind_element(target, iterable, (), scope)
            return
        self._bind(target, None, scope)

    def _bind_element(self, target: ast.AST, source: ast.Name, path: tuple[int, ...], scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.assignments.setdefault(target.id, []).append(_Element(source, path))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                self._bind_element(element, source, (*path, index), scope)

    # -- what is safe --

    def safe(self, node: ast.AST | None, scope: _Scope, html: bool = False, seen: frozenset = frozenset()) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(self.safe(v, scope, html, seen) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.safe(node.value, scope, html, seen)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe(node.left, scope, html, seen) and self.safe(node.right, scope, html, seen)
        if isinstance(node, ast.IfExp):
            return self.safe(node.body, scope, html, seen) and self.safe(node.orelse, scope, html, seen)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(v, scope, html, seen) for v in node.values)
        if isinstance(node, ast.Call):
            return self._safe_call(node, scope, html, seen)
        if isinstance(node, ast.Name):
            return self._safe_name(node.id, scope, html, seen)
        if isinstance(node, _Element):
            return all(
                self.safe(self._at(item, node.path), scope, html, seen)
                for value in self._values(node.source.id, scope)
                for item in (value.elts if isinstance(value, (ast.Tuple, ast.List)) else [None])
            )
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            return all(self._safe_member(v, scope, html, seen) for v in self._values(node.value.id, scope))
        return False

    def _safe_items(self, node: ast.AST, scope: _Scope, html: bool, seen: frozenset) -> bool:
        """Whether every item of an iterable (a comprehension, or a name bound to a list) is safe."""
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self.safe(node.elt, self.scopes.get(node, scope), html, seen)
        if isinstance(node, (ast.Tuple, ast.List)):
            return all(self.safe(v, scope, html, seen) for v in node.elts)
        if isinstance(node, ast.Name):
            found = scope
            while found is not None and node.id not in found.assignments:
                found = found.parent
            if found is None:
                return False
            added = found.members.get(node.id, [])
            return all(self._safe_member(v, found, html, seen) for v in found.assignments[node.id]) and all(
                self.safe(v, found, html, seen) for v in added
            )
        return False

    def _values(self, name: str, scope: _Scope | None) -> list:
        while scope is not None:
            if name in scope.assignments:
                return scope.assignments[name]
            scope = scope.parent
        return [None]

    @staticmethod
    def _at(item: ast.AST | None, path: tuple[int, ...]) -> ast.AST | None:
        for index in path:
            if not isinstance(item, (ast.Tuple, ast.List)) or index >= len(item.elts):
                return None
            item = item.elts[index]
        return item

    def _safe_member(self, value: ast.AST | None, scope: _Scope, html: bool, seen: frozenset) -> bool:
        """Whether every member of a dict, tuple or list literal (or comprehension) is safe."""
        if isinstance(value, ast.Dict):
            return all(self.safe(v, scope, html, seen) for v in value.values)
        if isinstance(value, (ast.Tuple, ast.List)):
            return all(self.safe(v, scope, html, seen) for v in value.elts)
        if isinstance(value, ast.DictComp):
            return self.safe(value.value, scope, html, seen)
        if isinstance(value, (ast.ListComp, ast.GeneratorExp)):
            return self.safe(value.elt, scope, html, seen)
        return False

    def _safe_call(self, call: ast.Call, scope: _Scope, html: bool, seen: frozenset) -> bool:
        name = _callee(call)
        if name in SAFE_CALLS or (html and name in SAFE_HTML_CALLS):
            return True
        if name == "tr":
            # The key picks a catalogue message (the app's own text); its parameters must be safe.
            if any(keyword.arg is None for keyword in call.keywords):  # tr(key, **params)
                return False
            return all(self.safe(k.value, scope, html, seen) for k in call.keywords)
        if isinstance(call.func, ast.Attribute) and name == "join" and len(call.args) == 1:
            return self.safe(call.func.value, scope, html, seen) and self._safe_items(call.args[0], scope, html, seen)
        # text methods of a safe string keep it safe
        if isinstance(call.func, ast.Attribute) and name in {"lower", "upper", "strip", "capitalize", "format"}:
            return self.safe(call.func.value, scope, html, seen) and all(
                self.safe(a, scope, html, seen) for a in [*call.args, *(k.value for k in call.keywords)]
            )
        return False

    def _safe_name(self, name: str, scope: _Scope | None, html: bool, seen: frozenset) -> bool:
        if name in seen:
            return True
        while scope is not None:
            if name in scope.parameters:
                annotation = scope.parameters[name].annotation
                return isinstance(annotation, ast.Name) and annotation.id == "Markdown"
            if name in scope.assignments:
                values = scope.assignments[name]
                return all(self.safe(v, scope, html, seen | {name}) for v in values)
            scope = scope.parent
        return False

    # -- the calls that draw markdown --

    def check(self) -> list[Finding]:
        for node, scope in list(self.scopes.items()):
            for child in self._own_nodes(node):
                if isinstance(child, ast.Call):
                    self._check_call(child, scope)
        return self.findings

    def _own_nodes(self, node: ast.AST):
        """The nodes of ``node``'s own scope (not of functions defined inside it)."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for default in [*child.args.defaults, *child.args.kw_defaults]:
                    if default is not None:
                        yield from ast.walk(default)
                continue
            yield child
            yield from self._own_nodes(child)

    def _check_call(self, call: ast.Call, scope: _Scope) -> None:
        name = _callee(call)
        if name in self.takes_markdown and name not in SINKS:
            for parameter, position in self.takes_markdown[name].items():
                given = [k.value for k in call.keywords if k.arg == parameter]
                if 0 <= position < len(call.args):
                    given.append(call.args[position])
                for argument in given:
                    if not self.safe(argument, scope):
                        self._report(argument)
        if name not in SINKS or not isinstance(call.func, ast.Attribute):
            return
        root = _receiver_root(call.func.value)
        if root in NOT_STREAMLIT or (root != "st" and root in self.modules):
            return
        html = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                   for k in call.keywords)  # fmt: skip
        if name == "write":
            arguments = list(call.args)
        elif name == "metric":
            arguments = list(call.args[:3])
        elif name == "progress":
            arguments = []  # the first argument is the share done
        elif name == "page_link" and any(k.arg == "label" for k in call.keywords):
            arguments = []  # the first argument is the page; the label drawn is label=
        else:
            arguments = list(call.args[:1])
        arguments += [k.value for k in call.keywords if k.arg in MARKDOWN_KEYWORDS]
        for argument in arguments:
            if not self.safe(argument, scope, html):
                self._report(argument)

    def _report(self, argument: ast.AST) -> None:
        self.findings.append(Finding(self.path, argument.lineno, ast.get_source_segment(self.source, argument)))


def check_sources(sources: dict[str, str]) -> list[Finding]:
    """The findings in ``sources`` (path -> Python source), checked together so a
    function taking Markdown in one file is checked where another calls it."""
    trees = {path: ast.parse(source) for path, source in sources.items()}
    takes_markdown: dict[str, dict[str, int]] = {}
    for tree in trees.values():
        takes_markdown.update(markdown_parameters(tree))
    findings = []
    for path, tree in trees.items():
        findings += _Checker(tree, path, sources[path], takes_markdown).check()
    return findings


def check_tree(root: Path, folders=("app_pages", "ui"), files=("dashboard.py",)) -> list[Finding]:
    paths = [p for folder in folders for p in sorted((root / folder).rglob("*.py"))] + [root / f for f in files]
    return check_sources({str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in paths if p.exists()})
