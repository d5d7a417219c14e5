"""The grading pipeline, generic over assignments: every folder of `solutions/` with one notebook is one.

Used by the tests (release sync, nbgrader round trip, wrong-answer banks) and by `make bench`. A new notebook
joins by being added to `solutions/NN_topic/topic.ipynb` (plus its bank in `tests/wrong_answers/`).

Conventions read from nbgrader cell metadata:
* an exercise is a code cell with ``solution: true`` and a grade_id ``exNN_name``;
* its tests are the locked, graded code cells whose grade_id starts with ``test_exNN_name``;
* a written answer is a graded markdown solution cell (graded by hand).
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
RELEASES = ROOT / "notebooks"
BANKS = ROOT / "tests" / "wrong_answers"
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


@dataclass(frozen=True)
class Assignment:
    name: str  # e.g. "01_initialization"
    notebook: str  # e.g. "initialization.ipynb"

    @property
    def solution_path(self) -> Path:
        return SOLUTIONS / self.name / self.notebook

    @property
    def release_path(self) -> Path:
        return RELEASES / self.name / self.notebook


def assignments() -> list[Assignment]:
    """Every assignment in `solutions/`, in course order."""
    found = []
    for folder in sorted(p for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith(".")):
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise ValueError(f"{folder} must hold exactly one notebook, found {[n.name for n in notebooks]}")
        found.append(Assignment(folder.name, notebooks[0].name))
    return found


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_exercise(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution")) and not meta.get("grade")


def is_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_written_answer(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "markdown" and bool(meta.get("grade")) and bool(meta.get("solution"))


def exercises(nb: nbformat.NotebookNode) -> dict[str, tuple[int, list[int]]]:
    """grade_id of each exercise -> (index of its solution cell, indices of its test cells)."""
    found: dict[str, tuple[int, list[int]]] = {}
    for i, cell in enumerate(nb.cells):
        if is_exercise(cell):
            exercise_id = nbgrader_meta(cell)["grade_id"]
            tests = [j for j, c in enumerate(nb.cells)
                     if is_test(c) and nbgrader_meta(c)["grade_id"].startswith(f"test_{exercise_id}")]
            found[exercise_id] = (i, tests)
    return found


def filled_submission(assignment: Assignment) -> nbformat.NotebookNode:
    """The release with every solution cell filled in from the source: what a perfect learner hands in."""
    release, source = read(assignment.release_path), read(assignment.solution_path)
    answers = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("solution")}
    filled = copy.deepcopy(release)
    for cell in filled.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            cell.source = SOLUTION_MARKERS.sub("", answers[meta["grade_id"]])
    return filled


def tampered_submission(assignment: Assignment) -> nbformat.NotebookNode:
    """The unedited release with every locked test cell's code replaced by ``pass``."""
    tampered = read(assignment.release_path)
    for cell in tampered.cells:
        if is_test(cell):
            cell.source = "pass"
    return tampered


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the nbgrader command line of this Python environment; raise with its log if it fails."""
    # nbgrader runs `alembic` (gradebook migrations) by name: put this environment's scripts on PATH.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def generate_releases(destination: Path) -> None:
    """Regenerate every release into ``destination`` exactly as `make student` does into `notebooks/`."""
    nbgrader("generate_assignment", "*", "--force", "--no-db", "--log-level=ERROR",
             f"--CourseDirectory.release_directory={destination}", cwd=ROOT)


def autograde(source: Path, submissions: dict[str, nbformat.NotebookNode], course: Path,
              *extra_args: str) -> dict[str, dict[str, tuple[float | None, float]]]:
    """Grade ``submissions`` (student id -> notebook) with real `nbgrader autograde` in a throw-away course.

    ``source`` is an instructor notebook `<assignment>/<name>.ipynb`; ``course`` an empty folder that
    receives the course's nbgrader_config.py, the source, a gradebook and `submitted/<student>/<assignment>/`.
    ``extra_args`` go to `nbgrader autograde` (e.g. ``--Execute.timeout=5``). Returns student -> grade_id ->
    (score, max_score) for every graded cell (score None for cells that wait for a manual grade); the executed
    notebooks stay in the course (:func:`autograded_notebook`).
    """
    from nbgrader.api import Gradebook

    name = source.parent.name
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(source.parent, course / "solutions" / name)
    nbgrader("generate_assignment", name, "--force", "--log-level=ERROR", cwd=course)
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(notebook, str(folder / source.name))
    nbgrader("autograde", name, "--force", "--log-level=ERROR", *extra_args, cwd=course)
    scores: dict[str, dict[str, tuple[float | None, float]]] = {}
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        for student in submissions:
            submission = gradebook.find_submission(name, student)
            scores[student] = {grade.name: (grade.score, grade.max_score)
                               for notebook in submission.notebooks for grade in notebook.grades}
    return scores


def autograded_notebook(source: Path, course: Path, student: str) -> nbformat.NotebookNode:
    """The notebook of ``student`` as :func:`autograde` executed it in ``course``, outputs included."""
    return read(course / "autograded" / student / source.parent.name / source.name)


def errors_outside_tests(nb: nbformat.NotebookNode) -> dict[int, list[str]]:
    """Cell index -> errors of every code cell that raised but is not a graded test cell: in an executed release,
    a demo that needs an exercise it should work around, or an exercise stub that raises when it is run."""
    return {i: _errors(cell) for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and _errors(cell) and not is_test(cell)}


def edited_answer(assignment_name: str, exercise_id: str, *replacements: str) -> str:
    """The solution's answer to an exercise, markers removed, with each ``old`` (which must occur exactly once)
    replaced by its ``new``: ``edited_answer("04_adaptive_methods", "ex01_ema", old1, new1, ...)``.

    Wrong answers written as small edits of the reference stay in step with it when the solution changes.
    """
    if len(replacements) % 2:
        raise ValueError(f"{exercise_id}: edited_answer takes (old, new) pairs; the last old, "
                         f"{replacements[-1]!r}, has no new")
    folder = SOLUTIONS / assignment_name
    notebook = read(next(folder.glob("*.ipynb")))
    source = SOLUTION_MARKERS.sub("", notebook.cells[exercises(notebook)[exercise_id][0]].source)
    for old, new in zip(replacements[::2], replacements[1::2]):
        if source.count(old) != 1:
            raise ValueError(f"{exercise_id}: {old!r} occurs {source.count(old)} times in the reference answer")
        source = source.replace(old, new)
    return source


@dataclass(frozen=True)
class WrongAnswer:
    """A plausible wrong answer for one exercise; ``names`` is text the failure message must contain."""

    label: str
    code: str
    names: str | None = None


@dataclass(frozen=True)
class WrongAnswerResult:
    exercise: str
    wrong: WrongAnswer
    errors: list[str]  # "Name: message" of every test cell that failed


def load_bank(assignment: Assignment) -> dict[str, list[WrongAnswer]]:
    """The wrong-answer bank `tests/wrong_answers/<assignment>.py` (its ``BANK`` dict)."""
    path = BANKS / f"{assignment.name}.py"
    if not path.exists():
        raise FileNotFoundError(f"{assignment.name} has no wrong-answer bank: create {path.relative_to(ROOT)}")
    spec = importlib.util.spec_from_file_location(f"bank_{assignment.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BANK


def _top_level_definitions(source: str) -> dict[str, str]:
    """name -> "function" or "class" for each top-level def, class or ``name = lambda`` of a cell."""
    import ast

    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = "function"
        elif isinstance(node, ast.ClassDef):
            found[node.name] = "class"
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            found.update({t.id: "function" for t in node.targets if isinstance(t, ast.Name)})
    return found


def _visible_part(source: str) -> str:
    """A test cell's source without its hidden tests: what the release shows."""
    return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", source, flags=re.DOTALL)


