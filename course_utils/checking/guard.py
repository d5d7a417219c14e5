"""The anti-delegation guard: a from-scratch answer must not run the library code it re-implements.

``forbid_calls`` watches what actually runs inside its ``with`` block, whatever the spelling:

* **ATen operators**, through a ``TorchDispatchMode``: ``F.log_softmax``, ``Tensor.log_softmax``,
  ``torch.special.log_softmax`` and ``torch._C._VariableFunctions.log_softmax`` all arrive as
  ``aten._log_softmax``; ``torch._foreach_add_`` as ``aten._foreach_add_``.
* **Python code**, through ``sys.setprofile``: a forbidden function recognised by its code object (an
  alias or ``from ... import`` does not hide it), and any code executed from a forbidden module
  (``torch/optim/adam.py``, the whole ``scipy`` package), whatever the entry point.
* **Built-in functions** by name (``torch._C._nn.cross_entropy_loss``, ``Tensor.numpy``).
* **Switching the guard off**: calling ``sys.setprofile``/``sys.settrace``, leaving or clearing the dispatch
  mode, running the work in a thread, an executor or another process (the profiler and the dispatch mode are
  per thread), or replacing the checking helpers of ``course_utils`` fails with a message that says so.
"""

from __future__ import annotations

import concurrent.futures
import dis
import fnmatch
import functools
import inspect
import multiprocessing
import os
import sys
import subprocess
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode, _get_current_dispatch_mode_stack

from .integrity import assert_untampered as _assert_untampered

# Built-ins whose call from inside the block switches the guard off.
_SWITCHES_OFF = {"setprofile", "settrace", "_set_dispatch_mode", "_unset_dispatch_mode", "_pop_torch_dispatch_stack",
                 "_push_on_torch_dispatch_stack", "_set_torch_dispatch_mode"}
# Code that runs the work elsewhere, where neither the profiler nor the dispatch mode (both per thread) can see it.
_ELSEWHERE = {threading.Thread.start.__code__: "a thread", subprocess.Popen.__init__.__code__: "another process"}
_ELSEWHERE_BUILTINS = {"start_new_thread": "a thread", "start_joinable_thread": "a thread", "system": "another process",
                       "fork": "another process", "posix_spawn": "another process", "fork_exec": "another process"}
_ELSEWHERE_PACKAGES = {os.path.dirname(concurrent.futures.__file__) + os.sep: "an executor",
                       os.path.dirname(multiprocessing.__file__) + os.sep: "another process"}
# Names that, read by the learner's own code inside the block, reach around the dispatch mode or the profiler.
_SUSPICIOUS_NAMES = {"setprofile", "settrace", "_DisableTorchDispatch", "_pop_mode", "_pop_mode_temporarily",
                     "_disable_current_modes", "_get_current_dispatch_mode_stack", "_get_current_dispatch_mode",
                     "DisableTorchFunction", "_DisableTorchFunction", "_DisableTorchFunctionSubclass",
                     "_set_dispatch_mode", "_unset_dispatch_mode", "_pop_torch_dispatch_stack"}
_FIND_AND_LOAD = sys.modules["_frozen_importlib"]._find_and_load.__code__
_DEFAULT_TORCH_DISPATCH = getattr(torch.Tensor.__torch_dispatch__, "__func__", torch.Tensor.__torch_dispatch__)
_PYTHON_KEY = torch._C.DispatchKey.Python
_LIBRARY_ROOTS = tuple({os.path.dirname(os.path.dirname(os.__file__)), sys.prefix, sys.base_prefix,
                        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})


def _fingerprint(code: types.CodeType) -> tuple:
    """What a copy of a function keeps whatever its file and name: its bytecode, the names it uses and its
    constants (messages included, so that two short functions written alike do not collide)."""
    constants = tuple(repr(c) for c in code.co_consts if not isinstance(c, types.CodeType))
    return code.co_code, code.co_names, constants


@functools.cache
def _bytecode_of(path: str) -> frozenset[tuple]:
    """The fingerprint of every function in a module's source file (longer than a trivial body), to recognise
    a copy of that code compiled under another name."""
    with open(path, encoding="utf-8") as source:
        module = compile(source.read(), path, "exec")
    found, stack = set(), [module]
    while stack:
        code = stack.pop()
        if code is not module and len(code.co_code) >= 64:
            found.add(_fingerprint(code))
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return frozenset(found)


