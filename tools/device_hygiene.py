"""Device hygiene without a GPU: a static check for the bugs that only show on CUDA, and a fake device.

**The static check** reads the code cells of the solution notebooks (in order, as one program) and the source of
``course_utils`` with ``ast`` and follows which values may live on the accelerator: a device from
``cu.get_device()``, ``torch.device("cuda")`` or ``x.device``; tensors and modules moved there with ``.to(device)``
or made with ``device=device``, a model trained by ``cu.train(..., device=device)``, and everything computed from
them, through assignments, containers, loops and the notebook's own functions (a parameter may live on the device
when a call passes it such a value; in ``course_utils`` every parameter annotated as a tensor or a module may, and
so may the inputs of a notebook's ``nn.Module``, ``Optimizer`` and ``autograd.Function`` methods). Rules:

``numpy-on-device``
    ``.numpy()``, ``np.asarray``/any NumPy or scikit-learn function, or a matplotlib/seaborn plot given a tensor
    that may be on the GPU: CUDA tensors do not convert to NumPy (``.cpu()`` first; ``.tolist()``, ``.item()``
    and ``float()`` are fine).
``cpu-tensor-meets-device``
    a tensor made on the CPU (a factory such as ``torch.zeros`` without ``device=``, ``course_utils``' data
    loaders, batches of a loader over them) combined with one that may be on the GPU: an arithmetic operation, a
    ``torch`` function, a method, or a model on the GPU called with it. Zero-dimensional tensors (``torch.tensor(
    0.5)``, ``x.sum()``) mix freely, as on CUDA, and a demo on CPU data is fine.
``cpu-generator-on-device``
    a ``torch.Generator()`` (a CPU generator) drawing numbers on the GPU: CUDA raises.
``optimizer-state-before-move``
    ``optimizer.load_state_dict`` (or a ``torch.optim.Adagrad``, which makes its state when it is made) and then
    ``model.to(device)`` of the model whose parameters the optimizer got, with no reload: the state stays on the
    CPU and the next ``step()`` fails. A demo that expects the failure (the step inside ``try ... except
    RuntimeError``) is fine, and so is ``cu.train(model, ..., optimizer, device=device)``, which moves the state.
``cuda-seed-only``
    ``torch.cuda.manual_seed[_all]`` where nothing calls ``torch.manual_seed`` or ``cu.seed_everything``: the
    CPU generator stays unseeded. ``torch.manual_seed`` alone is fine: it seeds the CPU and every CUDA device
    (``torch.random._manual_seed_impl`` calls ``torch.cuda.manual_seed_all``), and ``cu.seed_everything`` uses it.
``deterministic-without-cublas-config``
    ``torch.use_deterministic_algorithms(True)`` without ``CUBLAS_WORKSPACE_CONFIG`` set in the same source:
    every cuBLAS matrix product then raises on CUDA (``cu.seed_everything(deterministic=True)`` sets it).
``nondeterministic-op``
    an operation that ``torch.use_deterministic_algorithms`` lists as non-deterministic on CUDA (``index_add_``,
    ``scatter_add_``, ``scatter_reduce``, ``put_``, ``histc``, ``bincount`` with weights, ``median`` along a
    dimension, ``cumsum``, ``index_copy``, ``interpolate`` in a linear mode, adaptive pooling...) in graded code
    (solution and test cells), or anywhere on a tensor that may be on the GPU. ``nll_loss``/``cross_entropy`` are
    not listed: only their 2-D (image-shaped) CUDA kernel is non-deterministic, and the course uses (N, C) inputs.

**The fake device** (:func:`fake_device`) runs real computations on the CPU while the tensors say they live on
``meta``, and refuses what CUDA refuses: mixing them with CPU tensors (but zero-dimensional ones in elementwise
operations, and CPU indices), converting them to NumPy, drawing on them with a CPU generator. ``.item()``,
``.tolist()``, ``float()``, ``.cpu()`` work, so a whole training run can be checked; on the plain ``meta`` device
they raise, since it holds no values. ``model.to(device)`` keeps the module's ``Parameter`` objects, as on CUDA.
Not for: code that branches on ``device.type == "cuda"`` (it takes the other branch); ``torch.tensor(data,
device=d)``, which makes a plain meta tensor without values (PyTorch copies the data outside the dispatcher); and
``course_utils``' checking helpers and ``forbid_calls``, which refuse tensor subclasses by design.

    python -m tools.device_hygiene               # check solutions/ and course_utils/; exit 1 on a finding
    python -m tools.device_hygiene PATH ...      # notebooks, .py files or folders
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten, tree_map

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = (ROOT / "solutions", ROOT / "course_utils")

# ---------------------------------------------------------------------------------------------------------------
# Findings

RULES = {
    "numpy-on-device": "CUDA tensors do not convert to NumPy: call .cpu() (or .detach().cpu()) first",
    "cpu-tensor-meets-device": "make it on the same device (device=..., .to(device)) or move the other to the CPU",
    "cpu-generator-on-device": "use torch.Generator(device=...) or draw on the CPU and move the result",
    "optimizer-state-before-move": "move the model first, then load the optimizer's state (or load it again)",
    "cuda-seed-only": "use cu.seed_everything(seed) or torch.manual_seed(seed): they seed the CPU and every GPU",
    "deterministic-without-cublas-config": "use cu.seed_everything(seed, deterministic=True), which sets "
                                           "CUBLAS_WORKSPACE_CONFIG",
    "nondeterministic-op": "on CUDA its result varies from run to run and it raises under "
                           "torch.use_deterministic_algorithms(True); write it without that operation",
    "unparsable-cell": "the cell could not be parsed, so it was not checked",
}


@dataclass(frozen=True)
class Finding:
    """One problem: where (file, notebook cell index or None, line in the cell or file), which rule, and why."""

    path: str
    cell: int | None
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.cell is None else f"{self.path} cell {self.cell} line {self.line}"
        return f"{where}: [{self.rule}] {self.message} ({RULES[self.rule]})"


# ---------------------------------------------------------------------------------------------------------------
# What a value may be. A value carries a set of labels:
DEV = "dev"  # a tensor or module that may live on the accelerator
DEVNAME = "devname"  # a device that may be the accelerator
GEN = "gen"  # a CPU torch.Generator
MODULE = "module"  # an nn.Module
OPTIM = "optim"  # an optimizer
# A tensor made on the CPU carries "cpu|<what made it>|<where>".
PROPAGATED = {DEV, DEVNAME, MODULE, OPTIM, GEN}  # what a call passes on to a notebook function's parameters
NONE: frozenset[str] = frozenset()

FACTORIES = {"zeros", "ones", "empty", "full", "rand", "randn", "randint", "randperm", "arange", "linspace",
             "logspace", "eye", "tensor", "as_tensor"}
SHAPE_FACTORIES = {"zeros", "ones", "empty", "full", "rand", "randn"}  # a size of () makes a 0-dim tensor
CU_CPU_DATA = {"load_digits_data", "load_moons_data", "load_diabetes_data", "make_regression_data",
               "make_adding_problem", "load_image_data", "make_loaders"}
CU_SAME_DEVICE = {"record_activations", "record_activation_grads", "init_linear_layers_"}
CU_COMBINING = {"accuracy"}
PASS_THROUGH = {"next", "iter", "list", "tuple", "sorted", "reversed", "zip", "enumerate", "dict", "max", "min",
                "sum", "abs", "filter", "getattr", "deepcopy", "copy"}
SCALAR_METHODS = {"item", "tolist", "numel", "dim", "size", "nelement", "element_size", "ndimension", "stride",
                  "is_floating_point", "data_ptr", "__len__", "cpu"}
CLEAN_ATTRIBUTES = {"shape", "dtype", "ndim", "is_cuda", "requires_grad", "training", "is_leaf", "grad_fn",
                    "n_classes", "n_features", "classes", "__class__", "__name__", "in_features", "out_features",
                    "num_features", "in_channels", "out_channels", "hidden_size", "num_layers", "kernel_size",
                    "momentum", "eps"}
REDUCTIONS = {"sum", "mean", "max", "min", "std", "var", "norm", "prod", "amax", "amin", "all", "any"}
NO_MIXING = {"to", "copy_", "index_put_", "index_put", "type_as", "load_state_dict", "register_buffer",
             "register_parameter", "add_module", "register_module"}
CONTAINER_ADD = {"append", "extend", "insert", "update", "setdefault"}  # list and dict methods, none a tensor's
PLOT_METHODS = {"plot", "scatter", "hist", "hist2d", "imshow", "matshow", "bar", "barh", "boxplot", "violinplot",
                "errorbar", "fill_between", "fill_betweenx", "semilogy", "semilogx", "loglog", "stem",
                "contour", "contourf", "pcolormesh", "pcolor", "quiver", "plot_wireframe", "plot_surface",
                "plot_trisurf", "stackplot", "pie"}
DEVICE_STRINGS = {"cuda", "mps", "xpu"}
# torch.use_deterministic_algorithms' lists (torch 2.13): non-deterministic on CUDA by default. Some count only
# with an argument: bincount with weights, median along a dimension, scatter with a tensor source.
NONDETERMINISTIC = {"index_add", "index_add_", "scatter_add", "scatter_add_", "scatter_reduce", "scatter_reduce_",
                    "index_copy", "index_copy_", "put", "put_", "histc", "cumsum", "cumsum_", "grid_sample",
                    "bincount", "median", "nanmedian", "scatter", "scatter_", "interpolate"}
NONDETERMINISTIC_MODULES = {"AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AvgPool3d", "AdaptiveMaxPool2d",
                            "FractionalMaxPool2d", "FractionalMaxPool3d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d",
                            "MaxUnpool3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
                            "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CTCLoss", "EmbeddingBag",
                            "Upsample", "UpsamplingBilinear2d"}
LINEAR_MODES = {"linear", "bilinear", "bicubic", "trilinear"}


def _cpu_labels(labels: Iterable[str]) -> set[str]:
    return {label for label in labels if label.startswith("cpu|")}


def _normalised(labels: Iterable[str]) -> frozenset[str]:
    """A value that may be on the device is not reported as a CPU tensor as well."""
    labels = set(labels)
    return frozenset(labels - _cpu_labels(labels) if DEV in labels else labels)


def _constant(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _is_cpu_spec(node: ast.AST) -> bool:
    """``"cpu"`` or ``torch.device("cpu")``."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
    value = _constant(node)
    return isinstance(value, str) and value.split(":")[0] == "cpu"


