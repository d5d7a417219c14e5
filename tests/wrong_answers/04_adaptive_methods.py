"""Plausible wrong answers for 04 Momentum and adaptive methods. Each must fail at least one test cell of its
exercise; ``names`` is text the failure message must contain (the misconception, named for the learner)."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "04_adaptive_methods")


# ------------------------------------------------------------------ routes around "write it from scratch"
_EMA = _edit("ex01_ema")  # the reference answer, used where a wrong answer replaces only one of the functions
_EMA_FIRST = _EMA[:_EMA.index("def ema_bias_corrected")]
_EMA_CORRECTED_HEAD = ("def ema_bias_corrected(values, beta):\n"
                       "    values = torch.as_tensor(values, dtype=torch.float64)\n")

_SGD_INIT = _edit("ex02_sgd").split("    @torch.no_grad()")[0]
_SGD_FUNCTIONAL_STEP = """    @torch.no_grad()
    def step(self, closure=None):
        from torch.optim.sgd import sgd
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            buffers = [self.state[p].get("momentum_buffer") for p in params]
            sgd(params, [p.grad for p in params], buffers, weight_decay=group["weight_decay"],
                momentum=group["momentum"], lr=group["lr"], dampening=group["dampening"],
                nesterov=group["nesterov"], maximize=False)
            if group["momentum"]:
                for p, buffer in zip(params, buffers):
                    self.state[p]["momentum_buffer"] = buffer
"""

_RMSPROP_INIT = _edit("ex03_rmsprop").split("    @torch.no_grad()")[0]
_RMSPROP_FUNCTIONAL_STEP = """    @torch.no_grad()
    def step(self, closure=None):
        from torch.optim.rmsprop import rmsprop
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                if not self.state[p]:
                    self.state[p].update(step=torch.tensor(0.0), square_avg=torch.zeros_like(p))
            rmsprop(params, [p.grad for p in params], [self.state[p]["square_avg"] for p in params], [], [],
                    [self.state[p]["step"] for p in params], lr=group["lr"], alpha=group["alpha"],
                    eps=group["eps"], weight_decay=group["weight_decay"], momentum=0.0, centered=False)
"""

_ADAM_HEAD = _edit("ex04_adam").split("    @torch.no_grad()")[0] + """    @torch.no_grad()
    def step(self, closure=None):
        from torch.optim import adam as adam_module
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                if not self.state[p]:
                    self.state[p].update(step=torch.tensor(0.0), exp_avg=torch.zeros_like(p),
                                         exp_avg_sq=torch.zeros_like(p), max_exp_avg_sq=torch.zeros_like(p))
            states = [self.state[p] for p in params]
            lists = (params, [p.grad for p in params], [s["exp_avg"] for s in states],
                     [s["exp_avg_sq"] for s in states], [s["max_exp_avg_sq"] for s in states],
                     [s["step"] for s in states])
            options = dict(amsgrad=group["amsgrad"], beta1=group["betas"][0], beta2=group["betas"][1],
                           lr=group["lr"], weight_decay=group["weight_decay"], eps=group["eps"], maximize=False)
"""
_ADAMW = """

class AdamW(Adam):
    decoupled_weight_decay = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
