"""The stored expected values are exactly what their kept script computes from the recorded inputs."""

import pytest

from course_utils import load_expected
from tools import expected_values

ASSIGNMENTS = expected_values.assignments_with_cases()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stored_values_are_what_the_script_writes(assignment):
    path = expected_values.STORED / f"{assignment}.json"
    assert path.exists(), f"{path} is missing: run python -m tools.expected_values {assignment}"
    assert path.read_text() == expected_values.render(assignment), (
        f"{path.name} differs from what tools/expected/{assignment}.py computes: run python -m tools.expected_values")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stored_values_load_as_tensors(assignment):
    cases = load_expected(assignment)
    assert cases, f"{assignment} stores no case"


def test_unknown_assignment_is_a_clear_error():
    with pytest.raises(ValueError, match="no stored expected values for '99_nothing'"):
        load_expected("99_nothing")