def _base_name(node: ast.AST) -> str | None:
    """The variable an expression reads: ``models["a"].weight`` -> ``models``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _catches_runtime_error(handler: ast.ExceptHandler) -> bool:
    names = {ast.unparse(n).rsplit(".", 1)[-1] for n in
             (handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]) if n is not None}
    return handler.type is None or bool(names & {"RuntimeError", "Exception", "BaseException"})


@dataclass(frozen=True)
class _Event:
    """What the optimizer rule follows: an optimizer made ("new", with the model whose parameters it got), its
    state loaded ("load"), a module moved to the device ("move"), a step ("step", ``guarded`` inside a ``try``
    that catches RuntimeError)."""

    kind: str
    name: str
    node: ast.AST
    cell: int | None
    guarded: bool = False
    model: str | None = None
    eager: bool = False  # "new": the optimizer makes its state when it is made (Adagrad)


@dataclass
class _Function:
    """A function (or method) of the checked source, analysed with what its parameters may be."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    cell: int | None
    graded: bool
    parent: _Scope
    params: dict[str, frozenset[str]] = field(default_factory=dict)
    returns: frozenset[str] = NONE
    elements: list[frozenset[str]] | None = None  # per element while every return gives a tuple of one length


@dataclass
class _Scope:
    """Names and events of one function body, or of a notebook's (module's) top level."""

    parent: _Scope | None
    cell: int | None
    graded: bool
    function: _Function | None = None
    names: dict[str, frozenset[str]] = field(default_factory=dict)
    events: list[_Event] = field(default_factory=list)
    cuda_seeds: list[ast.AST] = field(default_factory=list)
    seeded: bool = False
    guarded: int = 0  # depth of try blocks that catch RuntimeError

    def lookup(self, name: str) -> frozenset[str] | None:
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class _Analyzer:
    """The static check over one notebook or one package; see the module docstring for the rules."""

    def __init__(self, path: str, library: bool):
        self.path, self.library = path, library
        self.aliases: dict[str, str] = {}
        self.functions: dict[int, _Function] = {}
        self.findings: dict[tuple, Finding] = {}
        self.cublas_configured = False
        self.cell: int | None = None
        self.elements: dict[int, list[frozenset[str]]] = {}  # id of a list or tuple display -> its elements

    # -- driving ------------------------------------------------------------------------------------------------

    def run(self, units: list[tuple[int | None, bool, ast.Module]]) -> list[Finding]:
        """Analyse the units (cell index or None, graded, tree) in order until what the functions' parameters and
        results may be stops changing; return the findings of the last pass."""
        self.cublas_configured = any(_constant(n) == "CUBLAS_WORKSPACE_CONFIG"
                                     for _, _, tree in units for n in ast.walk(tree))
        previous = None
        for _ in range(6):
            self.findings.clear()
            top = _Scope(None, None, False)
            for cell, graded, tree in units:
                top.cell, top.graded, self.cell = cell, graded, cell
                self._block(tree.body, top)
            self._close(top)
            analysed: set[int] = set()
            while len(analysed) < len(self.functions):
                for key, function in list(self.functions.items()):
                    if key not in analysed:
                        analysed.add(key)
                        self._function_body(function)
            state = {key: (dict(f.params), f.returns) for key, f in self.functions.items()}
            if state == previous:
                break
            previous = state
        return sorted(self.findings.values(), key=lambda f: (f.cell or 0, f.line, f.rule))

    def _report(self, node: ast.AST, rule: str, message: str, cell: int | None = None) -> None:
        cell = self.cell if cell is None else cell
        finding = Finding(self.path, cell, getattr(node, "lineno", 0), rule, message)
        self.findings[(cell, finding.line, rule, message)] = finding

    def _function_body(self, function: _Function) -> None:
        scope = _Scope(function.parent, function.cell, function.graded, function)
        self.cell = function.cell
        for name in self._parameters(function.node):
            scope.names[name] = function.params.get(name, NONE) | ({DEVNAME} if "device" in name.lower() else NONE)
        self._block(function.node.body, scope)
        self._close(scope)

    def _parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        a = node.args
        return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs] + [p.arg for p in (a.vararg, a.kwarg) if p]

    def _register(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope, kind: str | None) -> _Function:
        function = self.functions.setdefault(id(node), _Function(node, scope.cell, scope.graded, scope))
        function.parent, function.cell, function.graded = scope, scope.cell, scope.graded
        params = [p for p in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
        for i, p in enumerate(params):
            labels = set(function.params.get(p.arg, NONE))
            if kind in ("module", "optimizer", "function") and node.name != "__init__":
                labels |= {DEV} | ({OPTIM} if kind == "optimizer" and i == 0 else set())
            annotation = ast.unparse(p.annotation) if p.annotation is not None else ""
            if self.library and not annotation.startswith("Callable") and any(
                    word in annotation for word in ("Tensor", "Module", "Parameter", "Optimizer")):
                labels.add(DEV)
            function.params[p.arg] = frozenset(labels)
        return function

    def _close(self, scope: _Scope) -> None:
        """The rules that need a whole scope: CUDA-only seeding, optimizer state made before the model moves."""
        for node in scope.cuda_seeds:
            if not scope.seeded:
                self._report(node, "cuda-seed-only", f"{ast.unparse(node.func)} seeds the GPU only; the CPU "
                             "generator (data, initial weights) stays unseeded", scope.cell)
        for i, event in enumerate(scope.events):
            if event.kind == "load" or event.eager:
                self._check_state_moves_along(scope.events, i)

    def _check_state_moves_along(self, events: list[_Event], i: int) -> None:
        """``events[i]`` gave optimizer ``events[i].name`` a state; report it if its model moves afterwards, the
        optimizer is neither made nor loaded again, and no step expects the failure."""
        state = events[i]
        made = [e.model for e in events[:i + 1] if e.kind == "new" and e.name == state.name]
        model = made[-1] if made else None
        moves = [j for j in range(i + 1, len(events)) if events[j].kind in ("move", "rebind") and
                 events[j].name == model]
        if model is None or not moves or events[moves[0]].kind == "rebind":  # a new model is not the one moved
            return
        move, after = events[moves[0]], events[moves[0] + 1:]
        if any(e.kind in ("load", "new") and e.name == state.name for e in after):
            return
        steps = [e.guarded for e in after if e.kind == "step" and e.name == state.name]
        if steps and all(steps):
            return  # a demo that expects the failure
        what = f"{state.name}.load_state_dict() runs" if state.kind == "load" else \
            f"{state.name} = {ast.unparse(state.node.func)}(...) makes its state"
        where = f"line {move.node.lineno}" if move.cell is None else f"cell {move.cell} line {move.node.lineno}"
        self._report(state.node, "optimizer-state-before-move", f"{what} before {model} moves to the device "
                     f"({where}): the optimizer's state stays on the old device and the next step() fails",
                     state.cell)

    # -- statements ---------------------------------------------------------------------------------------------

    def _block(self, statements: list[ast.stmt], scope: _Scope) -> None:
        for statement in statements:
            self._statement(statement, scope)

    def _statement(self, node: ast.stmt, scope: _Scope) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                self._expr(decorator, scope)
            self._register(node, scope, None)
            scope.names[node.name] = frozenset({f"fn:{id(node)}"})
        elif isinstance(node, ast.ClassDef):
            self._class(node, scope)
        elif isinstance(node, ast.Assign):
            self._assign(node.targets, node.value, scope)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._assign([node.target], node.value, scope)
        elif isinstance(node, ast.AugAssign):
            labels = self._mix(node, [self._expr(node.target, scope), self._expr(node.value, scope)])
            self._bind(node.target, labels, scope)
        elif isinstance(node, ast.Expr):
            self._expr(node.value, scope)
            self._in_place_move(node.value, scope)
        elif isinstance(node, ast.Return) and node.value is not None:
            labels = self._expr(node.value, scope)
            if scope.function is not None:
                self._returned(scope.function, node.value, labels)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._bind(node.target, self._expr(node.iter, scope), scope)
            self._block(node.body, scope)
            self._block(node.orelse, scope)
        elif isinstance(node, ast.If):
            self._expr(node.test, scope)
            self._branches([node.body, node.orelse], scope)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                labels = self._expr(item.context_expr, scope)
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, labels, scope)
            self._block(node.body, scope)
        elif isinstance(node, ast.Try):
            guarded = any(_catches_runtime_error(h) for h in node.handlers)
            scope.guarded += guarded
            self._block(node.body, scope)
            scope.guarded -= guarded
            for handler in node.handlers:
                self._block(handler.body, scope)
            self._block(node.orelse + node.finalbody, scope)
        else:  # while, raise, assert, delete, match...: check the expressions, then the nested statements
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self._expr(child, scope)
                elif isinstance(child, ast.stmt):
                    self._statement(child, scope)

    def _returned(self, function: _Function, value: ast.expr, labels: frozenset[str]) -> None:
        """What a function may return, element by element while every ``return`` gives a tuple of one length."""
        function.returns = _normalised(function.returns | labels)
        elements = self.elements.get(id(value)) if isinstance(value, ast.Tuple) else None
        if elements is None or (function.elements is not None and len(function.elements) != len(elements)):
            function.elements = []  # not a tuple of one length every time: only the union is known
        elif function.elements is None:
            function.elements = list(elements)
        else:
            function.elements = [_normalised(a | b) for a, b in zip(function.elements, elements)]

    def _branches(self, bodies: list[list[ast.stmt]], scope: _Scope) -> None:
        """Analyse alternative blocks from the same names; afterwards a name may be what any branch made it."""
        before, merged = dict(scope.names), {}
        for body in bodies:
            scope.names = dict(before)
            self._block(body, scope)
            for name, labels in scope.names.items():
                merged[name] = _normalised(merged.get(name, NONE) | labels)
        scope.names = merged

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                name = alias.asname or alias.name.split(".")[0]
                self.aliases[name] = alias.name if alias.asname else name
            else:
                module = ("course_utils." if node.level else "") + (node.module or "")
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}".replace("..", ".")

    def _class(self, node: ast.ClassDef, scope: _Scope) -> None:
        kind = None
        for base in node.bases:
            name = self._qualname(base) or ""
            local = scope.lookup(name) or NONE
            if name.startswith("torch.nn.") or "class:module" in local:
                kind = "module"
            elif name.startswith("torch.optim.") or "class:optimizer" in local:
                kind = "optimizer"
            elif name.startswith("torch.autograd."):
                kind = "function"
        class_scope = _Scope(scope, scope.cell, scope.graded)
        for statement in node.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._register(statement, class_scope, kind)
        scope.names[node.name] = frozenset({f"class:{kind}"})

    def _assign(self, targets: list[ast.expr], value: ast.expr, scope: _Scope) -> None:
        labels = self._expr(value, scope)
        pairs = self.elements.get(id(value)) if isinstance(value, (ast.Tuple, ast.List)) else \
            self._returned_elements(value, scope)
        if not all(isinstance(t, (ast.Tuple, ast.List)) and len(t.elts) == len(pairs or ()) for t in targets):
            pairs = None
        for target in targets:
            if isinstance(target, ast.Name) and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                    and _base_name(value.func.value) == target.id and value.func.attr in ("to", "cuda") and \
                    self._moves_to_device(value, scope):  # model = model.to(device): the same model, moved
                scope.events.append(_Event("move", target.id, value, scope.cell))
            if pairs is not None:
                for element, element_labels in zip(target.elts, pairs):
                    self._bind(element, element_labels, scope)
            else:
                self._bind(target, labels, scope)
            if isinstance(target, ast.Name) and (OPTIM in labels or "optim" in target.id.lower()):
                eager = isinstance(value, ast.Call) and (self._qualname(value.func) or "").endswith("Adagrad")
                scope.events.append(_Event("new", target.id, value, scope.cell, model=self._optimized_model(value),
                                           eager=eager))

    def _returned_elements(self, value: ast.expr, scope: _Scope) -> list[frozenset[str]] | None:
        """What each element of a call's tuple result may be, for a notebook function that returns tuples."""
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            for label in scope.lookup(value.func.id) or NONE:
                function = self.functions.get(int(label[3:])) if label.startswith("fn:") else None
                if function is not None and function.elements:
                    return function.elements
        return None

    @staticmethod
    def _optimized_model(value: ast.expr) -> str | None:
        """``torch.optim.SGD(model.parameters(), ...)`` or ``make(model.parameters())`` -> ``model``."""
        if isinstance(value, ast.Call) and value.args:
            first = value.args[0]
            while isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute):
                first = first.func.value  # model.parameters() -> model
            return _base_name(first)
        return None

    def _bind(self, target: ast.expr, labels: frozenset[str], scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = labels
            scope.events.append(_Event("rebind", target.id, target, scope.cell))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind(element, labels, scope)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, labels, scope)
        else:  # models[name] = model, or an attribute: the container may now hold it
            self._expr(target, scope)
            name = _base_name(target)
            if name is not None and name != "self":
                scope.names[name] = _normalised((scope.lookup(name) or NONE) | (labels & {DEV, MODULE}))

    def _in_place_move(self, node: ast.expr, scope: _Scope) -> None:
        """``model.to(device)`` or ``model.cuda()`` as a statement moves a module in place."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("to", "cuda") and self._moves_to_device(node, scope):
            name = _base_name(node.func.value)
            if name is not None:
                scope.names[name] = (scope.lookup(name) or NONE) | {DEV, MODULE}
                scope.events.append(_Event("move", name, node, scope.cell))

    def _moves_to_device(self, node: ast.Call, scope: _Scope) -> bool:
        """``x.cuda()``, ``x.to(device)``, ``x.to("cuda")`` or ``x.to(other_tensor)``, to what may be the GPU."""
        if node.func.attr == "cuda":
            return True
        specs = list(node.args) + [k.value for k in node.keywords if k.arg == "device"]
        return any(self._kind(spec, scope) & {DEVNAME, DEV} for spec in specs)

    def _kind(self, node: ast.expr, scope: _Scope) -> frozenset[str]:
        """What a name, attribute, device string or device call may be, without checking anything."""
        if isinstance(node, ast.Name):
            found = scope.lookup(node.id)
            return found if found is not None else (frozenset({DEVNAME}) if "device" in node.id.lower() else NONE)
        if isinstance(node, ast.Attribute):
            if node.attr == "device":
                return frozenset({DEVNAME})
            return NONE if node.attr in CLEAN_ATTRIBUTES else self._kind(node.value, scope)
        if isinstance(node, ast.Subscript):
            return self._kind(node.value, scope)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return frozenset({DEVNAME}) if node.value.split(":")[0] in DEVICE_STRINGS else NONE
        if isinstance(node, ast.Call):
            name = self._qualname(node.func) or ""
            if name.endswith("get_device") or (name == "torch.device" and not _is_cpu_spec(node)):
                return frozenset({DEVNAME})
        return NONE

    # -- expressions --------------------------------------------------------------------------------------------

    def _qualname(self, node: ast.expr) -> str | None:
        """``np.asarray`` -> ``numpy.asarray`` when the root name is an import, else None."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            root = self._qualname(node.value)
            return f"{root}.{node.attr}" if root else None
        return None

    def _expr(self, node: ast.expr | None, scope: _Scope) -> frozenset[str]:
        if node is None:
            return NONE
        handler = getattr(self, f"_expr_{type(node).__name__}", None)
        if handler is not None:
            return handler(node, scope)
        labels: set[str] = set()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                labels |= self._expr(child, scope)
        return _normalised(labels)

    def _expr_Name(self, node: ast.Name, scope: _Scope) -> frozenset[str]:
        return self._kind(node, scope)

    def _expr_Constant(self, node: ast.Constant, scope: _Scope) -> frozenset[str]:
        return self._kind(node, scope)

    def _expr_List(self, node: ast.List | ast.Tuple | ast.Set, scope: _Scope) -> frozenset[str]:
        """A display: the union of its elements, which are kept apart for torch.cat([...]) and the like."""
        self.elements[id(node)] = [self._expr(element, scope) for element in node.elts]
        return _normalised(set().union(*self.elements[id(node)]))

    _expr_Tuple = _expr_Set = _expr_List

    def _expr_JoinedStr(self, node: ast.JoinedStr, scope: _Scope) -> frozenset[str]:
        for child in ast.walk(node):
            if isinstance(child, ast.FormattedValue):
                self._expr(child.value, scope)
        return NONE

    def _expr_Lambda(self, node: ast.Lambda, scope: _Scope) -> frozenset[str]:
        inner = _Scope(scope, scope.cell, scope.graded)
        self._expr(node.body, inner)
        return NONE

    def _expr_Attribute(self, node: ast.Attribute, scope: _Scope) -> frozenset[str]:
        labels = self._expr(node.value, scope)
        if node.attr == "device":
            return frozenset({DEVNAME})
        return NONE if node.attr in CLEAN_ATTRIBUTES else labels - {GEN}

    def _expr_Subscript(self, node: ast.Subscript, scope: _Scope) -> frozenset[str]:
        self._expr(node.slice, scope)
        return self._expr(node.value, scope)

    def _expr_BinOp(self, node: ast.BinOp, scope: _Scope) -> frozenset[str]:
        return self._mix(node, [self._expr(node.left, scope), self._expr(node.right, scope)])

    def _expr_Compare(self, node: ast.Compare, scope: _Scope) -> frozenset[str]:
        parts = [self._expr(n, scope) for n in [node.left] + node.comparators]
        if all(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in node.ops):
            return NONE
        return self._mix(node, parts)

    def _expr_IfExp(self, node: ast.IfExp, scope: _Scope) -> frozenset[str]:
        self._expr(node.test, scope)
        return _normalised(self._expr(node.body, scope) | self._expr(node.orelse, scope))

    def _expr_Dict(self, node: ast.Dict, scope: _Scope) -> frozenset[str]:
        for key in node.keys:
            self._expr(key, scope)
        return _normalised(set().union(*(self._expr(v, scope) for v in node.values)))

    def _comprehension(self, node: ast.expr, elements: list[ast.expr], scope: _Scope) -> frozenset[str]:
        inner = _Scope(scope, scope.cell, scope.graded, scope.function)
        for generator in node.generators:
            self._bind(generator.target, self._expr(generator.iter, inner), inner)
            for condition in generator.ifs:
                self._expr(condition, inner)
        return _normalised(set().union(*(self._expr(e, inner) for e in elements)))

    def _expr_ListComp(self, node: ast.ListComp, scope: _Scope) -> frozenset[str]:
        return self._comprehension(node, [node.elt], scope)

    _expr_SetComp = _expr_GeneratorExp = _expr_ListComp

    def _expr_DictComp(self, node: ast.DictComp, scope: _Scope) -> frozenset[str]:
        return self._comprehension(node, [node.key, node.value], scope)

    def _expr_NamedExpr(self, node: ast.NamedExpr, scope: _Scope) -> frozenset[str]:
        labels = self._expr(node.value, scope)
        self._bind(node.target, labels, scope)
        return labels

    def _mix(self, node: ast.AST, parts: list[frozenset[str]], what: str = "") -> frozenset[str]:
        """The value of an operation on ``parts``; a CPU tensor meeting one that may be on the device is reported."""
        on_device = any(DEV in part for part in parts)
        cpu = sorted(set().union(*(_cpu_labels(part) for part in parts if DEV not in part)))
        if on_device and cpu:
            _, made_by, where = cpu[0].split("|")
            operation = what or ast.unparse(node)
            self._report(node, "cpu-tensor-meets-device", f"{operation[:70]!r} combines a tensor that may be on the "
                         f"GPU with a CPU tensor ({made_by}, {where})")
        return _normalised(set().union(*parts) & ({DEV} | set().union(*map(_cpu_labels, parts))))

    # -- calls --------------------------------------------------------------------------------------------------

    def _expr_Call(self, node: ast.Call, scope: _Scope) -> frozenset[str]:
        args = [self._expr(a, scope) for a in node.args]
        kwargs = {k.arg: self._expr(k.value, scope) for k in node.keywords}
        name = self._qualname(node.func)
        if name is not None:
            return self._library_call(node, name, args, kwargs, scope)
        if isinstance(node.func, ast.Attribute):
            receiver = self._expr(node.func.value, scope)
            return self._method_call(node, node.func.attr, receiver, args, kwargs, scope)
        callee = self._expr(node.func, scope)
        if isinstance(node.func, ast.Name) and callee == NONE and scope.lookup(node.func.id) is None:
            return self._builtin_call(node.func.id, args)
        return self._call_value(node, callee, args, kwargs, scope)

    def _where(self, node: ast.AST) -> str:
        return f"cell {self.cell} line {node.lineno}" if self.cell is not None else f"line {node.lineno}"

    def _check_generator(self, node: ast.Call, kwargs: dict, tensors: list[frozenset[str]]) -> None:
        if GEN in kwargs.get("generator", NONE) and (
                DEVNAME in kwargs.get("device", NONE) or any(DEV in labels for labels in tensors)):
            self._report(node, "cpu-generator-on-device", f"{ast.unparse(node)[:70]!r} draws on the GPU with a CPU "
                         "torch.Generator: CUDA raises 'Expected a cuda device type for generator'")

    def _check_nondeterministic(self, node: ast.Call, op: str, involved: list[frozenset[str]], scope: _Scope,
                                function_form: bool) -> None:
        """Report ``op`` when it is non-deterministic on CUDA with these arguments, in graded code or on a tensor
        that may be on the GPU. ``function_form``: ``torch.op(x, ...)`` rather than ``x.op(...)``."""
        if op not in NONDETERMINISTIC:
            return
        keywords = {k.arg: k.value for k in node.keywords}
        rest = node.args[1:] if function_form else node.args  # the arguments after the tensor
        if op == "bincount":
            counts = len(rest) >= 1 or "weights" in keywords
        elif op in ("median", "nanmedian"):
            counts = len(rest) >= 1 or "dim" in keywords
        elif op in ("scatter", "scatter_"):
            counts = bool({"src", "reduce"} & set(keywords)) or (len(rest) >= 3 and _constant(rest[2]) is None)
        elif op == "interpolate":
            counts = _constant(keywords.get("mode")) in LINEAR_MODES
        else:
            counts = True
        if counts and (scope.graded or any(DEV in labels for labels in involved)):
            context = "in graded code" if scope.graded else "on a tensor that may be on the GPU"
            self._report(node, "nondeterministic-op", f"{ast.unparse(node.func)} {context} is not deterministic "
                         "on CUDA (torch.use_deterministic_algorithms lists it)")

    def _library_call(self, node: ast.Call, name: str, args: list, kwargs: dict, scope: _Scope) -> frozenset[str]:
        """A call of a function reached through an import: torch, NumPy, matplotlib, course_utils..."""
        module, _, last = name.rpartition(".")
        tensors = args + list(kwargs.values())
        self._check_generator(node, kwargs, [] if module == "torch" and last in FACTORIES else tensors)
        if name == "torch.device" or (last == "get_device" and module.startswith("course_utils")):
            return NONE if _is_cpu_spec(node) else frozenset({DEVNAME})
        if name == "torch.Generator":
            spec = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "device"), None)
            return frozenset({GEN}) if spec is None or _is_cpu_spec(spec) else NONE
        if name in ("torch.manual_seed", "torch.random.manual_seed") or last == "seed_everything":
            scope.seeded = True
            return NONE
        if name in ("torch.cuda.manual_seed", "torch.cuda.manual_seed_all"):
            scope.cuda_seeds.append(node)
            return NONE
        if name == "torch.use_deterministic_algorithms":
            mode = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if mode is not None and _constant(mode) is not False and not self.cublas_configured:
                self._report(node, "deterministic-without-cublas-config", "deterministic algorithms without "
                             "CUBLAS_WORKSPACE_CONFIG: every matrix product raises on CUDA")
            return NONE
        if module == "torch" and last in FACTORIES:
            return self._factory(node, name, last)
        if module == "torch" and last == "from_numpy":
            return frozenset({f"cpu|{name}()|{self._where(node)}"})
        if module == "torch" and last.endswith("_like") and "device" not in kwargs:
            return args[0] if args else NONE
        if module.split(".")[0] in ("numpy", "sklearn", "matplotlib", "seaborn"):
            self._numpy_boundary(node, name, args)
            return NONE
        if module.startswith("course_utils"):
            return self._course_utils_call(node, last, args, kwargs, scope)
        if module == "copy":
            return _normalised(set().union(*args)) if args else NONE
        if module.startswith("torch.nn") and last[:1].isupper():
            if scope.graded and last in NONDETERMINISTIC_MODULES:
                self._report(node, "nondeterministic-op", f"{name} in graded code is not deterministic on CUDA "
                             "(torch.use_deterministic_algorithms lists it)")
            return frozenset({MODULE})
        if module == "torch.optim" and last[:1].isupper():
            return frozenset({OPTIM})
        if module.startswith("torch.utils"):
            return _normalised(set().union(*tensors)) if tensors else NONE
        if module.split(".")[0] == "torch":
            self._check_nondeterministic(node, last, tensors, scope, function_form=True)
            parts = [part for arg, labels in zip(node.args, args) for part in self.elements.get(id(arg), [labels])]
            return self._mix(node, parts + list(kwargs.values()))
        return NONE

    def _factory(self, node: ast.Call, name: str, last: str) -> frozenset[str]:
        """``torch.zeros(...)`` and the like: on the device given, else a CPU tensor unless it is 0-dim."""
        device = next((k.value for k in node.keywords if k.arg == "device"), None)
        if device is not None:  # an explicit device is the accelerator unless it says "cpu"
            return NONE if _is_cpu_spec(device) else frozenset({DEV})
        first = node.args[0] if node.args else None
        if last in ("tensor", "as_tensor"):
            scalar = not isinstance(first, (ast.List, ast.Tuple, ast.ListComp, ast.GeneratorExp))
        elif last in SHAPE_FACTORIES:
            scalar = first is None or (isinstance(first, ast.Tuple) and not first.elts)
        else:
            scalar = False
        return NONE if scalar else frozenset({f"cpu|{name}() without device=|{self._where(node)}"})

    def _numpy_boundary(self, node: ast.Call, name: str, args: list) -> None:
        if any(DEV in labels for labels in args):
            self._report(node, "numpy-on-device", f"{name.rsplit('.', 1)[-1]}({ast.unparse(node)[:60]!r}) converts "
                         "a tensor that may be on the GPU to NumPy")

    def _course_utils_call(self, node: ast.Call, last: str, args: list, kwargs: dict,
                           scope: _Scope) -> frozenset[str]:
        if last in CU_CPU_DATA:
            return frozenset({f"cpu|cu.{last}() (CPU data)|{self._where(node)}"})
        if last == "train" and node.args and DEVNAME in kwargs.get("device", NONE):  # it moves the model there
            name = _base_name(node.args[0])
            if name is not None:
                scope.names[name] = (scope.lookup(name) or NONE) | {DEV, MODULE}
        if last in CU_SAME_DEVICE:
            return frozenset(set().union(*args) & {DEV})
        if last in ("make_mlp", "make_cnn"):
            return frozenset({MODULE})
        if last in CU_COMBINING:
            self._mix(node, args)
        return NONE

    def _method_call(self, node: ast.Call, method: str, receiver: frozenset[str], args: list, kwargs: dict,
                     scope: _Scope) -> frozenset[str]:
        tensors = [receiver] + args + list(kwargs.values())
        name = _base_name(node.func.value)
        lowered = (name or "").lower()
        if (OPTIM in receiver or lowered.startswith("opt") or "optim" in lowered) and name is not None and \
                method in ("load_state_dict", "step", "zero_grad"):
            if method != "zero_grad":
                kind = "load" if method == "load_state_dict" else "step"
                scope.events.append(_Event(kind, name, node, scope.cell, guarded=scope.guarded > 0))
            return NONE
        if method in PLOT_METHODS and not receiver:  # ax.plot(...), on a value that holds no tensor
            self._numpy_boundary(node, method, args + list(kwargs.values()))
            return NONE
        self._check_generator(node, kwargs, tensors)
        self._check_nondeterministic(node, method, tensors, scope, function_form=False)
        if method == "numpy":
            forced = any(k.arg == "force" and _constant(k.value) is True for k in node.keywords)
            if DEV in receiver and not forced:
                self._report(node, "numpy-on-device", f"{ast.unparse(node)[:70]!r}: .numpy() of a tensor that may "
                             "be on the GPU")
            return NONE
        if method in SCALAR_METHODS:
            return NONE
        if method == "manual_seed":
            return receiver & {GEN}
        if method in ("to", "cuda") and self._moves_to_device(node, scope):
            return frozenset({DEV} | (receiver & {MODULE}))
        if method == "to" and any(_is_cpu_spec(a) for a in node.args + [k.value for k in node.keywords]):
            return NONE
        if method in CONTAINER_ADD and name is not None and name != "self":
            scope.names[name] = _normalised((scope.lookup(name) or NONE) | (set().union(*args) & {DEV, MODULE}))
            return NONE
        if method in REDUCTIONS and not node.args and not node.keywords and DEV not in receiver:
            return frozenset(receiver - _cpu_labels(receiver))  # a 0-dim result mixes freely
        if method in NO_MIXING:
            return receiver
        return self._mix(node, tensors)

    def _builtin_call(self, name: str, args: list) -> frozenset[str]:
        if name in PASS_THROUGH:
            return _normalised(set().union(*args)) if args else NONE
        return NONE

    def _call_value(self, node: ast.Call, callee: frozenset[str], args: list, kwargs: dict,
                    scope: _Scope) -> frozenset[str]:
        """A call of a notebook function or class, or of a value such as a model."""
        function = next((self.functions.get(int(label[3:])) for label in callee if label.startswith("fn:")), None)
        if function is not None:
            params = [p.arg for p in function.node.args.posonlyargs + function.node.args.args]
            passed = list(zip(params, args)) + [(k, v) for k, v in kwargs.items() if k is not None]
            for param, labels in passed:
                function.params[param] = function.params.get(param, NONE) | (labels & PROPAGATED)
            return function.returns
        if "class:module" in callee:
            return frozenset({MODULE})
        if "class:optimizer" in callee:
            return frozenset({OPTIM})
        if DEV in callee:
            self._mix(node, [callee] + args + list(kwargs.values()), f"{ast.unparse(node.func)}(...)")
            return frozenset({DEV})
        return NONE


