"""No answer in sight: what a learner sees outside the answer cells never answers an exercise.

Visible test cells and demo cells may define helpers, but none of them, bound to an exercise's name, may pass
that exercise's tests (visible and hidden): that is exactly what a learner who copies it would hand in.
"""

import re

import pytest

from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow

ASSIGNMENTS = pipeline.assignments()
IDS = [a.name for a in ASSIGNMENTS]
REFERENCE_NAMES = re.compile(r"reference|_rule$|_rule_|variant|expected|_correct|solution", re.IGNORECASE)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_visible_test_cells_define_no_reference(assignment):
    release = pipeline.read(assignment.release_path)
    named = [(pipeline.nbgrader_meta(c)["grade_id"], name) for c in release.cells if pipeline.is_test(c)
             for name in pipeline._top_level_definitions(c.source) if REFERENCE_NAMES.search(name)]
    assert not named, f"visible test cells of {assignment.name} define references: {named}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_no_definition_in_sight_passes_an_exercise(assignment):
    trials = pipeline.run_alias_trials(assignment)
    passing = [f"{t.exercise}: {t.target} = {t.candidate}" for t in trials if not t.errors]
    assert not passing, f"definitions a learner can see in {assignment.name} answer an exercise: {passing}"
