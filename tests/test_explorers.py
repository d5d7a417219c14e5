"""course_utils.explorers, and what they draw with: optimizer paths on the 2-D test functions (landscapes), their
contour plots (plotting) and learning-rate sequences (schedules)."""

import base64
import sys

import matplotlib
import pytest
import torch
from matplotlib.figure import Figure
from torch.optim import lr_scheduler

import course_utils as cu
from course_utils.explorers import WIDGET_VIEW_MIMETYPE, Choice, Explorer, Slider

matplotlib.use("Agg")

PNG_MAGIC = b"\x89PNG"


def sgd_and_momentum():
    return {"GD": lambda p, lr, momentum: torch.optim.SGD(p, lr=lr),
            "momentum": lambda p, lr, momentum: torch.optim.SGD(p, lr=lr, momentum=momentum)}


def line_explorer():
    return Explorer(lambda ax, slope, style: ax.plot([0, 1], [0, slope], style), {
        "slope": Slider(1.0, -2.0, 2.0, 0.5), "style": Choice(("-", "--"))})


@pytest.mark.parametrize("args, message", [
    ((1.0, 2.0, 1.0, 0.1), "low < high"),
    ((3.0, 0.0, 2.0, 0.1), "Slider.value must be in"),
    ((1.0, 0.0, 2.0, 0.0), "Slider.step must be in"),
    ((1.0, 0.0, 2.0, 5.0), "Slider.step must be in"),
])
def test_slider_rejects_impossible_ranges(args, message):
    with pytest.raises(ValueError, match=message):
        Slider(*args)


def test_slider_is_integer_only_when_every_number_is_an_int():
    assert Slider(20, 1, 100, 1).integer
    assert not Slider(20, 1, 100, 0.5).integer


def test_choice_defaults_to_its_first_option_and_rejects_unknown_values():
    assert Choice(["a", "b"]).value == "a"
    with pytest.raises(ValueError, match="must be one of"):
        Choice(("a", "b"), "c")
    with pytest.raises(ValueError, match="non-empty"):
        Choice(())


def test_explorer_renders_a_png_and_redraws_on_update():
    explorer = line_explorer()
    first = explorer.png
    assert first.startswith(PNG_MAGIC)
    explorer.update(slope=-2.0)
    assert explorer.values == {"slope": -2.0, "style": "-"}
    assert explorer.png.startswith(PNG_MAGIC) and explorer.png != first
    with pytest.raises(ValueError, match="unknown control"):
        explorer.update(colour="red")


def test_explorer_validates_its_arguments():
    with pytest.raises(TypeError, match="draw must be callable"):
        Explorer("plot", {})
    with pytest.raises(ValueError, match="identifiers"):
        Explorer(lambda ax, **v: None, {"learning rate": Slider(1.0, 0.0, 2.0, 0.1)})
    with pytest.raises(TypeError, match=r"controls\['lr'\] must be Slider or Choice"):
        Explorer(lambda ax, **v: None, {"lr": 0.1})


def test_moving_a_slider_redraws_the_widget_picture():
    pytest.importorskip("ipywidgets")
    explorer = line_explorer()
    explorer.widget()
    controls, image, _ = explorer._widgets
    before = image.value
    controls["slope"].value = 2.0  # what dragging the slider does
    assert explorer.values["slope"] == 2.0
    assert image.value == explorer.png != before
    explorer.update(style="--")  # and the other way round: update moves the control
    assert controls["style"].value == "--" and image.value == explorer.png


def test_an_error_while_redrawing_is_shown_in_the_picture():
    pytest.importorskip("ipywidgets")

    def draw(ax, slope):
        if slope < 0:
            raise ValueError("slope must be >= 0")
        ax.plot([0, 1], [0, slope])

    explorer = Explorer(draw, {"slope": Slider(1.0, -1.0, 2.0, 0.5)})
    explorer.widget()
    controls, image, _ = explorer._widgets
    controls["slope"].value = -1.0  # no exception escapes into the widget callback
    assert bytes(image.value).startswith(PNG_MAGIC) and image.value != explorer.png
    controls["slope"].value = 2.0  # and the next valid setting draws again
    assert image.value == explorer.png


