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
                    _edit("ex02_sgd", 'state["momentum_buffer"].mul_(group["momentum"]).add_(g, alpha=1 - group["dampening"])',
                          'state["momentum_buffer"].mul_(group["momentum"]).add_(g, alpha=1 - group["momentum"])'),
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
                    _edit("ex04_adam", "    decoupled_weight_decay = True\n", "    decoupled_weight_decay = False\n"),
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
                    _edit("ex04_adam", "weight_decay=1e-2, amsgrad=False):\n        super()", "weight_decay=0.0, amsgrad=False):\n        super()"),
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
                    _edit("ex05_param_groups", '"weight_decay": 0.0 if is_bias else weight_decay', '"weight_decay": weight_decay'),
                    names="you put weight decay on a bias"),
        WrongAnswer("relies on the optimizer's default lr",
                    _edit("ex05_param_groups", '[{"params": params, "lr": first_layer_lr if is_first else lr, ',
                          '[{"params": params, **({"lr": first_layer_lr} if is_first else {}), '),
                    names="you left 'lr' out of a group"),
        WrongAnswer("first layer's bias gets the base lr",
                    _edit("ex05_param_groups", "key = (id(p) in first_ids, name.endswith(\"bias\"))",
                          "key = (id(p) in first_ids and not name.endswith(\"bias\"), name.endswith(\"bias\"))"),
                    names="you gave the first layer's rate"),
        WrongAnswer("forgets the other layers' weights",
                    _edit("ex05_param_groups", "        groups.setdefault(key, []).append(p)",
                          "        if key != (False, False):\n            groups.setdefault(key, []).append(p)"),
                    names="parameters missing"),
    ],
}
