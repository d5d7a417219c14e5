"""Plausible wrong answers for 01 Initialization. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner)."""

from tools.nbpipeline import WrongAnswer

_GROUPS = '''
    representatives = []
    for row in rows:
        if not any((row - rep).abs().max() <= atol for rep in representatives):
            representatives.append(row)
    return len(representatives)
'''
_CHECKED = "def count_distinct_units(weight, atol=1e-5):\n    if weight.dim() != 2:\n        raise ValueError('2-D')\n"


def _grouping(distance: str = "(row - rep).abs().max()", joins: str = "<= atol") -> str:
    '''The greedy grouping with another distance or comparison.'''
    return (_CHECKED + "    rows = weight.detach()"
            + _GROUPS.replace("(row - rep).abs().max() <= atol", f"{distance} {joins}"))


BANK = {
    "ex01_symmetry": [
        WrongAnswer("groups the columns (inputs) instead of the rows (units)",
                    "def count_distinct_units(weight, atol=1e-5):\n    rows = weight.detach().T" + _GROUPS,
                    names="distinct columns"),
        WrongAnswer("counts bit-identical rows with torch.unique",
                    "def count_distinct_units(weight, atol=1e-5):\n"
                    "    if weight.dim() != 2:\n        raise ValueError('2-D')\n"
                    "    return len(torch.unique(weight, dim=0))",
                    names="bit-identical"),
        WrongAnswer("compares every unit with the first unit only",
                    "def count_distinct_units(weight, atol=1e-5):\n"
                    "    if weight.dim() != 2:\n        raise ValueError('2-D')\n"
                    "    first = weight[0]\n"
                    "    return 1 + sum(int((row - first).abs().max() > atol) for row in weight[1:])",
                    names="first unit only"),
        WrongAnswer("ignores the atol argument (fixed tolerance)",
                    "def count_distinct_units(weight, atol=1e-5):\n"
                    "    if weight.dim() != 2:\n        raise ValueError('2-D')\n"
                    "    rows, atol = weight.detach(), 1e-5" + _GROUPS,
                    names="ignored the atol argument"),
        WrongAnswer("accepts tensors that are not 2-D",
                    "def count_distinct_units(weight, atol=1e-5):\n    rows = weight.detach().reshape(len(weight), -1)"
                    + _GROUPS,
                    names="expected ValueError"),
        WrongAnswer("compares rows with torch.allclose (adds rtol=1e-5 to atol)",
                    _CHECKED + "    firsts = []\n    for row in weight:\n"
                    "        if not any(torch.allclose(row, first, atol=atol) for first in firsts):\n"
                    "            firsts.append(row)\n    return len(firsts)",
                    names="torch.allclose"),
        WrongAnswer("uses a strict < atol", _grouping(joins="< atol"), names="strict < atol"),
        WrongAnswer("joins a group when the row matches any member, not the group's first row",
                    _CHECKED + "    groups = []\n    for row in weight:\n        for group in groups:\n"
                    "            if any((row - member).abs().max() <= atol for member in group):\n"
                    "                group.append(row)\n                break\n"
                    "        else:\n            groups.append([row])\n    return len(groups)",
                    names="matches ANY member"),
        WrongAnswer("compares the mean absolute difference", _grouping("(row - rep).abs().mean()"),
                    names="mean absolute difference"),
        WrongAnswer("compares the Euclidean norm of the difference", _grouping("(row - rep).norm()"),
                    names="Euclidean norm"),
        WrongAnswer("compares the signed difference (no abs)", _grouping("(row - rep).max()"),
                    names="without abs()"),
        WrongAnswer("compares the signed difference the other way round (no abs)", _grouping("(rep - row).max()"),
                    names="without abs()"),
        WrongAnswer("rounds the weights to a grid of step atol and counts unique rows",
                    _CHECKED + "    return len(torch.unique(torch.round(weight / atol), dim=0))",
                    names="grid of step atol"),
    ],
    "ex02_fans": [
        WrongAnswer("swaps fan_in and fan_out (reads the weight as (in, out))",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = math.prod(tensor.shape[2:])\n    return tensor.shape[0] * rf, tensor.shape[1] * rf",
                    names="swapped fan_in and fan_out"),
        WrongAnswer("forgets the receptive field of convolutions",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    return tensor.shape[1], tensor.shape[0]",
                    names="left the receptive field"),
        WrongAnswer("multiplies the receptive field into the fan-in only",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    return tensor.shape[1] * math.prod(tensor.shape[2:]), tensor.shape[0]",
                    names="fan-in only"),
        WrongAnswer("delegates to torch's private helper",
                    "def compute_fans(tensor):\n    return nn.init._calculate_fan_in_and_fan_out(tensor)",
                    names="must be written from scratch"),
        WrongAnswer("delegates to torch's other private helper, _calculate_correct_fan",
                    "def compute_fans(tensor):\n"
                    "    return (nn.init._calculate_correct_fan(tensor, 'fan_in'),\n"
                    "            nn.init._calculate_correct_fan(tensor, 'fan_out'))",
                    names="must be written from scratch"),
        WrongAnswer("imports the private helper under another name",
                    "from torch.nn.init import _calculate_fan_in_and_fan_out as _fans_of\n"
                    "def compute_fans(tensor):\n    return _fans_of(tensor)",
                    names="must be written from scratch"),
        WrongAnswer("switches the guard off before delegating",
                    "def compute_fans(tensor):\n    import sys\n    sys.setprofile(None)\n"
                    "    return nn.init._calculate_fan_in_and_fan_out(tensor)",
                    names="switched the checking off"),
        WrongAnswer("returns a list instead of a tuple",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = math.prod(tensor.shape[2:])\n    return [tensor.shape[1] * rf, tensor.shape[0] * rf]",
                    names="expected a tuple"),
        WrongAnswer("returns tensors (the receptive field as a tensor product)",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = torch.tensor(tensor.shape[2:]).prod()\n"
                    "    return tensor.shape[1] * rf, tensor.shape[0] * rf",
                    names="must be Python ints"),
        WrongAnswer("returns floats",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = float(math.prod(tensor.shape[2:]))\n"
                    "    return tensor.shape[1] * rf, tensor.shape[0] * rf",
                    names="must be Python ints"),
        WrongAnswer("assumes a square kernel",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = tensor.shape[2] ** (tensor.dim() - 2) if tensor.dim() > 2 else 1\n"
                    "    return tensor.shape[1] * rf, tensor.shape[0] * rf",
                    names="assumed a square kernel"),
        WrongAnswer("uses only the first kernel dimension",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() < 2:\n        raise ValueError('2-D')\n"
                    "    rf = tensor.shape[2] if tensor.dim() > 2 else 1\n"
                    "    return tensor.shape[1] * rf, tensor.shape[0] * rf",
                    names="first kernel dimension only"),
        WrongAnswer("rejects 1-D tensors but not 0-D ones (IndexError)",
                    "def compute_fans(tensor):\n"
                    "    if tensor.dim() == 1:\n        raise ValueError('1-D')\n"
                    "    rf = math.prod(tensor.shape[2:])\n    return tensor.shape[1] * rf, tensor.shape[0] * rf",
                    names="expected ValueError"),
        WrongAnswer("does not reject 1-D tensors",
                    "def compute_fans(tensor):\n"
                    "    shape = tuple(tensor.shape) + (1,) * (2 - tensor.dim())\n"
                    "    rf = math.prod(shape[2:])\n    return shape[1] * rf, shape[0] * rf",
                    names="expected ValueError"),
    ],
    "ex03_xavier": [
        WrongAnswer("uses the std as the uniform bound (forgets sqrt(3))",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, fan_out = compute_fans(tensor)\n    a = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, fan_out = compute_fans(tensor)\n    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                    names="without the factor sqrt(3)"),
        WrongAnswer("uses fan_in only",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, _ = compute_fans(tensor)\n    a = gain * math.sqrt(6.0 / fan_in)\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, _ = compute_fans(tensor)\n    std = gain * math.sqrt(1.0 / fan_in)\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                    names="fan_in alone"),
        WrongAnswer("uses the uniform's sqrt(6/...) as the normal std",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    return nn.init.uniform_(tensor, -gain * math.sqrt(6.0 / sum(compute_fans(tensor))),"
                    " gain * math.sqrt(6.0 / sum(compute_fans(tensor))), generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                    names="the uniform bound as the normal std"),
        WrongAnswer("passes the variance to normal_ instead of the std",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    var = gain ** 2 * 2.0 / sum(compute_fans(tensor))\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, var, generator=generator)",
                    names="passed the variance to normal_"),
        WrongAnswer("delegates to nn.init",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    return nn.init.xavier_uniform_(tensor, gain, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    return nn.init.xavier_normal_(tensor, gain, generator=generator)",
                    names="must be written from scratch"),
        WrongAnswer("computes the bound itself but fans and draws with nn.init's private helpers",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)\n"
                    "    a = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
                    "    return nn.init._no_grad_uniform_(tensor, -a, a, generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(tensor)\n"
                    "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
                    "    return nn.init._no_grad_normal_(tensor, 0.0, std, generator)",
                    names="must be written from scratch"),
        WrongAnswer("draws with the public nn.init.uniform_ / nn.init.normal_",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    return nn.init.uniform_(tensor, -a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(2.0 / sum(compute_fans(tensor)))\n"
                    "    return nn.init.normal_(tensor, 0.0, std, generator=generator)",
                    names="must be written from scratch"),
        WrongAnswer("switches the guard off before delegating to nn.init",
                    "import sys\n"
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    sys.setprofile(None)\n"
                    "    return nn.init.xavier_uniform_(tensor, gain, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    sys.setprofile(None)\n"
                    "    return nn.init.xavier_normal_(tensor, gain, generator=generator)",
                    names="switched the checking off"),
        WrongAnswer("returns a new tensor instead of filling in place",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    return torch.empty(tensor.shape).uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(2.0 / sum(compute_fans(tensor)))\n"
                    "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)",
                    names="in place"),
        WrongAnswer("fills a parameter without torch.no_grad()",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(2.0 / sum(compute_fans(tensor)))\n"
                    "    return tensor.normal_(0.0, std, generator=generator)",
                    names="torch.no_grad()"),
        WrongAnswer("ignores the generator argument",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(2.0 / sum(compute_fans(tensor)))\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, std)",
                    names="from the `generator` argument"),
        WrongAnswer("xavier_normal_ returns a new tensor (xavier_uniform_ fills in place)",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    a = gain * math.sqrt(6.0 / sum(compute_fans(tensor)))\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = gain * math.sqrt(2.0 / sum(compute_fans(tensor)))\n"
                    "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)",
                    names="xavier_normal_ (4x6, gain 1) must fill the given tensor in place"),
        WrongAnswer("computes the std with float32 tensors (then the bound from it)",
                    "def xavier_uniform_(tensor, gain=1.0, generator=None):\n"
                    "    std = (gain * torch.sqrt(torch.tensor(2.0 / sum(compute_fans(tensor))))).item()\n"
                    "    a = math.sqrt(3.0) * std\n"
                    "    with torch.no_grad():\n        return tensor.uniform_(-a, a, generator=generator)\n"
                    "def xavier_normal_(tensor, gain=1.0, generator=None):\n"
                    "    std = (gain * torch.sqrt(torch.tensor(2.0 / sum(compute_fans(tensor))))).item()\n"
                    "    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                    names="not bit for bit"),
    ],
}

_KAIMING_DRAWS = '''
def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    bound = BOUND_FACTOR * _kaiming_std(tensor, a, mode, nonlinearity)
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)

def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)
'''


def _kaiming(std_body: str, bound_factor: str = "math.sqrt(3.0)") -> str:
    return ("def _kaiming_std(tensor, a, mode, nonlinearity):\n" + std_body
            + _KAIMING_DRAWS.replace("BOUND_FACTOR", bound_factor))


_CHECKED_FANS = ("    if mode not in ('fan_in', 'fan_out'):\n        raise ValueError(mode)\n"
                 "    fan_in, fan_out = compute_fans(tensor)\n"
                 "    fan = fan_in if mode == 'fan_in' else fan_out\n")

BANK["ex04_kaiming"] = [
    WrongAnswer("uses the gain squared (2 for ReLU)",
                _kaiming(_CHECKED_FANS + "    return nn.init.calculate_gain(nonlinearity, a) ** 2 / math.sqrt(fan)\n"),
                names="squared the gain"),
    WrongAnswer("ignores mode (always fan_in)",
                _kaiming("    fan_in, _ = compute_fans(tensor)\n"
                         "    if mode not in ('fan_in', 'fan_out'):\n        raise ValueError(mode)\n"
                         "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan_in)\n"),
                names="although mode='fan_out'"),
    WrongAnswer("uses the std as the uniform bound",
                _kaiming(_CHECKED_FANS + "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n",
                         bound_factor="1.0"),
                names="without the factor sqrt(3)"),
    WrongAnswer("uses ReLU's sqrt(2) for leaky_relu whatever the slope a",
                _kaiming(_CHECKED_FANS + "    gain = math.sqrt(2.0) if nonlinearity in ('relu', 'leaky_relu') "
                         "else nn.init.calculate_gain(nonlinearity, a)\n    return gain / math.sqrt(fan)\n"),
                names="ignored the negative slope a"),
    WrongAnswer("puts sqrt(3) into the normal std too",
                _kaiming(_CHECKED_FANS + "    return math.sqrt(3.0) * nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n",
                         bound_factor="1.0"),
                names="factor sqrt(3) into the normal std"),
    WrongAnswer("accepts an unknown mode silently",
                _kaiming("    fan_in, fan_out = compute_fans(tensor)\n"
                         "    fan = fan_in if mode == 'fan_in' else fan_out\n"
                         "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"),
                names="expected ValueError"),
    WrongAnswer("calls calculate_gain(nonlinearity) without a (leaky_relu's default slope 0.01)",
                _kaiming(_CHECKED_FANS + "    return nn.init.calculate_gain(nonlinearity) / math.sqrt(fan)\n"),
                names="default slope 0.01"),
    WrongAnswer("uses ReLU's gain whatever the nonlinearity",
                _kaiming(_CHECKED_FANS + "    gain = math.sqrt(2.0 / (1 + a ** 2))\n"
                         "    return gain / math.sqrt(fan)\n"),
                names="ignored the nonlinearity argument"),
    WrongAnswer("computes the std in float32",
                _kaiming(_CHECKED_FANS + "    gain = torch.tensor(nn.init.calculate_gain(nonlinearity, a))\n"
                         "    return (gain / torch.sqrt(torch.tensor(float(fan)))).item()\n"),
                names="not bit for bit"),
    WrongAnswer("kaiming_normal_ returns a new tensor",
                _kaiming(_CHECKED_FANS + "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n")
                .replace("    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                         "    return torch.empty(tensor.shape).normal_(0.0, std, generator=generator)"),
                names="kaiming_normal_ (3x4, tanh, fan_in) must fill the given tensor in place"),
    WrongAnswer("delegates to nn.init",
                "def kaiming_uniform_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    return nn.init.kaiming_uniform_(tensor, a, mode, nonlinearity, generator)\n"
                "def kaiming_normal_(tensor, a=0.0, mode='fan_in', nonlinearity='leaky_relu', generator=None):\n"
                "    return nn.init.kaiming_normal_(tensor, a, mode, nonlinearity, generator)\n",
                names="must be written from scratch"),
    WrongAnswer("takes the fan from nn.init's private _calculate_correct_fan",
                _kaiming("    if mode not in ('fan_in', 'fan_out'):\n        raise ValueError(mode)\n"
                         "    fan = nn.init._calculate_correct_fan(tensor, mode)\n"
                         "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"),
                names="must be written from scratch"),
    WrongAnswer("draws with nn.init's private _no_grad_uniform_ / _no_grad_normal_",
                _kaiming(_CHECKED_FANS + "    return nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)\n")
                .replace("    with torch.no_grad():\n        return tensor.uniform_(-bound, bound, "
                         "generator=generator)",
                         "    return nn.init._no_grad_uniform_(tensor, -bound, bound, generator)")
                .replace("    with torch.no_grad():\n        return tensor.normal_(0.0, std, generator=generator)",
                         "    return nn.init._no_grad_normal_(tensor, 0.0, std, generator)"),
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

_WALK = '''
def per_layer_activation_std(model, x):
    stds = []
    with torch.no_grad():
        h = x
        for module in model:
            before, h = h, module(h)
            if isinstance(module, cu.ACTIVATION_TYPES):
                stds.append(STD)
    return torch.stack(stds)
'''

BANK["ex05_activation_std"] = [
    WrongAnswer("measures the Linear outputs (pre-activations)", _WALK.replace("STD", "before.std()"),
                names="before its activation"),
    WrongAnswer("uses the biased std (correction=0)", _WALK.replace("STD", "h.std(correction=0)"),
                names="correction=0"),
    WrongAnswer("averages per-unit stds over units", _WALK.replace("STD", "h.std(dim=0).mean()"),
                names="averaged over units"),
    WrongAnswer("leaves its forward hooks on the model",
                "def per_layer_activation_std(model, x):\n    stds = []\n"
                "    for m in model:\n"
                "        if isinstance(m, cu.ACTIVATION_TYPES):\n"
                "            m.register_forward_hook(lambda _m, _i, out: stds.append(out.std()))\n"
                "    with torch.no_grad():\n        model(x)\n    return torch.stack(stds)",
                names="hooks were left"),
    WrongAnswer("builds an autograd graph",
                _WALK.replace("    with torch.no_grad():\n        h = x\n", "    h = x\n    if True:\n")
                .replace("STD", "h.std()"),
                names="must not require grad"),
    WrongAnswer("delegates to course_utils",
                "def per_layer_activation_std(model, x):\n"
                "    return torch.tensor(cu.std_per_layer(cu.record_activations(model, x)))",
                names="must be written from scratch"),
    WrongAnswer("runs course_utils' private hook helper",
                "def per_layer_activation_std(model, x):\n    stds = []\n"
                "    with torch.no_grad():\n"
                "        cu.stats._forward_with_hooks(model, x, cu.ACTIVATION_TYPES,\n"
                "                                     lambda name, out: stds.append(out.std()))\n"
                "    return torch.stack(stds)",
                names="must be written from scratch"),
    WrongAnswer("imports record_activations under another name",
                "from course_utils.stats import record_activations as _grab\n"
                "def per_layer_activation_std(model, x):\n"
                "    return torch.stack([h.std() for h in _grab(model, x).values()])",
                names="must be written from scratch"),
    WrongAnswer("switches the guard off before delegating to course_utils",
                "def per_layer_activation_std(model, x):\n    import sys\n    sys.setprofile(None)\n"
                "    return torch.tensor(cu.std_per_layer(cu.record_activations(model, x)))",
                names="switched the checking off"),
    WrongAnswer("lists the activation types itself (nn.ReLU, nn.Tanh)",
                _WALK.replace("cu.ACTIVATION_TYPES", "(nn.ReLU, nn.Tanh)").replace("STD", "h.std()"),
                names="listed activation types yourself"),
    WrongAnswer("measures every module that is not an nn.Linear (Identity and Dropout too)",
                _WALK.replace("isinstance(module, cu.ACTIVATION_TYPES)", "not isinstance(module, nn.Linear)")
                .replace("STD", "h.std()"),
                names="every module that is not an nn.Linear"),
    WrongAnswer("returns a Python list",
                _WALK.replace("STD", "h.std().item()").replace("return torch.stack(stds)", "return stds"),
                names="expected a 1-D tensor"),
    WrongAnswer("returns float32 whatever the activations' dtype",
                _WALK.replace("STD", "h.std().item()").replace("return torch.stack(stds)", "return torch.tensor(stds)"),
                names="dtype torch.float64"),
    WrongAnswer("builds a graph and detaches the result at the end",
                _WALK.replace("    with torch.no_grad():\n        h = x\n", "    h = x\n    if True:\n")
                .replace("STD", "h.std()").replace("return torch.stack(stds)", "return torch.stack(stds).detach()"),
                names="built an autograd graph"),
    WrongAnswer("switches the model to eval mode and leaves it there",
                _WALK.replace("    stds = []\n", "    stds = []\n    model.eval()\n").replace("STD", "h.std()"),
                names="did not restore it"),
    WrongAnswer("switches to eval mode, then always back to training mode",
                _WALK.replace("    stds = []\n", "    stds = []\n    model.eval()\n").replace("STD", "h.std()")
                .replace("    return torch.stack(stds)", "    model.train()\n    return torch.stack(stds)"),
                names="did not restore it"),
    WrongAnswer("also counts the output of every Linear layer",
                _WALK.replace("if isinstance(module, cu.ACTIVATION_TYPES):", "if True:").replace("STD", "h.std()"),
                names="expected shape"),
]

_PREDICTION = "def {name}():\n    return {value}\n"

BANK["ex06_predict_default_init"] = [
    WrongAnswer("expects the default to be Kaiming-ReLU",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="1.0"),
                names="expected the default to be Kaiming-ReLU"),
    WrongAnswer("forgets ReLU's factor 2 in Kaiming's variance",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="1 / 3"),
                names="left ReLU's factor 2 out"),
    WrongAnswer("compares standard deviations",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="0.408"),
                names="compared standard deviations"),
    WrongAnswer("takes the bound for the standard deviation",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="0.5"),
                names="bound b for its standard deviation"),
    WrongAnswer("inverts the ratio",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="6"),
                names="inverted the ratio"),
    WrongAnswer("an unexplained guess",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="0.25"),
                names="ratio of the squared gains"),
    WrongAnswer("returns the fraction as a string",
                _PREDICTION.format(name="predicted_default_variance_ratio", value="'1/6'"),
                names="must return a number"),
]

BANK["ex07_predict_xavier_relu"] = [
    WrongAnswer("gives the variance's factor",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="0.5"),
                names="factor of the variance"),
    WrongAnswer("expects Xavier to keep the std constant under ReLU",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="1.0"),
                names="expected Xavier to keep the std constant"),
    WrongAnswer("gives ReLU's std fraction of one layer",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="0.58"),
                names="std of relu(z)"),
    WrongAnswer("gives the change over all 30 layers",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="2 ** -14.5"),
                names="over all 30 layers"),
    WrongAnswer("inverts the factor",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="1.41"),
                names="inverted the factor"),
    WrongAnswer("an unexplained guess",
                _PREDICTION.format(name="predicted_std_factor_per_layer", value="0.9"),
                names="halves the second moment"),
]