# ---------------------------------------------------------------------------------------------------------------
# Sources


def _parse(source: str, path: str, cell: int | None, findings: list[Finding]) -> ast.Module | None:
    if cell is not None:  # IPython syntax (%pip, !cmd) becomes plain calls, line numbers unchanged
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    try:
        return ast.parse(source)
    except SyntaxError as error:
        findings.append(Finding(path, cell, error.lineno or 0, "unparsable-cell", str(error.msg)))
        return None


def check_source(source: str, path: str = "<source>", library: bool = True) -> list[Finding]:
    """Check one Python source (a ``course_utils`` module when ``library``: parameters annotated as tensors or
    modules may be on the device)."""
    findings: list[Finding] = []
    tree = _parse(source, path, None, findings)
    return findings + (_Analyzer(path, library).run([(None, False, tree)]) if tree else [])


def check_cells(cells: list[tuple[str, bool]], path: str = "<notebook>",
                indices: list[int] | None = None) -> list[Finding]:
    """Check notebook code cells, given as (source, graded) in order; a finding's cell is the cell's position in
    ``cells``, or its entry in ``indices``."""
    findings: list[Finding] = []
    indices = list(range(len(cells))) if indices is None else indices
    units = [(index, graded, tree) for index, (source, graded) in zip(indices, cells)
             if (tree := _parse(source, path, index, findings)) is not None]
    findings += _Analyzer(path, library=False).run(units)
    return sorted(findings, key=lambda f: (f.cell, f.line, f.rule))


