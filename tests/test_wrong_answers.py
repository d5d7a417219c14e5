"""Every plausible wrong answer in tests/wrong_answers/ fails its exercise's tests, with a message that names it,
and no function or class a learner can see outside the answer cells answers an exercise."""

import functools

import pytest

from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow

ASSIGNMENTS = pipeline.assignments()


def _bank_if_any(assignment):
    """The bank, or {} when it is missing (test_every_exercise_has_a_bank_of_at_least_three then fails)."""
    try:
        return pipeline.load_bank(assignment)
    except FileNotFoundError:
        return {}


CASES = [(a, exercise, i) for a in ASSIGNMENTS for exercise, wrongs in _bank_if_any(a).items()
         for i in range(len(wrongs))]


@functools.cache
def _run_or_error(assignment):
    """The harness's run, or the exception it raised: kept either way, so that a failing harness (a cell that
    timed out, say) costs one run, not one per wrong answer."""
    try:
        return pipeline.run_wrong_answers(assignment, pipeline.load_bank(assignment))
    except Exception as error:  # noqa: BLE001 - re-raised by _run for every test that needs the run
        return error


def _run(assignment):
    result = _run_or_error(assignment)
    if isinstance(result, Exception):
        raise RuntimeError(f"the wrong-answer harness failed for {assignment.name}: {result}") from result
    return result


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_every_exercise_has_a_bank_of_at_least_three(assignment):
    bank = pipeline.load_bank(assignment)
    exercises = pipeline.exercises(pipeline.read(assignment.solution_path))
    assert set(bank) == set(exercises), f"bank exercises {sorted(bank)} differ from the notebook's {sorted(exercises)}"
    for exercise, wrongs in bank.items():
        assert len(wrongs) >= 3, f"{exercise} needs at least three wrong answers, has {len(wrongs)}"
        assert wrongs[0].names, f"the first (most common) wrong answer of {exercise} must name its misconception"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_the_real_answers_pass_in_the_same_harness(assignment):
    own_failures = _run(assignment).own_failures
    assert not own_failures, f"the solution failed its own tests inside the harness: {own_failures}"


@pytest.mark.parametrize("assignment, exercise, index", CASES,
                         ids=[f"{a.name}-{ex}-{i}" for a, ex, i in CASES])
def test_wrong_answer_fails_with_a_helpful_message(assignment, exercise, index):
    wrong = pipeline.load_bank(assignment)[exercise][index]
    result = next(r for r in _run(assignment).results if (r.exercise, r.wrong.label) == (exercise, wrong.label))
    assert result.errors, f"{exercise}: the wrong answer '{wrong.label}' passed every test"
    if wrong.names:
        assert any(wrong.names in error for error in result.errors), (
            f"{exercise}: '{wrong.label}' failed, but no message says {wrong.names!r}; got {result.errors}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_no_definition_in_sight_passes_an_exercise(assignment):
    """Bound to an exercise's name, a helper from a visible test cell or a demo cell must fail that exercise."""
    trials = _run(assignment).alias_trials
    passing = [f"{t.exercise}: {t.target} = {t.candidate}" for t in trials if not t.errors]
    assert not passing, f"definitions a learner can see in {assignment.name} answer an exercise: {passing}"
