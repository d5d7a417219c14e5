"""Interactive explorers: sliders that redraw a figure, with a static figure wherever widgets cannot be shown.

An :class:`Explorer` displays as a row of ipywidgets controls above a picture that is redrawn whenever a control
moves (JupyterLab, Jupyter Notebook, VS Code, Colab). The same output also carries a PNG of the initial settings,
and each front end shows the richest form it can: where widgets are unavailable (ipywidgets not installed, a
notebook executed by nbconvert or nbval, a notebook read on GitHub) the learner sees that static figure.

:func:`optimizer_explorer` draws optimizer paths on the contours of a 2-D test function; :func:`schedule_explorer`
draws the learning rates of schedulers.
"""

from __future__ import annotations

import base64
import inspect
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._validation import check_int, check_number, check_type
from .landscapes import LANDSCAPES, Landscape, optimizer_trajectory
from .plotting import plot_contour_trajectories
from .schedules import lr_sequence

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class Slider:
    """A numeric control: starts at ``value``, moves between ``low`` and ``high`` by ``step``.

    When ``value``, ``low``, ``high`` and ``step`` are all ints the slider gives ints (e.g. a number of steps).
    """

    value: float
    low: float
    high: float
    step: float

    def __post_init__(self):
        for name in ("value", "low", "high", "step"):
            check_number(f"Slider.{name}", getattr(self, name))
        if not self.low < self.high:
            raise ValueError(f"Slider needs low < high, got low={self.low}, high={self.high}")
        check_number("Slider.value", self.value, self.low, self.high)
        check_number("Slider.step", self.step, 0.0, self.high - self.low, low_inclusive=False)

    @property
    def integer(self) -> bool:
        return all(isinstance(getattr(self, name), int) for name in ("value", "low", "high", "step"))


@dataclass(frozen=True)
class Choice:
    """A drop-down control over named options; starts at ``value`` (the first option when None)."""

    options: tuple[str, ...]
    value: str | None = None

    def __post_init__(self):
        if not self.options or not all(isinstance(option, str) for option in self.options):
            raise ValueError(f"Choice.options must be a non-empty sequence of strings, got {self.options!r}")
        object.__setattr__(self, "options", tuple(self.options))
        if self.value is None:
            object.__setattr__(self, "value", self.options[0])
        elif self.value not in self.options:
            raise ValueError(f"Choice.value must be one of {self.options}, got {self.value!r}")


class Explorer:
    """Controls that redraw a matplotlib axes: ``draw(ax, **values)`` is called with one value per control.

    Args:
        draw: draws on the given ``Axes`` (title, labels and legend included) using the control values.
        controls: keyword name -> :class:`Slider` or :class:`Choice`, in display order.
        figsize: the figure size in inches.

    Attributes:
        values: the current value of every control.
        png: the current picture, PNG bytes.
    """

    def __init__(self, draw: Callable[..., None], controls: Mapping[str, Slider | Choice],
                 figsize: tuple[float, float] = (7.5, 4.8)):
        if not callable(draw):
            raise TypeError(f"draw must be callable as draw(ax, **values), got {type(draw).__name__}")
        check_type("controls", controls, Mapping)
        for name, control in controls.items():
            if not name.isidentifier():
                raise ValueError(f"control names must be Python identifiers (they become keywords), got {name!r}")
            check_type(f"controls[{name!r}]", control, (Slider, Choice))
        self.draw, self.controls, self.figsize = draw, dict(controls), figsize
        self.values = {name: control.value for name, control in self.controls.items()}
        self.png = self.render(**self.values)
        self._widgets = None

    def render(self, **values) -> bytes:
        """The picture for these control values, as PNG bytes."""
        figure = Figure(figsize=self.figsize, layout="tight")
        self.draw(figure.subplots(), **values)
        return _png(figure)

    def update(self, **changes) -> None:
        """Set some control values and redraw (what moving the sliders does)."""
        unknown = set(changes) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorer has {list(self.controls)}")
        self.values.update(changes)
        self.png = self.render(**self.values)
        if self._widgets is not None:
            controls, image, _ = self._widgets
            for name, value in changes.items():
                controls[name].value = value  # no redraw: the values already agree
            image.value = self.png

    def widget(self):
        """The ipywidgets view (controls above the picture), or None where ipywidgets is not installed."""
        if self._widgets is None:
            try:
                import ipywidgets as widgets
            except ImportError:
                return None
            controls = {name: _make_control(widgets, name, control, self.values[name])
                        for name, control in self.controls.items()}
            for name, control in controls.items():
                control.observe(lambda change, name=name: self._on_change(name, change["new"]), names="value")
            image = widgets.Image(value=self.png, format="png")
            row = widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"})
            self._widgets = controls, image, widgets.VBox([row, image])
        return self._widgets[2]

    def _on_change(self, name: str, value) -> None:
        """A control moved: redraw. An error is drawn in place of the plot, since a widget callback's traceback
        never reaches the notebook."""
        if self.values[name] == value:
            return
        try:
            self.update(**{name: value})
        except Exception as error:  # noqa: BLE001 - whatever draw raised, the learner must see it
            self._widgets[1].value = _message_png(f"Cannot draw {name} = {value}:\n{type(error).__name__}: {error}",
                                                  self.figsize)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        settings = ", ".join(f"{name}={value}" for name, value in self.values.items())
        bundle = {"text/plain": f"Explorer({settings})", "image/png": base64.b64encode(self.png).decode("ascii")}
        view = self.widget()
        if view is not None:  # model_id and protocol 2.0 are the same in ipywidgets 7 (Colab) and 8
            bundle[WIDGET_VIEW_MIMETYPE] = {"version_major": 2, "version_minor": 0, "model_id": view.model_id}
        return bundle


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _message_png(message: str, figsize: tuple[float, float]) -> bytes:
    figure = Figure(figsize=figsize)
    figure.text(0.5, 0.5, message, ha="center", va="center", wrap=True, color="darkred")
    return _png(figure)