def check_notebook(path: Path) -> list[Finding]:
    """Check a notebook's code cells; a finding's cell is the index in ``nb.cells`` (Markdown cells counted)."""
    nb = nbformat.read(str(path), as_version=4)
    indices = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    cells = []
    for i in indices:
        nbgrader = nb.cells[i].get("metadata", {}).get("nbgrader", {})
        cells.append((nb.cells[i].source, bool(nbgrader.get("solution") or nbgrader.get("grade"))))
    return check_cells(cells, _relative(path), indices)


def _relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def check_paths(paths: Iterable[Path]) -> list[Finding]:
    """Check notebooks (``.ipynb``), Python files and folders of them (checkpoints skipped)."""
    findings = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".ipynb", ".py")) if path.is_dir() else [path]
        for file in (f for f in files if ".ipynb_checkpoints" not in f.parts):
            if file.suffix == ".ipynb":
                findings += check_notebook(file)
            else:
                findings += check_source(file.read_text(), _relative(file), library=True)
    return findings


# ---------------------------------------------------------------------------------------------------------------
# The fake device

FAKE_DEVICE = torch.device("meta")
_CROSS_DEVICE_OPS = ("_to_copy", "copy_", "lift_fresh")  # a copy between devices
_INDEXING_OPS = ("index", "index_put", "index_put_", "_index_put_impl_")  # x[i], x[i] = v: i may be on the CPU
_PYTHON_KEYS = torch._C.DispatchKeySet(torch._C.DispatchKey.Python) | torch._C.DispatchKeySet(
    torch._C.DispatchKey.PythonTLSSnapshot)
