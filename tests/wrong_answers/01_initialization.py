"""Plausible wrong answers for 01 Initialization. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner). Most are small
edits of the reference answer, so they stay in step with it; whole different approaches are written out."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "01_initialization")


def _predicting(exercise: str, value: str) -> str:
    """The reference prediction with its ``return`` line replaced by ``return value``."""
    answer = _edit(exercise)
    line = next(line for line in answer.splitlines() if line.lstrip().startswith("return "))
    return _edit(exercise, line, f"    return {value}")


# ------------------------------------------------------------------ ex01: count_distinct_units
_DISTANCE = "(row - rep).abs().max() <= atol"
_CHECK_2D = ('    if weight.dim() != 2:\n'
             '        raise ValueError("weight must be 2-D (out_features, in_features), got shape "\n'
             '                         f"{tuple(weight.shape)}")\n')
_CHECKED_HEAD = "def count_distinct_units(weight, atol=1e-5):\n" + _CHECK_2D

BANK = {
    "ex01_symmetry": [
        WrongAnswer("groups the columns (inputs) instead of the rows (units)",
                    _edit("ex01_symmetry", "for row in weight.detach():", "for row in weight.detach().T:"),
                    names="distinct columns"),
        WrongAnswer("counts bit-identical rows with torch.unique",
                    _CHECKED_HEAD + "    return len(torch.unique(weight, dim=0))\n",
                    names="bit-identical"),
        WrongAnswer("compares every unit with the first unit only",
                    _edit("ex01_symmetry", f"if not any({_DISTANCE} for rep in representatives):",
                          "if not representatives or (row - representatives[0]).abs().max() > atol:"),
                    names="first unit only"),
        WrongAnswer("ignores the atol argument (fixed tolerance)",
                    _edit("ex01_symmetry", _DISTANCE, "(row - rep).abs().max() <= 1e-5"),
                    names="ignored the atol argument"),
        WrongAnswer("accepts tensors that are not 2-D", _edit("ex01_symmetry", _CHECK_2D, ""),
                    names="expected ValueError"),
        WrongAnswer("compares rows with torch.allclose (adds rtol=1e-5 to atol)",
                    _edit("ex01_symmetry", _DISTANCE, "torch.allclose(row, rep, atol=atol)"),
                    names="torch.allclose"),
        WrongAnswer("uses a strict < atol", _edit("ex01_symmetry", _DISTANCE, "(row - rep).abs().max() < atol"),
                    names="strict < atol"),
        WrongAnswer("joins a group when the row matches any member, not the group's first row",
                    _CHECKED_HEAD + "    groups = []\n    for row in weight:\n        for group in groups:\n"
                    "            if any((row - member).abs().max() <= atol for member in group):\n"
                    "                group.append(row)\n                break\n"
                    "        else:\n            groups.append([row])\n    return len(groups)\n",
                    names="matches ANY member"),
        WrongAnswer("compares the mean absolute difference",
                    _edit("ex01_symmetry", _DISTANCE, "(row - rep).abs().mean() <= atol"),
                    names="mean absolute difference"),
        WrongAnswer("compares the Euclidean norm of the difference",
                    _edit("ex01_symmetry", _DISTANCE, "(row - rep).norm() <= atol"),
                    names="Euclidean norm"),
        WrongAnswer("compares the signed difference (no abs)",
                    _edit("ex01_symmetry", _DISTANCE, "(row - rep).max() <= atol"),
                    names="without abs()"),
        WrongAnswer("compares the signed difference the other way round (no abs)",
                    _edit("ex01_symmetry", _DISTANCE, "(rep - row).max() <= atol"),
                    names="without abs()"),
        WrongAnswer("rounds the weights to a grid of step atol and counts unique rows",
                    _CHECKED_HEAD + "    return len(torch.unique(torch.round(weight / atol), dim=0))\n",
                    names="grid of step atol"),
    ],
}

# ------------------------------------------------------------------ ex02: compute_fans
_FANS = "return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field"
_FIELD = "receptive_field = math.prod(tensor.shape[2:])"
_CHECK_FANS = ('    if tensor.dim() < 2:\n'
               '        raise ValueError("fans need a tensor with at least 2 dimensions, got shape "\n'
               '                         f"{tuple(tensor.shape)}")\n')

BANK["ex02_fans"] = [
    WrongAnswer("swaps fan_in and fan_out (reads the weight as (in, out))",
                _edit("ex02_fans", _FANS,
                      "return tensor.shape[0] * receptive_field, tensor.shape[1] * receptive_field"),
                names="swapped fan_in and fan_out"),
    WrongAnswer("forgets the receptive field of convolutions",
                _edit("ex02_fans", _FANS, "return tensor.shape[1], tensor.shape[0]"),
                names="left the receptive field"),
    WrongAnswer("multiplies the receptive field into the fan-in only",
                _edit("ex02_fans", _FANS, "return tensor.shape[1] * receptive_field, tensor.shape[0]"),
                names="fan-in only"),
    WrongAnswer("delegates to torch's private helper",
                "def compute_fans(tensor):\n    return nn.init._calculate_fan_in_and_fan_out(tensor)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to torch's other private helper, _calculate_correct_fan",
                "def compute_fans(tensor):\n"
                "    return (nn.init._calculate_correct_fan(tensor, 'fan_in'),\n"
                "            nn.init._calculate_correct_fan(tensor, 'fan_out'))\n",
                names="must be written from scratch"),
    WrongAnswer("imports the private helper under another name",
                "from torch.nn.init import _calculate_fan_in_and_fan_out as _fans_of\n"
                "def compute_fans(tensor):\n    return _fans_of(tensor)\n",
                names="must be written from scratch"),
    WrongAnswer("switches the guard off before delegating",
                "def compute_fans(tensor):\n    import sys\n    sys.setprofile(None)\n"
                "    return nn.init._calculate_fan_in_and_fan_out(tensor)\n",
                names="switched the checking off"),
    WrongAnswer("returns a list instead of a tuple",
                _edit("ex02_fans", _FANS,
                      "return [tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field]"),
                names="expected a tuple"),
    WrongAnswer("returns tensors (the receptive field as a tensor product)",
                _edit("ex02_fans", _FIELD, "receptive_field = torch.tensor(tensor.shape[2:]).prod()"),
                names="must be Python ints"),
    WrongAnswer("returns floats", _edit("ex02_fans", _FIELD, "receptive_field = float(math.prod(tensor.shape[2:]))"),
                names="must be Python ints"),
    WrongAnswer("assumes a square kernel",
                _edit("ex02_fans", _FIELD,
                      "receptive_field = tensor.shape[2] ** (tensor.dim() - 2) if tensor.dim() > 2 else 1"),
                names="assumed a square kernel"),
    WrongAnswer("uses only the first kernel dimension",
                _edit("ex02_fans", _FIELD, "receptive_field = tensor.shape[2] if tensor.dim() > 2 else 1"),
                names="first kernel dimension only"),
    WrongAnswer("rejects 1-D tensors but not 0-D ones (IndexError)",
                _edit("ex02_fans", "if tensor.dim() < 2:", "if tensor.dim() == 1:"),
                names="expected ValueError"),
    WrongAnswer("does not reject 1-D tensors (pads the shape with ones)",
                _edit("ex02_fans", _CHECK_FANS,
                      "    tensor = tensor.reshape(tuple(tensor.shape) + (1,) * (2 - tensor.dim()))\n"),
                names="expected ValueError"),
]

# ------------------------------------------------------------------ ex03: xavier_uniform_ / xavier_normal_
_XAVIER_STD = "std = gain * math.sqrt(2.0 / (fan_in + fan_out))"
_UNIFORM_STD = f"    {_XAVIER_STD}\n    bound = math.sqrt(3.0) * std\n"  # in xavier_uniform_ only
_NORMAL_STD = f"    {_XAVIER_STD}\n    with torch.no_grad():\n        return tensor.normal_("  # in xavier_normal_ only
_UNIFORM_FILL = "    with torch.no_grad():\n        return tensor.uniform_(-bound, bound, generator=generator)"
_NORMAL_FILL = "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)"

BANK["ex03_xavier"] = [
    WrongAnswer("uses the std as the uniform bound (forgets sqrt(3))",
                _edit("ex03_xavier", "bound = math.sqrt(3.0) * std", "bound = std"),
                names="without the factor sqrt(3)"),
    WrongAnswer("uses fan_in only",
                _edit("ex03_xavier", _UNIFORM_STD, "    bound = gain * math.sqrt(6.0 / fan_in)\n",
                      _NORMAL_STD, _NORMAL_STD.replace("2.0 / (fan_in + fan_out)", "1.0 / fan_in")),
                names="fan_in alone"),
    WrongAnswer("uses the uniform's sqrt(6/...) as the normal std",
                _edit("ex03_xavier", _NORMAL_STD, _NORMAL_STD.replace("2.0 / (fan_in", "6.0 / (fan_in")),
                names="the uniform bound as the normal std"),
    WrongAnswer("passes the variance to normal_ instead of the std",
                _edit("ex03_xavier", "tensor.normal_(0.0, std, generator=generator)",
                      "tensor.normal_(0.0, std ** 2, generator=generator)"),
                names="passed the variance to normal_"),
    WrongAnswer("delegates to nn.init",
                "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                "    return nn.init.xavier_uniform_(tensor, gain, generator=generator)\n"
                "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                "    return nn.init.xavier_normal_(tensor, gain, generator=generator)\n",
                names="must be written from scratch"),
    WrongAnswer("computes the bound itself but fans and draws with nn.init's private helpers",
                _edit("ex03_xavier", _UNIFORM_STD, _UNIFORM_STD.replace(
                          "    std", "    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)\n    std"),
                      _UNIFORM_FILL, "    return nn.init._no_grad_uniform_(tensor, -bound, bound, generator)",
                      _NORMAL_FILL, "    return nn.init._no_grad_normal_(tensor, 0.0, std, generator)"),
                names="must be written from scratch"),
    WrongAnswer("draws with the public nn.init.uniform_ / nn.init.normal_",
                _edit("ex03_xavier",
                      _UNIFORM_FILL, "    return nn.init.uniform_(tensor, -bound, bound, generator=generator)",
                      _NORMAL_FILL, "    return nn.init.normal_(tensor, 0.0, std, generator=generator)"),
                names="must be written from scratch"),
    WrongAnswer("switches the guard off before delegating to nn.init",
                "import sys\n"
                "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                "    sys.setprofile(None)\n"
                "    return nn.init.xavier_uniform_(tensor, gain, generator=generator)\n"
                "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                "    sys.setprofile(None)\n"
                "    return nn.init.xavier_normal_(tensor, gain, generator=generator)\n",
                names="switched the checking off"),
    WrongAnswer("returns a new tensor instead of filling in place",
                _edit("ex03_xavier",
                      _UNIFORM_FILL,
                      "    return torch.empty(tensor.shape).uniform_(-bound, bound, generator=generator)",
                      _NORMAL_FILL, "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)"),
                names="in place"),
    WrongAnswer("fills a parameter without torch.no_grad()",
                _edit("ex03_xavier", _UNIFORM_FILL, "    return tensor.uniform_(-bound, bound, generator=generator)",
                      _NORMAL_FILL, "    return tensor.normal_(0.0, std, generator=generator)"),
                names="torch.no_grad()"),
    WrongAnswer("ignores the generator argument",
                _edit("ex03_xavier",
                      "tensor.uniform_(-bound, bound, generator=generator)", "tensor.uniform_(-bound, bound)",
                      "tensor.normal_(0.0, std, generator=generator)", "tensor.normal_(0.0, std)"),
                names="from the `generator` argument"),
    WrongAnswer("xavier_normal_ returns a new tensor (xavier_uniform_ fills in place)",
                _edit("ex03_xavier", _NORMAL_FILL,
                      "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)"),
                names="xavier_normal_ (4x6, gain 1) must fill the given tensor in place"),
    WrongAnswer("computes the std with float32 tensors (then the bound from it)",
                _edit("ex03_xavier", _UNIFORM_STD, _UNIFORM_STD.replace(
                          _XAVIER_STD, "std = (gain * torch.sqrt(torch.tensor(2.0 / (fan_in + fan_out)))).item()"),
                      _NORMAL_STD, _NORMAL_STD.replace(
                          _XAVIER_STD, "std = (gain * torch.sqrt(torch.tensor(2.0 / (fan_in + fan_out)))).item()")),
                names="not bit for bit"),
]

# ------------------------------------------------------------------ ex04: kaiming_uniform_ / kaiming_normal_
_GAIN_OVER_FAN = "return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)"
_MODE_CHECK = ('    if mode not in ("fan_in", "fan_out"):\n'
               '        raise ValueError(f"mode must be \'fan_in\' or \'fan_out\', got {mode!r}")\n')
_KAIMING_UNIFORM_FILL = "    with torch.no_grad():\n        return tensor.uniform_(-bound, bound, generator=generator)"
_KAIMING_NORMAL_FILL = "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)"

BANK["ex04_kaiming"] = [
    WrongAnswer("uses the gain squared (2 for ReLU)",
                _edit("ex04_kaiming", _GAIN_OVER_FAN,
                      "return nn.init.calculate_gain(nonlinearity, a) ** 2 / math.sqrt(fan)"),
                names="squared the gain"),
    WrongAnswer("ignores mode (always fan_in)",
                _edit("ex04_kaiming", 'fan = fan_in if mode == "fan_in" else fan_out', "fan = fan_in"),
                names="although mode='fan_out'"),
    WrongAnswer("uses the std as the uniform bound",
                _edit("ex04_kaiming", "bound = math.sqrt(3.0) * _kaiming_std(", "bound = _kaiming_std("),
                names="without the factor sqrt(3)"),
    WrongAnswer("uses ReLU's sqrt(2) for leaky_relu whatever the slope a",
                _edit("ex04_kaiming", _GAIN_OVER_FAN,
                      "gain = math.sqrt(2.0) if nonlinearity in ('relu', 'leaky_relu') "
                      "else nn.init.calculate_gain(nonlinearity, a)\n    return gain / math.sqrt(fan)"),
                names="ignored the negative slope a"),
    WrongAnswer("puts sqrt(3) into the normal std too",
                _edit("ex04_kaiming", "std = _kaiming_std(tensor, a, mode, nonlinearity)",
                      "std = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)"),
                names="factor sqrt(3) into the normal std"),
    WrongAnswer("accepts an unknown mode silently", _edit("ex04_kaiming", _MODE_CHECK, ""),
                names="expected ValueError"),
    WrongAnswer("calls calculate_gain(nonlinearity) without a (leaky_relu's default slope 0.01)",
                _edit("ex04_kaiming", _GAIN_OVER_FAN, "return nn.init.calculate_gain(nonlinearity) / math.sqrt(fan)"),
                names="default slope 0.01"),
    WrongAnswer("uses ReLU's gain whatever the nonlinearity",
                _edit("ex04_kaiming", _GAIN_OVER_FAN, "return math.sqrt(2.0 / (1 + a ** 2)) / math.sqrt(fan)"),
                names="ignored the nonlinearity argument"),
    WrongAnswer("computes the std in float32",
                _edit("ex04_kaiming", _GAIN_OVER_FAN,
                      "gain = torch.tensor(nn.init.calculate_gain(nonlinearity, a))\n"
                      "    return (gain / torch.sqrt(torch.tensor(float(fan)))).item()"),
                names="not bit for bit"),
    WrongAnswer("kaiming_normal_ returns a new tensor",
                _edit("ex04_kaiming", _KAIMING_NORMAL_FILL,
                      "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)"),
                names="kaiming_normal_ (3x4, tanh, fan_in) must fill the given tensor in place"),
    WrongAnswer("delegates to nn.init",
                "def kaiming_uniform_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    return nn.init.kaiming_uniform_(tensor, a, mode, nonlinearity, generator)\n"
                "def kaiming_normal_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    return nn.init.kaiming_normal_(tensor, a, mode, nonlinearity, generator)\n",
                names="must be written from scratch"),
    WrongAnswer("takes the fan from nn.init's private _calculate_correct_fan",
                _edit("ex04_kaiming", '    fan_in, fan_out = compute_fans(tensor)\n'
                                      '    fan = fan_in if mode == "fan_in" else fan_out\n',
                      "    fan = nn.init._calculate_correct_fan(tensor, mode)\n"),
                names="must be written from scratch"),
    WrongAnswer("draws with nn.init's private _no_grad_uniform_ / _no_grad_normal_",
                _edit("ex04_kaiming",
                      _KAIMING_UNIFORM_FILL, "    return nn.init._no_grad_uniform_(tensor, -bound, bound, generator)",
                      _KAIMING_NORMAL_FILL, "    return nn.init._no_grad_normal_(tensor, 0.0, std, generator)"),
                names="must be written from scratch"),
    WrongAnswer("leaves the dispatch mode that records operators, then delegates",
                "from torch.utils._python_dispatch import _disable_current_modes\n"
                "def kaiming_uniform_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    with _disable_current_modes():\n"
                "        return nn.init.kaiming_uniform_(tensor, a, mode, nonlinearity, generator)\n"
                "def kaiming_normal_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    with _disable_current_modes():\n"
                "        return nn.init.kaiming_normal_(tensor, a, mode, nonlinearity, generator)\n",
                names="switched the checking off"),
]

# ------------------------------------------------------------------ ex05: per_layer_activation_std
_STEP = "            h = module(h)\n"
_APPEND = "stds.append(h.std())"
_IS_ACTIVATION = "isinstance(module, cu.ACTIVATION_TYPES)"
_NO_GRAD = "    with torch.no_grad():\n        h = x\n"
_GRAPH = "    with torch.enable_grad():\n        h = x\n"

BANK["ex05_activation_std"] = [
    WrongAnswer("measures the Linear outputs (pre-activations)",
                _edit("ex05_activation_std", _STEP, "            before, h = h, module(h)\n",
                      _APPEND, "stds.append(before.std())"),
                names="before its activation"),
    WrongAnswer("uses the biased std (correction=0)",
                _edit("ex05_activation_std", _APPEND, "stds.append(h.std(correction=0))"),
                names="correction=0"),
    WrongAnswer("averages per-unit stds over units",
                _edit("ex05_activation_std", _APPEND, "stds.append(h.std(dim=0).mean())"),
                names="averaged over units"),
    WrongAnswer("leaves its forward hooks on the model",
                "def per_layer_activation_std(model, x):\n    stds = []\n"
                "    for m in model:\n"
                "        if isinstance(m, cu.ACTIVATION_TYPES):\n"
                "            m.register_forward_hook(lambda _m, _i, out: stds.append(out.std()))\n"
                "    with torch.no_grad():\n        model(x)\n    return torch.stack(stds)\n",
                names="hooks were left"),
    WrongAnswer("builds an autograd graph", _edit("ex05_activation_std", _NO_GRAD, _GRAPH),
                names="must not require grad"),
    WrongAnswer("delegates to course_utils",
                "def per_layer_activation_std(model, x):\n"
                "    return torch.tensor(cu.std_per_layer(cu.record_activations(model, x)))\n",
                names="must be written from scratch"),
    WrongAnswer("runs course_utils' private hook helper",
                "def per_layer_activation_std(model, x):\n    stds = []\n"
                "    with torch.no_grad():\n"
                "        cu.stats._forward_with_hooks(model, x, cu.ACTIVATION_TYPES,\n"
                "                                     lambda name, out: stds.append(out.std()))\n"
                "    return torch.stack(stds)\n",
                names="must be written from scratch"),
    WrongAnswer("imports record_activations under another name",
                "from course_utils.stats import record_activations as _grab\n"
                "def per_layer_activation_std(model, x):\n"
                "    return torch.stack([h.std() for h in _grab(model, x).values()])\n",
                names="must be written from scratch"),
    WrongAnswer("switches the guard off before delegating to course_utils",
                "def per_layer_activation_std(model, x):\n    import sys\n    sys.setprofile(None)\n"
                "    return torch.tensor(cu.std_per_layer(cu.record_activations(model, x)))\n",
                names="switched the checking off"),
    WrongAnswer("lists the activation types itself (nn.ReLU, nn.Tanh)",
                _edit("ex05_activation_std", _IS_ACTIVATION, "isinstance(module, (nn.ReLU, nn.Tanh))"),
                names="listed activation types yourself"),
    WrongAnswer("measures every module that is not an nn.Linear (Identity and Dropout too)",
                _edit("ex05_activation_std", _IS_ACTIVATION, "not isinstance(module, nn.Linear)"),
                names="every module that is not an nn.Linear"),
    WrongAnswer("returns a Python list",
                _edit("ex05_activation_std", _APPEND, "stds.append(h.std().item())",
                      "return torch.stack(stds)", "return stds"),
                names="expected a 1-D tensor"),
    WrongAnswer("returns float32 whatever the activations' dtype",
                _edit("ex05_activation_std", _APPEND, "stds.append(h.std().item())",
                      "return torch.stack(stds)", "return torch.tensor(stds)"),
                names="dtype torch.float64"),
    WrongAnswer("builds a graph and detaches the result at the end",
                _edit("ex05_activation_std", _NO_GRAD, _GRAPH,
                      "return torch.stack(stds)", "return torch.stack(stds).detach()"),
                names="built an autograd graph"),
    WrongAnswer("switches the model to eval mode and leaves it there",
                _edit("ex05_activation_std", "    stds = []\n", "    stds = []\n    model.eval()\n"),
                names="did not restore it"),
    WrongAnswer("switches to eval mode, then always back to training mode",
                _edit("ex05_activation_std", "    stds = []\n", "    stds = []\n    model.eval()\n",
                      "    return torch.stack(stds)", "    model.train()\n    return torch.stack(stds)"),
                names="did not restore it"),
    WrongAnswer("also counts the output of every Linear layer",
                _edit("ex05_activation_std", _IS_ACTIVATION, "isinstance(module, (nn.Linear, *cu.ACTIVATION_TYPES))"),
                names="expected shape"),
]

# ------------------------------------------------------------------ ex06, ex07: predictions
BANK["ex06_predict_default_init"] = [
    WrongAnswer("expects the default to be Kaiming-ReLU", _predicting("ex06_predict_default_init", "1.0"),
                names="expected the default to be Kaiming-ReLU"),
    WrongAnswer("forgets ReLU's factor 2 in Kaiming's variance", _predicting("ex06_predict_default_init", "1 / 3"),
                names="left ReLU's factor 2 out"),
    WrongAnswer("compares standard deviations", _predicting("ex06_predict_default_init", "0.408"),
                names="compared standard deviations"),
    WrongAnswer("takes the bound for the standard deviation", _predicting("ex06_predict_default_init", "0.5"),
                names="bound b for its standard deviation"),
    WrongAnswer("inverts the ratio", _predicting("ex06_predict_default_init", "6"), names="inverted the ratio"),
    WrongAnswer("an unexplained guess", _predicting("ex06_predict_default_init", "0.25"),
                names="ratio of the squared gains"),
    WrongAnswer("returns the fraction as a string", _predicting("ex06_predict_default_init", "'1/6'"),
                names="must return a number"),
]

BANK["ex07_predict_xavier_relu"] = [
    WrongAnswer("gives the variance's factor", _predicting("ex07_predict_xavier_relu", "0.5"),
                names="factor of the variance"),
    WrongAnswer("expects Xavier to keep the std constant under ReLU", _predicting("ex07_predict_xavier_relu", "1.0"),
                names="expected Xavier to keep the std constant"),
    WrongAnswer("gives ReLU's std fraction of one layer", _predicting("ex07_predict_xavier_relu", "0.58"),
                names="std of relu(z)"),
    WrongAnswer("gives the change over all 30 layers", _predicting("ex07_predict_xavier_relu", "2 ** -14.5"),
                names="over all 30 layers"),
    WrongAnswer("inverts the factor", _predicting("ex07_predict_xavier_relu", "1.41"), names="inverted the factor"),
    WrongAnswer("an unexplained guess", _predicting("ex07_predict_xavier_relu", "0.9"),
                names="halves the second moment"),
]
