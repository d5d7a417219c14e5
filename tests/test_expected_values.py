"""The stored expected values are exactly what their kept script computes from the recorded inputs."""

import pytest
import torch

from course_utils import load_expected
from tools import expected_values

ASSIGNMENTS = expected_values.assignments_with_cases()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stored_values_are_what_the_script_writes(assignment):
    differences = expected_values.stale(assignment)
    assert not differences, (f"{assignment}.json differs from what tools/expected/{assignment}.py computes "
                             f"(run python -m tools.expected_values {assignment}): {differences[:5]}")


def test_differences_allow_float_noise_and_nothing_else():
    a = {"x": torch.tensor([1.0, 2.0]), "n": [1, "a"], "f": 0.1, "d": torch.tensor([1.0], dtype=torch.float64)}
    noisy = {"x": torch.tensor([1.0, 2.0 + 2e-7]), "n": [1, "a"], "f": 0.1 + 1e-17,
             "d": torch.tensor([1.0 + 1e-15], dtype=torch.float64)}
    assert expected_values.differences(a, noisy) == []
    assert expected_values.differences(a, {**a, "x": torch.tensor([1.0, 2.001])}) == ["/x: values differ"]
    assert expected_values.differences(a, {**a, "n": [1, "b"]}) == ["/n[1]: 'a' vs 'b'"]
    assert expected_values.differences(a, {**a, "x": torch.tensor([1, 2])}) != []
    assert expected_values.differences(a, {**a, "f": 0.2}) != []
    assert expected_values.differences(a, {"x": a["x"]}) != []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stored_values_load_as_tensors(assignment):
    cases = load_expected(assignment)
    assert cases, f"{assignment} stores no case"


def test_unknown_assignment_is_a_clear_error():
    with pytest.raises(ValueError, match="no stored expected values for '99_nothing'"):
        load_expected("99_nothing")
