"""The instructor's grading path (docs/instructors.md, instructor.mk) run for real in a throw-away course on a tiny
assignment: roster, release with a due date, zip collect, autograde, manual grades, feedback, export.

One class of students, each the case of a finding of issue 18: ada is correct; bob deleted the test cell; dee
replaced the test by `pass`; eve's Colab download is "Copy of tiny.ipynb"; gil (on time, passes the visible test
and fails the hidden one) and hal (late, a "Copy of" too) come from an LMS zip; fay never submits.
"""

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.grading import __main__ as grading_cli

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
ASSIGNMENT = "00_tiny"
NOTEBOOK = "tiny.ipynb"
HIDDEN_CODE = "double(-3)"  # appears only in the hidden tests
ANSWER = "def double(x):\n    return 2 * x"
STUDENTS = {"ada": "Ada Lovelace", "bob": "Bob Noyce", "dee": "Dee Hock", "eve": "Eve Arden", "fay": "Fay Wray",
            "gil": "Gil Evans", "hal": "Hal Abelson"}
DUEDATE = "2030-01-15 12:00:00"


def _meta(grade_id, **flags):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "task": False, "grade": False,
                         "solution": False, "locked": False, **flags}}


def tiny_source():
    """An instructor notebook: one exercise, its locked test cell (visible + hidden), one written answer."""
    return new_notebook(cells=[
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                      metadata=_meta("ex01_double", solution=True)),
        new_code_cell("assert double(2) == 4, 'double(2) should be 4'\n### BEGIN HIDDEN TESTS\n"
                      "assert double(-3) == -6, 'negative inputs are doubled too'\n### END HIDDEN TESTS",
                      metadata=_meta("test_ex01_double", grade=True, locked=True, points=2)),
        new_markdown_cell("Why does doubling commute with negation?\n\nBecause it is linear.",
                          metadata=_meta("written_why", grade=True, solution=True, points=1)),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def make(target, course, *variables, check=True):
    """`make TARGET` of instructor.mk in ``course`` with this environment, as an instructor runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the course copy has no tools/
    result = subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "instructor.mk"), target,
                             f"VENV={VENV_BIN.parent}", *variables],
                            cwd=course, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"make {target} failed:\n{result.stdout}\n{result.stderr}")
    return result


def new_course(folder: Path) -> Path:
    """A course folder: the repository's nbgrader_config.py and the tiny assignment's source."""
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    (folder / "solutions" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(tiny_source(), str(folder / "solutions" / ASSIGNMENT / NOTEBOOK))
    return folder


def _release(course):
    return nbformat.read(str(course / "notebooks" / ASSIGNMENT / NOTEBOOK), as_version=4)


def _submissions(course):
    """student -> (file name, notebook) as each hands it in; everyone answers the written question."""
    correct, wrong, deleted, tampered = (_release(course) for _ in range(4))
    for nb in (correct, wrong, deleted, tampered):
        nb.cells[0].source = ANSWER
        nb.cells[2].source = "It is linear."
    wrong.cells[0].source = "def double(x):\n    return 2 * abs(x)"
    del deleted.cells[1]
    tampered.cells[1].source = "pass"
    return {"ada": (NOTEBOOK, correct), "bob": (NOTEBOOK, deleted), "dee": (NOTEBOOK, tampered),
            "eve": (f"Copy of {NOTEBOOK}", correct), "gil": (NOTEBOOK, wrong), "hal": (f"Copy of {NOTEBOOK}", correct)}


def _lms_zip(course, submissions):
    """gil and hal as a Blackboard download: gil a day before the due date, hal a day after."""
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    times = {"gil": "2030-01-14-12-00-00", "hal": "2030-01-16-12-00-00"}
    with zipfile.ZipFile(archive / "gradebook_export.zip", "w") as bundle:
        for student, time in times.items():
            name, nb = submissions[student]
            bundle.writestr(f"Tiny_{student}_attempt_{time}_{name}", nbformat.writes(nb))


def _grade_written_answers(course, students):
    """What the instructor does in the formgrader: a manual score for each written answer."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        for student in students:
            grade = gradebook.find_grade("written_why", NOTEBOOK[:-6], ASSIGNMENT, student)
            grade.manual_score = 1
            grade.needs_manual_grade = False
        gradebook.db.commit()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The whole path once, through the make targets; every step's output kept for the tests."""
    course = new_course(tmp_path_factory.mktemp("course"))
    steps = {}
    with open(course / "roster.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "first_name", "last_name", "email"])
        for student, name in STUDENTS.items():
            writer.writerow([student, *name.split(), f"{student}@example.org"])
    steps["roster"] = make("roster", course)
    steps["release"] = make("release", course, f"ASSIGNMENT={ASSIGNMENT}", f"DUEDATE={DUEDATE}")
    submissions = _submissions(course)
    for student in ("ada", "bob", "dee", "eve"):
        name, nb = submissions[student]
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / name))
    _lms_zip(course, submissions)
    steps["collect"] = make("collect-zip", course, f"ASSIGNMENT={ASSIGNMENT}")
    steps["autograde"] = make("autograde", course, f"ASSIGNMENT={ASSIGNMENT}")
    steps["early_feedback"] = make("feedback", course, f"ASSIGNMENT={ASSIGNMENT}", check=False)
    _grade_written_answers(course, [s for s in STUDENTS if s != "fay"])
    steps["feedback"] = make("feedback", course, f"ASSIGNMENT={ASSIGNMENT}")
    steps["export"] = make("export", course)
    return course, steps


