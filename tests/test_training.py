"""course_utils.training: the training loop, evaluation and the global gradient norm."""

import pytest
import torch
from torch import nn

import course_utils as cu


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
    (lambda m, loader: cu.train("model", loader, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1), TypeError,
     "model must be Module, got str"),
    (lambda m, loader: cu.train(m, loader, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 0), ValueError,
     "epochs must be >= 1"),
    (lambda m, loader: cu.train(m, loader, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1,
                                scheduler_interval="batch"),
     ValueError, "scheduler_interval must be one of 'epoch', 'step'; got 'batch'"),
    (lambda m, loader: cu.train(m, loader, nn.MSELoss(), torch.optim.SGD(m.parameters(), 0.1), 1, max_grad_norm=0),
     ValueError, "max_grad_norm must be in"),
    (lambda m, loader: cu.accuracy(torch.zeros(4, 3), torch.zeros(5)), ValueError, "accuracy expects logits"),
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


def test_evaluate_restores_the_training_mode_when_a_metric_raises(moons):
    _, test_loader = moons
    model = cu.make_mlp(2, 4, 1, 2).train()

    def broken(outputs, targets):
        raise RuntimeError("the metric failed")

    with pytest.raises(RuntimeError, match="the metric failed"):
        cu.evaluate(model, test_loader, nn.CrossEntropyLoss(), {"broken": broken})
    assert model.training, "evaluate left the model in eval mode after an error"


def test_global_grad_norm_matches_clip_grad_norm():
    model = cu.make_mlp(3, 5, 2, 2)
    model(torch.randn(4, 3)).sum().backward()
    expected = nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()
    assert abs(cu.global_grad_norm(model.parameters()) - expected) < 1e-5
    assert cu.global_grad_norm([nn.Parameter(torch.ones(2))]) == 0.0
