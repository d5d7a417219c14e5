"""course_utils helpers added for notebook 07 (batch normalization): normalisation layers in ``make_mlp``, the
``make_cnn`` builder, and ``plot_distributions``."""

import matplotlib
import pytest
import torch
from torch import nn

import course_utils as cu

matplotlib.use("Agg")


def _kinds(model):
    return [type(m).__name__ for m in model]


def test_make_mlp_without_norm_is_unchanged():
    model = cu.make_mlp(4, 8, 2, 3)  # the positional call of notebooks 01-05
    assert _kinds(model) == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert all(m.bias is not None for m in model if isinstance(m, nn.Linear))


def test_make_mlp_norm_before_the_activation_drops_the_redundant_bias():
    model = cu.make_mlp(4, 8, 2, 3, activation=nn.Tanh, norm=nn.BatchNorm1d)
    assert _kinds(model) == ["Linear", "BatchNorm1d", "Tanh"] * 2 + ["Linear"]
    hidden = [m for m in model if isinstance(m, nn.Linear)][:-1]
    assert all(m.bias is None for m in hidden) and model[-1].bias is not None
    assert model[1].num_features == 8
    assert model(torch.randn(5, 4)).shape == (5, 3)


def test_make_mlp_norm_after_the_activation_and_other_norms():
    model = cu.make_mlp(4, 8, 2, norm=nn.LayerNorm, norm_position="after")
    assert _kinds(model) == ["Linear", "ReLU", "LayerNorm"] * 2
    assert all(m.bias is not None for m in model if isinstance(m, nn.Linear))
    grouped = cu.make_mlp(4, 8, 1, 2, norm=lambda c: nn.GroupNorm(4, c))
    assert isinstance(grouped[1], nn.GroupNorm) and grouped[1].num_groups == 4
    assert grouped(torch.randn(1, 4)).shape == (1, 2)  # no batch statistics: a batch of one works


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(norm="batch"), TypeError, "norm must be a callable such as nn.BatchNorm1d"),
    (dict(norm=nn.BatchNorm1d, norm_position="middle"), ValueError, "norm_position must be one of 'before', 'after'"),
    (dict(norm=lambda c: "not a module"), TypeError, r"norm\(8\) must return an nn.Module, got str"),
])
def test_make_mlp_norm_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        cu.make_mlp(4, 8, 1, **kwargs)


def test_make_cnn_computes_the_flattened_size():
    model = cu.make_cnn(1, 10, image_size=8)
    assert _kinds(model) == ["Conv2d", "ReLU", "MaxPool2d"] * 2 + ["Flatten", "Linear"]
    assert model[-1].in_features == 32 * 2 * 2
    assert model(torch.randn(3, 1, 8, 8)).shape == (3, 10)
    odd = cu.make_cnn(3, 5, image_size=32, channels=(8, 16, 32))  # 32 -> 16 -> 8 -> 4
    assert odd[-1].in_features == 32 * 4 * 4 and odd(torch.randn(2, 3, 32, 32)).shape == (2, 5)
    seven = cu.make_cnn(1, 2, image_size=7, channels=(4,))  # floor(7 / 2) = 3
    assert seven[-1].in_features == 4 * 3 * 3 and seven(torch.randn(2, 1, 7, 7)).shape == (2, 2)


def test_make_cnn_with_batchnorm2d_has_no_conv_bias():
    model = cu.make_cnn(1, 10, image_size=8, norm=nn.BatchNorm2d)
    assert _kinds(model)[:4] == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"]
    assert all(m.bias is None for m in model if isinstance(m, nn.Conv2d))
    assert [m.num_features for m in model if isinstance(m, nn.BatchNorm2d)] == [16, 32]
    assert model(torch.randn(4, 1, 8, 8)).shape == (4, 10)


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(image_size=3), ValueError, "image_size 3 is too small for 2 blocks that each halve it"),
    (dict(image_size=8, channels=()), ValueError, "channels must name at least one block"),
    (dict(image_size=8, channels=(16, 0)), ValueError, "every entry of channels must be >= 1"),
    (dict(image_size=8, channels="16"), TypeError, "channels must be tuple or list"),
    (dict(image_size=8, norm=3), TypeError, "norm must be a callable"),
    (dict(image_size=8, activation=torch.relu), TypeError, "activation must be an nn.Module class"),
])
def test_make_cnn_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        cu.make_cnn(1, 10, **kwargs)


def test_plot_distributions_has_titles_labels_and_legends():
    import matplotlib.pyplot as plt

    values = torch.randn(50, requires_grad=True) * 2  # part of an autograd graph: detached inside
    fig = cu.plot_distributions({"before": {"a": values, "b": torch.randn(30)},
                                 "after": {"a": torch.tensor([0.0, float("inf"), 1.0, 2.0])}},
                                title="T", xlabel="x")
    assert fig._suptitle.get_text() == "T" and len(fig.axes) == 2
    for ax, title in zip(fig.axes, ("before", "after")):
        assert ax.get_title() == title and ax.get_xlabel() == "x" and ax.get_ylabel() == "density"
        assert ax.get_legend() is not None
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("a (mean ") and "std" in labels[0]
    plt.close("all")


@pytest.mark.parametrize("panels, error, text", [
    ({}, ValueError, "at least one panel"),
    ({"p": {}}, ValueError, "panel 'p' has no series"),
    ({"p": [1.0]}, TypeError, r"panels\['p'\] must be Mapping"),
    ({"p": {"s": [1.0, 2.0]}}, TypeError, r"panels\['p'\]\['s'\] must be Tensor, got list"),
])
def test_plot_distributions_bad_input(panels, error, text):
    with pytest.raises(error, match=text):
        cu.plot_distributions(panels)