def _scores(course):
    """student -> grade_id -> score (manual score where there is one) from the gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        return {s.student_id: {g.name: g.score for nb in s.notebooks for g in nb.grades}
                for s in gradebook.assignment_submissions(ASSIGNMENT)}


def _log_per_student(autograde_log):
    """student -> the part of the autograde log about that student's submission."""
    parts, student = {}, None
    for line in autograde_log.splitlines():
        if "Sanitizing" in line:
            student = Path(line.split("Sanitizing", 1)[1].strip()).parts[-3]
        if student:
            parts[student] = parts.get(student, "") + line + "\n"
    return parts


def test_1_formgrader_opens_from_the_course_root_with_the_extension_enabled():
    dry_run = subprocess.run(["make", "-n", "-f", str(ROOT / "instructor.mk"), "formgrader"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert "jupyter lab" in dry_run and f'--ServerApp.root_dir="{ROOT}"' in dry_run, dry_run
    listing = subprocess.run([str(VENV_BIN / "jupyter"), "server", "extension", "list"], capture_output=True,
                             text=True)
    extensions = listing.stdout + listing.stderr
    assert any("nbgrader.server_extensions.formgrader" in line and "enabled" in line
               for line in extensions.splitlines()), f"the formgrader server extension is not enabled:\n{extensions}"
    guide = (ROOT / "docs" / "instructors.md").read_text()
    assert "make formgrader" in guide and "nbgrader formgrader" not in guide


def test_2_a_deleted_test_cell_is_restored_and_graded(graded):
    course, _ = graded
    assert _scores(course)["bob"]["test_ex01_double"] == 2
    autograded = nbformat.read(str(course / "autograded" / "bob" / ASSIGNMENT / NOTEBOOK), as_version=4)
    assert any(HIDDEN_CODE in cell.source for cell in autograded.cells), "the deleted test cell was not restored"


def test_3_checksum_warnings_only_for_cells_the_learner_changed(graded):
    course, steps = graded
    logs = _log_per_student(steps["autograde"].stdout + steps["autograde"].stderr)
    assert "checksum" in logs["dee"], f"no checksum warning for the tampered test cell:\n{logs['dee']}"
    for student in ("ada", "eve", "gil", "hal"):
        assert "checksum" not in logs[student], f"{student} did not touch the tests:\n{logs[student]}"
    scores = _scores(course)
    assert scores["dee"]["test_ex01_double"] == 2, "the tampered cell was not restored"
    assert scores["gil"]["test_ex01_double"] == 0, "the hidden test was not restored for gil"


def test_4_feedback_does_not_show_hidden_tests(graded):
    course, _ = graded
    html = (course / "feedback" / "gil" / ASSIGNMENT / "tiny.html").read_text()
    assert "double(2)" in html, "the visible test is missing from the feedback"
    assert "negative inputs are doubled too" in html, "the failure message is missing from the feedback"
    assert HIDDEN_CODE not in html, "the feedback shows the hidden tests' code"


def test_5_feedback_waits_for_manual_grading_and_lists_who_needs_it(graded):
    course, steps = graded
    early = steps["early_feedback"]
    assert early.returncode != 0, "feedback was generated while written answers had no grade"
    assert "written_why" in early.stdout and "  ada: written_why" in early.stdout, early.stdout
    assert "wait for a manual grade" in steps["autograde"].stdout
    assert "no submission waits" in steps["feedback"].stdout
    assert _scores(course)["ada"]["written_why"] == 1
    assert (course / "feedback" / "ada" / ASSIGNMENT / "tiny.html").exists()


def test_6_roster_students_are_exported_with_names_even_without_a_submission(graded):
    course, _ = graded
    with open(course / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(STUDENTS), f"export rows {sorted(rows)}"
    assert rows["fay"]["last_name"] == "Wray" and float(rows["fay"]["score"]) == 0
    assert float(rows["ada"]["score"]) == 3 and rows["ada"]["email"] == "ada@example.org"


def test_7_nbgrader_without_the_venv_on_path_makes_a_whole_gradebook(tmp_path):
    course = new_course(tmp_path)
    result = subprocess.run([str(VENV_BIN / "nbgrader"), "db", "student", "list"], cwd=course,
                            env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", str(tmp_path))},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(course / ".nbgrader" / "gradebook.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall(), "no alembic version recorded"


def test_8_grades_rosters_and_downloads_are_git_ignored():
    paths = ["grades.csv", "roster.csv", "downloaded/05_schedulers/archive/x.zip", ".nbgrader/gradebook.db",
             "submitted/ada/05_schedulers/schedulers.ipynb", "feedback/ada/05_schedulers/schedulers.html"]
    ignored = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True).stdout
    assert sorted(ignored.split()) == sorted(paths), f"not ignored: {set(paths) - set(ignored.split())}"


def test_9_make_clean_keeps_instructor_work_and_clean_grading_asks_first(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "instructor.mk", tmp_path / "instructor.mk")
    work = ["submitted/ada/a.ipynb", "autograded/ada/a.ipynb", "feedback/ada/a.html", ".nbgrader/gradebook.db",
            "downloaded/a/archive/x.zip", "grades.csv"]
    for path in work:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("instructor work")
    subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, check=True)
    assert [p for p in work if not (tmp_path / p).exists()] == [], "make clean deleted instructor work"
    refused = subprocess.run(["make", "-f", "instructor.mk", "clean-grading"], cwd=tmp_path, capture_output=True,
                             text=True)
    assert refused.returncode != 0 and "CONFIRM=delete-grades" in refused.stdout
    assert all((tmp_path / p).exists() for p in work)
    subprocess.run(["make", "-f", "instructor.mk", "clean-grading", "CONFIRM=delete-grades"], cwd=tmp_path,
                   capture_output=True, check=True)
    assert [p for p in work if (tmp_path / p).exists()] == ["grades.csv"]


def test_10_a_colab_copy_is_renamed_and_graded(graded):
    course, steps = graded
    assert "renamed eve: 'Copy of tiny.ipynb' -> 'tiny.ipynb'" in steps["autograde"].stdout
    assert _scores(course)["eve"]["test_ex01_double"] == 2


def test_10_a_submission_without_its_notebook_stops_autograding(tmp_path, monkeypatch, capsys):
    course = new_course(tmp_path)
    (course / "notebooks" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(tiny_source(), str(course / "notebooks" / ASSIGNMENT / NOTEBOOK))
    folder = course / "submitted" / "zed" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(tiny_source(), str(folder / "my work.ipynb"))
    monkeypatch.chdir(course)
    assert grading_cli.main(["fix-names", ASSIGNMENT]) == 1, "`make autograde` would go on and grade zed 0"
    assert "zed: no 'tiny.ipynb' (holds ['my work.ipynb'])" in capsys.readouterr().err


def test_11_zip_collect_files_lms_downloads_with_their_timestamps(graded):
    course, _ = graded
    for student in ("gil", "hal"):
        assert (course / "submitted" / student / ASSIGNMENT / NOTEBOOK).exists(), f"{student} not collected"
    assert (course / "submitted" / "hal" / ASSIGNMENT / "timestamp.txt").read_text().startswith("2030-01-16 12:00")
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        late = {s: gradebook.find_submission(ASSIGNMENT, s).total_seconds_late for s in ("gil", "hal")}
    assert late == {"gil": 0, "hal": 24 * 3600}
    scores = _scores(course)
    assert scores["hal"]["test_ex01_double"] == 2 and scores["gil"]["test_ex01_double"] == 0
