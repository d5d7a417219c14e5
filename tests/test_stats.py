"""course_utils.stats: activations and their gradients recorded with hooks, and the plots of them."""

import matplotlib
import pytest
import torch
from torch import nn

import course_utils as cu

matplotlib.use("Agg")


def test_record_activations_and_grads_remove_their_hooks():
    torch.manual_seed(0)
    model = cu.make_mlp(3, 6, depth=2, n_out=2)
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 0, 1, 1])
    acts = cu.record_activations(model, x)
    assert list(acts) == ["1", "3"] and acts["3"].shape == (5, 6)
    assert torch.allclose(acts["3"], model[:4](x))
    grads = cu.record_activation_grads(model, x, y, nn.CrossEntropyLoss())
    assert all(p.grad is None for p in model.parameters())
    h = model[:4](x).detach().requires_grad_()
    nn.CrossEntropyLoss()(model[4](h), y).backward()
    assert torch.allclose(grads["3"], h.grad)
    assert not any(m._forward_hooks for m in model.modules())
    assert cu.std_per_layer(acts) == [acts["1"].std().item(), acts["3"].std().item()]


def test_stats_bad_input():
    model = cu.make_mlp(3, 6, depth=1)
    with pytest.raises(ValueError, match="no module of type"):
        cu.record_activations(model, torch.randn(2, 3), module_types=(nn.Conv2d,))
    with pytest.raises(TypeError, match="x must have a floating-point dtype"):
        cu.record_activations(model, torch.ones(2, 3, dtype=torch.int64))
    with pytest.raises(TypeError, match="x must be Tensor, got list"):
        cu.record_activations(model, [[1.0, 2.0, 3.0]])


def test_plots_have_titles_labels_and_legends(moons):
    import matplotlib.pyplot as plt

    fig = cu.plot_std_per_layer({"a": [1.0, 0.5], "b": [1.0, 2.0]}, title="T")
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "layer" and ax.get_legend() is not None
    acts = {"run": {"1": torch.randn(10, 4), "3": torch.full((10, 4), float("inf"))}}
    fig = cu.plot_activation_histograms(acts, layers=[0, 1])
    assert fig._suptitle.get_text() and len(fig.axes) == 2
    history = cu.train(cu.make_mlp(2, 4, 1, 2), moons[0], nn.CrossEntropyLoss(),
                       torch.optim.SGD(cu.make_mlp(2, 4, 1, 2).parameters(), 0.1), 1, progress=False)
    fig = cu.plot_training_curves({"run": history}, keys=("train_loss",))
    assert fig.axes[0].get_ylabel() == "train loss" and fig.axes[0].get_legend() is not None
    with pytest.raises(ValueError, match="layer indices \\[5\\] do not exist"):
        cu.plot_activation_histograms(acts, layers=[5])
    with pytest.raises(ValueError, match="has no epoch key 'val_accuracy'"):
        cu.plot_training_curves({"run": history}, keys=("val_accuracy",))
    with pytest.raises(TypeError, match="must be History"):
        cu.plot_training_curves({"run": {}})
    plt.close("all")