def test_display_bundle_carries_the_widget_and_a_static_fallback():
    pytest.importorskip("ipywidgets")
    explorer = line_explorer()
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == explorer.png
    assert bundle[WIDGET_VIEW_MIMETYPE]["model_id"] == explorer.widget().model_id
    assert bundle["text/plain"] == "Explorer(slope=1.0, style=-)"


def test_without_ipywidgets_the_explorer_is_a_static_picture(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now raises ImportError
    explorer = line_explorer()
    assert explorer.widget() is None
    assert set(explorer._repr_mimebundle_()) == {"text/plain", "image/png"}


def test_optimizer_explorer_draws_the_paths_torch_takes():
    explorer = cu.optimizer_explorer(sgd_and_momentum(), {"lr": Slider(0.4, 0.01, 1.0, 0.01),
                                                          "momentum": Slider(0.5, 0.0, 0.99, 0.01)})
    assert list(explorer.values) == ["landscape", "lr", "momentum", "steps"]
    landscape = cu.LANDSCAPES["0.1 x1^2 + 2 x2^2 (ill-conditioned)"]
    ax = Figure().subplots()
    explorer.draw(ax, landscape=landscape.name, lr=0.6, momentum=0.25, steps=7)
    expected = cu.optimizer_trajectory(landscape.f, landscape.start,
                                       lambda p: torch.optim.SGD(p, lr=0.6, momentum=0.25), 7)
    momentum_line = ax.get_lines()[1]
    torch.testing.assert_close(torch.tensor(momentum_line.get_xydata()), expected)
    assert "7 steps, lr=0.6, momentum=0.25" in ax.get_title()
    assert "momentum" in ax.get_legend().get_texts()[1].get_text()


def test_optimizer_explorer_labels_a_diverged_path():
    explorer = cu.optimizer_explorer({"GD": lambda p, lr: torch.optim.SGD(p, lr=lr)},
                                     {"lr": Slider(0.1, 0.01, 2.0, 0.01)})
    ax = Figure().subplots()
    explorer.draw(ax, landscape="Rosenbrock valley", lr=2.0, steps=50)
    assert "diverged" in ax.get_legend().get_texts()[0].get_text()


def test_optimizer_explorer_says_which_keywords_a_factory_must_accept():
    with pytest.raises(TypeError, match=r"optimizers\['GD'\] must accept .* \['lr', 'momentum'\]"):
        cu.optimizer_explorer({"GD": lambda p, lr: torch.optim.SGD(p, lr=lr)},
                              {"lr": Slider(0.4, 0.01, 1.0, 0.01), "momentum": Slider(0.5, 0.0, 0.99, 0.01)})
    with pytest.raises(ValueError, match="integer Slider"):
        cu.optimizer_explorer(sgd_and_momentum(), {"lr": Slider(0.4, 0.01, 1.0, 0.01),
                                                   "momentum": Slider(0.5, 0.0, 0.99, 0.01)},
                              steps=Slider(20, 1, 100, 0.5))


def test_schedule_explorer_draws_the_rates_torch_sets():
    def make(optimizer, step_size, gamma):
        return lr_scheduler.StepLR(optimizer, step_size=step_size, gamma=gamma)

    explorer = cu.schedule_explorer({"StepLR": make}, {"step_size": Slider(30, 5, 100, 5),
                                                       "gamma": Slider(0.5, 0.1, 0.9, 0.1)}, steps=120)
    ax = Figure().subplots()
    explorer.draw(ax, step_size=25, gamma=0.3)
    assert list(ax.get_lines()[0].get_ydata()) == cu.lr_sequence(lambda o: make(o, 25, 0.3), 120)
    assert ax.get_xlabel() and ax.get_ylabel() and "step_size=25" in ax.get_title()
    with pytest.raises(ValueError, match="steps must be >= 1"):
        cu.schedule_explorer({"StepLR": make}, {"step_size": Slider(30, 5, 100, 5),
                                                "gamma": Slider(0.5, 0.1, 0.9, 0.1)}, steps=0)


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
