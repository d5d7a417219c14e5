"""Stored expected values for 04 Momentum and adaptive methods (written by ``python -m tools.expected_values``).

The visible tests of the notebook compare a learner's optimizer with ``torch.optim`` on a scripted run (one
parameter of 6 values, 30 fixed gradients, recorded here) and name a misconception by the final parameters it
produces; the EMA tests compare with the values below. The update rules that produce those values, right and
wrong, live only in this file and in the notebook's hidden tests. Every correct rule is checked against
``torch.optim`` here, so a stored misconception differs from the right answer by exactly its mistake.
"""

from __future__ import annotations

import math

import torch

STEPS = 30
SIZE = 6


# ----------------------------------------------------------------------------------------------- EMA (ex01)
def _ema(values, beta, start_at_zero=False, correct=False, t_offset=0, correct_state=False, swapped=False):
    """EMA of ``values`` in float64; ``swapped`` weights the new value by beta, the rest are the variants."""
    weight = 1 - beta if swapped else beta
    s, out = (0.0 if start_at_zero else None), []
    for t, x in enumerate(values.tolist(), start=1):
        s = x if s is None else weight * s + (1 - weight) * x
        if correct_state:
            s = s / (1 - beta ** t)
            out.append(s)
        elif correct:
            denominator = 1 - beta ** (t - t_offset)
            out.append(s / denominator if denominator else math.copysign(math.inf, s))
        else:
            out.append(s)
    return torch.tensor(out, dtype=torch.float64)


def _ema_cases() -> dict:
    seed_values = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    noisy = 3.0 + torch.randn(30, generator=torch.Generator().manual_seed(0))
    cases = {}
    for label, values, beta in [("seed example", seed_values, 0.1), ("seed example", seed_values, 0.9),
                                ("noisy data", noisy, 0.9)]:
        cases[f"ema, {label}, beta={beta}"] = {
            "function": "ema", "inputs": {"values": values, "beta": beta}, "expected": _ema(values, beta),
            "wrong": {
                "you weighted the new value by beta (and the old average by 1 - beta)":
                    _ema(values, beta, swapped=True),
                "you started ema at 0 instead of at the first value": _ema(values, beta, start_at_zero=True),
                "you started at 0 and bias-corrected: that is ema_bias_corrected, not ema":
                    _ema(values, beta, start_at_zero=True, correct=True),
            }}
    for beta in (0.5, 0.9, 0.99):
        corrected = dict(start_at_zero=True, correct=True)
        cases[f"ema_bias_corrected, noisy data, beta={beta}"] = {
            "function": "ema_bias_corrected", "inputs": {"values": noisy, "beta": beta},
            "expected": _ema(noisy, beta, **corrected),
            "wrong": {
                "you left out the bias correction": _ema(noisy, beta, start_at_zero=True),
                "you divided by 1 - beta^(t+1): your t is one ahead": _ema(noisy, beta, **corrected, t_offset=-1),
                "you counted t from 0: 1 - beta^0 = 0 at the first value": _ema(noisy, beta, **corrected, t_offset=1),
                "you fed the corrected value back into the running state":
                    _ema(noisy, beta, start_at_zero=True, correct_state=True),
                "you weighted the new value by beta (and the old average by 1 - beta)":
                    _ema(noisy, beta, **corrected, swapped=True),
                "you started at the first value instead of at 0": _ema(noisy, beta),
            }}
    return cases


# -------------------------------------------------------------------------------------- scripted runs (ex02-04)
def _scripted_run(seed: int = 0) -> dict:
    """The starting parameter and the 30 gradients that every scripted case applies (times its scale)."""
    generator = torch.Generator().manual_seed(seed)
    p0 = torch.randn(SIZE, generator=generator, dtype=torch.float64)
    gradients = torch.stack([torch.randn(SIZE, generator=generator, dtype=torch.float64) for _ in range(STEPS)])
    return {"p0": p0, "gradients": gradients}


def _run_rule(run: dict, update, scale: float) -> torch.Tensor:
    """Final parameters of the scripted run under ``update(p, g, state, t) -> new p``."""
    p, state = run["p0"].clone(), {}
    for t, g in enumerate(run["gradients"], start=1):
        p = update(p, scale * g, state, t)
    return p


def _run_torch(run: dict, make_optimizer, scale: float) -> torch.Tensor:
    p = torch.nn.Parameter(run["p0"].clone())
    optimizer = make_optimizer([p])
    for g in run["gradients"]:
        p.grad = scale * g
        optimizer.step()
    return p.detach()


