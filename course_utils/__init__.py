"""Helpers for the Deep Learning Optimization Lab notebooks.

They remove boilerplate (devices, seeding, data, a training loop, plots, statistics, grading checks) and
never the idea a notebook teaches.
"""

from .checking import (assert_close, assert_equal, assert_optimizer_matches, assert_raises, check_all, expect,
                       explain_mismatch, fail, forbid_calls, load_expected, torch_optim_algorithms)
from .data import (DataSplit, load_diabetes_data, load_digits_data, load_moons_data, make_adding_problem, make_loaders,
                   make_regression_data)
from .device import get_device, seed_everything
from .image_data import ImageData, load_image_data
from .explorers import Choice, Explorer, Slider, optimizer_explorer, schedule_explorer
from .landscapes import LANDSCAPES, Landscape, optimizer_trajectory
from .models import init_linear_layers_, make_cnn, make_mlp
from .plotting import (plot_activation_histograms, plot_contour_trajectories, plot_distributions, plot_std_per_layer,
                       plot_training_curves)
from .schedules import lr_sequence
from .stats import (ACTIVATION_TYPES, GradNormLog, grad_norms, record_activation_grads, record_activations,
                    std_per_layer)
from .training import History, StepResult, accuracy, evaluate, global_grad_norm, train, train_step

__version__ = "0.1.0"

__all__ = [
    "ACTIVATION_TYPES", "Choice", "DataSplit", "Explorer", "GradNormLog", "History", "ImageData", "LANDSCAPES",
    "Landscape", "Slider", "StepResult", "accuracy", "assert_close", "assert_equal", "assert_optimizer_matches",
    "assert_raises", "check_all", "evaluate", "expect", "explain_mismatch", "fail", "forbid_calls", "get_device",
    "global_grad_norm", "grad_norms", "init_linear_layers_", "load_diabetes_data", "load_digits_data",
    "load_expected", "load_image_data", "load_moons_data", "lr_sequence", "make_adding_problem", "make_cnn",
    "make_loaders", "make_mlp", "make_regression_data", "optimizer_explorer", "optimizer_trajectory",
    "plot_activation_histograms", "plot_contour_trajectories", "plot_distributions", "plot_std_per_layer",
    "plot_training_curves", "record_activation_grads", "record_activations", "schedule_explorer", "seed_everything",
    "std_per_layer", "torch_optim_algorithms", "train", "train_step",
]