_NUMPY_MESSAGE = ("can't convert meta (fake accelerator) device type tensor to numpy. Use Tensor.cpu() to copy the "
                  "tensor to host memory first.")


class FakeDeviceTensor(torch.Tensor):
    """A tensor that says it lives on ``meta`` and holds its values in a CPU tensor, ``payload``.

    Only usable inside :func:`fake_device`, which runs every operation on the payloads.
    """

    payload: torch.Tensor

    @staticmethod
    def __new__(cls, payload: torch.Tensor):
        tensor = torch.Tensor._make_wrapper_subclass(
            cls, payload.shape, strides=payload.stride(), storage_offset=payload.storage_offset(),
            dtype=payload.dtype, device=FAKE_DEVICE, requires_grad=payload.requires_grad)
        tensor.payload = payload
        return tensor

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        raise RuntimeError(f"{func} on a fake-device tensor outside `with fake_device():`")

    # The protocol of "traceable" wrapper subclasses: with it, ``model.to(device)`` swaps each parameter's contents
    # in place (``torch.utils.swap_tensors``), so the model keeps its Parameter objects as on CUDA, and an optimizer
    # made before the move still holds them.
    def __tensor_flatten__(self):
        return ["payload"], None

    @staticmethod
    def __tensor_unflatten__(inner_tensors, metadata, outer_size, outer_stride):
        return FakeDeviceTensor(inner_tensors["payload"])

    def __repr__(self, *, tensor_contents=None) -> str:
        return f"FakeDeviceTensor({self.payload!r})"

    def numpy(self, *, force: bool = False):
        if force:
            return self.payload.detach().numpy()
        raise TypeError(_NUMPY_MESSAGE)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_NUMPY_MESSAGE)

    def tolist(self):
        return self.payload.tolist()

    def __format__(self, spec: str) -> str:
        return self.detach().item().__format__(spec) if self.dim() == 0 else object.__format__(self, spec)


