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
    with pytest.raises(AssertionError, match="matches forgot the square root"):
        assert_close(torch.tensor(4.0), 2.0, name="std", wrong={"n/a": None, "forgot the square root": 4.0, "other": 8.0})


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
    with pytest.raises(AssertionError, match="matches swapped"):
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
    with pytest.raises(ValueError, match="at least one"):
        with forbid_calls():
            pass
    with pytest.raises(TypeError, match="takes functions"):
        with forbid_calls("xavier_uniform_"):
            pass


def test_tolerances_are_validated():
    with pytest.raises(ValueError, match="rtol must be in"):
        explain_mismatch(1.0, 1.0, rtol=-1.0)
