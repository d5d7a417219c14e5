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
                    names="round() instead of floor()"),
        WrongAnswer("step counted from 1", _edit("ex01_decays", "gamma ** (t // step_size)", "gamma ** ((t + 1) // step_size)"),
                    names="t counts scheduler.step() calls from 0"),
        WrongAnswer("milestone drop one step late", _edit("ex01_decays", "bisect.bisect_right(sorted(milestones), t)",
                                                          "bisect.bisect_left(sorted(milestones), t)"),
                    names="the rate changes at t = milestone"),
        WrongAnswer("cosine with 1 - cos (seed 003)", _edit("ex01_decays", "(1 + math.cos(math.pi * t / T_max)) / 2",
                                                            "(1 - math.cos(math.pi * t / T_max)) / 2"),
                    names="seed 003's formula"),
        WrongAnswer("warm-up from zero", _edit("ex01_decays", "base_lr * (start_factor + (1 - start_factor) * t / warmup)",
                                               "base_lr * t / warmup"),
                    names="start_factor ignored"),
        WrongAnswer("cosine part over total", _edit("ex01_decays", "cosine_lr(t - warmup, base_lr, total - warmup, eta_min)",
                                                    "cosine_lr(t - warmup, base_lr, total, eta_min)"),
                    names="T_max = total instead of total - warmup"),
        WrongAnswer("unsorted milestones", _edit("ex01_decays", "bisect.bisect_right(sorted(milestones), t)",
                                                 "bisect.bisect_right(milestones, t)")),
    ],
    "ex02_cyclic": [
        WrongAnswer("seed 002's sketch",
                    _edit("ex02_cyclic", "    cycle = math.floor(1 + t / total)\n    x = 1.0 + t / total - cycle\n"
                          "    height = x / ratio if x <= ratio else (x - 1) / (ratio - 1)\n"
                          '    scale = {"triangular": 1.0, "triangular2": 1 / 2.0 ** (cycle - 1), "exp_range": gamma ** t}[mode]\n'
                          "    return base_lr + (max_lr - base_lr) * height * scale\n",
                          "    cycle = math.floor(1 + t / (2 * step_size_up))\n    x = abs(t / step_size_up - 2 * cycle + 1)\n"
                          '    scale_fn = {"triangular": lambda v: 1.0, "triangular2": lambda v: 1 / 2.0 ** (v - 1), '
                          '"exp_range": lambda v: gamma ** v}[mode]\n'
                          "    return base_lr + (max_lr - base_lr) * scale_fn(cycle + x)\n"),
                    names="seed 002's sketch"),
        WrongAnswer("exp_range scaled per cycle", _edit("ex02_cyclic", '"exp_range": gamma ** t}', '"exp_range": gamma ** cycle}')),
        WrongAnswer("step_size_down ignored", _edit("ex02_cyclic", "step_size_down = step_size_up if step_size_down is None else step_size_down",
                                                    "step_size_down = step_size_up"),
                    names="step_size_down ignored"),
        WrongAnswer("one-cycle peak one step late", _edit("ex02_cyclic", "peak_step = float(pct_start * total_steps) - 1",
                                                          "peak_step = float(pct_start * total_steps)"),
                    names="pct_start * total_steps - 1"),
        WrongAnswer("one-cycle final rate from max_lr", _edit("ex02_cyclic", "final = initial / final_div_factor", "final = max_lr / final_div_factor"),
                    names="initial_lr / final_div_factor"),
        WrongAnswer("one-cycle with linear annealing",
                    _edit("ex02_cyclic", "anneal = lambda start, end, q: end + (start - end) / 2 * (math.cos(math.pi * q) + 1)",
                          "anneal = lambda start, end, q: start + (end - start) * q"),
                    names="linear annealing"),
    ],
    "ex03_plateau": [
        WrongAnswer("reduces when bad epochs reach patience", _edit("ex03_plateau", "if self.num_bad_epochs > self.patience:",
                                                                     "if self.num_bad_epochs >= self.patience:"),
                    names="they exceed it"),
        WrongAnswer("cooldown ignored", _edit("ex03_plateau", "        if self.cooldown_counter > 0:\n            self.cooldown_counter -= 1\n"
                                              "            self.num_bad_epochs = 0\n", ""),
                    names="cooldown ignored"),
        WrongAnswer("threshold modes swapped",
                    _edit("ex03_plateau", 'return metric < (self.best * (1 - self.threshold) if self.threshold_mode == "rel" else self.best - self.threshold)',
                          'return metric < (self.best - self.threshold if self.threshold_mode == "rel" else self.best * (1 - self.threshold))'),
                    names="the other threshold_mode"),
        WrongAnswer("mode max treated as min",
                    _edit("ex03_plateau", '        if self.mode == "min":\n            return metric <', '        if True:\n            return metric <',
                          'self.best = math.inf if mode == "min" else -math.inf', "self.best = math.inf"),
                    names="mode ignored"),
        WrongAnswer("min_lr ignored", _edit("ex03_plateau", 'new_lr = max(group["lr"] * self.factor, self.min_lr)',
                                            'new_lr = group["lr"] * self.factor'),
                    names="min_lr ignored"),
        WrongAnswer("eps ignored", _edit("ex03_plateau", 'if group["lr"] - new_lr > self.eps:', "if True:")),
        WrongAnswer("counter not reset after a reduction",
                    _edit("ex03_plateau", "self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0",
                          "self.cooldown_counter = self.cooldown")),
        WrongAnswer("delegates to ReduceLROnPlateau",
                    "class PlateauScheduler(lr_scheduler.ReduceLROnPlateau):\n    pass\n",
                    names="without subclassing ReduceLROnPlateau"),
    ],
    "ex04_compose": [
        WrongAnswer("seed 000's Noam lambda (step ** -0.5)",
                    _edit("ex04_compose", "        s = step + 1\n", "        s = step\n"),
                    names="seed 000's lambda"),
        WrongAnswer("Noam without d_model^-0.5",
                    _edit("ex04_compose", "return d_model ** -0.5 * min(s ** -0.5, s * warmup ** -1.5)", "return min(s ** -0.5, s * warmup ** -1.5)"),
                    names="without d_model^-0.5"),
        WrongAnswer("cosine over total in the SequentialLR",
                    _edit("ex04_compose", "T_max=total - warmup", "T_max=total"),
                    names="T_max = total"),
        WrongAnswer("if/else chaining instead of SequentialLR (seed 000)",
                    _edit("ex04_compose", "    return lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[warmup])\n",
                          "    class Switch:\n        t = 0\n        def step(self):\n"
                          "            (warm if self.t < warmup else decay).step()\n            self.t += 1\n    return Switch()\n"),
                    names="chaining with if/else"),
        WrongAnswer("milestone one step late",
                    _edit("ex04_compose", "milestones=[warmup]", "milestones=[warmup + 1]")),
    ],
}