def _sgd_rule(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, damp_first=False,
              decoupled=False):
    def update(p, g, state, t):
        if weight_decay and not decoupled:
            g = g + weight_decay * p
        if momentum:
            buf = state.get("buf")
            if buf is None:
                state["buf"] = (1 - dampening) * g if damp_first else g
            else:
                state["buf"] = momentum * buf + (1 - dampening) * g
            g = g + momentum * state["buf"] if nesterov else state["buf"]
        if decoupled:
            p = p * (1 - lr * weight_decay)
        return p - lr * g
    return update


def _rmsprop_rule(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, eps_inside=False, swapped=False,
                  no_sqrt=False, bias_correction=False):
    def update(p, g, state, t):
        if weight_decay:
            g = g + weight_decay * p
        a = 1 - alpha if swapped else alpha
        state["s"] = a * state.get("s", torch.zeros_like(p)) + (1 - a) * g * g
        s = state["s"] / (1 - alpha ** t) if bias_correction else state["s"]
        denom = (s + eps).sqrt() if eps_inside else s + eps if no_sqrt else s.sqrt() + eps
        return p - lr * g / denom
    return update


def _adam_rule(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False,
               bias_correction=True, t_offset=0, eps_inside=False, max_of_corrected=False, beta1_swapped=False,
               decay_after=False, both=None):
    beta1, beta2 = betas

    def update(p, g, state, t):
        if weight_decay and (not decoupled or both == "L2 first"):
            g = g + weight_decay * p
        if weight_decay and decoupled and not decay_after:
            p = p * (1 - lr * weight_decay)
        if weight_decay and decoupled and both == "decay first":
            g = g + weight_decay * p
        b1 = 1 - beta1 if beta1_swapped else beta1
        state["m"] = b1 * state.get("m", torch.zeros_like(p)) + (1 - b1) * g
        state["v"] = beta2 * state.get("v", torch.zeros_like(p)) + (1 - beta2) * g * g
        step = t - t_offset
        c1, c2 = (1 - beta1 ** step, 1 - beta2 ** step) if bias_correction else (1.0, 1.0)
        v = state["v"]
        if amsgrad and max_of_corrected:
            state["vmax"] = torch.maximum(state.get("vmax", torch.zeros_like(p)), v / c2)
            v_hat = state["vmax"]
        elif amsgrad:
            state["vmax"] = torch.maximum(state.get("vmax", torch.zeros_like(p)), v)
            v_hat = state["vmax"] / c2
        else:
            v_hat = v / c2
        denom = (v_hat + eps).sqrt() if eps_inside else v_hat.sqrt() + eps
        p = p - lr * (state["m"] / c1) / denom
        if weight_decay and decoupled and decay_after:
            p = p * (1 - lr * weight_decay)
        return p
    return update


def _checked(run, rule, make_torch, scale):
    """The correct rule's result, after checking that it is torch.optim's."""
    mine, reference = _run_rule(run, rule, scale), _run_torch(run, make_torch, scale)
    assert torch.allclose(mine, reference, rtol=1e-12, atol=1e-14), "a reference rule differs from torch.optim"
    return mine


def _present(wrong: dict, right: torch.Tensor) -> dict:
    """Drop misconceptions that do not apply (None) or coincide with the right answer in this case."""
    return {label: value for label, value in wrong.items()
            if value is not None and not torch.allclose(value, right, rtol=1e-9, atol=1e-12, equal_nan=False)}


def _sgd_cases(run: dict) -> dict:
    cases = {"scripted run": {"inputs": run}}
    for h in (dict(lr=0.1), dict(lr=0.05, momentum=0.9), dict(lr=0.05, momentum=0.9, dampening=0.5),
              dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)):
        right = _checked(run, _sgd_rule(**h), lambda p: torch.optim.SGD(p, **h), 1.0)
        rule = lambda **changes: _run_rule(run, _sgd_rule(**{**h, **changes}), 1.0)  # noqa: B023, E731
        momentum = h.get("momentum", 0.0)
        wrong = {
            "you applied dampening on the first step (to the buffer's first value)":
                rule(damp_first=True) if h.get("dampening") else None,
            "you used the EMA convention v = mu v + (1 - mu) g, starting from v = (1 - mu) g":
                rule(dampening=momentum, damp_first=True) if momentum else None,
            "you used the EMA convention v = mu v + (1 - mu) g after a first v = g":
                rule(dampening=momentum) if momentum else None,
            "you ignored nesterov=True (stepped along the velocity alone)":
                rule(nesterov=False) if h.get("nesterov") else None,
            "you ignored weight_decay": rule(weight_decay=0.0) if h.get("weight_decay") else None,
            "you decayed the weights directly, AdamW-style (decoupled weight decay)":
                rule(decoupled=True) if h.get("weight_decay") else None,
        }
        name = "SGD(" + ", ".join(f"{k}={v}" for k, v in h.items()) + ")"
        cases[name] = {"inputs": {"hyperparameters": h, "scale": 1.0}, "wrong": _present(wrong, right)}
    return cases