def _make_control(widgets, name: str, control: Slider | Choice, value):
    style = {"description_width": "initial"}
    if isinstance(control, Choice):
        return widgets.Dropdown(options=list(control.options), value=value, description=name, style=style)
    if control.integer:
        return widgets.IntSlider(value=value, min=control.low, max=control.high, step=control.step, description=name,
                                 continuous_update=False, style=style)
    decimals = max(0, -Decimal(repr(control.step)).normalize().as_tuple().exponent)  # 0.005 -> 3
    return widgets.FloatSlider(value=value, min=control.low, max=control.high, step=control.step, description=name,
                               readout_format=f".{decimals}f", continuous_update=False, style=style)


def _check_factories(kind: str, factories: object, keywords: list[str]) -> None:
    check_type(kind, factories, Mapping)
    if not factories:
        raise ValueError(f"{kind} must name at least one factory")
    for label, make in factories.items():
        if not callable(make):
            raise TypeError(f"{kind}[{label!r}] must be callable, got {type(make).__name__}")
        try:
            inspect.signature(make).bind(None, **dict.fromkeys(keywords))
        except TypeError:
            raise TypeError(f"{kind}[{label!r}] must accept one positional argument and the keywords {keywords} "
                            f"(e.g. lambda p, {', '.join(keywords)}: ...); its signature is "
                            f"{inspect.signature(make)}") from None


def optimizer_explorer(optimizers: Mapping[str, Callable[..., torch.optim.Optimizer]],
                       hyperparameters: Mapping[str, Slider], landscapes: Mapping[str, Landscape] | None = None,
                       steps: Slider = Slider(20, 1, 100, 1)) -> Explorer:
    """Sliders for hyperparameters and the number of steps; the paths of several optimizers on a 2-D function.

    Args:
        optimizers: label -> ``make(params, **hyperparameters)`` returning a torch optimizer, e.g.
            ``{"momentum": lambda p, lr, momentum: torch.optim.SGD(p, lr=lr, momentum=momentum)}``.
        hyperparameters: keyword -> :class:`Slider`, e.g. ``{"lr": Slider(0.4, 0.01, 1.0, 0.01)}``.
        landscapes: the functions to choose from (default :data:`LANDSCAPES`); the first is shown first.
        steps: the slider for the number of optimizer steps.
    """
    landscapes = LANDSCAPES if landscapes is None else landscapes
    check_type("landscapes", landscapes, Mapping)
    if not landscapes:
        raise ValueError("landscapes must hold at least one Landscape")
    for name, landscape in landscapes.items():
        check_type(f"landscapes[{name!r}]", landscape, Landscape)
    check_type("hyperparameters", hyperparameters, Mapping)
    _check_factories("optimizers", optimizers, list(hyperparameters))
    check_type("steps", steps, Slider)
    if not steps.integer:
        raise ValueError(f"steps must be an integer Slider (value, low, high, step all ints), got {steps}")

    def draw(ax: Axes, landscape: str, steps: int, **values) -> None:
        chosen = landscapes[landscape]
        paths = {label: optimizer_trajectory(chosen.f, chosen.start, lambda p, make=make: make(p, **values), steps)
                 for label, make in optimizers.items()}
        settings = ", ".join(f"{name}={value:g}" for name, value in values.items())
        plot_contour_trajectories(chosen.f, paths, xlim=chosen.xlim, ylim=chosen.ylim, levels=chosen.levels, ax=ax,
                                  title=f"{landscape}: {steps} steps, {settings}")

    return Explorer(draw, {"landscape": Choice(tuple(landscapes)), **hyperparameters, "steps": steps})


def schedule_explorer(schedulers: Mapping[str, Callable[..., object]], hyperparameters: Mapping[str, Slider],
                      steps: int = 300, base_lr: float = 0.1) -> Explorer:
    """Sliders for schedule hyperparameters; the learning rate of every scheduler at each step.

    Args:
        schedulers: label -> ``make(optimizer, **hyperparameters)`` returning a torch scheduler, e.g.
            ``{"warm-up + cosine": lambda o, warmup: SequentialLR(o, [...], milestones=[warmup])}``.
        hyperparameters: keyword -> :class:`Slider`.
        steps, base_lr: as in :func:`course_utils.lr_sequence`.
    """
    check_type("hyperparameters", hyperparameters, Mapping)
    _check_factories("schedulers", schedulers, list(hyperparameters))
    check_int("steps", steps, minimum=1)
    check_number("base_lr", base_lr, 0.0, low_inclusive=False)

    def draw(ax: Axes, **values) -> None:
        for label, make in schedulers.items():
            ax.plot(lr_sequence(lambda o, make=make: make(o, **values), steps, base_lr=base_lr), label=label)
        settings = ", ".join(f"{name}={value:g}" for name, value in values.items())
        ax.set(title=f"Learning rate per step ({settings})", xlabel="step t (scheduler.step() calls)",
               ylabel="learning rate")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)

    return Explorer(draw, hyperparameters, figsize=(8.0, 4.0))
