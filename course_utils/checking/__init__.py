"""Helpers for the autograded test cells: compare with a reference, explain the difference, and make sure
a from-scratch answer does not run the implementation it re-implements."""

from . import integrity
from .compare import assert_close, assert_equal, assert_raises, check_all, expect, explain_mismatch, fail
from .expected import load_expected
from .guard import forbid_calls, torch_optim_algorithms
from .optimizers import assert_optimizer_matches

integrity.register(assert_close, assert_equal, assert_raises, check_all, expect, explain_mismatch, fail,
                   load_expected, forbid_calls, assert_optimizer_matches)

__all__ = ["assert_close", "assert_equal", "assert_optimizer_matches", "assert_raises", "check_all", "expect",
           "explain_mismatch", "fail", "forbid_calls", "load_expected", "torch_optim_algorithms"]
