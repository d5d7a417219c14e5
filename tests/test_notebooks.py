"""Conventions every assignment follows, and `notebooks/` being exactly what nbgrader generates."""

import re
import tomllib

import pytest

from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow

ASSIGNMENTS = pipeline.assignments()
IDS = [a.name for a in ASSIGNMENTS]
REPO_URL = tomllib.loads((pipeline.ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def test_there_are_assignments():
    assert ASSIGNMENTS, "solutions/ holds no assignment"


def test_releases_are_what_nbgrader_generates(tmp_path):
    pipeline.generate_releases(tmp_path / "release")
    release = tmp_path / "release"
    generated = {p.relative_to(release): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    committed = {p.relative_to(pipeline.RELEASES): p.read_bytes() for p in pipeline.RELEASES.rglob("*") if p.is_file()}
    assert sorted(generated) == sorted(committed), "notebooks/ and solutions/ hold different files: run `make student`"
    stale = [str(path) for path in generated if generated[path] != committed[path]]
    assert not stale, f"notebooks/ is out of date for {stale}: run `make student` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_assignment_conventions(assignment):
    nb = pipeline.read(assignment.solution_path)
    assert re.fullmatch(r"\d\d_[a-z0-9_]+", assignment.name), "assignment folders are named NN_topic"
    assert nb.metadata.kernelspec.name == "python3", "autograde runs the notebook's kernelspec: keep it python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "commit solutions without outputs"
    grade_ids = [pipeline.nbgrader_meta(c)["grade_id"] for c in nb.cells if pipeline.nbgrader_meta(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"duplicate grade_ids: {grade_ids}"
    exercises = pipeline.exercises(nb)
    assert exercises, "an assignment needs at least one autograded exercise"
    for exercise_id, (_, tests) in exercises.items():
        assert re.fullmatch(r"ex\d\d_[a-z0-9_]+", exercise_id), f"exercise grade_id {exercise_id!r} is not exNN_name"
        assert tests, f"exercise {exercise_id} has no test cell named test_{exercise_id}*"
        assert any("### BEGIN HIDDEN TESTS" in nb.cells[t].source for t in tests), f"{exercise_id} has no hidden tests"
    tests = [c for c in nb.cells if pipeline.is_test(c)]
    assert all(pipeline.nbgrader_meta(c)["locked"] for c in tests), "test cells must be locked"
    owned = {nb.cells[t].metadata.nbgrader.grade_id for _, ts in exercises.values() for t in ts}
    assert owned == {c.metadata.nbgrader.grade_id for c in tests}, "every test cell belongs to one exercise"
    points = sum(pipeline.nbgrader_meta(c)["points"] for c in tests)
    assert 10 <= points <= 25, f"autograded points must total 10 to 25, got {points}"
    written = [c for c in nb.cells if pipeline.is_written_answer(c)]
    assert len(written) <= 2, "at most two hand-graded written answers"
    assert all(pipeline.nbgrader_meta(c)["grade_id"].startswith("written_") for c in written)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_colab_setup_uses_the_one_repository_url(assignment):
    nb = pipeline.read(assignment.solution_path)
    badge = f"https://colab.research.google.com/github/{REPO_URL.removeprefix('https://github.com/')}" \
            f"/blob/main/notebooks/{assignment.name}/{assignment.notebook}"
    assert badge in nb.cells[0].source, f"the title cell must link to Colab with {badge}"
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert f'REPO_URL = "{REPO_URL}"' in setup.source, "the setup cell must set REPO_URL from pyproject.toml"
    assert '%pip install --quiet --no-deps "git+{REPO_URL}"' in setup.source, "install course_utils only"
    assert badge in (pipeline.ROOT / "README.md").read_text(), f"README must link {badge}"