def _rmsprop_cases(run: dict) -> dict:
    cases = {"scripted run": {"inputs": run}}
    for scale, h in ((1.0, dict(lr=0.01)), (1e-2, dict(lr=0.01, alpha=0.9, eps=1e-2)),
                     (1.0, dict(lr=0.05, weight_decay=0.1))):
        right = _checked(run, _rmsprop_rule(**h), lambda p: torch.optim.RMSprop(p, **h), scale)
        rule = lambda **changes: _run_rule(run, _rmsprop_rule(**{**h, **changes}), scale)  # noqa: B023, E731
        wrong = {
            "you put eps inside the square root": rule(eps_inside=True),
            "you weighted the new squared gradient by alpha (and the old average by 1 - alpha)": rule(swapped=True),
            "you divided by the running mean square without its square root": rule(no_sqrt=True),
            "you bias-corrected square_avg, Adam-style": rule(bias_correction=True),
            "you ignored weight_decay": rule(weight_decay=0.0) if h.get("weight_decay") else None,
        }
        name = "RMSprop(" + ", ".join(f"{k}={v}" for k, v in h.items()) + f"), gradients of size ~{scale:g}"
        cases[name] = {"inputs": {"hyperparameters": h, "scale": scale}, "wrong": _present(wrong, right)}
    return cases


def _adam_cases(run: dict) -> dict:
    cases = {"scripted run": {"inputs": run}}
    for cls, scale, h in (("Adam", 1.0, dict(lr=0.01)), ("Adam", 1e-3, dict(lr=0.01, betas=[0.8, 0.99], eps=1e-3)),
                          ("Adam", 1.0, dict(lr=0.01, weight_decay=0.1)),
                          ("Adam", 1.0, dict(lr=0.01, amsgrad=True, betas=[0.9, 0.9])),
                          ("AdamW", 1.0, dict(lr=0.01, weight_decay=0.1))):
        decoupled = cls == "AdamW"
        torch_cls = getattr(torch.optim, cls)
        full = {"weight_decay": 0.01 if decoupled else 0.0, **h, "decoupled": decoupled}
        if "betas" in full:
            full["betas"] = tuple(full["betas"])
        right = _checked(run, _adam_rule(**full), lambda p: torch_cls(p, **h), scale)  # noqa: B023, E731
        rule = lambda **changes: _run_rule(run, _adam_rule(**{**full, **changes}), scale)  # noqa: B023, E731
        wrong = {
            "you left out the bias correction": rule(bias_correction=False),
            "you counted t from 0 in the bias correction (1 - beta^0 = 0 at the first update)": rule(t_offset=1),
            "you put eps inside the square root": rule(eps_inside=True),
            "you weighted the new gradient by beta1 (and the old average by 1 - beta1)": rule(beta1_swapped=True),
            "you used beta2 = 0.99 as the default (the source article's typo)":
                rule(betas=(0.9, 0.99)) if "betas" not in h else None,
            "you applied AdamW's weight decay as L2 (added weight_decay * p to the gradient)":
                rule(decoupled=False) if decoupled else None,
            "you decayed the weights after the Adam step": rule(decay_after=True) if decoupled else None,
            "you applied AdamW's weight decay twice: as L2 in the gradient, then decoupled":
                rule(both="L2 first") if decoupled else None,
            "you applied AdamW's weight decay twice: decoupled, then as L2 in the gradient":
                rule(both="decay first") if decoupled else None,
            "you decayed Adam's weights directly (AdamW's decoupled weight decay)":
                rule(decoupled=True) if not decoupled and h.get("weight_decay") else None,
            "you ignored weight_decay": rule(weight_decay=0.0) if full["weight_decay"] else None,
            "you took AMSGrad's maximum over the bias-corrected v_hat":
                rule(max_of_corrected=True) if h.get("amsgrad") else None,
            "you ignored amsgrad=True": rule(amsgrad=False) if h.get("amsgrad") else None,
        }
        name = f"{cls}(" + ", ".join(f"{k}={v}" for k, v in h.items()) + f"), gradients of size ~{scale:g}"
        cases[name] = {"inputs": {"optimizer": cls, "hyperparameters": h, "scale": scale},
                       "wrong": _present(wrong, right)}
    return cases


