import math

import pytest
import torch
from torch import nn

from course_utils import assert_close, assert_equal, explain_mismatch, forbid_calls


def test_explain_mismatch_none_when_close():
    assert explain_mismatch(torch.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9]) is None


def test_explain_mismatch_reports_shape_and_largest_error():
    assert "expected shape (3,), got shape (2,)" in explain_mismatch(torch.zeros(2), torch.zeros(3))
    message = explain_mismatch(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 2.0], [3.0, 5.0]]))
    assert "largest difference 1" in message and "[1, 1]" in message and "expected 5" in message


def test_explain_mismatch_reports_non_finite_values():
    assert "non-finite" in explain_mismatch(torch.tensor([1.0, math.inf]), torch.tensor([1.0, 2.0]))


def test_assert_close_names_the_matching_misconception():
    with pytest.raises(AssertionError, match="matches a known mistake: forgot the square root"):
        assert_close(torch.tensor(4.0), 2.0, name="std",
                     wrong={"n/a": None, "forgot the square root": 4.0, "other": 8.0})


def test_assert_close_uses_hint_when_no_misconception_matches():
    with pytest.raises(AssertionError, match="Check the sign"):
        assert_close(-2.0, 2.0, name="x", wrong={"double": 4.0}, hint="Check the sign.")


def test_assert_close_on_none_asks_about_return():
    with pytest.raises(AssertionError, match="forget to `return`"):
        assert_close(None, 1.0, name="f()")


def test_assert_equal_reports_type_and_misconception():
    assert_equal((6, 4), (6, 4), name="fans")
    with pytest.raises(AssertionError, match="expected a tuple, got a list"):
        assert_equal([6, 4], (6, 4), name="fans")
    with pytest.raises(AssertionError, match="matches a known mistake: swapped"):
        assert_equal((4, 6), (6, 4), name="fans", wrong={"swapped": (4, 6)})


def test_forbid_calls_catches_aliases_and_methods():
    from torch.nn.init import xavier_uniform_ as alias

    with pytest.raises(AssertionError, match=r"torch.nn.init.xavier_uniform_"):
        with forbid_calls(nn.init.xavier_uniform_, task="xavier"):
            alias(torch.empty(2, 3))
    with pytest.raises(AssertionError, match=r"torch.logsumexp"):
        with forbid_calls(torch.logsumexp, task="lse"):
            torch.ones(3).logsumexp(0)


def test_forbid_calls_allows_other_code_and_restores_profiler():
    import sys

    with forbid_calls(nn.init.xavier_uniform_):
        torch.empty(2, 3).uniform_(-1, 1)
    assert sys.getprofile() is None


def test_forbid_calls_lets_the_block_exception_through():
    with pytest.raises(ZeroDivisionError):
        with forbid_calls(nn.init.xavier_uniform_):
            1 / 0


def test_forbid_calls_validates_arguments():
    with pytest.raises(ValueError, match="at least one function, op or module"):
        with forbid_calls():
            pass
    with pytest.raises(TypeError, match="takes functions"):
        with forbid_calls("xavier_uniform_"):
            pass


def test_tolerances_are_validated():
    with pytest.raises(ValueError, match="rtol must be in"):
        explain_mismatch(1.0, 1.0, rtol=-1.0)


def test_assert_optimizer_matches_passes_for_the_same_optimizer_and_resumes():
    from course_utils import assert_optimizer_matches

    make = lambda groups, lr: torch.optim.Adam(groups, lr=lr, amsgrad=True)  # noqa: E731
    assert_optimizer_matches(make, make, name="Adam", steps=20, resume_at=7)


def test_assert_optimizer_matches_forbids_delegation_of_the_tested_optimizer_only():
    from course_utils import assert_optimizer_matches

    class Delegating(torch.optim.SGD):
        pass

    reference = lambda g, lr: torch.optim.SGD(g, lr=lr)  # noqa: E731
    assert_optimizer_matches(reference, reference, name="SGD", steps=2, forbid=(torch.optim.Adam.step,))
    with pytest.raises(AssertionError,
                       match="MySGD must be written from scratch, but it used torch.optim.sgd.SGD.step"):
        assert_optimizer_matches(lambda g, lr: Delegating(g, lr=lr), reference, name="MySGD", steps=2,
                                 forbid=(torch.optim.SGD.step,))


def test_assert_optimizer_matches_names_the_first_differing_step():
    from course_utils import assert_optimizer_matches

    with pytest.raises(AssertionError,
                       match=r"SGD: parameter '2.weight' differs from torch.optim after step 1 \(of 5\)"):
        assert_optimizer_matches(lambda g, lr: torch.optim.SGD(g, lr=2 * lr),
                                 lambda g, lr: torch.optim.SGD(g, lr=lr), name="SGD", steps=5)


def test_assert_optimizer_matches_detects_lost_state_on_resume():
    from course_utils import assert_optimizer_matches

    class Forgetful(torch.optim.SGD):  # drops its momentum buffers when loading a state_dict
        def load_state_dict(self, state_dict):
            pass

    with pytest.raises(AssertionError, match="resumed from a state_dict after step 3"):
        assert_optimizer_matches(lambda g, lr: Forgetful(g, lr=lr, momentum=0.9),
                                 lambda g, lr: torch.optim.SGD(g, lr=lr, momentum=0.9), name="SGD", steps=6,
                                 resume_at=3)


