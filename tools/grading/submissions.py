"""Submissions in a course folder: file names fixed before autograding, manual grading still to do.

A course folder is the repository root (or a copy of it): `nbgrader_config.py`, the releases in `notebooks/`,
submissions in `submitted/<student>/<assignment>/`, the gradebook named by the config.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

# What browsers and notebook front ends make of a file name: Colab's "Copy of X.ipynb", a second download
# "X (1).ipynb", Jupyter's "X-Copy1.ipynb".
COPY_NAME = re.compile(r"^(?:Copy of )?(?P<name>.+?)(?: \(\d+\)|-Copy\d+)?\.ipynb$")


def _course(root: Path) -> CourseDirectory:
    """The course directory as `root`/nbgrader_config.py configures it."""
    root = Path(root)
    if not (root / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"{root} has no nbgrader_config.py: run this from the course root")
    return CourseDirectory(config=PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())


def course_db_url(root: Path) -> str:
    """The gradebook URL of the course at ``root``."""
    return _course(root).db_url


def released_notebooks(root: Path, assignment: str) -> list[str]:
    """File names of the notebooks released for ``assignment``, e.g. ``["schedulers.ipynb"]``."""
    course = _course(root)
    folder = Path(course.root) / course.release_directory / assignment
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"no released notebook in {folder}: is {assignment!r} an assignment?")
    return names


def _plain_name(file_name: str) -> str | None:
    """``"Copy of schedulers (1).ipynb"`` -> ``"schedulers.ipynb"``; None for a file that is not a notebook."""
    match = COPY_NAME.match(file_name)
    return f"{match['name']}.ipynb" if match else None


def fix_notebook_names(root: Path, assignment: str) -> tuple[list[str], list[str]]:
    """Rename each submitted copy of a released notebook ("Copy of schedulers.ipynb") to its released name
    where that name is missing, in `submitted/*/<assignment>/`.

    Returns (what was renamed, problems): a problem is a submission that still lacks a released notebook,
    with the notebooks it holds, for the instructor to sort out before autograding.
    """
    course = _course(root)
    expected = released_notebooks(root, assignment)
    renamed, problems = [], []
    for folder in sorted(Path(course.root, course.submitted_directory).glob(f"*/{assignment}")):
        student = folder.parent.name
        for name in expected:
            if (folder / name).exists():
                continue
            copies = [p for p in sorted(folder.glob("*.ipynb")) if _plain_name(p.name) == name]
            if len(copies) == 1:
                copies[0].rename(folder / name)
                renamed.append(f"{student}: {copies[0].name!r} -> {name!r}")
            else:
                held = sorted(p.name for p in folder.glob("*.ipynb"))
                problems.append(f"{student}: no {name!r} (holds {held or 'no notebook'})")
    return renamed, problems


def needing_manual_grade(root: Path, assignment: str) -> dict[str, list[str]]:
    """Student -> grade ids of the cells of ``assignment`` that wait for a manual grade (written answers, or
    autograded cells whose score an instructor cleared), for every autograded submission that has any."""
    waiting: dict[str, list[str]] = {}
    with Gradebook(course_db_url(root)) as gradebook:
        try:
            submissions = gradebook.assignment_submissions(assignment)
        except MissingEntry:
            raise ValueError(f"the gradebook has no assignment {assignment!r}: release it first") from None
        for submission in submissions:
            cells = [grade.name for notebook in submission.notebooks for grade in notebook.grades
                     if grade.needs_manual_grade]
            if cells:
                waiting[submission.student_id] = cells
    return dict(sorted(waiting.items()))
