"""Plausible wrong answers for 02 Loss functions. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner). Most are small
edits of the reference answer, so they stay in step with it; whole different approaches are written out."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "02_losses")


def _predicting(exercise: str, value: str) -> str:
    """The reference prediction with its ``return`` line replaced by ``return value``."""
    answer = _edit(exercise)
    line = next(line for line in answer.splitlines() if line.lstrip().startswith("return "))
    return _edit(exercise, line, f"    return {value}")


# ------------------------------------------------------------------ ex01: l1_loss, mse_loss, huber_loss
_HUBER = "torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta))"
_HUBER_BODY = f"    d = _residual(pred, target).abs()\n    return _reduce({_HUBER}, reduction)\n"
_L1_RETURN = "return _reduce(_residual(pred, target).abs(), reduction)"
_MSE_RETURN = "return _reduce(_residual(pred, target) ** 2, reduction)"
_SHAPE_CHECK = ('    if pred.shape != target.shape:\n'
                '        raise ValueError(f"pred and target must have the same shape, got {tuple(pred.shape)} "\n'
                '                         f"and {tuple(target.shape)}")\n')
_REDUCTION_ERROR = "    raise ValueError(f\"reduction must be 'mean', 'sum' or 'none', got {reduction!r}\")"
_REDUCE_BODY = ('    if reduction == "mean":\n        return loss.mean()\n'
                '    if reduction == "sum":\n        return loss.sum()\n'
                '    if reduction == "none":\n        return loss\n' + _REDUCTION_ERROR)
_REDUCE_DOC = '    """Apply a reduction ("mean", "sum" or "none") to per-element losses."""\n'

BANK = {
    "ex01_regression_losses": [
        WrongAnswer("Huber with SmoothL1's formula (divided by delta)",
                    _edit("ex01_regression_losses", _HUBER,
                          "torch.where(d <= delta, 0.5 * d ** 2 / delta, d - 0.5 * delta)"),
                    names="SmoothL1Loss's formula"),
        WrongAnswer("Huber's linear branch with the wrong constant",
                    _edit("ex01_regression_losses", _HUBER,
                          "torch.where(d <= delta, 0.5 * d ** 2, delta * d - delta ** 2)"),
                    names="does not meet the quadratic branch"),
        WrongAnswer("Huber's quadratic branch without 1/2",
                    _edit("ex01_regression_losses", _HUBER,
                          "torch.where(d <= delta, d ** 2, delta * (d - 0.5 * delta))"),
                    names="dropped the 1/2"),
        WrongAnswer("MSE as RMSE", _edit("ex01_regression_losses", _MSE_RETURN, _MSE_RETURN + ".sqrt()"),
                    names="RMSE"),
        WrongAnswer("L1 without the absolute value",
                    _edit("ex01_regression_losses", _L1_RETURN, "return _reduce(_residual(pred, target), reduction)"),
                    names="without its absolute value"),
        WrongAnswer("delegates to torch.nn.functional",
                    "def _reduce(loss, reduction):\n    return loss\n"
                    "def l1_loss(pred, target, reduction='mean'):\n"
                    "    return F.l1_loss(pred, target, reduction=reduction)\n"
                    "def mse_loss(pred, target, reduction='mean'):\n"
                    "    return F.mse_loss(pred, target, reduction=reduction)\n"
                    "def huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    return F.huber_loss(pred, target, reduction=reduction, delta=delta)\n",
                    names="must be written from scratch"),
        WrongAnswer("silently broadcasts mismatched shapes and accepts unknown reductions",
                    _edit("ex01_regression_losses", _SHAPE_CHECK, "", _REDUCTION_ERROR, "    return loss.mean()"),
                    names="expected ValueError"),
        WrongAnswer("delegates through torch._C._nn and torch.ops.aten",
                    "_ENUM = {'none': 0, 'mean': 1, 'sum': 2}\n"
                    "def _residual(pred, target):\n"
                    "    if pred.shape != target.shape:\n        raise ValueError('shapes')\n"
                    "    return pred - target\n"
                    "def l1_loss(pred, target, reduction='mean'):\n"
                    "    return torch._C._nn.l1_loss(_residual(pred, target), torch.zeros_like(pred),\n"
                    "                                _ENUM[reduction])\n"
                    "def mse_loss(pred, target, reduction='mean'):\n"
                    "    return torch.ops.aten.mse_loss(pred, target, _ENUM[reduction])\n"
                    "def huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    return torch._C._nn.huber_loss(pred, target, _ENUM[reduction], delta)\n",
                    names="must be written from scratch"),
        WrongAnswer("Huber as delta times SmoothL1 (F.smooth_l1_loss)",
                    _edit("ex01_regression_losses", _HUBER_BODY,
                          "    _residual(pred, target)\n"
                          "    return delta * F.smooth_l1_loss(pred, target, reduction=reduction, beta=delta)\n"),
                    names="must be written from scratch"),
        WrongAnswer("Huber through SciPy (scipy.special.huber)",
                    _edit("ex01_regression_losses", _HUBER_BODY,
                          "    import scipy.special\n"
                          "    d = _residual(pred, target)\n"
                          "    values = torch.as_tensor(scipy.special.huber(delta, d.numpy()), dtype=d.dtype)\n"
                          "    return _reduce(values, reduction)\n"),
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off, then delegates",
                    _edit("ex01_regression_losses", _L1_RETURN,
                          "import sys\n    sys.setprofile(None)\n"
                          "    return F.l1_loss(_residual(pred, target), torch.zeros_like(pred), reduction=reduction)"),
                    names="switched the checking off"),
        WrongAnswer("mean as loss.sum() / len(loss) (right only for 1-D losses)",
                    _edit("ex01_regression_losses", "return loss.mean()", "return loss.sum() / len(loss)"),
                    names="divided the sum by len(loss)"),
        WrongAnswer("compares the number of dimensions, not the shapes",
                    _edit("ex01_regression_losses", "if pred.shape != target.shape:", "if pred.dim() != target.dim():"),
                    names="although both have two dimensions"),
        WrongAnswer("reduction looked up in a dict (KeyError, not ValueError)",
                    _edit("ex01_regression_losses", _REDUCE_BODY,
                          '    return {"mean": torch.mean, "sum": torch.sum, "none": lambda v: v}[reduction](loss)'),
                    names="got KeyError"),
        WrongAnswer("a detached result (torch.tensor of the value)",
                    _edit("ex01_regression_losses", _REDUCE_DOC,
                          _REDUCE_DOC + "    loss = torch.tensor(loss.tolist(), dtype=loss.dtype)\n"),
                    names="has no autograd history"),
        WrongAnswer("computes in float32 whatever the input (pred.float())",
                    _edit("ex01_regression_losses", "    return pred - target",
                          "    return pred.float() - target.float()"),
                    names="must keep the inputs' dtype"),
    ],
}

# ------------------------------------------------------------------ ex02: entropy, kl_divergence
_P_LOG_P = "-torch.where(p > 0, p * p.log(), 0.0).sum(dim=-1)"
_KL_TERMS = "torch.where(p > 0, p * (p.log() - q.log()), 0.0)"
_ENTROPY_DOC = '    """-sum_k p_k log p_k over the last dimension, with 0 log 0 = 0. Shape (..., K) -> (...)."""\n'
_KL_DOC = '    """sum_k p_k log(p_k / q_k) over the last dimension (0 if p_k = 0, inf if p_k > 0 = q_k)."""\n'

BANK["ex02_entropy_kl"] = [
    WrongAnswer("KL with its arguments swapped",
                _edit("ex02_entropy_kl", _KL_TERMS, "torch.where(q > 0, q * (q.log() - p.log()), 0.0)"),
                names="the arguments are swapped"),
    WrongAnswer("naive p log p (0 log 0 = NaN)",
                _edit("ex02_entropy_kl", _P_LOG_P, "-(p * p.log()).sum(dim=-1)",
                      f"{_KL_TERMS}.sum(dim=-1)", "(p * (p / q).log()).sum(dim=-1)"),
                names="0 * log(0) is NaN"),
    WrongAnswer("entropy in bits", _edit("ex02_entropy_kl", "p * p.log()", "p * p.log2()"), names="natural log"),
    WrongAnswer("entropy without the minus sign", _edit("ex02_entropy_kl", _P_LOG_P, _P_LOG_P[1:]),
                names="left out the minus sign"),
    WrongAnswer("sums over the first dimension instead of the last",
                _edit("ex02_entropy_kl", _P_LOG_P, _P_LOG_P.replace("dim=-1", "dim=0"),
                      f"{_KL_TERMS}.sum(dim=-1)", f"{_KL_TERMS}.sum(dim=0)"),
                names="expected shape"),
    WrongAnswer("KL as the cross-entropy -sum p log q",
                _edit("ex02_entropy_kl", _KL_TERMS, "-torch.where(p > 0, p * q.log(), 0.0)"),
                names="you computed the cross-entropy"),
    WrongAnswer("entropy as a mean over the outcomes",
                _edit("ex02_entropy_kl", _P_LOG_P, _P_LOG_P.replace(".sum(", ".mean(")),
                names="averaged over the K outcomes"),
    WrongAnswer("delegates to torch.distributions",
                "from torch.distributions import Categorical, kl_divergence as _kl\n"
                "def entropy(p):\n    return Categorical(probs=p).entropy()\n"
                "def kl_divergence(p, q):\n    return _kl(Categorical(probs=p), Categorical(probs=q))\n",
                names="must be written from scratch"),
    WrongAnswer("torch.xlogy (0 log 0 handled by the library)",
                _edit("ex02_entropy_kl", _P_LOG_P, "-torch.xlogy(p, p).sum(dim=-1)",
                      f"{_KL_TERMS}.sum(dim=-1)", "(torch.xlogy(p, p) - torch.xlogy(p, q)).sum(dim=-1)"),
                names="must be written from scratch"),
    WrongAnswer("torch.special.entr and the Tensor method xlogy",
                _edit("ex02_entropy_kl", _P_LOG_P, "torch.special.entr(p).sum(dim=-1)",
                      f"{_KL_TERMS}.sum(dim=-1)", "(p.xlogy(p) - p.xlogy(q)).sum(dim=-1)"),
                names="must be written from scratch"),
    WrongAnswer("torch._C._VariableFunctions.xlogy and torch.kl_div",
                _edit("ex02_entropy_kl", _P_LOG_P, "-torch._C._VariableFunctions.xlogy(p, p).sum(dim=-1)",
                      f"{_KL_TERMS}.sum(dim=-1)", "torch.kl_div(q.log(), p, reduction=0).sum(dim=-1)"),
                names="must be written from scratch"),
    WrongAnswer("F.kl_div with log_target (no xlogy inside)",
                _edit("ex02_entropy_kl", _KL_TERMS,
                      "torch.where(p > 0, F.kl_div(q.log(), p.log(), reduction='none', log_target=True), 0.0)"),
                names="must be written from scratch"),
    WrongAnswer("SciPy: scipy.stats.entropy and scipy.special.rel_entr",
                "import scipy.special, scipy.stats\n"
                "def entropy(p):\n"
                "    return torch.as_tensor(scipy.stats.entropy(p.numpy(), axis=-1), dtype=p.dtype)\n"
                "def kl_divergence(p, q):\n"
                "    return torch.as_tensor(scipy.special.rel_entr(p, q), dtype=p.dtype).sum(-1)\n",
                names="must be written from scratch"),
    WrongAnswer("KL set to inf wherever q_k = 0, even where p_k = 0",
                _edit("ex02_entropy_kl", f"return {_KL_TERMS}.sum(dim=-1)",
                      f"terms = {_KL_TERMS}\n    return torch.where(q == 0, float('inf'), terms).sum(dim=-1)"),
                names="also where p_k = 0"),
    WrongAnswer("converts to float32 first",
                _edit("ex02_entropy_kl", _ENTROPY_DOC, _ENTROPY_DOC + "    p = p.float()\n",
                      _KL_DOC, _KL_DOC + "    p, q = p.float(), q.float()\n"),
                names="must keep the inputs' dtype"),
    WrongAnswer("a detached result, one Python float per distribution",
                _edit("ex02_entropy_kl", f"return {_P_LOG_P}",
                      f"h = {_P_LOG_P}\n    return torch.tensor(h.tolist(), dtype=p.dtype)"),
                names="has no autograd history"),
]

# ------------------------------------------------------------------ ex03: cross_entropy
_SHIFT = "    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
_LOG_PROBS = "    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()\n"
_NO_SMOOTHING = ("    if label_smoothing == 0:  # no smoothing term at all: 0 * inf is nan for a logit of -inf\n"
                 "        return _reduce(nll, reduction)\n")
_SMOOTHED_LOSS = "loss = (1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(dim=1))"


def _log_probs_from(expression: str) -> str:
    """The reference with log_probs computed as ``expression`` (of the logits) instead of shifting."""
    return _edit("ex03_cross_entropy", _SHIFT + _LOG_PROBS, f"    log_probs = {expression}\n")


BANK["ex03_cross_entropy"] = [
    WrongAnswer("no max-subtraction (exp overflows)",
                _edit("ex03_cross_entropy", _SHIFT, "    shifted = logits\n"),
                names="log-sum-exp trick"),
    WrongAnswer("stable softmax, then log (underflow to log 0)",
                _edit("ex03_cross_entropy", _LOG_PROBS,
                      "    log_probs = (shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)).log()\n"),
                names="never log(softmax(z))"),
    WrongAnswer("averages over classes and samples",
                _edit("ex03_cross_entropy", _NO_SMOOTHING,
                      "    if label_smoothing == 0:\n"
                      "        if reduction == 'mean':\n"
                      "            return nll.mean() / logits.shape[1]\n"
                      "        return _reduce(nll, reduction)\n"),
                names="averaged over the classes"),
    WrongAnswer("label smoothing over the C-1 wrong classes",
                _edit("ex03_cross_entropy", _SMOOTHED_LOSS,
                      "loss = (1 - label_smoothing) * nll + label_smoothing * "
                      "(-(log_probs.sum(dim=1) + nll) / (logits.shape[1] - 1))"),
                names="C-1 wrong classes"),
    WrongAnswer("ignores label_smoothing",
                _edit("ex03_cross_entropy", _NO_SMOOTHING, "    return _reduce(nll, reduction)\n"),
                names="ignored label_smoothing"),
    WrongAnswer("delegates to F.log_softmax", _log_probs_from("F.log_softmax(logits, dim=1)"),
                names="must be written from scratch"),
    WrongAnswer("delegates to the logsumexp method", _log_probs_from("logits - logits.logsumexp(dim=1, keepdim=True)"),
                names="must be written from scratch"),
    WrongAnswer("misses the (1 - epsilon) factor on the true class",
                _edit("ex03_cross_entropy", _SMOOTHED_LOSS, "loss = nll + label_smoothing * (-log_probs.mean(dim=1))"),
                names="(1 - epsilon) factor off"),
    WrongAnswer("delegates to torch.special.log_softmax", _log_probs_from("torch.special.log_softmax(logits, 1)"),
                names="must be written from scratch"),
    WrongAnswer("delegates to torch.special.logsumexp",
                _log_probs_from("logits - torch.special.logsumexp(logits, 1, keepdim=True)"),
                names="must be written from scratch"),
    WrongAnswer("delegates to torch._C._nn.cross_entropy_loss",
                "def cross_entropy(logits, target, reduction='mean', label_smoothing=0.0):\n"
                "    enum = {'none': 0, 'mean': 1, 'sum': 2}[reduction]\n"
                "    return torch._C._nn.cross_entropy_loss(logits, target, None, enum, -100, label_smoothing)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to the Tensor method log_softmax", _log_probs_from("logits.log_softmax(1)"),
                names="must be written from scratch"),
    WrongAnswer("log-sum-exp through logcumsumexp", _log_probs_from("logits - logits.logcumsumexp(1)[:, -1:]"),
                names="must be written from scratch"),
    WrongAnswer("log-sum-exp through torch.distributions.Categorical(logits=...)",
                _log_probs_from("torch.distributions.Categorical(logits=logits).logits"),
                names="must be written from scratch"),
    WrongAnswer("SciPy's logsumexp through NumPy",
                "import scipy.special\n" + _log_probs_from(
                    "logits - torch.as_tensor(scipy.special.logsumexp(logits.numpy(), axis=1, keepdims=True))"
                    ".to(logits.dtype)"),
                names="must be written from scratch"),
    WrongAnswer("leaves the dispatch mode, then delegates",
                "from torch.utils._python_dispatch import _disable_current_modes\n"
                "def cross_entropy(logits, target, reduction='mean', label_smoothing=0.0):\n"
                "    with _disable_current_modes():\n"
                "        return F.cross_entropy(logits, target, reduction=reduction,\n"
                "                               label_smoothing=label_smoothing)\n",
                names="switched the checking off"),
    WrongAnswer("subtracts the batch's max, not each row's",
                _edit("ex03_cross_entropy", _SHIFT, "    shifted = logits - logits.max()\n"),
                names="you subtracted one maximum, the batch's 1000"),
    WrongAnswer("the smoothing term always computed (0 * inf = nan for a -inf logit)",
                _edit("ex03_cross_entropy", _NO_SMOOTHING, ""),
                names="A nan comes from 0 times inf"),
    WrongAnswer("smoothed target times log-probabilities (0 * -inf = nan)",
                _edit("ex03_cross_entropy", _NO_SMOOTHING, "",
                      f"    {_SMOOTHED_LOSS}\n    return _reduce(loss, reduction)",
                      "    n = logits.shape[1]\n"
                      "    p = torch.full_like(logits, label_smoothing / n)\n"
                      "    p.scatter_(1, target.unsqueeze(1), 1 - label_smoothing + label_smoothing / n)\n"
                      "    return _reduce(-(p * log_probs).sum(1), reduction)"),
                names="A nan comes from 0 times inf"),
    WrongAnswer("log-probabilities clamped at -100 (as BCELoss does)",
                _edit("ex03_cross_entropy", _LOG_PROBS, _LOG_PROBS + "    log_probs = log_probs.clamp(min=-100)\n"),
                names="a finite value from a clamp or an epsilon"),
    WrongAnswer("works in float64 and returns float64 for float32 logits",
                _edit("ex03_cross_entropy", _SHIFT, "    logits = logits.double()\n" + _SHIFT),
                names="must keep the logits' dtype"),
]

# ------------------------------------------------------------------ ex04: bce_with_logits
_BCE_HEAD = "def bce_with_logits(logits, target, pos_weight=None, reduction='mean'):\n"
_MINUS_LOG_SIGMOID = "torch.log1p(torch.exp(-logits.abs())) + torch.clamp(-logits, min=0)"
_WEIGHT = "weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target"
_BCE_RETURN = "return _reduce((1 - target) * logits + weight * minus_log_sigmoid, reduction)"


def _minus_log_sigmoid_as(expression: str) -> str:
    """The reference with -log sigmoid(x) computed as ``expression`` (which may span lines)."""
    return _edit("ex04_bce_logits", _MINUS_LOG_SIGMOID, expression)


BANK["ex04_bce_logits"] = [
    WrongAnswer("sigmoid, then log (not stable)",
                _BCE_HEAD + "    p = torch.sigmoid(logits)\n    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(-(w * target * p.log() + (1 - target) * (1 - p).log()), reduction)\n",
                names="from the probability sigmoid(x)"),
    WrongAnswer("pos_weight on the negative term",
                _edit("ex04_bce_logits", _WEIGHT, "weight = 1 if pos_weight is None else pos_weight",
                      _BCE_RETURN, "negative = weight * (1 - target) * (minus_log_sigmoid + logits)\n"
                                   "    return _reduce(target * minus_log_sigmoid + negative, reduction)"),
                names="applied pos_weight to the negative"),
    WrongAnswer("pos_weight on the whole loss",
                _edit("ex04_bce_logits", _WEIGHT, "weight = 1 if pos_weight is None else pos_weight",
                      _BCE_RETURN, "return _reduce(weight * ((1 - target) * logits + minus_log_sigmoid), reduction)"),
                names="applied pos_weight to the whole loss"),
    WrongAnswer("log(1 + exp(-x)) without the |x| trick (overflows)",
                _minus_log_sigmoid_as("torch.log1p(torch.exp(-logits))"),
                names="exp(100) overflows"),
    WrongAnswer("delegates to F.softplus", _minus_log_sigmoid_as("F.softplus(-logits)"),
                names="must be written from scratch"),
    WrongAnswer("the loss without its minus sign",
                _edit("ex04_bce_logits", _BCE_RETURN,
                      "return _reduce(-((1 - target) * logits + weight * minus_log_sigmoid), reduction)"),
                names="left out the loss's minus sign"),
    WrongAnswer("delegates to torch.binary_cross_entropy_with_logits",
                _BCE_HEAD + "    enum = {'none': 0, 'mean': 1, 'sum': 2}[reduction]\n"
                "    return torch.binary_cross_entropy_with_logits(logits, target, None, pos_weight, enum)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to F.logsigmoid", _minus_log_sigmoid_as("-F.logsigmoid(logits)"),
                names="must be written from scratch"),
    WrongAnswer("softplus through torch.logaddexp",
                _minus_log_sigmoid_as("torch.logaddexp(torch.zeros_like(logits), -logits)"),
                names="must be written from scratch"),
    WrongAnswer("softplus through torch._C._nn.softplus",
                _minus_log_sigmoid_as("torch._C._nn.softplus(-logits, 1, 20)"),
                names="must be written from scratch"),
    WrongAnswer("SciPy's log_expit through NumPy",
                "import scipy.special\n" + _minus_log_sigmoid_as(
                    "-torch.as_tensor(scipy.special.log_expit(logits.numpy()), dtype=logits.dtype)"),
                names="must be written from scratch"),
    WrongAnswer("pos_weight as a factor 1 + (w - 1) t on the whole loss (right only for 0/1 targets)",
                _edit("ex04_bce_logits", _BCE_RETURN,
                      "return _reduce(weight * ((1 - target) * logits + minus_log_sigmoid), reduction)"),
                names="which is right only for targets of exactly 0 or 1"),
    WrongAnswer("ignores pos_weight", _edit("ex04_bce_logits", _WEIGHT, "weight = 1"), names="you ignored pos_weight"),
    WrongAnswer("clamped sigmoid, then log",
                _BCE_HEAD + "    p = torch.sigmoid(logits).clamp(1e-7, 1 - 1e-7)\n"
                "    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(-(w * target * p.log() + (1 - target) * (1 - p).log()), reduction)\n",
                names="a clamp or an epsilon on the probability"),
    WrongAnswer("-log sigmoid(x) as F.cross_entropy of the logits (0, x)",
                _edit("ex04_bce_logits", f"    minus_log_sigmoid = {_MINUS_LOG_SIGMOID}\n",
                      "    flat = logits.reshape(-1, 1)\n"
                      "    pair = torch.cat([torch.zeros_like(flat), flat], dim=1)\n"
                      "    ones = torch.ones(flat.shape[0], dtype=torch.long)\n"
                      "    minus_log_sigmoid = F.cross_entropy(pair, ones, reduction='none').reshape(logits.shape)\n"),
                names="must be written from scratch"),
    WrongAnswer("torch.where between two branches, one of which overflows (nan gradient)",
                _minus_log_sigmoid_as("torch.where(logits >= 0, torch.log1p(torch.exp(-logits)),\n"
                                      "                                    -logits + torch.log1p(torch.exp(logits)))"),
                names="a branch that torch.where does not select"),
]

# ------------------------------------------------------------------ ex05: cross_entropy_grad
_GRAD_RETURN = "return (probs - onehot) / logits.shape[0]"
_SOFTMAX = ("    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
            "    probs = shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)\n")


def _finite_difference(loss: str) -> str:
    """A central finite difference of ``loss`` in float64: a different approach, written out."""
    return ("def cross_entropy_grad(logits, target):\n"
            "    z, h = logits.double(), 1e-6\n"
            "    grad = torch.zeros_like(z)\n"
            "    for i in range(z.shape[0]):\n"
            "        for j in range(z.shape[1]):\n"
            "            step = torch.zeros_like(z)\n"
            "            step[i, j] = h\n"
            f"            grad[i, j] = ({loss}(z + step, target) - {loss}(z - step, target)) / (2 * h)\n"
            "    return grad.to(logits.dtype)\n")


BANK["ex05_ce_gradient"] = [
    WrongAnswer("forgets to divide by N", _edit("ex05_ce_gradient", _GRAD_RETURN, "return probs - onehot"),
                names="gradient of the summed loss"),
    WrongAnswer("onehot - softmax (sign)",
                _edit("ex05_ce_gradient", _GRAD_RETURN, "return (onehot - probs) / logits.shape[0]"),
                names="onehot - softmax"),
    WrongAnswer("softmax over the batch dimension",
                _edit("ex05_ce_gradient", _SOFTMAX, "    probs = torch.softmax(logits, dim=0)\n"),
                names="softmax over the batch"),
    WrongAnswer("softmax without max-subtraction",
                _edit("ex05_ce_gradient", "    shifted = logits - logits.max(dim=1, keepdim=True).values\n",
                      "    shifted = logits\n"),
                names="subtract each row's max"),
    WrongAnswer("uses autograd instead of the closed form",
                "def cross_entropy_grad(logits, target):\n"
                "    z = logits.detach().clone().requires_grad_()\n"
                "    F.cross_entropy(z, target).backward()\n"
                "    return z.grad\n",
                names="must be written from scratch"),
    WrongAnswer("divides by the number of classes",
                _edit("ex05_ce_gradient", _GRAD_RETURN, "return (probs - onehot) / logits.shape[1]"),
                names="number of classes C instead of the batch size N"),
    WrongAnswer("uses torch.func.grad",
                "def cross_entropy_grad(logits, target):\n"
                "    return torch.func.grad(lambda z: F.cross_entropy(z, target))(logits)\n",
                names="must be written from scratch"),
    WrongAnswer("calls the autograd engine directly",
                "def cross_entropy_grad(logits, target):\n"
                "    z = logits.detach().clone().requires_grad_()\n"
                "    loss = F.cross_entropy(z, target)\n"
                "    return torch.autograd.Variable._execution_engine.run_backward(\n"
                "        (loss,), (torch.ones_like(loss),), False, False, (z,), False, False)[0]\n",
                names="must be written from scratch"),
    WrongAnswer("calls PyTorch's backward operator of log_softmax",
                "def cross_entropy_grad(logits, target):\n"
                "    log_probs = logits.log_softmax(1)\n"
                "    upstream = torch.zeros_like(log_probs).scatter_(1, target[:, None], -1.0 / len(target))\n"
                "    return torch.ops.aten._log_softmax_backward_data(upstream, log_probs, 1, logits.dtype)\n",
                names="must be written from scratch"),
    WrongAnswer("a central finite difference of F.cross_entropy in float64", _finite_difference("F.cross_entropy"),
                names="must be written from scratch"),
    WrongAnswer("a central finite difference of your own cross_entropy", _finite_difference("cross_entropy"),
                names="must be written from scratch"),
    WrongAnswer("a float32 gradient whatever the logits' dtype",
                _edit("ex05_ce_gradient", _GRAD_RETURN,
                      "grad = torch.zeros(logits.shape)\n"
                      "    grad[:] = (probs - onehot) / logits.shape[0]\n"
                      "    return grad"),
                names="must have the logits' dtype"),
]

# ------------------------------------------------------------------ ex06, ex07: predictions
BANK["ex06_predict_smoothing_floor"] = [
    WrongAnswer("0, as without smoothing", _predicting("ex06_predict_smoothing_floor", "0.0"),
                names="expected the loss to reach 0"),
    WrongAnswer("smoothing spread over the C - 1 wrong classes", _predicting("ex06_predict_smoothing_floor", "0.545"),
                names="C - 1 wrong classes"),
    WrongAnswer("the loss of a uniform prediction", _predicting("ex06_predict_smoothing_floor", "2.30"),
                names="loss of a uniform prediction"),
    WrongAnswer("a certain true class plus a uniform smoothing term",
                _predicting("ex06_predict_smoothing_floor", "0.23"), names="combined the best of two"),
    WrongAnswer("the entropy in bits", _predicting("ex06_predict_smoothing_floor", "0.722"),
                names="KL(p || q) >= 0 is 0 only at q = p"),
    WrongAnswer("a string", _predicting("ex06_predict_smoothing_floor", "'0.50'"), names="must return a number"),
]

BANK["ex07_predict_double_softmax_floor"] = [
    WrongAnswer("0, as for plain logits", _predicting("ex07_predict_double_softmax_floor", "0.0"),
                names="expected the loss to reach 0"),
    WrongAnswer("the loss of a uniform prediction", _predicting("ex07_predict_double_softmax_floor", "2.303"),
                names="loss of a uniform prediction"),
    WrongAnswer("the true class's logit left out", _predicting("ex07_predict_double_softmax_floor", "2.46"),
                names="left out the true class's logit"),
    WrongAnswer("the bound in base 2", _predicting("ex07_predict_double_softmax_floor", "2.108"),
                names="put 1 on the true class and 0 on the other nine"),
    WrongAnswer("a boolean", _predicting("ex07_predict_double_softmax_floor", "True"), names="must return a number"),
]