# ------------------------------------------------------------------ parameter groups, skipped steps, state (ex02-04)
# Four parameters in two groups: group 0 holds a and d with hyperparameters of their own, group 1 holds b and c
# with the optimizer's defaults. c has no gradient on every third step, d never has one. The notebook runs the
# same steps with zero_grad() (a missing gradient is None) and with zero_grad(set_to_none=False) (it is zeros).
GROUP_STEPS = 12
SKIP_EVERY = 3
GROUP_SHAPES = {"a": (4,), "b": (2, 2), "c": (3,), "d": (2,)}
GROUPS = (("a", "d"), ("b", "c"))


def _groups_run(seed: int = 1) -> dict:
    generator = torch.Generator().manual_seed(seed)
    p0 = {name: torch.randn(shape, generator=generator, dtype=torch.float64) for name, shape in GROUP_SHAPES.items()}
    gradients = {name: torch.randn((GROUP_STEPS, *GROUP_SHAPES[name]), generator=generator, dtype=torch.float64)
                 for name in "abc"}
    return {"p0": p0, "gradients": gradients, "steps": GROUP_STEPS, "skip_every": SKIP_EVERY}


def _groups_rule(run: dict, rules: tuple, zeros: bool, shared_counter=False, none_as_zero=False,
                 zero_as_skip=False) -> dict:
    """Final parameters under ``rules[group](p, g, state, t)``, one state and step count per parameter.

    shared_counter: t counts the step() calls, not the parameter's own updates; none_as_zero: a missing
    gradient is taken as zeros; zero_as_skip: a gradient of zeros is skipped like a missing one."""
    params = {name: value.clone() for name, value in run["p0"].items()}
    states, counts = {name: {} for name in params}, dict.fromkeys(params, 0)
    for step in range(1, run["steps"] + 1):
        for update, names in zip(rules, GROUPS):
            for name in names:
                missing = name == "d" or (name == "c" and step % run["skip_every"] == 0)
                if missing and name == "d" or missing and not zeros:
                    if not none_as_zero:
                        continue
                    g = torch.zeros_like(params[name])
                elif missing:
                    if zero_as_skip:
                        continue
                    g = torch.zeros_like(params[name])
                else:
                    g = run["gradients"][name][step - 1]
                counts[name] += 1
                params[name] = update(params[name], g, states[name], step if shared_counter else counts[name])
    return params


def _groups_torch(run: dict, make_optimizer, group0: dict, zeros: bool) -> dict:
    """The same steps with a torch.optim optimizer, written as the notebook runs them."""
    params = {name: torch.nn.Parameter(value.clone()) for name, value in run["p0"].items()}
    optimizer = make_optimizer([{"params": [params["a"], params["d"]], **group0},
                                {"params": [params["b"], params["c"]]}])
    for step in range(run["steps"]):
        optimizer.zero_grad(set_to_none=not zeros)
        for name, gradients in run["gradients"].items():
            if name != "c" or (step + 1) % run["skip_every"]:
                if params[name].grad is None:
                    params[name].grad = gradients[step].clone()
                else:
                    params[name].grad.add_(gradients[step])
        optimizer.step()
    return {name: p.detach() for name, p in params.items()}


_KEY_LABELS = {"lr": "you used one lr for all groups (the constructor's, self.defaults['lr']), not each "
                     "group's 'lr'"}


