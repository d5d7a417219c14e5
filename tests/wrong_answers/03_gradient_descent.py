"""Plausible wrong answers for 03 Gradient descent. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner)."""

from tools.nbpipeline import WrongAnswer

_GD_HEAD = "def gradient_descent(grad, x0, lr, steps):\n    x = torch.as_tensor(x0, dtype=torch.float64)\n"

_STABILITY_HELPER = '''
def _largest_eigenvalue(hessian):
    if hessian.dim() != 2 or hessian.shape[0] != hessian.shape[1] or not torch.allclose(hessian, hessian.T):
        raise ValueError("not symmetric")
    eigenvalues = torch.linalg.eigvalsh(hessian.double())
    if eigenvalues.min() <= 0:
        raise ValueError("not positive definite")
    return eigenvalues.max().item()
'''
_CLASSIFY = '''
def classify_lr(hessian, lr):
    if lr <= 0:
        raise ValueError(lr)
    lam = _largest_eigenvalue(hessian)
    if lr <= 1.0 / lam:
        return "converges"
    return "oscillates" if lr < 2.0 / lam else "diverges"
'''

BANK = {
    "ex01_gd": [
        WrongAnswer("leaves out the starting point",
                    _GD_HEAD + "    path = []\n    for _ in range(steps):\n        x = x - lr * grad(x)\n        path.append(x)\n"
                    "    return torch.stack(path)\n",
                    names="left out the starting point"),
        WrongAnswer("gradient ascent",
                    _GD_HEAD + "    path = [x]\n    for _ in range(steps):\n        x = x + lr * grad(x)\n        path.append(x)\n"
                    "    return torch.stack(path)\n",
                    names="gradient ascent"),
        WrongAnswer("one update too few",
                    _GD_HEAD + "    path = [x]\n    for _ in range(steps - 1):\n        x = x - lr * grad(x)\n        path.append(x)\n"
                    "    return torch.stack(path)\n",
                    names="off-by-one"),
        WrongAnswer("appends one tensor and updates it in place",
                    _GD_HEAD + "    x = x.clone()\n    path = [x]\n    for _ in range(steps):\n        x -= lr * grad(x)\n"
                    "        path.append(x)\n    return torch.stack(path)\n",
                    names="changed it in place"),
        WrongAnswer("always uses the gradient at the start",
                    _GD_HEAD + "    g0 = grad(x)\n    path = [x]\n    for _ in range(steps):\n        x = x - lr * g0\n        path.append(x)\n"
                    "    return torch.stack(path)\n",
                    names="gradient at the starting point"),
        WrongAnswer("returns float32",
                    "def gradient_descent(grad, x0, lr, steps):\n    x = torch.as_tensor(x0, dtype=torch.float32)\n"
                    "    path = [x]\n    for _ in range(steps):\n        x = x - lr * grad(x)\n        path.append(x)\n"
                    "    return torch.stack(path)\n",
                    names="return float64"),
    ],
    "ex02_stability": [
        WrongAnswer("1 / lambda_max as the stability limit",
                    _STABILITY_HELPER + "def max_stable_lr(hessian):\n    return 1.0 / _largest_eigenvalue(hessian)\n" + _CLASSIFY,
                    names="1/lambda_max"),
        WrongAnswer("uses the smallest eigenvalue",
                    "def _largest_eigenvalue(hessian):\n    return torch.linalg.eigvalsh(hessian.double()).min().item()\n"
                    "def max_stable_lr(hessian):\n    return 2.0 / _largest_eigenvalue(hessian)\n" + _CLASSIFY,
                    names="2/lambda_min"),
        WrongAnswer("uses the largest diagonal entry instead of an eigenvalue",
                    "def _largest_eigenvalue(hessian):\n    if not torch.allclose(hessian, hessian.T) or hessian.diagonal().min() <= 0:\n"
                    "        raise ValueError('bad')\n    return hessian.diagonal().max().item()\n"
                    "def max_stable_lr(hessian):\n    return 2.0 / _largest_eigenvalue(hessian)\n" + _CLASSIFY,
                    names="largest diagonal entry"),
        WrongAnswer("classifies with the boundaries on the wrong side",
                    _STABILITY_HELPER + "def max_stable_lr(hessian):\n    return 2.0 / _largest_eigenvalue(hessian)\n"
                    "def classify_lr(hessian, lr):\n    if lr <= 0:\n        raise ValueError(lr)\n"
                    "    lam = _largest_eigenvalue(hessian)\n    if lr < 1.0 / lam:\n        return 'converges'\n"
                    "    return 'oscillates' if lr <= 2.0 / lam else 'diverges'\n",
                    names="Boundaries"),
        WrongAnswer("returns a tensor instead of a float",
                    _STABILITY_HELPER + "def max_stable_lr(hessian):\n"
                    "    return 2.0 / torch.linalg.eigvalsh(hessian.double()).max()\n" + _CLASSIFY,
                    names="Python float"),
        WrongAnswer("accepts indefinite Hessians (no checks)",
                    "def _largest_eigenvalue(hessian):\n    return torch.linalg.eigvalsh(hessian.double()).max().item()\n"
                    "def max_stable_lr(hessian):\n    return 2.0 / _largest_eigenvalue(hessian)\n"
                    "def classify_lr(hessian, lr):\n    lam = _largest_eigenvalue(hessian)\n"
                    "    if lr <= 1.0 / lam:\n        return 'converges'\n    return 'oscillates' if lr < 2.0 / lam else 'diverges'\n",
                    names="expected ValueError"),
    ],
    "ex03_closed_form": [
        WrongAnswer("power t - 1",
                    "def gd_closed_form(hessian, x0, lr, t):\n    h = hessian.double()\n"
                    "    return torch.linalg.matrix_power(torch.eye(len(h), dtype=torch.float64) - lr * h, max(t - 1, 0))"
                    " @ torch.as_tensor(x0, dtype=torch.float64)\n",
                    names="power t - 1"),
        WrongAnswer("elementwise power",
                    "def gd_closed_form(hessian, x0, lr, t):\n    h = hessian.double()\n"
                    "    return ((torch.eye(len(h), dtype=torch.float64) - lr * h) ** t) @ torch.as_tensor(x0, dtype=torch.float64)\n",
                    names="elementwise power"),
        WrongAnswer("gradient taken as H x / 2",
                    "def gd_closed_form(hessian, x0, lr, t):\n    h = hessian.double()\n"
                    "    return torch.linalg.matrix_power(torch.eye(len(h), dtype=torch.float64) - lr * h / 2, t)"
                    " @ torch.as_tensor(x0, dtype=torch.float64)\n",
                    names="H x / 2"),
        WrongAnswer("I + lr H",
                    "def gd_closed_form(hessian, x0, lr, t):\n    h = hessian.double()\n"
                    "    return torch.linalg.matrix_power(torch.eye(len(h), dtype=torch.float64) + lr * h, t)"
                    " @ torch.as_tensor(x0, dtype=torch.float64)\n",
                    names="I + lr H"),
    ],
}

