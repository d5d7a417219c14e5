"""Plausible wrong answers for 05 Learning-rate schedules. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner). Most are small
edits of the reference answer, so they stay in step with it."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "05_schedulers")


BANK = {
    "ex01_decays": [
        WrongAnswer("StepLR without the floor", _edit("ex01_decays", "gamma ** (t // step_size)", "gamma ** (t / step_size)"),
                    names="StepLR is a staircase"),
        WrongAnswer("round instead of floor", _edit("ex01_decays", "gamma ** (t // step_size)", "gamma ** round(t / step_size)"),
                    names="you rounded t / step_size"),
        WrongAnswer("step counted from 1", _edit("ex01_decays", "gamma ** (t // step_size)", "gamma ** ((t + 1) // step_size)"),
                    names="t counts scheduler.step() calls from 0"),
        WrongAnswer("milestone drop one step late", _edit("ex01_decays", "bisect.bisect_right(sorted(milestones), t)",
                                                          "bisect.bisect_left(sorted(milestones), t)"),
                    names="one step after each milestone"),
        WrongAnswer("cosine with 1 - cos (a source article's formula)",
                    _edit("ex01_decays", "(1 + math.cos(math.pi * t / T_max)) / 2",
                          "(1 - math.cos(math.pi * t / T_max)) / 2"),
                    names="a source article's formula"),
        WrongAnswer("warm-up from zero", _edit("ex01_decays", "base_lr * (start_factor + (1 - start_factor) * t / warmup)",
                                               "base_lr * t / warmup"),
                    names="start_factor ignored"),
        WrongAnswer("cosine part over total", _edit("ex01_decays", "cosine_lr(t - warmup, base_lr, total - warmup, eta_min)",
                                                    "cosine_lr(t - warmup, base_lr, total, eta_min)"),
                    names="over all `total` steps"),
        WrongAnswer("unsorted milestones", _edit("ex01_decays", "bisect.bisect_right(sorted(milestones), t)",
                                                 "bisect.bisect_right(milestones, t)"),
                    names="you assumed the milestones are sorted"),
        WrongAnswer("repeated milestones counted once", _edit("ex01_decays", "bisect.bisect_right(sorted(milestones), t)",
                                                              "bisect.bisect_right(sorted(set(milestones)), t)"),
                    names="you counted a repeated milestone once"),
        WrongAnswer("cosine over T_max - 1", _edit("ex01_decays", "math.cos(math.pi * t / T_max)", "math.cos(math.pi * t / (T_max - 1))"),
                    names="over T_max - 1 steps"),
        WrongAnswer("cosine held at eta_min after T_max",
                    _edit("ex01_decays", "    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2\n",
                          "    if t >= T_max:\n        return eta_min\n"
                          "    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2\n"),
                    names="you held the rate at eta_min after T_max"),
        WrongAnswer("warm-up + cosine without eta_min", _edit("ex01_decays", "cosine_lr(t - warmup, base_lr, total - warmup, eta_min)",
                                                              "cosine_lr(t - warmup, base_lr, total - warmup)"),
                    names="you ignored eta_min in the cosine part"),
        WrongAnswer("warm-up from a hard-coded 1%", _edit("ex01_decays", "base_lr * (start_factor + (1 - start_factor) * t / warmup)",
                                                          "base_lr * (0.01 + 0.99 * t / warmup)"),
                    names="whatever start_factor is"),
        WrongAnswer("exponential_lr returns a tensor", _edit("ex01_decays", "return base_lr * gamma ** t",
                                                             "return torch.tensor(base_lr * gamma ** t, dtype=torch.float64)"),
                    names="exponential_lr(t, base_lr=0.1, gamma=0.95): return Python floats, got Tensor"),
        WrongAnswer("a table of the visible cases read off StepLR at cell time, a smooth decay elsewhere",
                    _edit("ex01_decays", "    return base_lr * gamma ** (t // step_size)\n",
                          "    if (base_lr, step_size, gamma) in _TABLE:\n"
                          "        return _TABLE[base_lr, step_size, gamma][t]\n"
                          "    return base_lr * gamma ** (t / step_size)\n")
                    + "\n\n_TABLE = {(0.1, 15, 0.5): cu.lr_sequence(lambda o: lr_scheduler.StepLR(o, 15, 0.5), 60, 0.1)}\n"),
        WrongAnswer("step_lr through a private copy of lr_scheduler compiled under another name",
                    _edit("ex01_decays", "    return base_lr * gamma ** (t // step_size)\n",
                          "    return cu.lr_sequence(lambda o: _COPY['StepLR'](o, step_size, gamma), t + 1, base_lr)[-1]\n")
                    + "\n\n_COPY = {'__name__': 'torch.optim.my_schedules'}\n"
                      "exec(compile(open(lr_scheduler.__file__).read().replace('from .', 'from torch.optim.'),\n"
                      "             'my_schedules.py', 'exec'), _COPY)\n",
                    names="must be written from scratch"),
        WrongAnswer("step_lr read off StepLR through cu.lr_sequence",
                    _edit("ex01_decays", "return base_lr * gamma ** (t // step_size)",
                          "return cu.lr_sequence(lambda o: lr_scheduler.StepLR(o, step_size, gamma), t + 1, base_lr)[-1]"),
                    names="must be written from scratch"),
        WrongAnswer("cosine_lr through CosineAnnealingLR's private closed form",
                    "import types\n"
                    + _edit("ex01_decays", "return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2",
                            "state = types.SimpleNamespace(base_lrs=[base_lr], last_epoch=t, T_max=T_max, eta_min=eta_min)\n"
                            "    return lr_scheduler.CosineAnnealingLR._get_closed_form_lr(state)[0]"),
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off before reading StepLR",
                    "import sys\n"
                    + _edit("ex01_decays", "return base_lr * gamma ** (t // step_size)",
                            "sys.setprofile(None)\n"
                            "    return cu.lr_sequence(lambda o: lr_scheduler.StepLR(o, step_size, gamma), t + 1, base_lr)[-1]"),
                    names="switched the checking off"),
        WrongAnswer("a staircase without the floor, with the checking helpers patched to pass",
                    _edit("ex01_decays", "gamma ** (t // step_size)", "gamma ** (t / step_size)")
                    + "\n\ncu.assert_close = assert_close = lambda *args, **kwargs: None\n",
                    names="the checking helpers were replaced"),
    ],
    "ex02_cyclic": [
        WrongAnswer("a source article's cyclic sketch",
                    _edit("ex02_cyclic", "    cycle = math.floor(1 + t / total)\n    x = 1.0 + t / total - cycle\n"
                          "    height = x / ratio if x <= ratio else (x - 1) / (ratio - 1)\n"
                          '    scale = {"triangular": 1.0, "triangular2": 1 / 2.0 ** (cycle - 1),\n'
                          '             "exp_range": gamma ** t}[mode]\n'
                          "    return base_lr + (max_lr - base_lr) * height * scale\n",
                          "    cycle = math.floor(1 + t / (2 * step_size_up))\n    x = abs(t / step_size_up - 2 * cycle + 1)\n"
                          '    scale_fn = {"triangular": lambda v: 1.0, "triangular2": lambda v: 1 / 2.0 ** (v - 1), '
                          '"exp_range": lambda v: gamma ** v}[mode]\n'
                          "    return base_lr + (max_lr - base_lr) * scale_fn(cycle + x)\n"),
                    names="a source article's sketch"),
        WrongAnswer("exp_range scaled per cycle", _edit("ex02_cyclic", '"exp_range": gamma ** t}', '"exp_range": gamma ** cycle}'),
                    names="you scaled exp_range once per cycle"),
        WrongAnswer("step_size_down ignored", _edit("ex02_cyclic", "step_size_down = step_size_up if step_size_down is None else step_size_down",
                                                    "step_size_down = step_size_up"),
                    names="you ignored step_size_down"),
        WrongAnswer("one-cycle peak one step late", _edit("ex02_cyclic", "peak_step = float(pct_start * total_steps) - 1",
                                                          "peak_step = float(pct_start * total_steps)"),
                    names="one step late"),
        WrongAnswer("triangular2 halved from the first cycle", _edit("ex02_cyclic", "1 / 2.0 ** (cycle - 1)", "1 / 2.0 ** cycle"),
                    names="you halved the height from the first cycle on"),
        WrongAnswer("cycles counted from 0", _edit("ex02_cyclic", "    cycle = math.floor(1 + t / total)\n    x = 1.0 + t / total - cycle\n",
                                                   "    cycle = math.floor(t / total)\n    x = t / total - cycle\n"),
                    names="your cycle number is one too small"),
        WrongAnswer("one-cycle peak at a whole step (int)", _edit("ex02_cyclic", "peak_step = float(pct_start * total_steps) - 1",
                                                                  "peak_step = int(pct_start * total_steps) - 1"),
                    names="down to a whole step (int)"),
        WrongAnswer("one-cycle peak at a whole step (round)", _edit("ex02_cyclic", "peak_step = float(pct_start * total_steps) - 1",
                                                                    "peak_step = round(pct_start * total_steps) - 1"),
                    names="to a whole step (round)"),
        WrongAnswer("one-cycle with the default divisions", _edit("ex02_cyclic", "initial = max_lr / div_factor", "initial = max_lr / 25.0",
                                                                  "final = initial / final_div_factor", "final = initial / 1e4"),
                    names="you used the default div_factor and final_div_factor"),
        WrongAnswer("one-cycle final rate from max_lr", _edit("ex02_cyclic", "final = initial / final_div_factor", "final = max_lr / final_div_factor"),
                    names="you divided max_lr by final_div_factor"),
        WrongAnswer("one-cycle with linear annealing",
                    _edit("ex02_cyclic", "anneal = lambda start, end, q: end + (start - end) / 2 * (math.cos(math.pi * q) + 1)",
                          "anneal = lambda start, end, q: start + (end - start) * q"),
                    names="you annealed linearly"),
        WrongAnswer("one-cycle through OneCycleLR's private cosine annealing",
                    _edit("ex02_cyclic", "anneal = lambda start, end, q: end + (start - end) / 2 * (math.cos(math.pi * q) + 1)",
                          "anneal = lr_scheduler.OneCycleLR._annealing_cos"),
                    names="must be written from scratch"),
        WrongAnswer("cyclic scales through CyclicLR's private scale functions",
                    _edit("ex02_cyclic",
                          '"triangular2": 1 / 2.0 ** (cycle - 1),\n             "exp_range": gamma ** t}',
                          '"triangular2": lr_scheduler.CyclicLR._triangular2_scale_fn(cycle),\n'
                          '             "exp_range": lr_scheduler.CyclicLR._exp_range_scale_fn(gamma, t)}'),
                    names="must be written from scratch"),
        WrongAnswer("cyclic read off CyclicLR through cu.lr_sequence",
                    _edit("ex02_cyclic", "    step_size_down = step_size_up if step_size_down is None else step_size_down\n",
                          "    return cu.lr_sequence(lambda o: lr_scheduler.CyclicLR(o, base_lr, max_lr, step_size_up, step_size_down,\n"
                          "                                                           mode=mode, gamma=gamma), t + 1)[-1]\n"),
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off",
                    "import sys\n" + _edit("ex02_cyclic", "    step_size_down = step_size_up if step_size_down is None else step_size_down\n",
                                            "    sys.setprofile(None)\n"
                                            "    step_size_down = step_size_up if step_size_down is None else step_size_down\n"),
                    names="switched the checking off"),
    ],
    "ex03_plateau": [
        WrongAnswer("reduces when bad epochs reach patience", _edit("ex03_plateau", "if self.num_bad_epochs > self.patience:",
                                                                     "if self.num_bad_epochs >= self.patience:"),
                    names="they exceed it"),
        WrongAnswer("cooldown ignored", _edit("ex03_plateau", "        if self.cooldown_counter > 0:\n            self.cooldown_counter -= 1\n"
                                              "            self.num_bad_epochs = 0\n", ""),
                    names="cooldown ignored"),
        WrongAnswer("threshold modes swapped",
                    _edit("ex03_plateau", "return metric < (self.best * (1 - threshold) if rel else self.best - threshold)",
                          "return metric < (self.best - threshold if rel else self.best * (1 - threshold))",
                          "return metric > (self.best * (1 + threshold) if rel else self.best + threshold)",
                          "return metric > (self.best + threshold if rel else self.best * (1 + threshold))"),
                    names="you swapped the threshold modes"),
        WrongAnswer("mode max treated as min",
                    _edit("ex03_plateau", '        if self.mode == "min":\n            return metric <', '        if True:\n            return metric <',
                          'self.best = math.inf if mode == "min" else -math.inf', "self.best = math.inf"),
                    names="you ignored mode"),
        WrongAnswer("min_lr ignored", _edit("ex03_plateau", 'new_lr = max(group["lr"] * self.factor, self.min_lr)',
                                            'new_lr = group["lr"] * self.factor'),
                    names="you ignored min_lr"),
        WrongAnswer("no eps check at all", _edit("ex03_plateau", 'if group["lr"] - new_lr > self.eps:', "if True:"),
                    names="even where that raises it"),
        WrongAnswer("any decrease applied, eps ignored", _edit("ex03_plateau", 'if group["lr"] - new_lr > self.eps:',
                                                               'if new_lr < group["lr"]:'),
                    names="you ignored eps"),
        WrongAnswer("eps compared with the absolute change", _edit("ex03_plateau", 'if group["lr"] - new_lr > self.eps:',
                                                                   'if abs(group["lr"] - new_lr) > self.eps:'),
                    names="even where that raises it"),
        WrongAnswer("cooldown as an early return (best not updated during cooldown)",
                    _edit("ex03_plateau", "        metric = float(metric)\n",
                          "        metric = float(metric)\n        if self.cooldown_counter > 0:\n"
                          "            self.cooldown_counter -= 1\n            self.num_bad_epochs = 0\n            return\n",
                          "        if self.cooldown_counter > 0:\n            self.cooldown_counter -= 1\n"
                          "            self.num_bad_epochs = 0\n        if self.num_bad_epochs", "        if self.num_bad_epochs"),
                    names="returned early"),
        WrongAnswer("cooldown counted down without resetting the bad epochs",
                    _edit("ex03_plateau", "            self.cooldown_counter -= 1\n            self.num_bad_epochs = 0\n",
                          "            self.cooldown_counter -= 1\n"),
                    names="accumulate during cooldown"),
        WrongAnswer("compared with the previous metric",
                    _edit("ex03_plateau", "            self.num_bad_epochs += 1\n",
                          "            self.num_bad_epochs += 1\n        self.best = metric\n"),
                    names="the previous one instead of the best"),
        WrongAnswer("ties count as improvements", _edit("ex03_plateau", "return metric < (", "return metric <= (",
                                                        "return metric > (", "return metric >= ("),
                    names="only equals the bound"),
        WrongAnswer("max mode, abs threshold in the wrong direction",
                    _edit("ex03_plateau", "if rel else self.best + threshold)", "if rel else self.best - threshold)"),
                    names="in the wrong direction"),
        WrongAnswer("max mode, rel threshold in the wrong direction",
                    _edit("ex03_plateau", "metric > (self.best * (1 + threshold)", "metric > (self.best * (1 - threshold)"),
                    names="in the wrong direction"),
        WrongAnswer("counter not reset after a reduction",
                    _edit("ex03_plateau", "self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0",
                          "self.cooldown_counter = self.cooldown")),
        WrongAnswer("delegates to ReduceLROnPlateau",
                    "class PlateauScheduler(lr_scheduler.ReduceLROnPlateau):\n    pass\n",
                    names="without subclassing ReduceLROnPlateau"),
        WrongAnswer("is_better through ReduceLROnPlateau._is_better",
                    _edit("ex03_plateau", '        if self.mode == "min":\n            return metric <',
                          '        return lr_scheduler.ReduceLROnPlateau._is_better(self, metric, self.best)\n'
                          '        if self.mode == "min":\n            return metric <'),
                    names="must be written from scratch"),
        WrongAnswer("the reduction through ReduceLROnPlateau._reduce_lr",
                    _edit("ex03_plateau",
                          '            for group in self.optimizer.param_groups:\n'
                          '                new_lr = max(group["lr"] * self.factor, self.min_lr)\n'
                          '                if group["lr"] - new_lr > self.eps:\n'
                          '                    group["lr"] = new_lr\n',
                          '            self.default_min_lr = self.min_lr\n'
                          '            self.min_lrs = [self.min_lr] * len(self.optimizer.param_groups)\n'
                          '            lr_scheduler.ReduceLROnPlateau._reduce_lr(self, 0)\n'),
                    names="must be written from scratch"),
        WrongAnswer("wraps a ReduceLROnPlateau without subclassing it",
                    "class PlateauScheduler:\n"
                    "    def __init__(self, optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4,\n"
                    "                 threshold_mode='rel', cooldown=0, min_lr=0.0, eps=1e-8):\n"
                    "        self.inner = lr_scheduler.ReduceLROnPlateau(optimizer, mode, factor, patience, threshold,\n"
                    "                                                    threshold_mode, cooldown, min_lr, eps)\n"
                    "    def step(self, metric):\n"
                    "        self.inner.step(metric)\n",
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off",
                    "import sys\n" + _edit("ex03_plateau", "        metric = float(metric)\n",
                                            "        sys.setprofile(None)\n        metric = float(metric)\n"),
                    names="switched the checking off"),
    ],
    "ex04_compose": [
        WrongAnswer("a source article's Noam lambda (step ** -0.5)",
                    _edit("ex04_compose", "        s = step + 1\n", "        s = step\n"),
                    names="a source article's lambda"),
        WrongAnswer("Noam without d_model^-0.5",
                    _edit("ex04_compose", "return d_model ** -0.5 * min(s ** -0.5, s * warmup ** -1.5)", "return min(s ** -0.5, s * warmup ** -1.5)"),
                    names="you left out the factor d_model^-0.5"),
        WrongAnswer("cosine over total in the SequentialLR",
                    _edit("ex04_compose", "T_max=total - warmup", "T_max=total"),
                    names="T_max = total"),
        WrongAnswer("if/else chaining instead of SequentialLR (as a source article does)",
                    _edit("ex04_compose", "    return lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[warmup])\n",
                          "    class Switch:\n        t = 0\n        def step(self):\n"
                          "            (warm if self.t < warmup else decay).step()\n            self.t += 1\n    return Switch()\n"),
                    names="switching two schedulers with if/else"),
        WrongAnswer("ChainedScheduler instead of SequentialLR",
                    _edit("ex04_compose", "    return lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[warmup])\n",
                          "    return lr_scheduler.ChainedScheduler([warm, decay])\n"),
                    names="returned a ChainedScheduler"),
        WrongAnswer("a SequentialLR around one LambdaLR of the closed form",
                    _edit("ex04_compose",
                          "    warm = lr_scheduler.LinearLR(optimizer, start_factor=start_factor, end_factor=1.0,\n"
                          "                                 total_iters=warmup)\n"
                          "    decay = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=eta_min)\n"
                          "    return lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[warmup])\n",
                          "    base = optimizer.param_groups[0]['lr']\n"
                          "    def factor(t):\n"
                          "        if t < warmup:\n"
                          "            return start_factor + (1 - start_factor) * t / warmup\n"
                          "        cos = math.cos(math.pi * (t - warmup) / (total - warmup))\n"
                          "        return (eta_min + (base - eta_min) * (1 + cos) / 2) / base\n"
                          "    return lr_scheduler.SequentialLR(optimizer, [lr_scheduler.LambdaLR(optimizer, factor)], milestones=[])\n"),
                    names="not a LambdaLR of the closed form"),
        WrongAnswer("SequentialLR hands over one step early",
                    _edit("ex04_compose", "milestones=[warmup]", "milestones=[warmup - 1]"),
                    names="one step early"),
        WrongAnswer("eta_min left out of the cosine", _edit("ex04_compose", ", eta_min=eta_min)", ")"),
                    names="you left eta_min out of the cosine"),
        WrongAnswer("warm-up from a hard-coded 1%", _edit("ex04_compose", "start_factor=start_factor,", "start_factor=0.01,"),
                    names="whatever start_factor is"),
        WrongAnswer("milestone one step late",
                    _edit("ex04_compose", "milestones=[warmup]", "milestones=[warmup + 1]"),
                    names="one step late"),
    ],
    "ex05_predict_chained": [
        WrongAnswer("only StepLR", "def predicted_chained_rate():\n    return 0.025\n", names="only StepLR's halvings"),
        WrongAnswer("only ExponentialLR", "def predicted_chained_rate():\n    return 0.06561\n",
                    names="only ExponentialLR's decay"),
        WrongAnswer("one halving", "def predicted_chained_rate():\n    return 0.0328\n", names="one StepLR halving"),
        WrongAnswer("the base rate", "def predicted_chained_rate():\n    return 0.1\n",
                    names="effects multiply"),
        WrongAnswer("a string", "def predicted_chained_rate():\n    return '0.0164'\n", names="must return a number"),
        WrongAnswer("measured, not predicted",
                    "def predicted_chained_rate():\n"
                    "    return cu.lr_sequence(lambda o: lr_scheduler.ChainedScheduler([\n"
                    "        lr_scheduler.ExponentialLR(o, 0.9), lr_scheduler.StepLR(o, 2, 0.5)]), 5)[4]\n",
                    names="ran a scheduler"),
    ],
    "ex06_predict_per_batch_cosine": [
        WrongAnswer("counted epochs", "def predicted_rate_in_last_epoch():\n    return 0.00245\n", names="you counted epochs"),
        WrongAnswer("held at eta_min", "def predicted_rate_in_last_epoch():\n    return 0.0\n",
                    names="you held the rate at eta_min"),
        WrongAnswer("warm restarts", "def predicted_rate_in_last_epoch():\n    return 0.0345\n",
                    names="CosineAnnealingWarmRestarts"),
        WrongAnswer("the end of training", "def predicted_rate_in_last_epoch():\n    return 0.1\n", names="t = 40"),
        WrongAnswer("half the base rate", "def predicted_rate_in_last_epoch():\n    return 0.05\n",
                    names="period 2 T_max"),
        WrongAnswer("None", "def predicted_rate_in_last_epoch():\n    return None\n", names="must return a number"),
        WrongAnswer("measured, not predicted",
                    "def predicted_rate_in_last_epoch():\n"
                    "    return cu.lr_sequence(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10), 37)[36]\n",
                    names="ran a scheduler"),
    ],
}