def _groups_cases(run: dict, optimizer: str, rule_of, torch_cls, configurations) -> dict:
    """Stored cases for one optimizer: inputs and, per parameter, the values of known mistakes."""
    cases = {}
    for defaults, group0 in configurations:
        for zeros in (False, True):
            right_rules = (rule_of({**defaults, **group0}), rule_of(defaults))
            right = _groups_rule(run, right_rules, zeros)
            reference = _groups_torch(run, lambda groups: torch_cls(groups, **defaults), group0, zeros)  # noqa: B023, E731
            for name in right:
                assert torch.allclose(right[name], reference[name], rtol=1e-12, atol=1e-14), (optimizer, name)
            variants = {}
            for key in group0:
                label = _KEY_LABELS.get(key, f"you read {key} from self.defaults (the constructor's value), "
                                             "not from the parameter's group")
                variants[label] = dict(rules=(rule_of({**defaults, **group0, key: _default_of(torch_cls, defaults,
                                                                                             key)}),
                                              right_rules[1]))
            if len(group0) > 1:
                variants["you read the hyperparameters from self.defaults, not from each parameter's group"] = dict(
                    rules=(rule_of({**defaults, **{k: _default_of(torch_cls, defaults, k) for k in group0}}),
                           right_rules[1]))
            variants["you kept one step counter for all parameters (counting step() calls), not one per parameter"
                     ] = dict(shared_counter=True)
            variants["you stepped a parameter whose .grad is None, as if its gradient were zero"] = dict(
                none_as_zero=True)
            variants["you skipped a parameter whose gradient is all zeros (torch.optim steps it: momentum and "
                     "weight decay still act)"] = dict(zero_as_skip=True)
            if optimizer == "AdamW":
                for label, both in (("you applied AdamW's weight decay twice: as L2 in the gradient, then "
                                     "decoupled", "L2 first"),
                                    ("you applied AdamW's weight decay twice: decoupled, then as L2 in the "
                                     "gradient", "decay first")):
                    variants[label] = dict(rules=(rule_of({**defaults, **group0, "both": both}),
                                                  rule_of({**defaults, "both": both})))
                variants["you decayed the weights after the Adam step"] = dict(
                    rules=(rule_of({**defaults, **group0, "decay_after": True}),
                           rule_of({**defaults, "decay_after": True})))
                variants["you applied AdamW's weight decay as L2 (added weight_decay * p to the gradient)"] = dict(
                    rules=(rule_of({**defaults, **group0, "decoupled": False}),
                           rule_of({**defaults, "decoupled": False})))
            wrong = {name: {} for name in right}
            for label, options in variants.items():
                options = {"rules": right_rules, **options}
                values = _groups_rule(run, options.pop("rules"), zeros, **options)
                for name in right:
                    wrong[name][label] = values[name]
            setting = ", ".join(f"{k}={v}" for k, v in defaults.items())
            own = ", ".join(f"{k}={v}" for k, v in group0.items())
            case = (f"{optimizer}({setting}), group 0 with {own}, "
                    f"{'zero_grad(set_to_none=False)' if zeros else 'zero_grad()'}")
            cases[case] = {"inputs": {"optimizer": optimizer, "defaults": defaults, "group0": group0,
                                      "zeros": zeros},
                           "wrong": {name: _present(wrong[name], right[name]) for name in right}}
    return cases


def _default_of(torch_cls, defaults: dict, key: str):
    """The value a group falls back to: the constructor's argument, or torch's default for it."""
    if key in defaults:
        return defaults[key]
    value = torch_cls([torch.nn.Parameter(torch.zeros(1))], lr=0.1).defaults[key]
    return list(value) if isinstance(value, tuple) else value


def _tuple_betas(h: dict) -> dict:
    return {**h, "betas": tuple(h["betas"])} if "betas" in h else h


def _all_groups_cases(run: dict) -> dict:
    sgd = _groups_cases(run, "SGD", lambda h: _sgd_rule(**h), torch.optim.SGD, [
        (dict(lr=0.05, momentum=0.9, weight_decay=0.01), dict(lr=0.02, momentum=0.5, dampening=0.3, weight_decay=0.1)),
        (dict(lr=0.03, momentum=0.8, nesterov=True), dict(lr=0.1, weight_decay=0.05))])
    rmsprop = _groups_cases(run, "RMSprop", lambda h: _rmsprop_rule(**h), torch.optim.RMSprop, [
        (dict(lr=0.01, alpha=0.9), dict(lr=0.003, alpha=0.5, eps=1e-3, weight_decay=0.1))])
    adam = _groups_cases(run, "Adam", lambda h: _adam_rule(**_tuple_betas(h)), torch.optim.Adam, [
        (dict(lr=0.01), dict(lr=0.03, betas=[0.8, 0.99], eps=1e-3, weight_decay=0.05, amsgrad=True))])
    adamw = _groups_cases(run, "AdamW", lambda h: _adam_rule(**_tuple_betas({"decoupled": True, **h})),
                          torch.optim.AdamW, [(dict(lr=0.01, weight_decay=0.1),
                                               dict(lr=0.02, betas=[0.5, 0.9], weight_decay=0.3))])
    return {"groups run": run, "test_ex02_sgd_mlp": sgd, "test_ex03_rmsprop_groups": rmsprop,
            "test_ex04_adam_mlp": {**adam, **adamw}}


def cases() -> dict:
    run = _scripted_run(seed=0)
    return {"ex01_ema": _ema_cases(), "ex02_sgd": _sgd_cases(run), "ex03_rmsprop": _rmsprop_cases(run),
            "ex04_adam": _adam_cases(run), **_all_groups_cases(_groups_run(seed=1))}