"""

_PRIVATE_ADAM_ARGUMENTS = ("\n                *lists, None, None, **options, has_complex=False, capturable=False,\n"
                           "                differentiable=False, decoupled_weight_decay=self.decoupled_weight_decay)\n")


def _adam_calling(call: str) -> str:
    """An Adam/AdamW pair whose step hands its lists to ``call`` (12 spaces of indentation)."""
    return _ADAM_HEAD + call + _ADAMW


BANK = {
    "ex01_ema": [
        WrongAnswer("beta weights the new value", _edit("ex01_ema", "out.append(beta * out[-1] + (1 - beta) * x)",
                                                        "out.append((1 - beta) * out[-1] + beta * x)"),
                    names="you weighted the new value by beta"),
        WrongAnswer("no bias correction", _edit("ex01_ema", "out.append(s / (1 - beta ** t))", "out.append(s)"),
                    names="you left out the bias correction"),
        WrongAnswer("correction with t + 1", _edit("ex01_ema", "out.append(s / (1 - beta ** t))", "out.append(s / (1 - beta ** (t + 1)))"),
                    names="you divided by 1 - beta^(t+1)"),
        WrongAnswer("corrects the running state", _edit("ex01_ema", "        out.append(s / (1 - beta ** t))",
                                                        "        s = s / (1 - beta ** t)\n        out.append(s)"),
                    names="you fed the corrected value back into the running state"),
        WrongAnswer("ema started at 0", _edit("ex01_ema", "    out = [values[0]]\n    for x in values[1:]:",
                                              "    out = [(1 - beta) * values[0]]\n    for x in values[1:]:"),
                    names="you started ema at 0"),
        WrongAnswer("EMA through torch.optim.swa_utils.get_ema_avg_fn",
                    _EMA_FIRST + _EMA_CORRECTED_HEAD
                    + "    update = torch.optim.swa_utils.get_ema_avg_fn(beta)\n"
                      "    s, out = torch.zeros((), dtype=torch.float64), []\n"
                      "    for t, x in enumerate(values, start=1):\n"
                      "        s = update(s, x, t)\n"
                      "        out.append(s / (1 - beta ** t))\n"
                      "    return torch.stack(out)\n",
                    names="must be written from scratch"),
        WrongAnswer("EMA read from Adam's exp_avg",
                    _EMA_FIRST + _EMA_CORRECTED_HEAD
                    + "    p = torch.nn.Parameter(torch.zeros((), dtype=torch.float64))\n"
                      "    optimizer = torch.optim.Adam([p], lr=0.0, betas=(beta, 0.999))\n"
                      "    out = []\n"
                      "    for t, x in enumerate(values, start=1):\n"
                      "        p.grad = x.clone()\n"
                      "        optimizer.step()\n"
                      "        out.append(optimizer.state[p]['exp_avg'].clone() / (1 - beta ** t))\n"
                      "    return torch.stack(out)\n",
                    names="must be written from scratch"),
        WrongAnswer("EMA steps with torch._foreach_lerp_",
                    _EMA_FIRST + _EMA_CORRECTED_HEAD
                    + "    s, out = torch.zeros((), dtype=torch.float64), []\n"
                      "    for t, x in enumerate(values, start=1):\n"
                      "        torch._foreach_lerp_([s], [x], 1 - beta)\n"
                      "        out.append(s / (1 - beta ** t))\n"
                      "    return torch.stack(out)\n",
                    names="must be written from scratch"),
        WrongAnswer("bias-corrected EMA computed in float32",
                    _edit("ex01_ema", "    values = torch.as_tensor(values, dtype=torch.float64)\n"
                                      "    s, out = torch.zeros((), dtype=torch.float64), []",
                          "    values = torch.as_tensor(values, dtype=torch.float32)\n"
                          "    s, out = torch.zeros(()), []",
                          "        out.append(s / (1 - beta ** t))\n    return torch.stack(out)",
                          "        out.append(s / (1 - beta ** t))\n    return torch.stack(out).double()"),
                    names="float32 arithmetic"),
    ],
    "ex02_sgd": [
        WrongAnswer("dampening on the first step", _edit("ex02_sgd", 'state["momentum_buffer"] = g.clone()',
                                                         'state["momentum_buffer"] = (1 - group["dampening"]) * g'),
                    names="you applied dampening on the first step"),
        WrongAnswer("EMA-convention momentum",
                    _edit("ex02_sgd", 'buffer.mul_(group["momentum"]).add_(g, alpha=1 - group["dampening"])',
                          'buffer.mul_(group["momentum"]).add_(g, alpha=1 - group["momentum"])'),
                    names="you used the EMA convention"),
        WrongAnswer("Nesterov ignored", _edit("ex02_sgd", 'g = g + group["momentum"] * buf if group["nesterov"] else buf', "g = buf"),
                    names="you ignored nesterov=True"),
        WrongAnswer("weight decay ignored", _edit("ex02_sgd", 'g = g + group["weight_decay"] * p', "pass"),
                    names="you ignored weight_decay"),
        WrongAnswer("state kept in a Python attribute (lost by state_dict)",
                    _edit("ex02_sgd", "                    state = self.state[p]\n",
                          "                    state = self.__dict__.setdefault('_buffers_', {}).setdefault(id(p), {})\n"),
                    names="resumed from a state_dict"),
        WrongAnswer("accepts Nesterov without momentum",
                    _edit("ex02_sgd", 'if nesterov and (momentum <= 0 or dampening != 0):', "if False:"),
                    names="expected ValueError (nesterov=True without momentum"),
        WrongAnswer("delegates to torch.optim.SGD",
                    "class SGD(torch.optim.SGD):\n    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):\n"
                    "        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,"
                    " weight_decay=weight_decay)\n",
                    names="must be written from scratch"),
        WrongAnswer("calls the functional torch.optim.sgd.sgd", _SGD_INIT + _SGD_FUNCTIONAL_STEP,
                    names="must be written from scratch"),
        WrongAnswer("steps with torch._foreach_* kernels", _SGD_INIT + """    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            grads = [p.grad for p in params]
            if group["weight_decay"]:
                grads = torch._foreach_add(grads, params, alpha=group["weight_decay"])
            if group["momentum"]:
                buffers = []
                for p, g in zip(params, grads):
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        torch._foreach_mul_([state["momentum_buffer"]], group["momentum"])
                        torch._foreach_add_([state["momentum_buffer"]], [g], alpha=1 - group["dampening"])
                    buffers.append(state["momentum_buffer"])
                grads = torch._foreach_add(grads, buffers, alpha=group["momentum"]) if group["nesterov"] else buffers
            torch._foreach_add_(params, grads, alpha=-group["lr"])