def test_assert_optimizer_matches_reports_graph_building_steps():
    from course_utils import assert_optimizer_matches

    class NoNoGrad(torch.optim.Optimizer):
        def __init__(self, params, lr):
            super().__init__(params, {"lr": lr})

        def step(self):
            for group in self.param_groups:
                for p in group["params"]:
                    p.sub_(group["lr"] * p.grad)

    with pytest.raises(AssertionError, match="torch.no_grad"):
        assert_optimizer_matches(lambda g, lr: NoNoGrad(g, lr), lambda g, lr: torch.optim.SGD(g, lr=lr), name="X")
    with pytest.raises(ValueError, match="resume_at must be an int in"):
        assert_optimizer_matches(lambda g, lr: NoNoGrad(g, lr), lambda g, lr: NoNoGrad(g, lr), name="X", steps=3,
                                 resume_at=3)


# Messages that fit the mistake (issue 12 §3)

def test_values_are_printed_with_enough_digits_to_differ():
    message = explain_mismatch(torch.tensor([3.320231], dtype=torch.float64), [3.320234], rtol=1e-9)
    assert "expected 3.320234, got 3.320231" in message, message
    message = explain_mismatch(torch.tensor(1.0000000012, dtype=torch.float64), 1.0000000034, rtol=1e-12, atol=0.0)
    assert "expected 1.000000003, got 1.000000001" in message and "float32" not in message, message


def test_a_constant_factor_is_named():
    expected = torch.tensor([0.5, -1.0, 2.0, 0.0], dtype=torch.float64)
    message = explain_mismatch(expected * math.sqrt(2), expected)
    assert "Every value is 1.41421 times the expected one" in message, message
    assert "opposite sign" in explain_mismatch(-expected, expected)
    assert "times the expected" not in explain_mismatch(expected + 1, expected)


def test_a_float32_sized_difference_says_work_in_float64():
    expected = torch.linspace(1, 2, 5, dtype=torch.float64) / 3
    message = explain_mismatch(expected.float(), expected, rtol=1e-12, atol=0.0)
    assert "float32 arithmetic; work in float64" in message and "your result is float32" in message, message
    message = explain_mismatch(expected.float().double(), expected, rtol=1e-12, atol=0.0)
    assert "if any step runs in float32" in message and "a small term is off" in message, message
    assert "float32" not in explain_mismatch(expected * 1.01 + 0.1, expected)


def test_check_all_reports_every_failed_rule_in_one_message():
    from course_utils import assert_raises, check_all, expect

    with pytest.raises(AssertionError) as caught:
        with check_all("my_function"):
            assert_close(1.0, 2.0, name="first")
            assert_equal((1, 2), (2, 1), name="second", wrong={"the order swapped": (1, 2)})
            expect(False, "third: the input was modified in place")
            assert_raises(lambda: None, ValueError, name="fourth", why="a negative lr")
            assert_close(5.0, 5.0, name="passes")
    message = str(caught.value)
    assert message.startswith("my_function: 4 checks failed."), message
    for part in ("1. first", "2. second", "matches a known mistake: the order swapped", "3. third", "4. fourth",
                 "expected ValueError (a negative lr), but nothing was raised"):
        assert part in message, (part, message)


def test_check_all_with_one_failure_reports_it_alone_and_passes_when_all_pass():
    from course_utils import check_all

    with pytest.raises(AssertionError, match=r"^only: expected 2, got 1"):
        with check_all("title"):
            assert_equal(1, 2, name="only")
    with check_all("title"):
        assert_close(1.0, 1.0, name="fine")
    assert_close(1.0, 1.0, name="outside, after the block")


def test_assert_raises_reports_the_wrong_exception():
    from course_utils import assert_raises

    def wrong_type():
        raise KeyError("avg")

    with pytest.raises(AssertionError, match=r"bad: expected ValueError \(reduction='avg'\), got KeyError"):
        assert_raises(wrong_type, ValueError, name="bad", why="reduction='avg'")


def test_a_named_mistake_replaces_the_numeric_diagnosis():
    expected = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    with pytest.raises(AssertionError) as caught:
        assert_close(expected * 2, expected, name="x", wrong={"you doubled it": expected * 2})
    assert "you doubled it" in str(caught.value) and "times the expected" not in str(caught.value)


def test_float32_is_judged_against_the_values_scale_so_zeros_do_not_hide_it():
    expected = torch.tensor([0.0, 1e-9, 1 / 3, 2 / 3], dtype=torch.float64)
    message = explain_mismatch(expected.float(), expected, rtol=1e-12, atol=0.0)
    assert "float32 arithmetic" in message, message


def test_float32_shows_in_values_that_span_orders_of_magnitude():
    expected = 10 * 0.6 ** torch.arange(40, dtype=torch.float64)
    message = explain_mismatch(expected.float().double(), expected, rtol=1e-12, atol=0.0)
    assert "float32" in message, message


def test_check_all_keeps_its_failures_when_another_exception_ends_the_block():
    from course_utils import check_all

    with pytest.raises(AssertionError, match=r"2 checks failed(.|\n)*then it raised RuntimeError: boom"):
        with check_all("title"):
            assert_equal(1, 2, name="first")
            raise RuntimeError("boom")
    with pytest.raises(NotImplementedError):
        with check_all("title"):
            raise NotImplementedError()


def test_non_finite_values_of_the_wrong_kind_are_reported():
    assert "expected inf, got -inf" in explain_mismatch(torch.tensor([1.0, -math.inf]), [1.0, math.inf])
    assert "expected inf, got nan" in explain_mismatch(torch.tensor([math.nan]), [math.inf])
    assert explain_mismatch(torch.tensor([math.nan, math.inf]), [math.nan, math.inf]) is None


def test_a_ratio_close_to_one_is_printed_with_the_digits_that_show_it():
    expected = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    message = explain_mismatch(expected * 1.000003, expected, rtol=1e-9, atol=0.0)
    assert "Every value is 1.000003 times" in message, message