def definitions_in_sight(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Functions and classes a learner sees defined outside the answer cells: in the visible part of test
    cells and in demo cells. name -> "function" or "class"."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or nbgrader_meta(cell).get("solution"):
            continue
        found.update(_top_level_definitions(_visible_part(cell.source) if is_test(cell) else cell.source))
    return found


def names_called_in_sight(nb: nbformat.NotebookNode) -> dict[str, set[str]]:
    """For each function in sight, the plain names it calls. A function that calls an exercise's name (a test
    cell's ``_check_x`` calls ``x``) cannot be that exercise's answer: bound to it, it would only recurse."""
    import ast

    called: dict[str, set[str]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or nbgrader_meta(cell).get("solution"):
            continue
        source = _visible_part(cell.source) if is_test(cell) else cell.source
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                called[node.name] = {n.func.id for n in ast.walk(node)
                                     if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return called


@dataclass(frozen=True)
class AliasTrial:
    exercise: str
    target: str  # the exercise's name, e.g. "ema"
    candidate: str  # a definition in sight, e.g. "_ema_reference"
    errors: list[str]


def _errors(cell: nbformat.NotebookNode) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.get("outputs", []) if o.output_type == "error"]


RESTORE_CHECKING_HELPERS = "import course_utils.checking.integrity\ncourse_utils.checking.integrity.restore(globals())"


def _run_tests(client: NotebookClient, sources: list[str], answer: int, code: str, tests: list[int]) -> list[str]:
    """Execute ``code`` in place of the answer cell, then the exercise's test cells; return their errors.
    Afterwards the genuine checking helpers are put back, in case ``code`` replaced them."""
    client.execute_cell(new_code_cell(code), answer, store_history=False)
    errors = []
    for t in tests:
        trial = new_code_cell(sources[t])
        client.execute_cell(trial, t, store_history=False)
        errors += _errors(trial)
    client.execute_cell(new_code_cell(RESTORE_CHECKING_HELPERS), answer, store_history=False)
    return errors


@dataclass(frozen=True)
class BankRun:
    """What :func:`run_wrong_answers` found."""

    results: list[WrongAnswerResult]
    own_failures: dict[str, list[str]]  # test-cell id -> errors of the real answers' own tests (must be empty)
    alias_trials: list[AliasTrial]


def run_wrong_answers(assignment: Assignment, bank: dict[str, list[WrongAnswer]], timeout: int = 120) -> BankRun:
    """Execute the solution once in one kernel; before each exercise, try every wrong answer from the bank
    followed by that exercise's test cells, then run the real answer and carry on. At the end, bind every
    definition in sight to each exercise name of the same kind (``ema = _helper``) and run that exercise's tests
    (hidden ones included): a trial without errors means a visible cell holds an answer. Test cells must be
    self-contained for that to work.
    """
    nb = read(assignment.solution_path)
    found = exercises(nb)
    # execute_cell(cell, index) stores the cell at nb.cells[index]: keep the sources before any trial
    sources = [cell.source for cell in nb.cells]
    in_sight = definitions_in_sight(nb)
    calls = names_called_in_sight(nb)
    test_cells = {i for _, tests in found.values() for i in tests}
    answer_cells = {index: (exercise_id, tests) for exercise_id, (index, tests) in found.items()}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(assignment.solution_path.parent)}})
    results, own_failures, trials = [], {}, []
    with client.setup_kernel():
        for index, cell in enumerate(list(nb.cells)):  # the original cells, not the trial cells stored over them
            if cell.cell_type != "code":
                continue
            if index in answer_cells and answer_cells[index][0] in bank:
                exercise_id, tests = answer_cells[index]
                for wrong in bank[exercise_id]:
                    errors = _run_tests(client, sources, index, wrong.code, tests)
                    results.append(WrongAnswerResult(exercise_id, wrong, errors))
            client.execute_cell(cell, index)
            if index in test_cells and _errors(cell):
                own_failures[nbgrader_meta(cell)["grade_id"]] = _errors(cell)
        for exercise_id, (answer, tests) in found.items():
            targets = _top_level_definitions(sources[answer])
            for target, kind in targets.items():
                for candidate in (c for c, k in in_sight.items() if k == kind and c not in targets
                                  and target not in calls.get(c, ())):
                    errors = _run_tests(client, sources, answer, f"{target} = {candidate}", tests)
                    trials.append(AliasTrial(exercise_id, target, candidate, errors))
                    client.execute_cell(new_code_cell(sources[answer]), answer, store_history=False)
    return BankRun(results, own_failures, trials)


def measure(notebook: Path, timeout: int = 600) -> tuple[float, float, list[str]]:
    """Execute ``notebook`` in a fresh kernel: (seconds, the kernel's peak memory in MiB, cell errors)."""
    nb = read(notebook)
    nb.cells.append(new_code_cell("import resource, sys\n"
                                  "_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
                                  "print(_rss / (1024 * 1024 if sys.platform == 'darwin' else 1024))"))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(notebook.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    peak = float(nb.cells[-1].outputs[0].text)
    errors = [e for cell in nb.cells[:-1] for e in _errors(cell)]
    return seconds, peak, errors