def _started_by_tqdm(frame: Any) -> bool:
    """A progress bar's monitor thread or lock (tqdm starts them on first use): harmless, not the answer's work."""
    while frame is not None:
        if f"{os.sep}tqdm{os.sep}" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


_is_excluded = torch._C._dispatch_tls_is_dispatch_key_excluded


def _is_import(code: types.CodeType) -> bool:
    return code is _FIND_AND_LOAD  # the import system's own function, not one named like it


@functools.cache
def _global_names(code: types.CodeType) -> frozenset[str]:
    """The global names a code object reads (not its attribute names, which co_names holds too)."""
    return frozenset(i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME"))


def torch_optim_algorithms() -> list[str]:
    """Every module of ``torch.optim`` that implements an update rule (``torch.optim.sgd``, ``.asgd``, ``.adam``,
    ``._functional`` ...): all but the ``Optimizer`` base class and the schedulers. Forbid them all in an optimizer
    exercise: ``ASGD(lambd=0, alpha=0, t0=1e9)`` is plain SGD, ``NAdam`` with ``momentum_decay=0`` is nearly Adam."""
    import pkgutil

    import torch.optim

    keep = {"optimizer", "lr_scheduler"}
    return [f"torch.optim.{m.name}" for m in pkgutil.iter_modules(torch.optim.__path__) if m.name not in keep]


class _OpRecorder(TorchDispatchMode):
    """Records the name of every ATen operator that runs (``_log_softmax``, ``_foreach_add_``, ...)."""

    def __init__(self) -> None:
        super().__init__()
        self.ops: list[str] = []
        self.elsewhere: list[str] = []  # operators that run Python code of their own, out of the guard's sight
        self.inside = 0  # > 0 while this mode handles an operator (the mode is then off the stack)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # noqa: D105
        self.ops.append(func.overloadpacket.__name__)
        if func.namespace not in ("aten", "prims", "profiler"):  # profiler: Optimizer.step's record_function
            self.elsewhere.append(f"the custom operator {func.namespace}::{func.overloadpacket.__name__}")
        subclasses = [t.__name__ for t in types if _has_own_torch_dispatch(t)]
        if subclasses:
            self.elsewhere.append(f"a tensor subclass with its own __torch_dispatch__ ({', '.join(subclasses)})")
        self.inside += 1
        try:
            return func(*args, **(kwargs or {}))
        finally:
            self.inside -= 1


def _has_own_torch_dispatch(cls: type) -> bool:
    own = getattr(cls, "__torch_dispatch__", None)
    return cls is not torch.Tensor and getattr(own, "__func__", own) is not _DEFAULT_TORCH_DISPATCH


def _module_location(module: types.ModuleType | str) -> tuple[str, str]:
    """(path prefix, display name) of a module or package: a package covers every file below its folder."""
    if isinstance(module, str):
        __import__(module)
        module = sys.modules[module]
    if not isinstance(module, types.ModuleType) or not getattr(module, "__file__", None):
        raise TypeError(f"modules must hold modules or dotted module names, got {module!r}")
    path = os.path.abspath(module.__file__)
    if hasattr(module, "__path__"):  # a package: its folder
        return os.path.dirname(path) + os.sep, module.__name__
    return path, module.__name__


def _qualified_name(function: Callable) -> str:
    module = getattr(function, "__module__", None) or "torch"
    return f"{module}.{getattr(function, '__qualname__', getattr(function, '__name__', repr(function)))}"


def _is_learner_code(code: types.CodeType) -> bool:
    """Code typed in a notebook or a file outside the Python installation and this package."""
    filename = os.path.abspath(code.co_filename) if not code.co_filename.startswith("<") else code.co_filename
    return not filename.startswith(_LIBRARY_ROOTS)


class _Watch:
    """What one ``forbid_calls`` block looks for, and what it found."""

    def __init__(self, functions: Iterable[Callable], ops: Iterable[str], modules: Iterable[Any],
                 allow: Iterable[Callable], allow_numpy: bool) -> None:
        self.codes: dict[types.CodeType, str] = {}
        self.builtin_names: dict[str, str] = {}
        for function in functions:
            if not callable(function):
                raise TypeError(f"forbid_calls takes functions, got {type(function).__name__} {function!r}")
            unwrapped = inspect.unwrap(function)
            code = getattr(unwrapped, "__code__", None)
            if code is not None:
                self.codes[code] = _qualified_name(unwrapped)
            else:
                self.builtin_names[unwrapped.__name__] = f"torch.{unwrapped.__name__}"
        if not allow_numpy:
            self.builtin_names.setdefault("numpy", "Tensor.numpy (a detour through NumPy)")
            self.builtin_names.setdefault("__array__", "Tensor.__array__ (a detour through NumPy)")
        self.op_patterns = tuple(ops)
        for pattern in self.op_patterns:
            if not isinstance(pattern, str):
                raise TypeError(f"ops must hold ATen operator names such as '_log_softmax', got {pattern!r}")
        self.locations = [_module_location(m) for m in modules]
        self.copied_code = {code: name for path, name in self.locations if not path.endswith(os.sep)
                            for code in _bytecode_of(path)}
        self.allowed = {inspect.unwrap(f).__code__ for f in allow}
        self.allowed_depth = 0
        self.found: list[str] = []
        self.switched_off: list[str] = []
        self.closed = False
        self.modules_entered: set[str] = set()

    def _forbidden_module_name(self, value: Any) -> str | None:
        """The forbidden module that ``value`` (a module, function or C ufunc) belongs to, if any."""
        name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if not isinstance(name, str):
            return None
        return next((m for _, m in self.locations if name == m or name.startswith(m + ".")), None)

    def learner_code_event(self, frame: Any) -> None:
        """Learner code that names a forbidden module or its functions: catches SciPy's C ufuncs, which run
        no Python code and raise no profiler event."""
        code = frame.f_code
        reached = _SUSPICIOUS_NAMES.intersection(code.co_names)
        if reached:
            self.switched_off.append(f"{code.co_name} uses {', '.join(sorted(reached))}")
        copied_from = self.copied_code.get(_fingerprint(code))
        if copied_from:
            self.found.append(f"a copy of {copied_from}'s code (in {code.co_name})")
        self.names_used(code, {name: frame.f_globals.get(name) for name in _global_names(code)})

    def names_used(self, code: types.CodeType, values: dict[str, Any]) -> None:
        """Flag the values (globals read, or locals at return) that belong to a forbidden module."""
        for name, value in values.items():
            if value is None or getattr(inspect.unwrap(value), "__code__", None) in self.allowed:
                continue
            module_name = self._forbidden_module_name(value)
            if module_name and module_name not in self.modules_entered:
                self.modules_entered.add(module_name)
                self.found.append(f"{module_name} (used by {code.co_name} as {name})")

    def code_event(self, frame: Any) -> None:
        code = frame.f_code
        if code in self.codes:
            self.found.append(self.codes[code])
            return
        elsewhere = _ELSEWHERE.get(code) or next(
            (what for prefix, what in _ELSEWHERE_PACKAGES.items() if code.co_filename.startswith(prefix)), None)
        if elsewhere and not _started_by_tqdm(frame):
            self.switched_off.append(f"it ran code in {elsewhere}, out of the checking's sight")
            return
        filename = os.path.abspath(code.co_filename)
        for prefix, module_name in self.locations:
            if filename == prefix or (prefix.endswith(os.sep) and filename.startswith(prefix)):
                if module_name not in self.modules_entered:  # name the entry point, not every inner function
                    self.modules_entered.add(module_name)
                    self.found.append(f"code from {module_name} (entered through {code.co_name})")
                return
        if code.co_name in ("__array__", "__dlpack__") and "numpy" in self.builtin_names and \
                filename.endswith("_tensor.py"):
            self.found.append(f"Tensor.{code.co_name} (a detour through NumPy)")

    def builtin_event(self, frame: Any, function: Any) -> None:
        name = getattr(function, "__name__", None)
        if name in _ELSEWHERE_BUILTINS and not _started_by_tqdm(frame):
            self.switched_off.append(f"it ran code in {_ELSEWHERE_BUILTINS[name]}, out of the checking's sight")
        elif name in _SWITCHES_OFF:
            self.switched_off.append(f"it called {name}")
        elif name in self.builtin_names:
            self.found.append(self.builtin_names[name])

    def op_names(self, ops: list[str]) -> list[str]:
        return [f"aten.{op}" for op in dict.fromkeys(ops) if any(fnmatch.fnmatchcase(op, p) for p in self.op_patterns)]


@contextmanager
def forbid_calls(*functions: Callable, ops: Iterable[str] = (), modules: Iterable[Any] = (),
                 allow: Iterable[Callable] = (), allow_numpy: bool = True,
                 task: str = "this exercise") -> Iterator[None]:
    """Fail if the code inside the ``with`` block runs the library implementation it re-implements.

    Args:
        functions: Python functions (recognised by code object, so aliases count) or built-ins (by name).
        ops: ATen operator names or ``fnmatch`` patterns that must not run: ``"_log_softmax"``,
            ``"logsumexp"``, ``"nll_loss*"``, ``"_foreach_*"``. Every Python route to them is caught.
        modules: modules or packages (objects or dotted names) none of whose code may run:
            ``torch.optim.adam``, ``"scipy"``, ``torch.optim.lr_scheduler``.
        allow: functions that may run although they live in a forbidden module (their callees too).
        allow_numpy: ``False`` also forbids converting a tensor to NumPy (the route to SciPy's C ufuncs).
        task: the exercise's name for the message.
    Raises:
        AssertionError after the block, naming every forbidden thing that ran, or saying how the guard was
        switched off. An exception raised inside the block passes through unchanged.
    """
    if not (functions or ops or modules):
        raise ValueError("forbid_calls needs at least one function, op or module to forbid")
    _assert_untampered()
    watch = _Watch(functions, ops, modules, allow, allow_numpy)
    previous = sys.getprofile()

    def profiler(frame: Any, event: str, arg: Any) -> None:
        if watch.closed:
            pass
        elif event in ("call", "c_call") and not recorder.inside and _is_excluded(_PYTHON_KEY):
            watch.switched_off.append("the operators ran with the dispatch mode bypassed (the Python key excluded)")
        if watch.closed:
            pass
        elif event == "call":
            if frame.f_code in watch.allowed or _is_import(frame.f_code):  # a lazy import is nobody's answer
                watch.allowed_depth += 1
            elif not watch.allowed_depth:
                watch.code_event(frame)
                if _is_learner_code(frame.f_code):
                    watch.learner_code_event(frame)
        elif event == "return" and (frame.f_code in watch.allowed or _is_import(frame.f_code)):
            watch.allowed_depth -= 1
        elif event == "return" and not watch.allowed_depth and _is_learner_code(frame.f_code):
            watch.names_used(frame.f_code, frame.f_locals)  # what it imported or built locally
        elif event == "c_call" and not watch.allowed_depth:
            watch.builtin_event(frame, arg)
        if previous is not None:
            previous(frame, event, arg)

    recorder = _OpRecorder()
    with recorder:
        stack = list(_get_current_dispatch_mode_stack())
        sys.setprofile(profiler)
        try:
            yield
        finally:
            watch.closed = True
            profile_intact = sys.getprofile() is profiler
            sys.setprofile(previous)
            mode_intact = list(_get_current_dispatch_mode_stack()) == stack
            if not mode_intact:  # put the stack back as it was so that leaving the mode does not fail
                _restore_mode_stack(stack)
    problems = list(dict.fromkeys(watch.switched_off + recorder.elsewhere))
    if not profile_intact:
        problems.append("the profiler that watches calls was replaced")
    if not mode_intact:
        problems.append("the dispatch mode that records operators was left or cleared")
    if problems:
        raise AssertionError(f"{task} switched the checking off ({'; '.join(problems)}). Write the answer "
                             "with plain tensor operations and leave the checking machinery alone.")
    _assert_untampered()
    used = list(dict.fromkeys(watch.found)) + watch.op_names(recorder.ops)
    if used:
        raise AssertionError(f"{task} must be written from scratch, but it used {', '.join(used)}. Write it with basic "
                             "operations (tensor arithmetic, math) instead of the library implementation it "
                             "re-implements.")


def _restore_mode_stack(stack: list[TorchDispatchMode]) -> None:
    from torch.utils._python_dispatch import _pop_mode, _push_mode

    while _get_current_dispatch_mode_stack():
        _pop_mode()
    for mode in stack:
        _push_mode(mode)
