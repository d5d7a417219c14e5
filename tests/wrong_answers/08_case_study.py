"""Plausible wrong answers for 08 Case study. Each must fail at least one test cell of its exercise; ``names`` is
text the failure message must contain (the misconception, named for the learner). Most are small edits of the
reference answer, so they stay in step with it."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "08_case_study")

_FORMULA = '''
def flattened_size(features, input_shape):
    channels, height, width = input_shape
    for layer in features.modules():
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            pair = lambda v: v if isinstance(v, tuple) else (v, v)  # noqa: E731
            (kh, kw), (sh, sw), (ph, pw) = (pair(layer.kernel_size), pair(layer.stride),
                                            pair(layer.padding))
            dh, dw = pair(getattr(layer, "dilation", 1))
            height = {ROUND}(height{PAD_H} - dh * (kh - 1) - 1) / sh) + 1
            width = {ROUND}(width{PAD_W} - dw * (kw - 1) - 1) / sw) + 1
            if isinstance(layer, nn.Conv2d):
                channels = layer.out_channels
            if height < 1 or width < 1:
                raise ValueError(f"input {input_shape} is too small")
    return channels * height * width
'''


def _formula(padding: bool, rounding: str) -> str:
    """The size formula layer by layer, with or without the padding, rounding down or up."""
    code = _FORMULA.replace("{ROUND}", rounding)
    return code.replace("{PAD_H}", " + 2 * ph" if padding else "").replace("{PAD_W}", " + 2 * pw" if padding else "")


_NO_VALUE_ERROR = '''
def flattened_size(features, input_shape):
    modes = [(module, module.training) for module in features.modules()]
    features.eval()
    with torch.no_grad():
        out = features(torch.zeros(1, *input_shape))
    for module, mode in modes:
        module.train(mode)
    return out[0].numel()
'''

_BY_NAME = '''
def param_groups_for(model, weight_decay):
    named = list(model.named_parameters())
    return [{"params": [p for n, p in named if not n.endswith("bias")], "weight_decay": weight_decay},
            {"params": [p for n, p in named if n.endswith("bias")], "weight_decay": 0.0}]
'''

_WEIGHT_IN_NAME = '''
def param_groups_for(model, weight_decay):
    named = list(model.named_parameters())
    return [{"params": [p for n, p in named if "weight" in n], "weight_decay": weight_decay},
            {"params": [p for n, p in named if "weight" not in n], "weight_decay": 0.0}]
'''

_PER_MODULE = '''
def param_groups_for(model, weight_decay):
    decay, no_decay = [], []
    for module in model.modules():
        for parameter in module.parameters(recurse=False):
            (decay if parameter.ndim >= 2 else no_decay).append(parameter)
    return [{"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0}]
'''

_SEQUENTIAL_LR = '''
def warmup_cosine(step, base_lr, warmup_steps, total_steps, start_factor=0.1, eta_min=0.0):
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base_lr)
    if step < warmup_steps:
        warm = lr_scheduler.LinearLR(optimizer, start_factor, 1.0, warmup_steps, last_epoch=-1)
        warm.last_epoch = step
        return warm._get_closed_form_lr()[0]
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, total_steps - warmup_steps, eta_min)
    cosine.last_epoch = step - warmup_steps
    return cosine._get_closed_form_lr()[0]
'''

_COURSE_STEP = '''
def train_step(model, batch, optimizer, scheduler, loss_fn, max_norm):
    result = cu.train_step(model, loss_fn, batch[0], batch[1], optimizer, max_norm=max_norm)
    scheduler.step()
    return result.loss, result.grad_norm
'''

_PER_PARAMETER_CLIP = '''
def train_step(model, batch, optimizer, scheduler, loss_fn, max_norm):
    x, y = batch
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    norms = [nn.utils.clip_grad_norm_([p], max_norm) for p in model.parameters()]
    optimizer.step()
    scheduler.step()
    return loss.item(), torch.stack(norms).norm().item()
'''

_DIAGNOSIS_AND_FIX = '''
def diagnosis():
    return "{LETTER}"


def fixed_recipe(recipe):
    {BODY}
'''


def _debug(letter: str, body: str) -> str:
    return _DIAGNOSIS_AND_FIX.replace("{LETTER}", letter).replace("{BODY}", body)


def _recipe(body: str) -> str:
    return f"def my_recipe():\n    return {body}\n"


def _prediction(function: str, value: str) -> str:
    return f"def {function}():\n    return {value}\n"


BANK = {
    "ex01_flattened_size": [
        WrongAnswer("a dry run in training mode, which updates BatchNorm's running statistics",
                    _edit("ex01_flattened_size", "    features.eval()\n", ""), names="running statistics"),
        WrongAnswer("the whole dry-run batch of two counted",
                    _edit("ex01_flattened_size", "torch.zeros(1, *input_shape", "torch.zeros(2, *input_shape",
                          "return out[0].numel()", "return out.numel()"),
                    names="the whole dry-run batch"),
        WrongAnswer("the shape returned instead of the number of values",
                    _edit("ex01_flattened_size", "return out[0].numel()", "return tuple(out.shape[1:])"),
                    names="the shape (C, H, W)"),
        WrongAnswer("the size formula without padding", _formula(padding=False, rounding="math.floor("),
                    names="the padding left out"),
        WrongAnswer("the size formula rounding up", _formula(padding=True, rounding="math.ceil("), names="rounded up"),
        WrongAnswer("PyTorch's RuntimeError passed on for an input that is too small", _NO_VALUE_ERROR,
                    names="expected ValueError"),
        WrongAnswer("every layer put back in training mode",
                    _edit("ex01_flattened_size", "            module.train(mode)\n",
                          "            module.train()\n"),
                    names="training/evaluation mode"),
        WrongAnswer("the source article's number, hard-coded",
                    "def flattened_size(features, input_shape):\n    return 128 * 5 * 5\n",
                    names="the source article's 128*5*5"),
        WrongAnswer("the number of output channels only",
                    _edit("ex01_flattened_size", "return out[0].numel()", "return out.shape[1]"),
                    names="the number of channels only"),
    ],
    "ex02_predict_loss_floor": [
        WrongAnswer("a perfect model reaches 0", _prediction("predicted_loss_floor", "0.0"),
                    names="a perfect model without smoothing"),
        WrongAnswer("ε ln K", _prediction("predicted_loss_floor", "0.1 * math.log(10)"), names="ε·ln K"),
        WrongAnswer("ln K", _prediction("predicted_loss_floor", "math.log(10)"), names="uniform prediction"),
        WrongAnswer("the smoothing over the K - 1 wrong classes",
                    _prediction("predicted_loss_floor", "-(0.9 * math.log(0.9) + 0.1 * math.log(0.1 / 9))"),
                    names="K − 1 wrong classes"),
        WrongAnswer("the value measured with PyTorch's cross-entropy",
                    _prediction("predicted_loss_floor",
                                "F.cross_entropy(torch.log(torch.tensor([[0.91] + [0.01] * 9])), "
                                "torch.tensor([0]), label_smoothing=0.1).item()"),
                    names="ran PyTorch's cross-entropy"),
    ],
    "ex03_param_groups": [
        WrongAnswer("every parameter but the biases decayed (BatchNorm's γ too)", _BY_NAME, names="BatchNorm's γ"),
        WrongAnswer("no explicit weight_decay in the second group",
                    _edit("ex03_param_groups", '{"params": no_decay, "weight_decay": 0.0}', '{"params": no_decay}'),
                    names="inherits"),
        WrongAnswer("every parameter decayed", "def param_groups_for(model, weight_decay):\n"
                    "    return [{'params': list(model.parameters()), 'weight_decay': weight_decay}]\n",
                    names="BatchNorm's β"),
        WrongAnswer("a shared parameter listed once per layer that uses it", _PER_MODULE,
                    names="more than one place"),
        WrongAnswer("every parameter whose name holds 'weight' decayed (the norm layers' γ too)", _WEIGHT_IN_NAME,
                    names="LayerNorm's γ"),
        WrongAnswer("the two groups swapped",
                    _edit("ex03_param_groups", '"weight_decay": weight_decay}', '"weight_decay": 0.0}',
                          '{"params": no_decay, "weight_decay": 0.0}',
                          '{"params": no_decay, "weight_decay": weight_decay}'),
                    names="gets weight decay"),
        WrongAnswer("the first layer's parameters only", "def param_groups_for(model, weight_decay):\n"
                    "    first = next(model.children())\n"
                    "    return [{'params': [p for p in first.parameters() if p.ndim >= 2], "
                    "'weight_decay': weight_decay}]\n",
                    names="in no group"),
    ],
    "ex04_warmup_cosine": [
        WrongAnswer("T_max counted over the whole run",
                    _edit("ex04_warmup_cosine", "/ (total_steps - warmup_steps)", "/ total_steps"),
                    names="T_max = total_steps"),
        WrongAnswer("the cosine's clock started at 0",
                    _edit("ex04_warmup_cosine", "progress = (step - warmup_steps) /", "progress = step /"),
                    names="clock started at step 0"),
        WrongAnswer("the warm-up from 0",
                    _edit("ex04_warmup_cosine", "(start_factor + (1 - start_factor) * step / warmup_steps)",
                          "(step / warmup_steps)"),
                    names="starting from 0"),
        WrongAnswer("the warm-up reaching base_lr a step early",
                    _edit("ex04_warmup_cosine", "* step / warmup_steps)", "* step / (warmup_steps - 1))"),
                    names="one step early"),
        WrongAnswer("eta_min forgotten",
                    _edit("ex04_warmup_cosine", "return eta_min + (base_lr - eta_min) *", "return base_lr *"),
                    names="the last step"),
        WrongAnswer("PyTorch's schedulers stepped inside", _SEQUENTIAL_LR, names="compute the rate itself"),
    ],
    "ex05_train_step": [
        WrongAnswer("scheduler.step() before optimizer.step()",
                    _edit("ex05_train_step", "    optimizer.step()\n    scheduler.step()\n",
                          "    scheduler.step()\n    optimizer.step()\n"),
                    names="called before optimizer.step()"),
        WrongAnswer("clipping after the update",
                    _edit("ex05_train_step",
                          "    grad_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n"
                          "    optimizer.step()\n",
                          "    optimizer.step()\n"
                          "    grad_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)\n"),
                    names="unclipped gradients"),
        WrongAnswer("no zero_grad", _edit("ex05_train_step", "    optimizer.zero_grad()\n", ""),
                    names="zero_grad() left out"),
        WrongAnswer("the norm after clipping",
                    _edit("ex05_train_step", "    optimizer.step()\n",
                          "    grad_norm = torch.stack([p.grad.norm() for p in model.parameters()]).norm()\n"
                          "    optimizer.step()\n"),
                    names="after clipping instead of before"),
        WrongAnswer("zero_grad after backward",
                    _edit("ex05_train_step", "    optimizer.zero_grad()\n", "",
                          "    loss.backward()\n", "    loss.backward()\n    optimizer.zero_grad()\n"),
                    names="zero gradients"),
        WrongAnswer("tensors returned", _edit("ex05_train_step", "return loss.item(), grad_norm.item()",
                                              "return loss, grad_norm"),
                    names="Python floats"),
        WrongAnswer("the course's train_step", _COURSE_STEP, names="must do the step itself"),
        WrongAnswer("each parameter clipped on its own", _PER_PARAMETER_CLIP),
    ],
    "ex06_predict_fatal_removal": [
        WrongAnswer("the warm-up", _prediction("predicted_fatal_removal", '"B"'), names="without warm-up"),
        WrongAnswer("clipping", _prediction("predicted_fatal_removal", '"C"'), names="without clipping"),
        WrongAnswer("label smoothing", _prediction("predicted_fatal_removal", '"D"'), names="the targets"),
        WrongAnswer("none", _prediction("predicted_fatal_removal", '"E"'), names="one removal"),
        WrongAnswer("a lower-case letter", _prediction("predicted_fatal_removal", '"a"'),
                    names="must return one of"),
    ],
    "ex07_debug_run": [
        WrongAnswer("blaming the learning rate", _debug("A", 'return {**recipe, "max_norm": 5.0}'),
                    names="does not fit the logs"),
        WrongAnswer("blaming the batch size", _debug("C", 'return {**recipe, "max_norm": 5.0}'),
                    names="2,048 values"),
        WrongAnswer("clipping switched off", _debug("B", 'return {**recipe, "max_norm": None}'),
                    names="switches clipping off"),
        WrongAnswer("the learning rate raised too", _debug("B", 'return {**recipe, "max_norm": 5.0, "lr": 0.1}'),
                    names="change only that one"),
        WrongAnswer("the learning rate raised instead", _debug("B", 'return {**recipe, "lr": 1.0}'),
                    names="it is not one of these"),
        WrongAnswer("the colleague's dict edited in place",
                    _debug("B", 'recipe["max_norm"] = 5.0\n    return recipe'),
                    names="changed the recipe it was given"),
        WrongAnswer("a threshold still below every logged norm", _debug("B", 'return {**recipe, "max_norm": 0.2}'),
                    names="most steps are still clipped"),
        WrongAnswer("a threshold above every logged norm", _debug("B", 'return {**recipe, "max_norm": 1e9}'),
                    names="switched off in all but name"),
        WrongAnswer("a threshold of True", _debug("B", 'return {**recipe, "max_norm": True}'),
                    names="must be a positive number"),
    ],
    "ex08_recipe_challenge": [
        WrongAnswer("the full recipe, over budget", _recipe("dict(FULL_RECIPE)"), names="at most 5 epochs"),
        WrongAnswer("plain SGD at a small rate",
                    _recipe('{**FULL_RECIPE, "epochs": 5, "lr": 0.005, "momentum": 0.0, "nesterov": False}'),
                    names="below 0.98"),
        WrongAnswer("a key left out",
                    _recipe('{k: v for k, v in FULL_RECIPE.items() if k != "nesterov"} | {"epochs": 5}'),
                    names="must return a dict with the keys"),
        WrongAnswer("one epoch", _recipe('{**FULL_RECIPE, "epochs": 1, "warmup_epochs": 0}'), names="below 0.98"),
    ],
}
