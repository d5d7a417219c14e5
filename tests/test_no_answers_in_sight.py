"""No answer in sight: visible test cells define no reference implementation.

(The dynamic check, every definition in sight bound to each exercise name, runs with the wrong-answer banks in
tests/test_wrong_answers.py, in the same kernel session.)
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

