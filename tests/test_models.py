"""course_utils.models: the MLP builder and layer initialisation."""

import pytest
import torch
from torch import nn

import course_utils as cu


def test_make_mlp_and_init():
    model = cu.make_mlp(4, 8, depth=3, n_out=2, activation=nn.Tanh)
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh"] * 3 + ["Linear"]
    cu.init_linear_layers_(model, nn.init.ones_, bias_value=0.5)
    assert all((m.weight == 1).all() and (m.bias == 0.5).all() for m in model if isinstance(m, nn.Linear))
    with pytest.raises(TypeError, match="activation must be an nn.Module class"):
        cu.make_mlp(4, 8, 1, activation=torch.relu)
    with pytest.raises(ValueError, match="depth must be >= 1"):
        cu.make_mlp(4, 8, 0)
    with pytest.raises(ValueError, match="no nn.Linear"):
        cu.init_linear_layers_(nn.ReLU(), nn.init.ones_)