def _plain_tensors(func, args: tuple, kwargs: dict) -> list[torch.Tensor]:
    """The CPU tensors an operation on fake-device tensors receives that CUDA would refuse: not the indices of an
    indexing operation, not a copy's source, and not 0-dim tensors of an elementwise operation."""
    name = func.__name__.split(".")[0]
    if name in _CROSS_DEVICE_OPS:
        return []
    scalars_allowed = torch.Tag.pointwise in func.tags or name in _INDEXING_OPS
    found = []
    for value in list(args) + list(kwargs.values()):
        candidates = [value] if isinstance(value, torch.Tensor) else []
        if isinstance(value, (list, tuple)) and name not in _INDEXING_OPS:
            candidates = [v for v in value if isinstance(v, torch.Tensor)]
        found += [t for t in candidates if type(t) is torch.Tensor and not (scalars_allowed and t.dim() == 0)]
    return found


class _FakeDeviceMode(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        flat, _ = tree_flatten((args, kwargs))
        on_device = any(isinstance(t, FakeDeviceTensor) for t in flat)
        device = kwargs.get("device")
        to_device = device is not None and torch.device(device) == FAKE_DEVICE
        to_cpu = device is not None and torch.device(device).type == "cpu"
        generator = kwargs.get("generator")
        if (on_device or to_device) and generator is not None and generator.device.type == "cpu":
            raise RuntimeError("Expected a 'meta' (fake accelerator) device type for generator but found 'cpu'")
        if on_device:
            plain = _plain_tensors(func, args, kwargs)
            if plain:
                raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, "
                                   f"meta (fake accelerator) and cpu! ({func}: a CPU tensor of shape "
                                   f"{tuple(plain[0].shape)})")
        payloads = {}

        def unwrap(value):
            if isinstance(value, FakeDeviceTensor):
                payloads[id(value.payload)] = value
                return value.payload
            return torch.device("cpu") if isinstance(value, torch.device) and value == FAKE_DEVICE else value

        out = func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs))
        if on_device and torch.Tag.inplace_view in func.tags:  # x.transpose_(0, 1): reshape the fake-device tensor
            with torch._C._ExcludeDispatchKeyGuard(_PYTHON_KEYS):  # too, by the meta kernel (it has no data)
                func(*args, **kwargs)
        if to_cpu or not (on_device or to_device):
            return out

        def wrap(value):  # an in-place operation returns its input: give back the same fake-device tensor
            if type(value) is not torch.Tensor:
                return value
            return payloads[id(value)] if id(value) in payloads else FakeDeviceTensor(value)

        return tree_map(wrap, out)


@contextmanager
def fake_device() -> Iterator[torch.device]:
    """Inside the block, ``x.to(device)``, ``model.to(device)`` and ``torch.zeros(..., device=device)`` with the
    device yielded (``meta``) make fake-device tensors that compute on the CPU but fail as CUDA fails."""
    with _FakeDeviceMode():
        yield FAKE_DEVICE


# ---------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks, .py files or folders (default: "
                        "solutions/ and course_utils/)")
    paths = parser.parse_args(argv).paths or list(DEFAULT_PATHS)
    findings = check_paths(paths)
    for finding in findings:
        print(finding)
    print(f"device hygiene: {len(findings)} finding(s) in {', '.join(_relative(p) for p in paths)}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
