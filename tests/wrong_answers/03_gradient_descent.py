"""Plausible wrong answers for 03 Gradient descent. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner).

Wherever a wrong answer is the reference with a small change, it is written as an edit of the reference answer
(:func:`tools.nbpipeline.edited_answer`), so it stays in step with the solution."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "03_gradient_descent")

# Delegation routes: each runs the library code the exercise re-implements (or switches the checking off).
_FROM_SCRATCH = "must be written from scratch"
_SWITCHED_OFF = "switched the checking off"

# The reference answers, split where a wrong answer replaces one function and keeps the others.
_SCHEDULES = _edit("ex04_sgd_schedules").split("def noisy_sgd")[0]
_NUM_UPDATES = _edit("ex05_minibatch").split("def minibatch_sgd")[0]

_GD_STEP = "x = x - lr * grad(x)"
_SGD_STEP = "x = x - eta * lr_schedule(t) * (curvature * x + noise)"
_NOISE = "noise = torch.randn(x.shape, generator=generator, dtype=x.dtype)"
_EIGENVALUES = "return eigenvalues.max().item()"
_SYMMETRY_CHECK = ("    square = hessian.dim() == 2 and hessian.shape[0] == hessian.shape[1]\n"
                   "    if not square or not torch.allclose(hessian, hessian.T):\n"
                   '        raise ValueError(f"hessian must be a symmetric square matrix, got {hessian}")\n')
_DEFINITENESS_CHECK = ("    if eigenvalues.min() <= 0:\n"
                       '        raise ValueError("hessian must be positive definite, its eigenvalues are "\n'
                       '                         f"{eigenvalues.tolist()}")\n')
_LR_CHECK = '    if lr <= 0:\n        raise ValueError(f"lr must be positive, got {lr}")\n'
_CLOSED_FORM = "    return torch.linalg.matrix_power(step, t) @ torch.as_tensor(x0, dtype=torch.float64)\n"
_STEP = "            optimizer.step()\n"

BANK = {
    "ex01_gd": [
        WrongAnswer("leaves out the starting point", _edit("ex01_gd", "    path = [x]\n", "    path = []\n"),
                    names="left out the starting point"),
        WrongAnswer("gradient ascent", _edit("ex01_gd", _GD_STEP, "x = x + lr * grad(x)"), names="gradient ascent"),
        WrongAnswer("one update too few", _edit("ex01_gd", "range(steps)", "range(steps - 1)"), names="off-by-one"),
        WrongAnswer("appends one tensor and updates it in place",
                    _edit("ex01_gd", "    path = [x]\n", "    x = x.clone()\n    path = [x]\n",
                          _GD_STEP, "x -= lr * grad(x)"),
                    names="changed it in place"),
        WrongAnswer("always uses the gradient at the start",
                    _edit("ex01_gd", "    path = [x]\n", "    g0 = grad(x)\n    path = [x]\n",
                          _GD_STEP, "x = x - lr * g0"),
                    names="gradient at the starting point"),
        WrongAnswer("returns float32", _edit("ex01_gd", "dtype=torch.float64", "dtype=torch.float32"),
                    names="return float64"),
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
                    _edit("ex01_gd", "    path = [x]\n", "    x = x.clone()\n    path = [x.clone()]\n",
                          f"        {_GD_STEP}\n        path.append(x)\n",
                          "        torch._foreach_add_([x], [grad(x.clone())], alpha=-lr)\n"
                          "        path.append(x.clone())\n"),
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
        WrongAnswer("updates the caller's float64 x0 in place (x -= ...), cloning each point it records",
                    _edit("ex01_gd", "    path = [x]\n", "    path = [x.clone()]\n", _GD_STEP, "x -= lr * grad(x)",
                          "path.append(x)", "path.append(x.clone())"),
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
                    _edit("ex01_gd",
                          "    path = [x]\n    for _ in range(steps):\n",
                          "    path = torch.zeros(steps + 1, x.numel(), dtype=torch.float64)\n"
                          "    path[0] = x.flatten()\n    for k in range(steps):\n",
                          "        path.append(x)\n    return torch.stack(path)\n",
                          "        path[k + 1] = x.flatten()\n"
                          "    return path.squeeze(1) if x.dim() <= 1 and x.numel() == 1 else path\n"),
                    names="(steps + 1, *x0.shape)"),
    ],
    "ex02_stability": [
        WrongAnswer("1 / lambda_max as the stability limit",
                    _edit("ex02_stability", "return 2.0 / _largest_eigenvalue(hessian)",
                          "return 1.0 / _largest_eigenvalue(hessian)"),
                    names="1/lambda_max"),
        WrongAnswer("uses the smallest eigenvalue",
                    _edit("ex02_stability", _EIGENVALUES, "return eigenvalues.min().item()"),
                    names="2/lambda_min"),
        WrongAnswer("uses the largest diagonal entry instead of an eigenvalue",
                    _edit("ex02_stability", _EIGENVALUES, "return hessian.diagonal().max().item()"),
                    names="largest diagonal entry"),
        WrongAnswer("classifies with the boundaries on the wrong side",
                    _edit("ex02_stability", "if lr <= 1.0 / lam:", "if lr < 1.0 / lam:",
                          "if lr < 2.0 / lam else", "if lr <= 2.0 / lam else"),
                    names="Boundaries"),
        WrongAnswer("returns a tensor instead of a float",
                    _edit("ex02_stability", _EIGENVALUES, "return eigenvalues.max()"),
                    names="Python float"),
        WrongAnswer("accepts indefinite Hessians (no checks)",
                    _edit("ex02_stability", _SYMMETRY_CHECK, "", _DEFINITENESS_CHECK, "", _LR_CHECK, ""),
                    names="expected ValueError"),
        WrongAnswer("tests min eigenvalue < 0 (a zero eigenvalue, PSD, is accepted)",
                    _edit("ex02_stability", "eigenvalues.min() <= 0", "eigenvalues.min() < 0"),
                    names="zero eigenvalue"),
        WrongAnswer("decides positive definiteness from a positive diagonal and determinant",
                    _edit("ex02_stability", "if eigenvalues.min() <= 0:",
                          "if hessian.diagonal().min() <= 0 or torch.linalg.det(hessian.double()) <= 0:"),
                    names="diagonal and its determinant"),
        WrongAnswer("rejects only lr == 0 (a negative learning rate is classified)",
                    _edit("ex02_stability", "if lr <= 0:", "if lr == 0:"),
                    names="negative learning rate"),
    ],
    "ex03_closed_form": [
        WrongAnswer("power t - 1",
                    _edit("ex03_closed_form", "matrix_power(step, t)", "matrix_power(step, max(t - 1, 0))"),
                    names="power t - 1"),
        WrongAnswer("elementwise power",
                    _edit("ex03_closed_form", "torch.linalg.matrix_power(step, t) @", "(step ** t) @"),
                    names="elementwise power"),
        WrongAnswer("gradient taken as H x / 2", _edit("ex03_closed_form", "- lr * hessian", "- lr * hessian / 2"),
                    names="H x / 2"),
        WrongAnswer("I + lr H", _edit("ex03_closed_form", "- lr * hessian", "+ lr * hessian"), names="I + lr H"),
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
                    _edit("ex03_closed_form", "hessian = hessian.double()", "hessian = hessian.float()",
                          "torch.eye(hessian.shape[0], dtype=torch.float64)", "torch.eye(hessian.shape[0])",
                          "torch.as_tensor(x0, dtype=torch.float64)", "torch.as_tensor(x0, dtype=torch.float32)"),
                    names="float32 arithmetic"),
        WrongAnswer("reads the gradient of 0.5 x^T H x as 2 H x",
                    _edit("ex03_closed_form", "- lr * hessian", "- 2 * lr * hessian"),
                    names="2 H x"),
        WrongAnswer("calls gradient_descent and keeps its last point (a loop over steps)",
                    _edit("ex03_closed_form", _CLOSED_FORM,
                          "    return gradient_descent(lambda x: hessian @ x, x0, lr, t)[-1]\n"),
                    names=_FROM_SCRATCH),
        WrongAnswer("loops over the steps itself",
                    _edit("ex03_closed_form", _CLOSED_FORM,
                          "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                          "    for _ in range(t):\n        x = step @ x\n    return x\n"),
                    names="a loop over the steps"),
        WrongAnswer("eigen-decomposition with mu^t as exp(t log mu): nan for a negative factor",
                    _edit("ex03_closed_form", _CLOSED_FORM,
                          "    mu, q = torch.linalg.eigh(step)\n"
                          "    x = torch.as_tensor(x0, dtype=torch.float64)\n"
                          "    return q @ (torch.exp(t * torch.log(mu)) * (q.T @ x))\n"),
                    names="logarithms"),
    ],
    "ex04_sgd_schedules": [
        WrongAnswer("counts t from 0", _edit("ex04_sgd_schedules", "range(1, steps + 1)", "range(steps)"),
                    names="t - 1"),
        WrongAnswer("schedules evaluated at t - 1",
                    _edit("ex04_sgd_schedules", "math.exp(-0.1 * t)", "math.exp(-0.1 * (t - 1))",
                          "(1 + 0.1 * t) ** -0.5", "(1 + 0.1 * (t - 1)) ** -0.5"),
                    names="t counts updates from 1"),
        WrongAnswer("piecewise boundary with <",
                    _edit("ex04_sgd_schedules", "1.0 if t <= 300 else 0.1 if t <= 600",
                          "1.0 if t < 300 else 0.1 if t < 600"),
                    names="boundary on the wrong side"),
        WrongAnswer("polynomial with alpha = 1",
                    _edit("ex04_sgd_schedules", "(1 + 0.1 * t) ** -0.5", "(1 + 0.1 * t) ** -1"),
                    names="alpha = 1"),
        WrongAnswer("adds the noise to x instead of the gradient",
                    _edit("ex04_sgd_schedules", _SGD_STEP, "x = x - eta * lr_schedule(t) * curvature * x + noise"),
                    names="added the noise to x"),
        WrongAnswer("forgets eta",
                    _edit("ex04_sgd_schedules", _SGD_STEP, "x = x - lr_schedule(t) * (curvature * x + noise)"),
                    names="left eta out"),
        WrongAnswer("draws the noise per coordinate in a different order (two calls)",
                    _edit("ex04_sgd_schedules", _NOISE,
                          "noise = torch.stack([torch.randn(x.shape[:-1], generator=generator, dtype=x.dtype)\n"
                          "                             for _ in range(2)], -1)"),
                    names="Draw the noise once per update"),
        WrongAnswer("exponential_lr read off torch.optim.lr_scheduler.ExponentialLR",
                    _edit("ex04_sgd_schedules", "    return math.exp(-0.1 * t)\n",
                          "    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)\n"
                          "    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=math.exp(-0.1))\n"
                          "    for _ in range(t):\n"
                          "        optimizer.step()\n"
                          "        scheduler.step()\n"
                          "    return optimizer.param_groups[0]['lr']\n"),
                    names=_FROM_SCRATCH),
        WrongAnswer("piecewise_constant_lr read off MultiStepLR through course_utils.lr_sequence",
                    _edit("ex04_sgd_schedules", "    return 1.0 if t <= 300 else 0.1 if t <= 600 else 0.01\n",
                          "    multistep = lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [300, 600], 0.1)\n"
                          "    rates = cu.lr_sequence(multistep, t, base_lr=1.0)\n"
                          "    return rates[t - 1]\n"),
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
                    "import sys\n" + _edit("ex04_sgd_schedules", "    x = torch.as_tensor",
                                           "    sys.setprofile(None)\n    x = torch.as_tensor"),
                    names=_SWITCHED_OFF),
        WrongAnswer("noisy_sgd in float32",
                    _edit("ex04_sgd_schedules", "x = torch.as_tensor(x0, dtype=torch.float64)",
                          "x = torch.as_tensor(x0, dtype=torch.float32)",
                          "curvature = torch.tensor([2.0, 4.0], dtype=torch.float64)",
                          "curvature = torch.tensor([2.0, 4.0], dtype=torch.float32)"),
                    names="must work in float64"),
        WrongAnswer("noise added to x, with the checking helpers patched to pass",
                    _edit("ex04_sgd_schedules", _SGD_STEP, "x = x - eta * lr_schedule(t) * curvature * x + noise")
                    + "\ncu.assert_close = assert_close = lambda *args, **kwargs: None\n",
                    names="the checking helpers were replaced"),
        WrongAnswer("updates the rate after the step (update t uses s(t - 1))",
                    _edit("ex04_sgd_schedules", "    for t in range(1, steps + 1):\n",
                          "    rate = lr_schedule(1)\n    for t in range(1, steps + 1):\n",
                          f"        {_SGD_STEP}\n",
                          "        x = x - eta * rate * (curvature * x + noise)\n        rate = lr_schedule(t)\n"),
                    names="previous update's rate"),
        WrongAnswer("updates the caller's float64 x0 in place",
                    _edit("ex04_sgd_schedules", _SGD_STEP, "x -= eta * lr_schedule(t) * (curvature * x + noise)"),
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
    ],
    "ex05_minibatch": [
        WrongAnswer("floor instead of ceil",
                    _edit("ex05_minibatch", "n // batch_size if drop_last else math.ceil(n / batch_size)",
                          "n // batch_size"),
                    names="floor(n / b) per epoch"),
        WrongAnswer("forgets the epochs", _edit("ex05_minibatch", "return epochs * per_epoch", "return per_epoch"),
                    names="multiply by the number of epochs"),
        WrongAnswer("compares (b, 1) predictions with (b,) targets",
                    _edit("ex05_minibatch", "F.mse_loss(model(xb).squeeze(1), yb)", "F.mse_loss(model(xb), yb)"),
                    names="broadcasts to (b, b)"),
        WrongAnswer("forgets zero_grad", _edit("ex05_minibatch", "            optimizer.zero_grad()\n", ""),
                    names="zero_grad"),
        WrongAnswer("records one loss per epoch",
                    _edit("ex05_minibatch", "            losses.append(loss.item())\n",
                          "        losses.append(loss.item())\n"),
                    names="one loss per optimizer step"),
        WrongAnswer("num_updates read off len(DataLoader)",
                    _edit("ex05_minibatch",
                          "    per_epoch = n // batch_size if drop_last else math.ceil(n / batch_size)\n",
                          "    per_epoch = len(DataLoader(range(n), batch_size=batch_size, drop_last=drop_last))\n"),
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
        WrongAnswer("keeps the loss tensors (with their graphs) in losses",
                    _edit("ex05_minibatch", "losses.append(loss.item())", "losses.append(loss)"),
                    names="Python floats"),
        WrongAnswer("does not shuffle", _edit("ex05_minibatch", "shuffle=True", "shuffle=False"),
                    names="did not shuffle"),
        WrongAnswer("shuffles with the global random state (no generator)",
                    _edit("ex05_minibatch", ",\n                        generator=torch.Generator().manual_seed(seed))",
                          ")"),
                    names="global random state"),
        WrongAnswer("does not seed the model", _edit("ex05_minibatch", "    torch.manual_seed(seed)\n", ""),
                    names="initial weights"),
        WrongAnswer("seeds with the notebook's SEED instead of the argument",
                    _edit("ex05_minibatch", "torch.manual_seed(seed)", "torch.manual_seed(SEED)",
                          "Generator().manual_seed(seed)", "Generator().manual_seed(SEED)"),
                    names="fixed SEED = 0"),
        WrongAnswer("records the minibatch loss after optimizer.step()",
                    _edit("ex05_minibatch", _STEP, _STEP + "            loss = F.mse_loss(model(xb).squeeze(1), yb)\n"),
                    names="after optimizer.step()"),
        WrongAnswer("records the full-data loss",
                    _edit("ex05_minibatch", _STEP, _STEP + "            loss = F.mse_loss(model(x).squeeze(1), y)\n"),
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
    ],
}


def _steps(value: str) -> str:
    return _edit("ex06_predict_flat_direction", "return 90", f"return {value}")


BANK["ex06_predict_flat_direction"] = [
    WrongAnswer("follows the steep direction (one step)", _steps("1"), names="steep direction"),
    WrongAnswer("takes the coefficient 0.1 for the curvature", _steps("182"), names="coefficient 0.1"),
    WrongAnswer("rounds down (89)", _steps("89"), names="one step early"),
    WrongAnswer("uses the exponential approximation", _steps("93"), names="approximation"),
    WrongAnswer("uses the stability limit 0.5 as the rate", _steps("44"), names="stability limit"),
    WrongAnswer("returns the number as a string", _steps("'90'"), names="must return a number"),
    WrongAnswer("an unexplained number", _steps("20"), names="to the power t"),
]


def _farthest(value: str) -> str:
    return _edit("ex07_predict_farthest_schedule", 'return "exponential"', f"return {value}")


BANK["ex07_predict_farthest_schedule"] = [
    WrongAnswer("the constant rate (it never removes the noise floor)", _farthest("'constant'"),
                names="picked the constant rate"),
    WrongAnswer("the polynomial decay", _farthest("'polynomial_lr'"), names="picked the polynomial decay"),
    WrongAnswer("the piecewise-constant schedule", _farthest("'Piecewise constant'"),
                names="picked the piecewise-constant schedule"),
    WrongAnswer("not one of the four names", _farthest("'the fastest decay'"), names="must return one of"),
]
