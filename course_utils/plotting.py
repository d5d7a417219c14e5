"""Plots the notebooks share: per-layer histograms and std curves, distributions, training curves.

Every function draws titled, labelled axes with a legend where there is more than one line, and returns
the matplotlib ``Figure`` so a notebook can save or tweak it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from ._validation import check_int, check_type
from .training import History


def plot_activation_histograms(runs: Mapping[str, Mapping[str, torch.Tensor]], layers: Sequence[int],
                               title: str = "Activation distributions per layer", bins: int = 60,
                               xlabel: str = "activation value") -> Figure:
    """A grid of histograms: one row per run, one column per selected layer.

    Args:
        runs: run label -> (layer name -> tensor of any shape), as :func:`course_utils.record_activations`
            returns; every run must have the same number of layers.
        layers: 0-based indices of the layers to show (e.g. ``[0, 9, 19, 29]``).
    """
    check_type("runs", runs, Mapping)
    if not runs:
        raise ValueError("runs must contain at least one run")
    check_int("bins", bins, minimum=1)
    layers = list(layers)
    for label, acts in runs.items():
        bad = [i for i in layers if not 0 <= i < len(acts)]
        if bad:
            raise ValueError(f"run {label!r} has {len(acts)} layers; layer indices {bad} do not exist")
    fig, axes = plt.subplots(len(runs), len(layers), figsize=(3 * len(layers), 2.2 * len(runs)),
                             squeeze=False)
    for row, (label, acts) in enumerate(runs.items()):
        tensors = list(acts.values())
        for col, layer in enumerate(layers):
            values = tensors[layer].detach().cpu().double().flatten()
            values = values[values.isfinite()]  # an exploding run may overflow to inf
            ax = axes[row, col]
            ax.hist(values.numpy(), bins=bins, color=f"C{row}")
            spread = f"std={values.std():.2g}" if values.numel() > 1 else "no finite values"
            ax.set_title(f"{label}\nlayer {layer + 1}: {spread}", fontsize=9)
            ax.set_yticks([])
            ax.locator_params(axis="x", nbins=4)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 3))
            if row == len(runs) - 1:
                ax.set_xlabel(xlabel)
        axes[row, 0].set_ylabel("count")
    fig.suptitle(title)
    fig.tight_layout()
    return fig



def plot_distributions(panels: Mapping[str, Mapping[str, torch.Tensor]], title: str = "Distributions",
                       xlabel: str = "value", bins: int = 40, kde: bool = True) -> Figure:
    """Side-by-side panels of seaborn histograms (with a KDE curve), one colour per series.

    Args:
        panels: panel title -> (series label -> tensor of any shape, flattened). Each series is drawn as a
            density (area 1), so series of different sizes compare; the legend gives mean and std.
        bins: histogram bins per series.
        kde: draw seaborn's kernel density estimate on top of each histogram.
    """
    import seaborn as sns  # imported here: it takes a while, and only these plots need it

    check_type("panels", panels, Mapping)
    if not panels:
        raise ValueError("panels must contain at least one panel")
    check_int("bins", bins, minimum=1)
    for panel, series in panels.items():
        check_type(f"panels[{panel!r}]", series, Mapping)
        if not series:
            raise ValueError(f"panel {panel!r} has no series to draw")
        for label, values in series.items():
            check_type(f"panels[{panel!r}][{label!r}]", values, torch.Tensor)
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 3.8), squeeze=False)
    for ax, (panel, series) in zip(axes[0], panels.items()):
        for i, (label, values) in enumerate(series.items()):
            values = values.detach().cpu().double().flatten()
            values = values[values.isfinite()]
            spread = f"mean {values.mean():.2f}, std {values.std(correction=0):.2f}"
            sns.histplot(values.numpy(), bins=bins, kde=kde, stat="density", color=f"C{i}", alpha=0.35,
                         ax=ax, label=f"{label} ({spread})")
        ax.set_title(panel)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("density")
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig

def plot_std_per_layer(curves: Mapping[str, Sequence[float]], title: str = "Standard deviation per layer",
                       ylabel: str = "std of activations", log: bool = True, ax: plt.Axes | None = None) -> Figure:
    """One line per run: the std (or any per-layer number) against the layer index (1-based)."""
    check_type("curves", curves, Mapping)
    if not curves:
        raise ValueError("curves must contain at least one run")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, values in curves.items():
        values = [float(v) for v in values]
        ax.plot(range(1, len(values) + 1), values, marker=".", label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax.figure


def plot_training_curves(histories: Mapping[str, History], keys: Sequence[str] = ("train_loss", "val_accuracy"),
                         title: str = "Training curves", log_loss: bool = False) -> Figure:
    """One panel per epoch-level key of :class:`History` (x: epoch), one line per run.

    A run that stopped early because its loss became non-finite is drawn as far as it got and labelled so.
    """
    check_type("histories", histories, Mapping)
    if not histories:
        raise ValueError("histories must contain at least one run")
    for label, history in histories.items():
        check_type(f"histories[{label!r}]", history, History)
    fig, axes = plt.subplots(1, len(keys), figsize=(5.5 * len(keys), 3.8), squeeze=False)
    for ax, key in zip(axes[0], keys):
        for label, history in histories.items():
            if key not in history.epoch and not history.stopped_early:
                raise ValueError(f"run {label!r} has no epoch key {key!r}; it has {sorted(history.epoch)}")
            values = history.epoch.get(key, [])
            suffix = " (stopped: loss not finite)" if history.stopped_early else ""
            ax.plot(range(1, len(values) + 1), values, marker=".", label=label + suffix)
        if log_loss and "loss" in key:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key.replace("_", " "))
        ax.set_title(key.replace("_", " "))
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_contour_trajectories(f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                              trajectories: Mapping[str, torch.Tensor], xlim: tuple[float, float] = (-5.5, 1.5),
                              ylim: tuple[float, float] = (-3.0, 1.5), title: str = "Trajectories on the contours of f",
                              levels: int = 25, ax: plt.Axes | None = None) -> Figure:
    """Contours of a 2-D function with one optimisation path per run drawn on top.

    Args:
        f: ``f(x1, x2) -> values``, elementwise on tensors of equal shape (e.g. ``lambda a, b: a**2 + 2*b**2``).
        trajectories: run label -> tensor of shape (steps + 1, 2), the points visited (start included).
        xlim / ylim: the plotted window.
    """
    if not callable(f):
        raise TypeError(f"f must be callable as f(x1, x2), got {type(f).__name__}")
    check_type("trajectories", trajectories, Mapping)
    for label, path in trajectories.items():
        check_type(f"trajectories[{label!r}]", path, torch.Tensor)
        if path.dim() != 2 or path.shape[1] != 2:
            raise ValueError(f"trajectories[{label!r}] must have shape (steps + 1, 2), got {tuple(path.shape)}")
    for name, (low, high) in (("xlim", xlim), ("ylim", ylim)):
        if not low < high:
            raise ValueError(f"{name} must be (low, high) with low < high, got {(low, high)}")
    grid1, grid2 = torch.meshgrid(torch.linspace(*xlim, 200), torch.linspace(*ylim, 200), indexing="xy")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.contour(grid1.numpy(), grid2.numpy(), f(grid1, grid2).numpy(), levels=levels, cmap="Blues", linewidths=0.8)
    for i, (label, path) in enumerate(trajectories.items()):
        path = path.detach().cpu().double()
        end = f"end: {path[-1, 0]:.3g}, {path[-1, 1]:.3g}" if path[-1].isfinite().all() else "diverged"
        ax.plot(path[:, 0], path[:, 1], "-o", color=f"C{i + 1}", markersize=3, linewidth=1.2, label=f"{label} ({end})")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title)
    if trajectories:
        ax.legend(fontsize=8)
    return ax.figure