_SCHEDULES = '''
def constant_lr(t):
    return 1.0

def piecewise_constant_lr(t):
    return 1.0 if t <= 300 else 0.1 if t <= 600 else 0.01

def exponential_lr(t):
    return math.exp(-0.1 * t)

def polynomial_lr(t):
    return (1 + 0.1 * t) ** -0.5
'''


def _sgd(loop_body: str, steps: str = "range(1, steps + 1)") -> str:
    return (_SCHEDULES + "\ndef noisy_sgd(lr_schedule, x0, eta, steps, generator):\n"
            "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
            "    curvature = torch.tensor([2.0, 4.0], dtype=torch.float64)\n"
            f"    for t in {steps}:\n" + loop_body + "    return x\n")


_GOOD_SGD_BODY = ("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                  "        x = x - eta * lr_schedule(t) * (curvature * x + noise)\n")

BANK["ex04_sgd_schedules"] = [
    WrongAnswer("counts t from 0",
                _sgd(_GOOD_SGD_BODY, steps="range(steps)"), names="t - 1"),
    WrongAnswer("schedules evaluated at t - 1",
                _SCHEDULES.replace("math.exp(-0.1 * t)", "math.exp(-0.1 * (t - 1))")
                .replace("(1 + 0.1 * t) ** -0.5", "(1 + 0.1 * (t - 1)) ** -0.5")
                + _sgd(_GOOD_SGD_BODY).replace(_SCHEDULES, ""),
                names="t counts updates from 1"),
    WrongAnswer("piecewise boundary with <",
                _sgd(_GOOD_SGD_BODY).replace("1.0 if t <= 300 else 0.1 if t <= 600", "1.0 if t < 300 else 0.1 if t < 600"),
                names="boundary on the wrong side"),
    WrongAnswer("polynomial with alpha = 1",
                _sgd(_GOOD_SGD_BODY).replace("(1 + 0.1 * t) ** -0.5", "(1 + 0.1 * t) ** -1"),
                names="alpha = 1"),
    WrongAnswer("adds the noise to x instead of the gradient",
                _sgd("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                     "        x = x - eta * lr_schedule(t) * curvature * x + noise\n"),
                names="added the noise to x"),
    WrongAnswer("forgets eta",
                _sgd("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                     "        x = x - lr_schedule(t) * (curvature * x + noise)\n"),
                names="left eta out"),
    WrongAnswer("draws the noise per coordinate in a different order (two calls)",
                _sgd("        noise = torch.stack([torch.randn(x.shape[:-1], generator=generator, dtype=x.dtype) for _ in range(2)], -1)\n"
                     "        x = x - eta * lr_schedule(t) * (curvature * x + noise)\n"),
                names="Draw the noise once per update"),
]

_NUM_UPDATES = ("def num_updates(n, batch_size, epochs, drop_last=False):\n"
                "    return epochs * (n // batch_size if drop_last else math.ceil(n / batch_size))\n")


def _fit(loop: str, prelude: str = "") -> str:
    return (_NUM_UPDATES + "def minibatch_sgd(x, y, batch_size, lr, epochs, seed):\n" + prelude
            + "    torch.manual_seed(seed)\n    model = nn.Linear(x.shape[1], 1)\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
            "    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True,\n"
            "                        generator=torch.Generator().manual_seed(seed))\n"
            "    losses = []\n    for _ in range(epochs):\n        for xb, yb in loader:\n" + loop
            + "            losses.append(loss.item())\n    return model, losses\n")


BANK["ex05_minibatch"] = [
    WrongAnswer("floor instead of ceil",
                "def num_updates(n, batch_size, epochs, drop_last=False):\n    return epochs * (n // batch_size)\n"
                + _fit("            optimizer.zero_grad()\n            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"
                       "            loss.backward()\n            optimizer.step()\n").replace(_NUM_UPDATES, ""),
                names="floor(n / b) per epoch"),
    WrongAnswer("forgets the epochs",
                "def num_updates(n, batch_size, epochs, drop_last=False):\n"
                "    return n // batch_size if drop_last else math.ceil(n / batch_size)\n"
                + _fit("            optimizer.zero_grad()\n            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"
                       "            loss.backward()\n            optimizer.step()\n").replace(_NUM_UPDATES, ""),
                names="multiply by the number of epochs"),
    WrongAnswer("compares (b, 1) predictions with (b,) targets",
                _fit("            optimizer.zero_grad()\n            loss = F.mse_loss(model(xb), yb)\n"
                     "            loss.backward()\n            optimizer.step()\n"),
                names="broadcasts to (b, b)"),
    WrongAnswer("forgets zero_grad",
                _fit("            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"
                     "            loss.backward()\n            optimizer.step()\n"),
                names="zero_grad"),
    WrongAnswer("records one loss per epoch",
                _NUM_UPDATES + "def minibatch_sgd(x, y, batch_size, lr, epochs, seed):\n"
                "    torch.manual_seed(seed)\n    model = nn.Linear(x.shape[1], 1)\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
                "    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)\n"
                "    losses = []\n    for _ in range(epochs):\n        for xb, yb in loader:\n"
                "            optimizer.zero_grad()\n            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"
                "            loss.backward()\n            optimizer.step()\n        losses.append(loss.item())\n"
                "    return model, losses\n",
                names="one loss per optimizer step"),
]

# Delegation routes: each runs the library code the exercise re-implements (or switches the checking off).
_FROM_SCRATCH = "must be written from scratch"
_SWITCHED_OFF = "switched the checking off"

BANK["ex01_gd"] += [
    WrongAnswer("delegates each step to torch.optim.SGD",
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    optimizer = torch.optim.SGD([x], lr=lr)\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        x.grad = grad(x.clone())\n"
                "        optimizer.step()\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names=_FROM_SCRATCH),
    WrongAnswer("calls the functional optimizer torch.optim.sgd.sgd",
                "import torch.optim.sgd as _sgd_module\n"
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        _sgd_module.sgd([x], [grad(x.clone())], [None], weight_decay=0.0, momentum=0.0, lr=lr,\n"
                "                        dampening=0.0, nesterov=False, maximize=False)\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names=_FROM_SCRATCH),
    WrongAnswer("updates with the _foreach_ kernel that torch.optim uses",
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        torch._foreach_add_([x], [grad(x.clone())], alpha=-lr)\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names=_FROM_SCRATCH),
    WrongAnswer("switches the profiler off, then delegates to torch.optim.SGD",
                "import sys\n"
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    sys.setprofile(None)\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    optimizer = torch.optim.SGD([x], lr=lr)\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        x.grad = grad(x.clone())\n"
                "        optimizer.step()\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names=_SWITCHED_OFF),
]

BANK["ex03_closed_form"] += [
    WrongAnswer("runs torch.optim.SGD step by step instead of a closed form",
                "def gd_closed_form(hessian, x0, lr, t):\n"
                "    h = hessian.double()\n"
                "    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)\n"
                "    optimizer = torch.optim.SGD([x], lr=lr)\n"
                "    for _ in range(t):\n"
                "        optimizer.zero_grad()\n"
                "        (0.5 * x @ h @ x).backward()\n"
                "        optimizer.step()\n"
                "    return x.detach()\n",
                names=_FROM_SCRATCH),
    WrongAnswer("works in float32",
                "def gd_closed_form(hessian, x0, lr, t):\n"
                "    h = hessian.float()\n"
                "    step = torch.eye(len(h)) - lr * h\n"
                "    return torch.linalg.matrix_power(step, t) @ torch.as_tensor(x0, dtype=torch.float32)\n",
                names="float32 arithmetic"),
]

_NOISY_SGD = ("def noisy_sgd(lr_schedule, x0, eta, steps, generator):\n"
              "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
              "    curvature = torch.tensor([2.0, 4.0], dtype=torch.float64)\n"
              "    for t in range(1, steps + 1):\n" + _GOOD_SGD_BODY + "    return x\n")

BANK["ex04_sgd_schedules"] += [
    WrongAnswer("exponential_lr read off torch.optim.lr_scheduler.ExponentialLR",
                _SCHEDULES + _NOISY_SGD
                + "def exponential_lr(t):\n"
                "    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)\n"
                "    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=math.exp(-0.1))\n"
                "    for _ in range(t):\n"
                "        optimizer.step()\n"
                "        scheduler.step()\n"
                "    return optimizer.param_groups[0]['lr']\n",
                names=_FROM_SCRATCH),
    WrongAnswer("piecewise_constant_lr read off MultiStepLR through course_utils.lr_sequence",
                _SCHEDULES + _NOISY_SGD
                + "def piecewise_constant_lr(t):\n"
                "    rates = cu.lr_sequence(lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [300, 600], 0.1),\n"
                "                           t, base_lr=1.0)\n"
                "    return rates[t - 1]\n",
                names=_FROM_SCRATCH),
    WrongAnswer("noisy_sgd with torch.optim.SGD and LambdaLR",
                _SCHEDULES
                + "def noisy_sgd(lr_schedule, x0, eta, steps, generator):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    optimizer = torch.optim.SGD([x], lr=eta)\n"
                "    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: lr_schedule(k + 1))\n"
                "    curvature = torch.tensor([2.0, 4.0], dtype=torch.float64)\n"
                "    for _ in range(steps):\n"
                "        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                "        x.grad = curvature * x + noise\n"
                "        optimizer.step()\n"
                "        scheduler.step()\n"
                "    return x\n",
                names=_FROM_SCRATCH),
    WrongAnswer("noisy_sgd switches the profiler off",
                _SCHEDULES
                + "import sys\n"
                + _NOISY_SGD.replace("    x = torch.as_tensor", "    sys.setprofile(None)\n    x = torch.as_tensor"),
                names=_SWITCHED_OFF),
    WrongAnswer("noisy_sgd in float32",
                _SCHEDULES + _NOISY_SGD.replace("torch.float64", "torch.float32"),
                names="must work in float64"),
]

_GOOD_LOOP = ("            optimizer.zero_grad()\n            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"
              "            loss.backward()\n            optimizer.step()\n")

BANK["ex05_minibatch"] += [
    WrongAnswer("num_updates read off len(DataLoader)",
                "def num_updates(n, batch_size, epochs, drop_last=False):\n"
                "    return epochs * len(DataLoader(range(n), batch_size=batch_size, drop_last=drop_last))\n"
                + _fit(_GOOD_LOOP).replace(_NUM_UPDATES, ""),
                names=_FROM_SCRATCH),
    WrongAnswer("minibatch_sgd hands the loop to course_utils.train",
                _NUM_UPDATES + "def minibatch_sgd(x, y, batch_size, lr, epochs, seed):\n"
                "    torch.manual_seed(seed)\n    model = nn.Linear(x.shape[1], 1)\n"
                "    loader = DataLoader(TensorDataset(x, y.unsqueeze(1)), batch_size=batch_size, shuffle=True,\n"
                "                        generator=torch.Generator().manual_seed(seed))\n"
                "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
                "    history = cu.train(model, loader, F.mse_loss, optimizer, epochs, progress=False)\n"
                "    return model, history.step['loss']\n",
                names=_FROM_SCRATCH),
]

BANK["ex04_sgd_schedules"].append(
    WrongAnswer("noise added to x, with the checking helpers patched to pass",
                _sgd("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                     "        x = x - eta * lr_schedule(t) * curvature * x + noise\n")
                + "\ncu.assert_close = assert_close = lambda *args, **kwargs: None\n",
                names="the checking helpers were replaced"))

# --- Issue 13: gaps found by the learner walkthrough and the independent bank ---------------------------------
_GD_LOOP = ("    path = [x]\n    for _ in range(steps):\n        x = x - lr * grad(x)\n        path.append(x)\n"
            "    return torch.stack(path)\n")

BANK["ex01_gd"] += [
    WrongAnswer("updates the caller's float64 x0 in place (x -= ...), cloning each point it records",
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        x -= lr * grad(x)\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names="changed the caller's x0"),
    WrongAnswer("plain gradient descent in disguise: torch.optim.ASGD(lambd=0, alpha=0, t0=1e9)",
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    optimizer = torch.optim.ASGD([x], lr=lr, lambd=0.0, alpha=0.0, t0=1e9)\n"
                "    path = [x.clone()]\n"
                "    for _ in range(steps):\n"
                "        x.grad = grad(x.clone())\n"
                "        optimizer.step()\n"
                "        path.append(x.clone())\n"
                "    return torch.stack(path)\n",
                names=_FROM_SCRATCH),
    WrongAnswer("preallocates a (steps + 1, n) table: a 2-D x0 gets the wrong shape",
                "def gradient_descent(grad, x0, lr, steps):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                "    path = torch.zeros(steps + 1, x.numel(), dtype=torch.float64)\n"
                "    path[0] = x.flatten()\n"
                "    for k in range(steps):\n"
                "        x = x - lr * grad(x)\n"
                "        path[k + 1] = x.flatten()\n"
                "    return path.squeeze(1) if x.dim() <= 1 and x.numel() == 1 else path\n",
                names="(steps + 1, *x0.shape)"),
]

_PD_BY_MINORS = '''
def max_stable_lr(hessian):
    return 2.0 / _largest_eigenvalue(hessian)
'''

BANK["ex02_stability"] += [
    WrongAnswer("tests min eigenvalue < 0 (a zero eigenvalue, PSD, is accepted)",
                _STABILITY_HELPER.replace("eigenvalues.min() <= 0", "eigenvalues.min() < 0")
                + _PD_BY_MINORS + _CLASSIFY,
                names="zero eigenvalue"),
    WrongAnswer("decides positive definiteness from a positive diagonal and determinant",
                "def _largest_eigenvalue(hessian):\n"
                "    if not torch.allclose(hessian, hessian.T):\n        raise ValueError('not symmetric')\n"
                "    if hessian.diagonal().min() <= 0 or torch.linalg.det(hessian.double()) <= 0:\n"
                "        raise ValueError('not positive definite')\n"
                "    return torch.linalg.eigvalsh(hessian.double()).max().item()\n"
                + _PD_BY_MINORS + _CLASSIFY,
                names="diagonal and its determinant"),
    WrongAnswer("rejects only lr == 0 (a negative learning rate is classified)",
                _STABILITY_HELPER + _PD_BY_MINORS + _CLASSIFY.replace("if lr <= 0:", "if lr == 0:"),
                names="negative learning rate"),
]

_CLOSED_HEAD = "def gd_closed_form(hessian, x0, lr, t):\n    h = hessian.double()\n"

BANK["ex03_closed_form"] += [
    WrongAnswer("reads the gradient of 0.5 x^T H x as 2 H x",
                _CLOSED_HEAD + "    return torch.linalg.matrix_power(torch.eye(len(h), dtype=torch.float64) - 2 * lr * h, t)"
                " @ torch.as_tensor(x0, dtype=torch.float64)\n",
                names="2 H x"),
    WrongAnswer("calls gradient_descent and keeps its last point (a loop over steps)",
                _CLOSED_HEAD + "    return gradient_descent(lambda x: h @ x, x0, lr, t)[-1]\n",
                names=_FROM_SCRATCH),
    WrongAnswer("loops over the steps itself",
                _CLOSED_HEAD + "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                "    step = torch.eye(len(h), dtype=torch.float64) - lr * h\n"
                "    for _ in range(t):\n        x = step @ x\n    return x\n",
                names="a loop over the steps"),
    WrongAnswer("eigen-decomposition with mu^t as exp(t log mu): nan for a negative factor",
                _CLOSED_HEAD + "    mu, q = torch.linalg.eigh(torch.eye(len(h), dtype=torch.float64) - lr * h)\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                "    return q @ (torch.exp(t * torch.log(mu)) * (q.T @ x))\n",
                names="logarithms"),
]

BANK["ex04_sgd_schedules"] += [
    WrongAnswer("updates the rate after the step (update t uses s(t - 1))",
                _sgd("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                     "        x = x - eta * rate * (curvature * x + noise)\n"
                     "        rate = lr_schedule(t)\n",
                     steps="range(1, steps + 1)").replace(
                    "    for t in range(1, steps + 1):", "    rate = lr_schedule(1)\n    for t in range(1, steps + 1):"),
                names="previous update's rate"),
    WrongAnswer("updates the caller's float64 x0 in place",
                _sgd("        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                     "        x -= eta * lr_schedule(t) * (curvature * x + noise)\n"),
                names="changed the caller's x0"),
    WrongAnswer("noisy_sgd through torch.optim.ASGD (plain SGD in disguise)",
                _SCHEDULES
                + "def noisy_sgd(lr_schedule, x0, eta, steps, generator):\n"
                "    x = torch.as_tensor(x0, dtype=torch.float64).clone()\n"
                "    optimizer = torch.optim.ASGD([x], lr=eta, lambd=0.0, alpha=0.0, t0=1e9)\n"
                "    curvature = torch.tensor([2.0, 4.0], dtype=torch.float64)\n"
                "    for t in range(1, steps + 1):\n"
                "        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)\n"
                "        x.grad = lr_schedule(t) * (curvature * x + noise)\n"
                "        optimizer.step()\n"
                "    return x\n",
                names=_FROM_SCRATCH),
]

BANK["ex05_minibatch"] += [
    WrongAnswer("keeps the loss tensors (with their graphs) in losses",
                _fit(_GOOD_LOOP).replace("losses.append(loss.item())", "losses.append(loss)"),
                names="Python floats"),
    WrongAnswer("does not shuffle",
                _fit(_GOOD_LOOP).replace("shuffle=True", "shuffle=False"),
                names="did not shuffle"),
    WrongAnswer("shuffles with the global random state (no generator)",
                _fit(_GOOD_LOOP).replace(",\n                        generator=torch.Generator().manual_seed(seed))", ")"),
                names="global random state"),
    WrongAnswer("does not seed the model",
                _fit(_GOOD_LOOP).replace("    torch.manual_seed(seed)\n", ""),
                names="initial weights"),
    WrongAnswer("seeds with the notebook's SEED instead of the argument",
                _fit(_GOOD_LOOP).replace("manual_seed(seed)", "manual_seed(SEED)"),
                names="fixed SEED = 0"),
    WrongAnswer("records the minibatch loss after optimizer.step()",
                _fit(_GOOD_LOOP + "            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"),
                names="after optimizer.step()"),
    WrongAnswer("records the full-data loss",
                _fit(_GOOD_LOOP + "            loss = F.mse_loss(model(x).squeeze(1), y)\n"),
                names="on all the data"),
    WrongAnswer("copies the least-squares solution into the model and reports zero losses",
                _NUM_UPDATES + "def minibatch_sgd(x, y, batch_size, lr, epochs, seed):\n"
                "    model = nn.Linear(x.shape[1], 1)\n"
                "    design = torch.cat([x, torch.ones(len(x), 1)], dim=1)\n"
                "    solution = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1)\n"
                "    with torch.no_grad():\n"
                "        model.weight.copy_(solution[:-1])\n        model.bias.copy_(solution[-1:])\n"
                "    return model, [0.0] * num_updates(len(x), batch_size, epochs)\n",
                names="the recorded losses"),
]

_PREDICTION = "def {name}():\n    return {value}\n"

BANK["ex06_predict_flat_direction"] = [
    WrongAnswer("follows the steep direction (one step)",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="1"),
                names="steep direction"),
    WrongAnswer("takes the coefficient 0.1 for the curvature",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="182"),
                names="coefficient 0.1"),
    WrongAnswer("rounds down (89)",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="89"),
                names="one step early"),
    WrongAnswer("uses the exponential approximation",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="93"),
                names="approximation"),
    WrongAnswer("uses the stability limit 0.5 as the rate",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="44"),
                names="stability limit"),
    WrongAnswer("returns the number as a string",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="'90'"),
                names="must return a number"),
    WrongAnswer("an unexplained number",
                _PREDICTION.format(name="predicted_steps_to_one_percent", value="20"),
                names="to the power t"),
]

BANK["ex07_predict_farthest_schedule"] = [
    WrongAnswer("the constant rate (it never removes the noise floor)",
                _PREDICTION.format(name="predicted_farthest_schedule", value="'constant'"),
                names="picked the constant rate"),
    WrongAnswer("the polynomial decay",
                _PREDICTION.format(name="predicted_farthest_schedule", value="'polynomial_lr'"),
                names="picked the polynomial decay"),
    WrongAnswer("the piecewise-constant schedule",
                _PREDICTION.format(name="predicted_farthest_schedule", value="'Piecewise constant'"),
                names="picked the piecewise-constant schedule"),
    WrongAnswer("not one of the four names",
                _PREDICTION.format(name="predicted_farthest_schedule", value="'the fastest decay'"),
                names="must return one of"),
]
