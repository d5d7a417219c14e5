"""Plausible wrong answers for 04 Momentum and adaptive methods. Each must fail at least one test cell of its
exercise; ``names`` is text the failure message must contain (the misconception, named for the learner)."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "04_adaptive_methods")


BANK = {
    "ex01_ema": [
        WrongAnswer("beta weights the new value", _edit("ex01_ema", "out.append(beta * out[-1] + (1 - beta) * x)",
                                                        "out.append((1 - beta) * out[-1] + beta * x)"),
                    names="beta is the weight of the old average"),
        WrongAnswer("no bias correction", _edit("ex01_ema", "out.append(s / (1 - beta ** t))", "out.append(s)"),
                    names="no bias correction"),
        WrongAnswer("correction with t + 1", _edit("ex01_ema", "out.append(s / (1 - beta ** t))", "out.append(s / (1 - beta ** (t + 1)))"),
                    names="1 - beta^(t+1)"),
        WrongAnswer("corrects the running state", _edit("ex01_ema", "        out.append(s / (1 - beta ** t))",
                                                        "        s = s / (1 - beta ** t)\n        out.append(s)"),
                    names="corrected running state"),
        WrongAnswer("ema started at 0", _edit("ex01_ema", "    out = [values[0]]\n    for x in values[1:]:",
                                              "    out = [(1 - beta) * values[0]]\n    for x in values[1:]:"),
                    names="started at 0"),
    ],
    "ex02_sgd": [
        WrongAnswer("dampening on the first step", _edit("ex02_sgd", 'state["momentum_buffer"] = g.clone()',
                                                         'state["momentum_buffer"] = (1 - group["dampening"]) * g'),
                    names="dampening applied on the first step"),
        WrongAnswer("EMA-convention momentum",
                    _edit("ex02_sgd", 'state["momentum_buffer"].mul_(group["momentum"]).add_(g, alpha=1 - group["dampening"])',
                          'state["momentum_buffer"].mul_(group["momentum"]).add_(g, alpha=1 - group["momentum"])'),
                    names="the EMA convention"),
        WrongAnswer("Nesterov ignored", _edit("ex02_sgd", 'g = g + group["momentum"] * buf if group["nesterov"] else buf', "g = buf"),
                    names="Nesterov ignored"),
        WrongAnswer("weight decay ignored", _edit("ex02_sgd", 'g = g + group["weight_decay"] * p', "pass"),
                    names="weight decay ignored"),
        WrongAnswer("state kept in a Python attribute (lost by state_dict)",
                    _edit("ex02_sgd", "                    state = self.state[p]\n",
                          "                    state = self.__dict__.setdefault('_buffers_', {}).setdefault(id(p), {})\n"),
                    names="resumed from a state_dict"),
        WrongAnswer("accepts Nesterov without momentum",
                    _edit("ex02_sgd", 'if nesterov and (momentum <= 0 or dampening != 0):', "if False:"),
                    names="should raise ValueError"),
        WrongAnswer("delegates to torch.optim.SGD",
                    "class SGD(torch.optim.SGD):\n    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):\n"
                    "        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,"
                    " weight_decay=weight_decay)\n",
                    names="must be written from scratch"),
    ],
    "ex03_rmsprop": [
        WrongAnswer("eps inside the square root", _edit("ex03_rmsprop", 'square_avg.sqrt().add_(group["eps"])',
                                                        'square_avg.add(group["eps"]).sqrt()'),
                    names="eps inside the square root"),
        WrongAnswer("alpha and 1 - alpha swapped",
                    _edit("ex03_rmsprop", 'square_avg.mul_(group["alpha"]).addcmul_(g, g, value=1 - group["alpha"])',
                          'square_avg.mul_(1 - group["alpha"]).addcmul_(g, g, value=group["alpha"])'),
                    names="alpha weighting the new squared gradient"),
        WrongAnswer("no square root", _edit("ex03_rmsprop", 'square_avg.sqrt().add_(group["eps"])', 'square_avg.add(group["eps"])'),
                    names="no square root"),
        WrongAnswer("Adam-style bias correction",
                    _edit("ex03_rmsprop", 'p.addcdiv_(g, square_avg.sqrt().add_(group["eps"]), value=-group["lr"])',
                          'p.addcdiv_(g, (square_avg / (1 - group["alpha"] ** state["step"])).sqrt().add_(group["eps"]),'
                          ' value=-group["lr"])'),
                    names="bias correction"),
        WrongAnswer("delegates to torch.optim.RMSprop",
                    "class RMSprop(torch.optim.RMSprop):\n    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):\n"
                    "        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay)\n",
                    names="must be written from scratch"),
    ],
    "ex04_adam": [
        WrongAnswer("no bias correction",
                    _edit("ex04_adam", 'denom = (second.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])\n'
                          '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"] / (1 - beta1 ** t))',
                          'denom = second.sqrt().add_(group["eps"])\n'
                          '                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"])'),
                    names="without bias correction"),
        WrongAnswer("t counted from 0", _edit("ex04_adam", 't = state["step"]\n', 't = state["step"] - 1\n'),
                    names="t counted from 0"),
        WrongAnswer("eps inside the square root",
                    _edit("ex04_adam", 'denom = (second.sqrt() / math.sqrt(1 - beta2 ** t)).add_(group["eps"])',
                          'denom = (second / (1 - beta2 ** t) + group["eps"]).sqrt()'),
                    names="eps inside the square root"),
        WrongAnswer("AdamW with L2 instead of decoupled decay",
                    _edit("ex04_adam", "    decoupled_weight_decay = True\n", "    decoupled_weight_decay = False\n"),
                    names="L2 weight decay (added to the gradient)"),
        WrongAnswer("AMSGrad over the bias-corrected v",
                    _edit("ex04_adam", 'torch.maximum(state["max_exp_avg_sq"], second, out=state["max_exp_avg_sq"])\n'
                          '                    second = state["max_exp_avg_sq"]',
                          'torch.maximum(state["max_exp_avg_sq"], second / (1 - beta2 ** t), out=state["max_exp_avg_sq"])\n'
                          '                    second = state["max_exp_avg_sq"] * (1 - beta2 ** t)'),
                    names="AMSGrad's maximum taken over the bias-corrected"),
        WrongAnswer("beta1 and 1 - beta1 swapped",
                    _edit("ex04_adam", 'state["exp_avg"].mul_(beta1).add_(g, alpha=1 - beta1)',
                          'state["exp_avg"].mul_(1 - beta1).add_(g, alpha=beta1)'),
                    names="beta1 weighting the new gradient"),
        WrongAnswer("AdamW with Adam's default weight decay",
                    _edit("ex04_adam", "weight_decay=1e-2, amsgrad=False):\n        super()", "weight_decay=0.0, amsgrad=False):\n        super()"),
                    names="AdamW's default weight_decay"),
        WrongAnswer("delegates to torch.optim.Adam",
                    "class Adam(torch.optim.Adam):\n    pass\n\nclass AdamW(torch.optim.AdamW):\n    pass\n",
                    names="must be written from scratch"),
    ],
    "ex05_param_groups": [
        WrongAnswer("weight decay on the biases too",
                    _edit("ex05_param_groups", '"weight_decay": 0.0 if is_bias else weight_decay', '"weight_decay": weight_decay'),
                    names="weight decay on a bias"),
        WrongAnswer("relies on the optimizer's default lr",
                    _edit("ex05_param_groups", '[{"params": params, "lr": first_layer_lr if is_first else lr, ',
                          '[{"params": params, **({"lr": first_layer_lr} if is_first else {}), '),
                    names="set 'lr' explicitly"),
        WrongAnswer("first layer's bias gets the base lr",
                    _edit("ex05_param_groups", "key = (id(p) in first_ids, name.endswith(\"bias\"))",
                          "key = (id(p) in first_ids and not name.endswith(\"bias\"), name.endswith(\"bias\"))"),
                    names="the first layer's rate"),
        WrongAnswer("forgets the other layers' weights",
                    _edit("ex05_param_groups", "        groups.setdefault(key, []).append(p)",
                          "        if key != (False, False):\n            groups.setdefault(key, []).append(p)"),
                    names="parameters missing"),
    ],
}
