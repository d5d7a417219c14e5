import matplotlib
import pytest
import torch
from torch import nn

import course_utils as cu

matplotlib.use("Agg")


@pytest.fixture
def moons():
    return cu.make_loaders(cu.load_moons_data(n_samples=400, noise=0.1), batch_size=32)


def test_train_learns_and_records_history(moons):
    train_loader, test_loader = moons
    cu.seed_everything(0)
    model = cu.make_mlp(2, 16, depth=2, n_out=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.4)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    history = cu.train(model, train_loader, nn.CrossEntropyLoss(), optimizer, 10, val_loader=test_loader,
                       metrics={"accuracy": cu.accuracy}, scheduler=scheduler, progress=False)
    assert len(history.epoch["train_loss"]) == 10 and len(history.step["loss"]) == 10 * 10
    assert history.epoch["val_accuracy"][-1] > 0.8
    assert history.epoch["train_loss"][-1] < history.epoch["train_loss"][0]
    assert history.step["lr"][0] == 0.4 and history.step["lr"][-1] == 0.2  # stepped per epoch, after the optimizer
    assert all(g > 0 for g in history.step["grad_norm"])


def test_train_clips_and_reports_the_pre_clip_norm(moons):
    train_loader, _ = moons
    model = cu.make_mlp(2, 8, depth=1, n_out=2)
    history = cu.train(model, train_loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0),
                       1, max_grad_norm=1e-3, progress=False)
    assert max(history.step["grad_norm"]) > 1e-3  # recorded before clipping


def test_train_stops_on_non_finite_loss(moons, capsys):
    train_loader, _ = moons
    model = cu.make_mlp(2, 8, depth=1, n_out=2)
    history = cu.train(model, train_loader, lambda out, y: out.sum() * float("nan"),
                       torch.optim.SGD(model.parameters(), lr=0.1), 3, progress=False)
    assert history.stopped_early and "non-finite" in capsys.readouterr().out


def test_train_steps_reduce_on_plateau_with_the_validation_loss(moons):
    train_loader, test_loader = moons
    model = cu.make_mlp(2, 8, depth=1, n_out=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)  # no real progress: the plateau scheduler must fire
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, factor=0.5)
    cu.train(model, train_loader, nn.CrossEntropyLoss(), optimizer, 3, val_loader=test_loader,
             scheduler=scheduler, progress=False)
    assert optimizer.param_groups[0]["lr"] < 1e-6


@pytest.mark.parametrize("call, error, text", [
    (lambda m, l: cu.train("model", l, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1), TypeError,
     "model must be Module, got str"),
    (lambda m, l: cu.train(m, l, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 0), ValueError,
     "epochs must be >= 1"),
    (lambda m, l: cu.train(m, l, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1, scheduler_interval="batch"),
     ValueError, "scheduler_interval must be one of 'epoch', 'step'; got 'batch'"),
    (lambda m, l: cu.train(m, l, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1, max_grad_norm=0),
     ValueError, "max_grad_norm must be in"),
    (lambda m, l: cu.accuracy(torch.zeros(4, 3), torch.zeros(5)), ValueError, "accuracy expects logits"),
])
def test_training_bad_input(moons, call, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        call(cu.make_mlp(2, 4, 1, 2), moons[0])


def test_evaluate_restores_mode_and_weights_by_batch(moons):
    _, test_loader = moons
    model = cu.make_mlp(2, 4, 1, 2).train()
    result = cu.evaluate(model, test_loader, nn.CrossEntropyLoss(), {"accuracy": cu.accuracy})
    assert model.training and set(result) == {"loss", "accuracy"}
    x, y = test_loader.dataset.tensors
    with torch.no_grad():
        assert abs(result["loss"] - nn.CrossEntropyLoss()(model(x), y).item()) < 1e-5


def test_global_grad_norm_matches_clip_grad_norm():
    model = cu.make_mlp(3, 5, 2, 2)
    model(torch.randn(4, 3)).sum().backward()
    expected = nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()
    assert abs(cu.global_grad_norm(model.parameters()) - expected) < 1e-5
    assert cu.global_grad_norm([nn.Parameter(torch.ones(2))]) == 0.0


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


def test_contour_trajectories():
    import matplotlib.pyplot as plt

    path = torch.tensor([[-5.0, -2.0], [-4.0, -1.2], [-3.2, -0.72]])
    fig = cu.plot_contour_trajectories(lambda a, b: a ** 2 + 2 * b ** 2, {"GD": path}, title="T")
    ax = fig.axes[0]
    assert ax.get_title() == "T" and ax.get_xlabel() == "x1" and ax.get_ylabel() == "x2"
    assert "end: -3.2, -0.72" in ax.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match=r"must have shape \(steps \+ 1, 2\), got \(3,\)"):
        cu.plot_contour_trajectories(lambda a, b: a + b, {"bad": torch.zeros(3)})
    with pytest.raises(ValueError, match="xlim must be"):
        cu.plot_contour_trajectories(lambda a, b: a + b, {}, xlim=(1, -1))
    with pytest.raises(TypeError, match="f must be callable"):
        cu.plot_contour_trajectories("x^2", {})
    plt.close("all")


def test_optimizer_trajectory_matches_gradient_descent():
    path = cu.optimizer_trajectory(lambda a, b: a ** 2 + 2 * b ** 2, [-5.0, -2.0],
                                   lambda p: torch.optim.SGD(p, lr=0.1), steps=20)
    assert path.shape == (21, 2) and path.dtype == torch.float64
    assert torch.allclose(path[-1], torch.tensor([-5 * 0.8 ** 20, -2 * 0.6 ** 20], dtype=torch.float64))
    with pytest.raises(ValueError, match="x0 must hold two numbers"):
        cu.optimizer_trajectory(lambda a, b: a, [1.0], lambda p: torch.optim.SGD(p, lr=0.1), 1)
    with pytest.raises(ValueError, match="steps must be >= 0"):
        cu.optimizer_trajectory(lambda a, b: a, [1.0, 2.0], lambda p: torch.optim.SGD(p, lr=0.1), -1)


def test_lr_sequence_records_the_rate_of_each_step():
    rates = cu.lr_sequence(lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5), 7, base_lr=1.0)
    assert rates == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    cyclic = cu.lr_sequence(lambda opt: torch.optim.lr_scheduler.CyclicLR(opt, 0.1, 1.0, step_size_up=2), 5)
    assert cyclic == pytest.approx([0.1, 0.55, 1.0, 0.55, 0.1])
    with pytest.raises(ValueError, match="steps must be >= 1"):
        cu.lr_sequence(lambda opt: None, 0)
    with pytest.raises(TypeError, match="make_scheduler must be callable"):
        cu.lr_sequence("StepLR", 3)
