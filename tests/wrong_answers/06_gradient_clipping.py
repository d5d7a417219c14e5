"""Plausible wrong answers for 06 Gradient clipping. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner). Most are small
edits of the reference answer, so they stay in step with it."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "06_gradient_clipping")

# The reference clip_grad_norm, reused by the wrong answers to exercise 2 that only change total_grad_norm.
_FACTOR = "    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)\n"

BANK = {
    "ex01_predict_return": [
        WrongAnswer("predicts the norm after clipping", "def predicted_return():\n    return 5.0\n",
                    names="you predicted the norm after clipping"),
        WrongAnswer("adds the two norms", "def predicted_return():\n    return 17.0\n",
                    names="you added the two norms"),
        WrongAnswer("predicts the factor", "def predicted_return():\n    return 5 / 13\n",
                    names="you predicted the scaling factor"),
        WrongAnswer("another number", "def predicted_return():\n    return 12.0\n",
                    names="the norm of the per-parameter norms"),
        WrongAnswer("a string", "def predicted_return():\n    return '13'\n", names="must return a number"),
    ],
    "ex02_clip_grad_norm": [
        WrongAnswer("clips every parameter by its own norm",
                    _edit("ex02_clip_grad_norm",
                          _FACTOR + "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().mul_(factor.to(p.grad.device))\n",
                          "    for p in parameters:\n        if p.grad is not None:\n"
                          "            own = total_grad_norm([p], norm_type)\n"
                          "            p.grad.detach().mul_(torch.clamp(max_norm / (own + 1e-6), max=1.0))\n"),
                    names="by its own norm instead of by the global norm"),
        WrongAnswer("returns the norm after clipping",
                    _edit("ex02_clip_grad_norm", "    return total\n", "    return total * factor\n"),
                    names="you returned the norm after clipping"),
        WrongAnswer("returns the factor",
                    _edit("ex02_clip_grad_norm", "    return total\n", "    return factor\n"),
                    names="you returned the scaling factor"),
        WrongAnswer("no 1e-6",
                    _edit("ex02_clip_grad_norm", "max_norm / (total + 1e-6)", "max_norm / total"),
                    names="you left out the 1e-6"),
        WrongAnswer("factor not capped at 1",
                    _edit("ex02_clip_grad_norm", "torch.clamp(max_norm / (total + 1e-6), max=1.0)",
                          "max_norm / (total + 1e-6)"),
                    names="you did not cap the factor at 1"),
        WrongAnswer("the seed's if: scales only above the threshold",
                    _edit("ex02_clip_grad_norm", _FACTOR,
                          "    factor = max_norm / (total + 1e-6) if total > max_norm else torch.ones_like(total)\n"),
                    names="you scaled only when the norm exceeds max_norm"),
        WrongAnswer("sum of the parameters' norms",
                    _edit("ex02_clip_grad_norm", "    return norms.pow(p).sum().pow(1 / p)\n",
                          "    return norms.sum()\n"),
                    names="you added the parameters' norms"),
        WrongAnswer("largest parameter norm",
                    _edit("ex02_clip_grad_norm", "    return norms.pow(p).sum().pow(1 / p)\n",
                          "    return norms.max()\n"),
                    names="you returned the largest parameter norm"),
        WrongAnswer("forgets the final root",
                    _edit("ex02_clip_grad_norm", "    return norms.pow(p).sum().pow(1 / p)\n",
                          "    return norms.pow(p).sum()\n"),
                    names="you left out the final root"),
        WrongAnswer("norm_type ignored (always 2)",
                    _edit("ex02_clip_grad_norm", "    p = float(norm_type)\n", "    p = 2.0\n"),
                    names="you ignored norm_type"),
        WrongAnswer("inf treated like a finite p",
                    _edit("ex02_clip_grad_norm",
                          "    if p == math.inf:\n        return torch.stack([g.abs().max() for g in grads]).max()\n",
                          ""),
                    names="you treated norm_type = inf like a finite p"),
        WrongAnswer("reads a generator twice",
                    _edit("ex02_clip_grad_norm",
                          "    parameters = [parameters] if isinstance(parameters, torch.Tensor) else list(parameters)\n"
                          "    total = total_grad_norm(parameters, norm_type)\n",
                          "    parameters = [parameters] if isinstance(parameters, torch.Tensor) else parameters\n"
                          "    total = total_grad_norm(parameters, norm_type)\n"),
                    names="your function left the gradients unchanged"),
        WrongAnswer("out of place: the scaled gradients are thrown away",
                    _edit("ex02_clip_grad_norm", "            p.grad.detach().mul_(factor.to(p.grad.device))\n",
                          "            p.grad.detach() * factor\n"),
                    names="your function left the gradients unchanged"),
        WrongAnswer("skips the scaling when the norm is not finite",
                    _edit("ex02_clip_grad_norm", _FACTOR,
                          "    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)\n"
                          "    if not torch.isfinite(total):\n        return total\n"),
                    names="you left the gradients unchanged because the norm is not finite"),
        WrongAnswer("error_if_nonfinite ignored",
                    _edit("ex02_clip_grad_norm", "    if error_if_nonfinite and not torch.isfinite(total):\n",
                          "    if False:\n"),
                    names="expected RuntimeError"),
        WrongAnswer("raises after scaling the gradients",
                    _edit("ex02_clip_grad_norm",
                          "    if error_if_nonfinite and not torch.isfinite(total):\n"
                          "        raise RuntimeError(f\"the total norm of the gradients is {total.item()}: cannot clip it\")\n"
                          + _FACTOR + "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().mul_(factor.to(p.grad.device))\n",
                          _FACTOR + "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().mul_(factor.to(p.grad.device))\n"
                          "    if error_if_nonfinite and not torch.isfinite(total):\n"
                          "        raise RuntimeError('not finite')\n"),
                    names="Raise before changing any gradient"),
        WrongAnswer("None gradients not skipped",
                    _edit("ex02_clip_grad_norm", "    grads = [p.grad.detach() for p in parameters if p.grad is not None]\n",
                          "    grads = [p.grad.detach() for p in parameters]\n")),
        WrongAnswer("float32 arithmetic",
                    _edit("ex02_clip_grad_norm", "    grads = [p.grad.detach() for p in parameters if p.grad is not None]\n",
                          "    grads = [p.grad.detach().float() for p in parameters if p.grad is not None]\n"),
                    names="float32"),
        WrongAnswer("delegates to clip_grad_norm_",
                    "def total_grad_norm(parameters, norm_type=2.0):\n"
                    "    return nn.utils.clip_grad_norm_(parameters, math.inf, norm_type)\n\n"
                    "def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):\n"
                    "    return nn.utils.clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)\n",
                    names="must be written from scratch"),
        WrongAnswer("norms through torch.linalg.vector_norm",
                    _edit("ex02_clip_grad_norm", "    norms = torch.stack([g.abs().pow(p).sum().pow(1 / p) for g in grads])\n",
                          "    norms = torch.stack([torch.linalg.vector_norm(g, p) for g in grads])\n"),
                    names="must be written from scratch"),
        WrongAnswer("norms through Tensor.norm",
                    _edit("ex02_clip_grad_norm", "    norms = torch.stack([g.abs().pow(p).sum().pow(1 / p) for g in grads])\n",
                          "    norms = torch.stack([g.norm(p) for g in grads])\n"),
                    names="must be written from scratch"),
        WrongAnswer("norms through torch._foreach_norm",
                    _edit("ex02_clip_grad_norm", "    norms = torch.stack([g.abs().pow(p).sum().pow(1 / p) for g in grads])\n",
                          "    norms = torch.stack(torch._foreach_norm(grads, p))\n"),
                    names="must be written from scratch"),
        WrongAnswer("norms through torch.dist",
                    _edit("ex02_clip_grad_norm", "    norms = torch.stack([g.abs().pow(p).sum().pow(1 / p) for g in grads])\n",
                          "    norms = torch.stack([torch.dist(g, torch.zeros_like(g), p) for g in grads])\n"),
                    names="must be written from scratch"),
        WrongAnswer("total through nn.utils.get_total_norm",
                    _edit("ex02_clip_grad_norm", "    p = float(norm_type)\n",
                          "    return nn.utils.get_total_norm(grads, norm_type)\n"),
                    names="must be written from scratch"),
        WrongAnswer("scaling through the private clip_grads_with_norm_",
                    _edit("ex02_clip_grad_norm",
                          _FACTOR + "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().mul_(factor.to(p.grad.device))\n",
                          "    nn.utils.clip_grads_with_norm_(parameters, max_norm, total)\n"),
                    names="must be written from scratch"),
        WrongAnswer("a detour through NumPy",
                    "import numpy as np\n"
                    + _edit("ex02_clip_grad_norm", "    norms = torch.stack([g.abs().pow(p).sum().pow(1 / p) for g in grads])\n",
                            "    norms = torch.stack([torch.tensor(np.linalg.norm(g.numpy().ravel(), p)) for g in grads])\n"),
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off",
                    "import sys\n" + _edit("ex02_clip_grad_norm", "    p = float(norm_type)\n",
                                            "    sys.setprofile(None)\n    p = float(norm_type)\n"),
                    names="switched the checking off"),
        WrongAnswer("replaces the checking helpers",
                    "import course_utils as cu\ncu.assert_close = lambda *args, **kwargs: None\n"
                    + _edit("ex02_clip_grad_norm", "    return norms.pow(p).sum().pow(1 / p)\n", "    return norms.sum()\n"),
                    names="the checking helpers were replaced"),
    ],
    "ex03_other_clippers": [
        WrongAnswer("value clipping from above only",
                    _edit("ex03_other_clippers", "p.grad.detach().clamp_(-clip_value, clip_value)",
                          "p.grad.detach().clamp_(max=clip_value)"),
                    names="you clamped only from above"),
        WrongAnswer("value clipping into [0, c]",
                    _edit("ex03_other_clippers", "p.grad.detach().clamp_(-clip_value, clip_value)",
                          "p.grad.detach().clamp_(0, clip_value)"),
                    names="every negative entry became 0"),
        WrongAnswer("value clipping by rescaling",
                    _edit("ex03_other_clippers", "p.grad.detach().clamp_(-clip_value, clip_value)",
                          "p.grad.detach().mul_(torch.clamp(clip_value / p.grad.abs().max(), max=1.0))"),
                    names="a rescaling, not a clamp"),
        WrongAnswer("value clipping out of place",
                    _edit("ex03_other_clippers", "p.grad.detach().clamp_(-clip_value, clip_value)",
                          "p.grad.detach().clamp(-clip_value, clip_value)"),
                    names="left the gradients unchanged"),
        WrongAnswer("per-parameter clipping by the global norm",
                    _edit("ex03_other_clippers",
                          "    norms = [clip_grad_norm([p], max_norm, norm_type) for p in parameters if p.grad is not None]\n",
                          "    clip_grad_norm(parameters, max_norm, norm_type)\n"
                          "    norms = [total_grad_norm([p], norm_type) for p in parameters if p.grad is not None]\n"),
                    names="you clipped by the global norm of all parameters together"),
        WrongAnswer("per-parameter norms after clipping",
                    _edit("ex03_other_clippers", "    return torch.stack(norms) if norms else torch.zeros(0)\n",
                          "    return torch.stack([total_grad_norm([p]) for p in parameters if p.grad is not None])\n"),
                    names="you returned the norms after clipping"),
        WrongAnswer("per-parameter returns one global norm",
                    _edit("ex03_other_clippers", "    return torch.stack(norms) if norms else torch.zeros(0)\n",
                          "    return torch.stack(norms).pow(2).sum().sqrt()\n"),
                    names="one global norm instead of one norm per parameter"),
        WrongAnswer("per-parameter without the 1e-6",
                    _edit("ex03_other_clippers",
                          "    norms = [clip_grad_norm([p], max_norm, norm_type) for p in parameters if p.grad is not None]\n",
                          "    norms = []\n    for p in parameters:\n        if p.grad is not None:\n"
                          "            norms.append(total_grad_norm([p], norm_type))\n"
                          "            p.grad.mul_(torch.clamp(max_norm / norms[-1], max=1.0))\n"),
                    names="you left out the 1e-6"),
        WrongAnswer("value clipping through clip_grad_value_",
                    _edit("ex03_other_clippers",
                          "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().clamp_(-clip_value, clip_value)\n",
                          "    nn.utils.clip_grad_value_(parameters, clip_value)\n"),
                    names="must be written from scratch"),
        WrongAnswer("value clipping through torch._foreach_clamp_min_",
                    _edit("ex03_other_clippers",
                          "    for p in parameters:\n        if p.grad is not None:\n"
                          "            p.grad.detach().clamp_(-clip_value, clip_value)\n",
                          "    grads = [p.grad for p in parameters if p.grad is not None]\n"
                          "    torch._foreach_clamp_min_(grads, -clip_value)\n"
                          "    torch._foreach_clamp_max_(grads, clip_value)\n"),
                    names="must be written from scratch"),
        WrongAnswer("per-parameter through clip_grad_norm_",
                    _edit("ex03_other_clippers",
                          "    norms = [clip_grad_norm([p], max_norm, norm_type) for p in parameters if p.grad is not None]\n",
                          "    norms = [nn.utils.clip_grad_norm_(p, max_norm, norm_type) for p in parameters\n"
                          "             if p.grad is not None]\n"),
                    names="must be written from scratch"),
    ],
    "ex04_predict_cosine": [
        WrongAnswer("expects the direction to change a lot", "def predicted_cosine():\n    return 0.5\n",
                    names="one and the same positive factor"),
        WrongAnswer("expects orthogonal", "def predicted_cosine():\n    return 0.0\n",
                    names="you predicted orthogonal gradients"),
        WrongAnswer("confuses cosine and the shrink factor",
                    "def predicted_cosine():\n    return 1.0 / 1659.1\n",
                    names="the length changes, the direction does not"),
    ],
    "ex05_autoclip": [
        WrongAnswer("percentile before appending the current norm",
                    _edit("ex05_autoclip",
                          "        self.history.append(norm)\n"
                          "        history = torch.tensor(self.history, dtype=torch.float64)\n"
                          "        threshold = torch.quantile(history, self.percentile / 100).item()\n",
                          "        history = torch.tensor(self.history, dtype=torch.float64)\n"
                          "        threshold = (torch.quantile(history, self.percentile / 100).item()\n"
                          "                     if self.history else math.inf)\n"
                          "        self.history.append(norm)\n"),
                    names="before adding the current norm to the history"),
        WrongAnswer("history of clipped norms",
                    _edit("ex05_autoclip", "        clip_grad_norm(parameters, threshold)\n",
                          "        clip_grad_norm(parameters, threshold)\n"
                          "        self.history[-1] = total_grad_norm(parameters).item()\n"),
                    names="you stored the norm after clipping"),
        WrongAnswer("nearest-rank percentile",
                    _edit("ex05_autoclip", "torch.quantile(history, self.percentile / 100).item()",
                          "torch.quantile(history, self.percentile / 100, interpolation='nearest').item()"),
                    names="nearest-rank percentile"),
        WrongAnswer("state_dict returns the live history",
                    _edit("ex05_autoclip", '"history": list(self.history)}', '"history": self.history}'),
                    names="state_dict() returned the live history"),
        WrongAnswer("load_state_dict ignores the percentile",
                    _edit("ex05_autoclip", "        self.percentile = float(state[\"percentile\"])\n", ""),
                    names="load_state_dict() ignored the saved percentile"),
        WrongAnswer("state_dict holds a numpy array",
                    "import numpy as np\n"
                    + _edit("ex05_autoclip", '"history": list(self.history)}', '"history": np.array(self.history)}'),
                    names="torch.load(weights_only=True) could not read"),
        WrongAnswer("percentile used as a fraction",
                    _edit("ex05_autoclip", "torch.quantile(history, self.percentile / 100).item()",
                          "torch.quantile(history, min(self.percentile, 1.0)).item()")),
        WrongAnswer("returns the clipped norm",
                    _edit("ex05_autoclip", "        return norm, threshold\n",
                          "        return min(norm, threshold), threshold\n"),
                    names="measured before clipping"),
    ],
    "ex06_debug_run": [
        WrongAnswer("keeps the colleague's clip before backward",
                    _edit("ex06_debug_run",
                          "        loss = F.mse_loss(model(x), y) / len(micro_batches)\n        loss.backward()\n"
                          "    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n",
                          "        loss = F.mse_loss(model(x), y) / len(micro_batches)\n"
                          "        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n"
                          "        loss.backward()\n"),
                    names="you clipped before backward()"),
        WrongAnswer("clips after every micro-batch",
                    _edit("ex06_debug_run",
                          "        loss.backward()\n    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n",
                          "        loss.backward()\n        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n"),
                    names="you clipped after every micro-batch"),
        WrongAnswer("does not divide by the number of micro-batches",
                    _edit("ex06_debug_run", "loss = F.mse_loss(model(x), y) / len(micro_batches)",
                          "loss = F.mse_loss(model(x), y)"),
                    names="you did not divide each micro-batch loss"),
        WrongAnswer("no zero_grad",
                    _edit("ex06_debug_run", "    optimizer.zero_grad()\n    for x, y in micro_batches:\n",
                          "    for x, y in micro_batches:\n"),
                    names="you did not zero the gradients first"),
        WrongAnswer("runs the big batch at once",
                    _edit("ex06_debug_run",
                          "    for x, y in micro_batches:\n        loss = F.mse_loss(model(x), y) / len(micro_batches)\n"
                          "        loss.backward()\n",
                          "    x = torch.cat([x for x, _ in micro_batches])\n"
                          "    y = torch.cat([y for _, y in micro_batches])\n"
                          "    F.mse_loss(model(x), y).backward()\n"),
                    names="one micro-batch of 16 rows at a time"),
        WrongAnswer("returns the norm after clipping",
                    _edit("ex06_debug_run", "    return total\n", "    return total_grad_norm(model.parameters())\n"),
                    names="you returned the norm after clipping"),
        WrongAnswer("diagnosis: the step of the largest norm",
                    _edit("ex06_debug_run",
                          "    for step in range(warmup, len(totals)):\n"
                          "        if totals[step] > factor * totals[:step].median():\n"
                          "            return step, names[int(log[step].argmax())]\n",
                          "    step = int(torch.nan_to_num(totals, nan=-1.0).argmax())\n"
                          "    if totals[step] > factor * totals[:step].median():\n"
                          "        return step, names[int(log[step].argmax())]\n"),
                    names="the step with the largest norm of the whole run"),
        WrongAnswer("diagnosis: steps numbered from 1",
                    _edit("ex06_debug_run", "            return step, names[int(log[step].argmax())]\n",
                          "            return step + 1, names[int(log[step].argmax())]\n"),
                    names="you numbered the steps from 1"),
        WrongAnswer("diagnosis: the layer with the largest norm over the run",
                    _edit("ex06_debug_run", "            return step, names[int(log[step].argmax())]\n",
                          "            return step, names[int(torch.nan_to_num(log, nan=-1.0).max(dim=0).values.argmax())]\n")),
        WrongAnswer("diagnosis: the mean instead of the median",
                    _edit("ex06_debug_run", "totals[:step].median()", "totals[:step].mean()")),
        WrongAnswer("diagnosis: warmup ignored",
                    _edit("ex06_debug_run", "    for step in range(warmup, len(totals)):\n",
                          "    for step in range(1, len(totals)):\n")),
    ],
}