""", names="must be written from scratch"),
        WrongAnswer("steps with the torch._fused_sgd_ kernel", _SGD_INIT + """    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            buffers = [self.state[p].setdefault("momentum_buffer", torch.zeros_like(p)) for p in params]
            torch._fused_sgd_(params, [p.grad for p in params], buffers if group["momentum"] else [],
                              weight_decay=group["weight_decay"], momentum=group["momentum"], lr=group["lr"],
                              dampening=group["dampening"], nesterov=group["nesterov"], maximize=False,
                              is_first_step=False)
""", names="must be written from scratch"),
        WrongAnswer("switches the profiler off, then calls torch.optim.sgd.sgd",
                    _SGD_INIT + _SGD_FUNCTIONAL_STEP.replace("        from torch.optim.sgd import sgd\n",
                                                             "        import sys\n        sys.setprofile(None)\n"
                                                             "        from torch.optim.sgd import sgd\n"),
                    names="switched the checking off"),
    ],
    "ex03_rmsprop": [
        WrongAnswer("eps inside the square root", _edit("ex03_rmsprop", 'square_avg.sqrt().add_(group["eps"])',
                                                        'square_avg.add(group["eps"]).sqrt()'),
                    names="eps inside the square root"),
        WrongAnswer("alpha and 1 - alpha swapped",
                    _edit("ex03_rmsprop", 'square_avg.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])',
                          'square_avg.mul_(1 - group["alpha"]).addcmul_(g, g, value=group["alpha"])'),
                    names="you weighted the new squared gradient by alpha"),
        WrongAnswer("no square root", _edit("ex03_rmsprop", 'square_avg.sqrt().add_(group["eps"])', 'square_avg.add(group["eps"])'),
                    names="without its square root"),
        WrongAnswer("Adam-style bias correction",
                    _edit("ex03_rmsprop", 'p.addcdiv_(g, square_avg.sqrt().add_(group["eps"]), value=-group["lr"])',
                          'p.addcdiv_(g, (square_avg / (1 - group["alpha"] ** state["step"])).sqrt().add_(group["eps"]),'
                          ' value=-group["lr"])'),
                    names="you bias-corrected square_avg"),
        WrongAnswer("delegates to torch.optim.RMSprop",
                    "class RMSprop(torch.optim.RMSprop):\n    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):\n"
                    "        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay)\n",
                    names="must be written from scratch"),
        WrongAnswer("calls the functional torch.optim.rmsprop.rmsprop", _RMSPROP_INIT + _RMSPROP_FUNCTIONAL_STEP,
                    names="must be written from scratch"),
        WrongAnswer("leaves the dispatch mode, then calls the functional rmsprop",
                    _RMSPROP_INIT + _RMSPROP_FUNCTIONAL_STEP.replace(
                        "        for group in self.param_groups:\n",
                        "        from torch.utils._python_dispatch import _disable_current_modes\n"
                        "        with _disable_current_modes():\n"
                        "          for group in self.param_groups:\n"),
                    names="switched the checking off"),
        WrongAnswer("square_avg kept in float32", _edit("ex03_rmsprop", 'state["square_avg"] = torch.zeros_like(p)',
                                                        'state["square_avg"] = torch.zeros(p.shape)'),
                    names="float32 arithmetic"),
    ],
    "ex04_adam": [
        WrongAnswer("no bias correction",
                    _edit("ex04_adam", 'denom = (second.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])\n'
                          '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"] / (1 - beta1 ** t))',
                          'denom = second.sqrt().add_(group["eps"])\n'
                          '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"])'),
                    names="you left out the bias correction"),
        WrongAnswer("t counted from 0", _edit("ex04_adam", 't = state["step"]\n', 't = state["step"] - 1\n'),
                    names="you counted t from 0"),
        WrongAnswer("eps inside the square root",
                    _edit("ex04_adam", 'denom = (second.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])',
                          'denom = (second / (1 - beta2 ** t) + group["eps"]).sqrt()'),
                    names="eps inside the square root"),
        WrongAnswer("AdamW with L2 instead of decoupled decay",
                    _edit("ex04_adam", "self.decoupled_weight_decay = True", "self.decoupled_weight_decay = False"),
                    names="you applied AdamW's weight decay as L2"),
        WrongAnswer("AMSGrad over the bias-corrected v",
                    _edit("ex04_adam", 'torch.maximum(state["max_exp_avg_sq"], second, out=state["max_exp_avg_sq"])\n'
                          '                    second = state["max_exp_avg_sq"]',
                          'torch.maximum(state["max_exp_avg_sq"], second / (1 - beta2 ** t), out=state["max_exp_avg_sq"])\n'
                          '                    second = state["max_exp_avg_sq"] * (1 - beta2 ** t)'),
                    names="you took AMSGrad's maximum over the bias-corrected v_hat"),
        WrongAnswer("beta1 and 1 - beta1 swapped",
                    _edit("ex04_adam", 'state["exp_avg"].mul_(beta1).add_(g, alpha=1 - beta1)',
                          'state["exp_avg"].mul_(1 - beta1).add_(g, alpha=beta1)'),
                    names="you weighted the new gradient by beta1"),
        WrongAnswer("AdamW with Adam's default weight decay",
                    _edit("ex04_adam", "weight_decay=1e-2,", "weight_decay=0.0,"),
                    names="AdamW's default weight_decay"),
        WrongAnswer("delegates to torch.optim.Adam",
                    "class Adam(torch.optim.Adam):\n    pass\n\nclass AdamW(torch.optim.AdamW):\n    pass\n",
                    names="must be written from scratch"),
        WrongAnswer("calls the functional torch.optim.adam.adam",
                    _adam_calling("            adam_module.adam(*lists, **options,\n"
                                  "                             decoupled_weight_decay=self.decoupled_weight_decay)\n"),
                    names="must be written from scratch"),
        WrongAnswer("calls torch.optim.adam._single_tensor_adam",
                    _adam_calling("            adam_module._single_tensor_adam(" + _PRIVATE_ADAM_ARGUMENTS),
                    names="must be written from scratch"),
        WrongAnswer("calls torch.optim.adam._multi_tensor_adam",
                    _adam_calling("            adam_module._multi_tensor_adam(" + _PRIVATE_ADAM_ARGUMENTS),
                    names="must be written from scratch"),
        WrongAnswer("steps with the torch._fused_adam_ kernel",
                    _adam_calling("            for s in states:\n"
                                  "                s['step'] += 1\n"
                                  "            fused = torch._fused_adamw_ if self.decoupled_weight_decay else \\\n"
                                  "                torch._fused_adam_\n"
                                  "            if not group['amsgrad']:\n"
                                  "                lists = lists[:4] + ([],) + lists[5:]\n"
                                  "            fused(*lists, **options)\n"),
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off, then delegates to torch.optim.Adam",
                    "import sys\n\n\nclass Adam(torch.optim.Adam):\n"
                    "    def step(self, closure=None):\n"
                    "        sys.setprofile(None)\n"
                    "        return super().step(closure)\n\n\n"
                    "class AdamW(torch.optim.AdamW):\n"
                    "    def step(self, closure=None):\n"
                    "        sys.setprofile(None)\n"
                    "        return super().step(closure)\n",
                    names="switched the checking off"),
    ],
    "ex05_param_groups": [
        WrongAnswer("weight decay on the biases too",
                    _edit("ex05_param_groups", '"weight_decay": 0.0 if no_decay else weight_decay', '"weight_decay": weight_decay'),
                    names="you put weight decay on a bias"),
        WrongAnswer("relies on the optimizer's default lr",
                    _edit("ex05_param_groups", '[{"params": params, "lr": first_layer_lr if is_first else lr,',
                          '[{"params": params, **({"lr": first_layer_lr} if is_first else {}),'),
                    names="you left 'lr' out of a group"),
        WrongAnswer("first layer's bias gets the base lr",
                    _edit("ex05_param_groups", "key = (id(p) in first_ids, p.ndim <= 1)",
                          "key = (id(p) in first_ids and p.ndim > 1, p.ndim <= 1)"),
                    names="you gave the first layer's rate"),
        WrongAnswer("forgets the other layers' weights",
                    _edit("ex05_param_groups", "        groups.setdefault(key, []).append(p)",
                          "        if key != (False, False):\n            groups.setdefault(key, []).append(p)"),
                    names="parameters missing"),
    ],
}


# ------------------------------------------------------------------ issue 13: gaps closed, concept questions
_EMA_SECOND = _EMA[_EMA.index("def ema_bias_corrected"):]
_SGD = _edit("ex02_sgd")
_SGD_STEP_HEAD = _SGD_INIT + '''    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
'''

BANK["ex01_ema"] += [
    WrongAnswer("ema through pandas' Series.ewm (adjust=False)",
                "import pandas as pd\n\n\ndef ema(values, beta):\n"
                "    series = pd.Series(torch.as_tensor(values, dtype=torch.float64).tolist())\n"
                "    return torch.tensor(series.ewm(alpha=1 - beta, adjust=False).mean().tolist(),\n"
                "                        dtype=torch.float64)\n\n\n" + _EMA_SECOND,
                names="must be written from scratch"),
    WrongAnswer("bias-corrected EMA through pandas' Series.ewm (adjust=True)",
                _EMA_FIRST + "import pandas as pd\n\n\ndef ema_bias_corrected(values, beta):\n"
                "    series = pd.Series(torch.as_tensor(values, dtype=torch.float64).numpy())\n"
                "    return torch.tensor(series.ewm(alpha=1 - beta, adjust=True).mean().to_numpy())\n",
                names="must be written from scratch"),
    WrongAnswer("ema through scipy.signal.lfilter",
                "from scipy import signal\n\n\ndef ema(values, beta):\n"
                "    x = torch.as_tensor(values, dtype=torch.float64).tolist()\n"
                "    out, _ = signal.lfilter([1 - beta], [1, -beta], x[1:], zi=[beta * x[0]])\n"
                "    return torch.tensor([x[0], *out], dtype=torch.float64)\n\n\n" + _EMA_SECOND,
                names="must be written from scratch"),
    WrongAnswer("ema written in NumPy", "import numpy as np\n\n\ndef ema(values, beta):\n"
                "    x = np.asarray(values, dtype=np.float64)\n"
                "    out = [x[0]]\n    for v in x[1:]:\n        out.append(beta * out[-1] + (1 - beta) * v)\n"
                "    return torch.tensor(out, dtype=torch.float64)\n\n\n" + _EMA_SECOND,
                names="must be written from scratch"),
    WrongAnswer("t counted from 0 (tensor state: the first value is inf)",
                _edit("ex01_ema", "for t, x in enumerate(values, start=1):", "for t, x in enumerate(values):"),
                names="you counted t from 0"),
    WrongAnswer("t counted from 0 (float state: ZeroDivisionError)",
                _edit("ex01_ema", "    s, out = torch.zeros((), dtype=torch.float64), []\n"
                                  "    for t, x in enumerate(values, start=1):\n"
                                  "        s = beta * s + (1 - beta) * x\n",
                      "    s, out = 0.0, []\n    for t, x in enumerate(values.tolist()):\n"
                      "        s = beta * s + (1 - beta) * x\n",
                      "        out.append(s / (1 - beta ** t))\n    return torch.stack(out)",
                      "        out.append(s / (1 - beta ** t))\n    return torch.tensor(out, dtype=torch.float64)"),
                names="so you counted t from 0"),
]

BANK["ex02_sgd"] += [
    WrongAnswer("one lr for all groups (self.defaults['lr'])",
                _edit("ex02_sgd", 'p.add_(g, alpha=-group["lr"])', 'p.add_(g, alpha=-self.defaults["lr"])'),
                names="one lr for all groups"),
    WrongAnswer("momentum read from self.defaults",
                _edit("ex02_sgd", 'buffer.mul_(group["momentum"])', 'buffer.mul_(self.defaults["momentum"])'),
                names="you read momentum from self.defaults"),
    WrongAnswer("weight decay added in place into p.grad, first buffer without .clone()",
                _edit("ex02_sgd", 'g = g + group["weight_decay"] * p', 'g.add_(p, alpha=group["weight_decay"])',
                      'state["momentum_buffer"] = g.clone()', 'state["momentum_buffer"] = g'),
                names="step() changed p.grad"),
    WrongAnswer("first momentum buffer without .clone()",
                _edit("ex02_sgd", 'state["momentum_buffer"] = g.clone()', 'state["momentum_buffer"] = g'),
                names="is p.grad itself"),
    WrongAnswer("a missing gradient taken as zeros",
                _edit("ex02_sgd", "                if p.grad is None:\n                    continue\n"
                                  "                g = p.grad\n",
                      "                g = p.grad if p.grad is not None else torch.zeros_like(p)\n"),
                names="as if its gradient were zero"),
    WrongAnswer("parameters with an all-zero gradient skipped",
                _edit("ex02_sgd", "                if p.grad is None:\n",
                      "                if p.grad is None or not p.grad.any():\n"),
                names="you skipped a parameter whose gradient is all zeros"),
    WrongAnswer("the whole group read from self.defaults",
                _edit("ex02_sgd", '            for p in group["params"]:\n',
                      '            params, group = group["params"], self.defaults\n            for p in params:\n'),
                names="you read the hyperparameters from self.defaults"),
]

BANK["ex03_rmsprop"] += [
    WrongAnswer("no 'step' in the state",
                _edit("ex03_rmsprop", '                    state["step"] = 0\n', "",
                      '                state["step"] += 1\n', ""),
                names="has no 'step'"),
    WrongAnswer("alpha read from self.defaults",
                _edit("ex03_rmsprop", 'square_avg.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])',
                      'square_avg.mul_(self.defaults["alpha"]).addcmul_(g, g, value=1 - self.defaults["alpha"])'),
                names="you read alpha from self.defaults"),
    WrongAnswer("eps read from self.defaults",
                _edit("ex03_rmsprop", 'square_avg.sqrt().add_(group["eps"])', 'square_avg.sqrt().add_(self.defaults["eps"])'),
                names="you read eps from self.defaults"),
    WrongAnswer("weight decay added in place into p.grad",
                _edit("ex03_rmsprop", 'g = g + group["weight_decay"] * p', 'g.add_(p, alpha=group["weight_decay"])'),
                names="step() changed p.grad"),
    WrongAnswer("one step counter for all parameters",
                _edit("ex03_rmsprop", "        for group in self.param_groups:\n",
                      "        self.calls = getattr(self, 'calls', 0) + 1\n        for group in self.param_groups:\n",
                      '                state["step"] += 1\n', '                state["step"] = self.calls\n'),
                names="you counted the step() calls"),
    WrongAnswer("a missing gradient taken as zeros",
                _edit("ex03_rmsprop", "                if p.grad is None:\n                    continue\n"
                                      "                g = p.grad\n",
                      "                g = p.grad if p.grad is not None else torch.zeros_like(p)\n"),
                names="as if its gradient were zero"),
]

BANK["ex04_adam"] += [
    WrongAnswer("betas read from self.defaults",
                _edit("ex04_adam", 'beta1, beta2 = group["betas"]', 'beta1, beta2 = self.defaults["betas"]'),
                names="you read betas from self.defaults"),
    WrongAnswer("amsgrad read from self.defaults",
                _edit("ex04_adam", '                    if group["amsgrad"]:\n                        state["max_exp_avg_sq"]',
                      '                    if self.defaults["amsgrad"]:\n                        state["max_exp_avg_sq"]',
                      '                if group["amsgrad"]:\n                    torch.maximum',
                      '                if self.defaults["amsgrad"]:\n                    torch.maximum'),
                names="you read amsgrad from self.defaults"),
    WrongAnswer("eps and weight decay read from self.defaults",
                _edit("ex04_adam", '.add_(group["eps"])', '.add_(self.defaults["eps"])',
                      'g = g + group["weight_decay"] * p', 'g = g + self.defaults["weight_decay"] * p',
                      'if group["weight_decay"] != 0:', 'if self.defaults["weight_decay"] != 0:',
                      'p.mul_(1 - group["lr"] * group["weight_decay"])',
                      'p.mul_(1 - group["lr"] * self.defaults["weight_decay"])'),
                names="from self.defaults"),
    WrongAnswer("L2 decay added in place into p.grad",
                _edit("ex04_adam", 'g = g + group["weight_decay"] * p', 'g.add_(p, alpha=group["weight_decay"])'),
                names="step() changed p.grad"),
    WrongAnswer("AdamW applies both the decoupled decay and L2",
                _edit("ex04_adam", '                        p.mul_(1 - group["lr"] * group["weight_decay"])\n'
                                   '                    else:\n'
                                   '                        g = g + group["weight_decay"] * p\n',
                      '                        p.mul_(1 - group["lr"] * group["weight_decay"])\n'
                      '                    g = g + group["weight_decay"] * p\n'),
                names="you applied AdamW's weight decay twice"),
    WrongAnswer("AdamW decays after the Adam step",
                _edit("ex04_adam", '                        p.mul_(1 - group["lr"] * group["weight_decay"])\n'
                                   '                    else:\n'
                                   '                        g = g + group["weight_decay"] * p\n',
                      '                        pass\n                    else:\n'
                      '                        g = g + group["weight_decay"] * p\n',
                      '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"] / (1 - beta1 ** t))\n',
                      '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"] / (1 - beta1 ** t))\n'
                      '                if self.decoupled_weight_decay:\n'
                      '                    p.mul_(1 - group["lr"] * group["weight_decay"])\n'),
                names="you decayed the weights after the Adam step"),
    WrongAnswer("one step counter for all parameters",
                _edit("ex04_adam", "        for group in self.param_groups:\n",
                      "        self.calls = getattr(self, 'calls', 0) + 1\n        for group in self.param_groups:\n",
                      '                state["step"] += 1\n', '                state["step"] = self.calls\n'),
                names="one step counter for all parameters"),
    WrongAnswer("a missing gradient taken as zeros",
                _edit("ex04_adam", "                if p.grad is None:\n                    continue\n"
                                   "                g = p.grad\n",
                      "                g = p.grad if p.grad is not None else torch.zeros_like(p)\n"),
                names="as if its gradient were zero"),
]

_GROUPS_FIRST = "    first = next(m for m in model if any(True for _ in m.parameters()))\n"
BANK["ex05_param_groups"] += [
    WrongAnswer("model[0] taken as the first layer", _edit("ex05_param_groups", _GROUPS_FIRST, "    first = model[0]\n"),
                names="you took model[0]"),
    WrongAnswer("the first layer found by the name prefix '0.'",
                _edit("ex05_param_groups", "    for p in model.parameters():\n        key = (id(p) in first_ids,",
                      "    for name, p in model.named_parameters():\n        key = (name.startswith('0.'),"),
                names="the names starting with '0.'"),
    WrongAnswer("the example's numbers hard-coded",
                _edit("ex05_param_groups", '"lr": first_layer_lr if is_first else lr,', '"lr": 0.01 if is_first else 0.1,',
                      '"weight_decay": 0.0 if no_decay else weight_decay', '"weight_decay": 0.0 if no_decay else 5e-4'),
                names="you used the example's numbers"),
    WrongAnswer("only names ending in 'bias' exempted from decay",
                _edit("ex05_param_groups", "    for p in model.parameters():\n        key = (id(p) in first_ids, p.ndim <= 1)",
                      "    for name, p in model.named_parameters():\n"
                      "        key = (id(p) in first_ids, name.endswith('bias'))"),
                names="you exempted only the names ending in 'bias'"),
    WrongAnswer("one group per parameter",
                "def make_param_groups(model, lr, first_layer_lr, weight_decay):\n"
                "    first = next(m for m in model if any(True for _ in m.parameters()))\n"
                "    first_ids = {id(p) for p in first.parameters()}\n"
                "    return [{'params': [p], 'lr': first_layer_lr if id(p) in first_ids else lr,\n"
                "             'weight_decay': 0.0 if p.ndim <= 1 else weight_decay} for p in model.parameters()]\n",
                names="expected one group per (lr, weight_decay) combination"),
    WrongAnswer("always four groups, empty ones included",
                _edit("ex05_param_groups", "    groups = {}\n",
                      "    groups = {(a, b): [] for a in (True, False) for b in (True, False)}\n"),
                names="none empty"),
    WrongAnswer("every parameter in two groups",
                "def make_param_groups(model, lr, first_layer_lr, weight_decay):\n"
                "    first = next(m for m in model if any(True for _ in m.parameters()))\n"
                "    rest = [p for m in model if m is not first for p in m.parameters()]\n"
                "    return [{'params': list(first.parameters()), 'lr': first_layer_lr, 'weight_decay': 0.0},\n"
                "            {'params': rest, 'lr': lr, 'weight_decay': 0.0},\n"
                "            {'params': [p for p in model.parameters() if p.ndim > 1], 'lr': lr,\n"
                "             'weight_decay': weight_decay}]\n",
                names="torch.optim.SGD rejected your groups"),
]

_Q1 = "def predicted_x_after_three_steps():\n    return {}\n"
BANK["ex06_predict_momentum"] = [
    WrongAnswer("no momentum (three plain steps)", _Q1.format(-0.3), names="you left the momentum out"),
    WrongAnswer("EMA convention from 0", _Q1.format(-0.0561), names="you used the EMA convention"),
    WrongAnswer("the long-run step from the start", _Q1.format(-3.0), names="you took the long-run step"),
    WrongAnswer("only the third step", _Q1.format(-0.271), names="you counted only the third step"),
    WrongAnswer("Nesterov's look-ahead", _Q1.format(-0.8049), names="(Nesterov)"),
    WrongAnswer("a string", _Q1.format("'-0.561'"), names="must return a number"),
]

_Q2 = "def predicted_adam_l2_first_step():\n    return {}\n"
BANK["ex07_predict_adam_l2"] = [
    WrongAnswer("SGD's shrink factor", _Q2.format(0.999), names="you shrank x by lr * weight_decay"),
    WrongAnswer("no step without a loss gradient", _Q2.format(1.0), names="you expected no step"),
    WrongAnswer("without bias correction", _Q2.format(0.9684), names="you left out the bias correction"),
    WrongAnswer("decay without the learning rate", _Q2.format(0.9), names="without the learning rate"),
    WrongAnswer("an answer left as None", _Q2.format(None), names="must return a number"),
]
