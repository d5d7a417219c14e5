"""Plausible wrong answers for 02 Loss functions. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner)."""

from tools.nbpipeline import WrongAnswer

_HELPERS = '''
def _reduce(loss, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction)
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss

def _residual(pred, target):
    if pred.shape != target.shape:
        raise ValueError("shapes")
    return pred - target
'''
_L1 = "\ndef l1_loss(pred, target, reduction='mean'):\n    return _reduce(_residual(pred, target).abs(), reduction)\n"
_MSE = "\ndef mse_loss(pred, target, reduction='mean'):\n    return _reduce(_residual(pred, target) ** 2, reduction)\n"


def _huber(body: str) -> str:
    return (_HELPERS + _L1 + _MSE + "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
            "    d = _residual(pred, target).abs()\n" + body)


_ENTROPY = "def entropy(p):\n    return -torch.where(p > 0, p * p.log(), 0.0).sum(-1)\n"
_KL = "def kl_divergence(p, q):\n    return torch.where(p > 0, p * (p.log() - q.log()), 0.0).sum(-1)\n"

BANK = {
    "ex01_regression_losses": [
        WrongAnswer("Huber with SmoothL1's formula (divided by delta)",
                    _huber("    return _reduce(torch.where(d <= delta, 0.5 * d ** 2 / delta, d - 0.5 * delta), reduction)\n"),
                    names="SmoothL1Loss's formula"),
        WrongAnswer("Huber's linear branch with the wrong constant",
                    _huber("    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * d - delta ** 2), reduction)\n"),
                    names="does not meet the quadratic branch"),
        WrongAnswer("Huber's quadratic branch without 1/2",
                    _huber("    return _reduce(torch.where(d <= delta, d ** 2, delta * (d - 0.5 * delta)), reduction)\n"),
                    names="dropped the 1/2"),
        WrongAnswer("MSE as RMSE",
                    _HELPERS + _L1 + "\ndef mse_loss(pred, target, reduction='mean'):\n"
                    "    return _reduce(_residual(pred, target) ** 2, reduction).sqrt()\n"
                    "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    d = _residual(pred, target).abs()\n"
                    "    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)\n",
                    names="RMSE"),
        WrongAnswer("L1 without the absolute value",
                    _HELPERS + "\ndef l1_loss(pred, target, reduction='mean'):\n    return _reduce(_residual(pred, target), reduction)\n"
                    + _MSE + "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    d = _residual(pred, target).abs()\n"
                    "    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)\n",
                    names="without its absolute value"),
        WrongAnswer("delegates to torch.nn.functional",
                    "def _reduce(loss, reduction):\n    return loss\n"
                    "def l1_loss(pred, target, reduction='mean'):\n    return F.l1_loss(pred, target, reduction=reduction)\n"
                    "def mse_loss(pred, target, reduction='mean'):\n    return F.mse_loss(pred, target, reduction=reduction)\n"
                    "def huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    return F.huber_loss(pred, target, reduction=reduction, delta=delta)\n",
                    names="must be written from scratch"),
        WrongAnswer("silently broadcasts mismatched shapes and accepts unknown reductions",
                    "def _reduce(loss, reduction):\n    return loss.sum() if reduction == 'sum' else loss if reduction == 'none' else loss.mean()\n"
                    "def _residual(pred, target):\n    return pred - target\n" + _L1 + _MSE
                    + "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    d = _residual(pred, target).abs()\n"
                    "    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)\n",
                    names="expected ValueError"),
        WrongAnswer("delegates through torch._C._nn and torch.ops.aten",
                    _HELPERS + "\n_ENUM = {'none': 0, 'mean': 1, 'sum': 2}\n"
                    "def l1_loss(pred, target, reduction='mean'):\n"
                    "    return torch._C._nn.l1_loss(_residual(pred, target), torch.zeros_like(pred), _ENUM[reduction])\n"
                    "def mse_loss(pred, target, reduction='mean'):\n"
                    "    return torch.ops.aten.mse_loss(pred, target, _ENUM[reduction])\n"
                    "def huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    return torch._C._nn.huber_loss(pred, target, _ENUM[reduction], delta)\n",
                    names="must be written from scratch"),
        WrongAnswer("Huber as delta times SmoothL1 (F.smooth_l1_loss)",
                    _HELPERS + _L1 + _MSE + "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    _residual(pred, target)\n"
                    "    return delta * F.smooth_l1_loss(pred, target, reduction=reduction, beta=delta)\n",
                    names="must be written from scratch"),
        WrongAnswer("Huber through SciPy (scipy.special.huber)",
                    _HELPERS + _L1 + _MSE + "\nimport scipy.special\n"
                    "def huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    d = _residual(pred, target)\n"
                    "    values = torch.as_tensor(scipy.special.huber(delta, d.numpy()), dtype=d.dtype)\n"
                    "    return _reduce(values, reduction)\n",
                    names="must be written from scratch"),
        WrongAnswer("switches the profiler off, then delegates",
                    "import sys\n" + _HELPERS
                    + "\ndef l1_loss(pred, target, reduction='mean'):\n"
                    "    sys.setprofile(None)\n"
                    "    return F.l1_loss(_residual(pred, target), torch.zeros_like(pred), reduction=reduction)\n"
                    + _MSE + "\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                    "    d = _residual(pred, target).abs()\n"
                    "    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)\n",
                    names="switched the checking off"),
    ],
    "ex02_entropy_kl": [
        WrongAnswer("KL with its arguments swapped",
                    _ENTROPY + "def kl_divergence(p, q):\n"
                    "    return torch.where(q > 0, q * (q.log() - p.log()), 0.0).sum(-1)\n",
                    names="the arguments are swapped"),
        WrongAnswer("naive p log p (0 log 0 = NaN)",
                    "def entropy(p):\n    return -(p * p.log()).sum(-1)\n"
                    "def kl_divergence(p, q):\n    return (p * (p / q).log()).sum(-1)\n",
                    names="0 * log(0) is NaN"),
        WrongAnswer("entropy in bits",
                    "def entropy(p):\n    return -torch.where(p > 0, p * p.log2(), 0.0).sum(-1)\n" + _KL,
                    names="natural log"),
        WrongAnswer("entropy without the minus sign",
                    "def entropy(p):\n    return torch.where(p > 0, p * p.log(), 0.0).sum(-1)\n" + _KL,
                    names="left out the minus sign"),
        WrongAnswer("sums over the first dimension instead of the last",
                    "def entropy(p):\n    return -torch.where(p > 0, p * p.log(), 0.0).sum(0)\n"
                    "def kl_divergence(p, q):\n    return torch.where(p > 0, p * (p.log() - q.log()), 0.0).sum(0)\n",
                    names="expected shape"),
        WrongAnswer("KL as the cross-entropy -sum p log q",
                    _ENTROPY + "def kl_divergence(p, q):\n"
                    "    return -torch.where(p > 0, p * q.log(), 0.0).sum(-1)\n",
                    names="you computed the cross-entropy"),
        WrongAnswer("entropy as a mean over the outcomes",
                    "def entropy(p):\n    return -torch.where(p > 0, p * p.log(), 0.0).mean(-1)\n" + _KL,
                    names="averaged over the K outcomes"),
        WrongAnswer("delegates to torch.distributions",
                    "from torch.distributions import Categorical, kl_divergence as _kl\n"
                    "def entropy(p):\n    return Categorical(probs=p).entropy()\n"
                    "def kl_divergence(p, q):\n    return _kl(Categorical(probs=p), Categorical(probs=q))\n",
                    names="must be written from scratch"),
        WrongAnswer("torch.xlogy (0 log 0 handled by the library)",
                    "def entropy(p):\n    return -torch.xlogy(p, p).sum(-1)\n"
                    "def kl_divergence(p, q):\n    return (torch.xlogy(p, p) - torch.xlogy(p, q)).sum(-1)\n",
                    names="must be written from scratch"),
        WrongAnswer("torch.special.entr and the Tensor method xlogy",
                    "def entropy(p):\n    return torch.special.entr(p).sum(-1)\n"
                    "def kl_divergence(p, q):\n    return (p.xlogy(p) - p.xlogy(q)).sum(-1)\n",
                    names="must be written from scratch"),
        WrongAnswer("torch._C._VariableFunctions.xlogy and torch.kl_div",
                    "def entropy(p):\n    return -torch._C._VariableFunctions.xlogy(p, p).sum(-1)\n"
                    "def kl_divergence(p, q):\n"
                    "    return torch.kl_div(q.log(), p, reduction=0).sum(-1)\n",
                    names="must be written from scratch"),
        WrongAnswer("F.kl_div with log_target (no xlogy inside)",
                    _ENTROPY + "def kl_divergence(p, q):\n"
                    "    terms = F.kl_div(q.log(), p.log(), reduction='none', log_target=True)\n"
                    "    return torch.where(p > 0, terms, 0.0).sum(-1)\n",
                    names="must be written from scratch"),
        WrongAnswer("SciPy: scipy.stats.entropy and scipy.special.rel_entr",
                    "import scipy.special, scipy.stats\n"
                    "def entropy(p):\n"
                    "    return torch.as_tensor(scipy.stats.entropy(p.numpy(), axis=-1), dtype=p.dtype)\n"
                    "def kl_divergence(p, q):\n"
                    "    return torch.as_tensor(scipy.special.rel_entr(p, q), dtype=p.dtype).sum(-1)\n",
                    names="must be written from scratch"),
    ],
}

_CE_HEAD = "def cross_entropy(logits, target, reduction='mean', label_smoothing=0.0):\n"
_STABLE_LOG_PROBS = ("    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
                     "    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()\n"
                     "    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n")
_SMOOTHED = ("    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
             "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n")

BANK["ex03_cross_entropy"] = [
    WrongAnswer("no max-subtraction (exp overflows)",
                _CE_HEAD + "    log_probs = logits - logits.exp().sum(dim=1, keepdim=True).log()\n"
                "    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="log-sum-exp trick"),
    WrongAnswer("stable softmax, then log (underflow to log 0)",
                _CE_HEAD + "    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
                "    log_probs = (shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)).log()\n"
                "    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="not log(softmax(z))"),
    WrongAnswer("averages over classes and samples",
                _CE_HEAD + _STABLE_LOG_PROBS
                + "    onehot = torch.zeros_like(log_probs).scatter_(1, target.unsqueeze(1), 1.0)\n"
                "    loss = -(onehot * log_probs)\n"
                "    return loss.mean() if reduction == 'mean' else _reduce(loss.sum(1), reduction)\n",
                names="averaged over the classes"),
    WrongAnswer("label smoothing over the C-1 wrong classes",
                _CE_HEAD + _STABLE_LOG_PROBS
                + "    others = -(log_probs.sum(1) + nll) / (logits.shape[1] - 1)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * others, reduction)\n",
                names="C-1 wrong classes"),
    WrongAnswer("ignores label_smoothing",
                _CE_HEAD + _STABLE_LOG_PROBS + "    return _reduce(nll, reduction)\n",
                names="ignored label_smoothing"),
    WrongAnswer("delegates to F.log_softmax",
                _CE_HEAD + "    log_probs = F.log_softmax(logits, dim=1)\n"
                "    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to the logsumexp method",
                _CE_HEAD + "    log_probs = logits - logits.logsumexp(dim=1, keepdim=True)\n"
                "    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("misses the (1 - epsilon) factor on the true class",
                _CE_HEAD + _STABLE_LOG_PROBS
                + "    return _reduce(nll - label_smoothing * log_probs.mean(1), reduction)\n",
                names="(1 - epsilon) factor off"),
    WrongAnswer("delegates to torch.special.log_softmax",
                _CE_HEAD + "    log_probs = torch.special.log_softmax(logits, 1)\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("delegates to torch.special.logsumexp",
                _CE_HEAD + "    log_probs = logits - torch.special.logsumexp(logits, 1, keepdim=True)\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("delegates to torch._C._nn.cross_entropy_loss",
                _CE_HEAD + "    enum = {'none': 0, 'mean': 1, 'sum': 2}[reduction]\n"
                "    return torch._C._nn.cross_entropy_loss(logits, target, None, enum, -100, label_smoothing)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to the Tensor method log_softmax",
                _CE_HEAD + "    log_probs = logits.log_softmax(1)\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("log-sum-exp through logcumsumexp",
                _CE_HEAD + "    log_probs = logits - logits.logcumsumexp(1)[:, -1:]\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("log-sum-exp through torch.distributions.Categorical(logits=...)",
                _CE_HEAD + "    log_probs = torch.distributions.Categorical(logits=logits).logits\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("SciPy's logsumexp through NumPy",
                "import scipy.special\n" + _CE_HEAD
                + "    lse = torch.as_tensor(scipy.special.logsumexp(logits.numpy(), axis=1, keepdims=True))\n"
                "    log_probs = logits - lse.to(logits.dtype)\n" + _SMOOTHED,
                names="must be written from scratch"),
    WrongAnswer("leaves the dispatch mode, then delegates",
                "from torch.utils._python_dispatch import _disable_current_modes\n" + _CE_HEAD
                + "    with _disable_current_modes():\n"
                "        return F.cross_entropy(logits, target, reduction=reduction,\n"
                "                               label_smoothing=label_smoothing)\n",
                names="switched the checking off"),
]

_BCE_HEAD = "def bce_with_logits(logits, target, pos_weight=None, reduction='mean'):\n"
_STABLE_NEG_LOG_SIGMOID = "    nls = torch.log1p(torch.exp(-logits.abs())) + torch.clamp(-logits, min=0)\n"

BANK["ex04_bce_logits"] = [
    WrongAnswer("sigmoid, then log (not stable)",
                _BCE_HEAD + "    p = torch.sigmoid(logits)\n    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(-(w * target * p.log() + (1 - target) * (1 - p).log()), reduction)\n",
                names="after the sigmoid"),
    WrongAnswer("pos_weight on the negative term",
                _BCE_HEAD + _STABLE_NEG_LOG_SIGMOID + "    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(target * nls + w * (1 - target) * (nls + logits), reduction)\n",
                names="applied pos_weight to the negative"),
    WrongAnswer("pos_weight on the whole loss",
                _BCE_HEAD + _STABLE_NEG_LOG_SIGMOID + "    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(w * ((1 - target) * logits + nls), reduction)\n",
                names="applied pos_weight to the whole loss"),
    WrongAnswer("log(1 + exp(-x)) without the |x| trick (overflows)",
                _BCE_HEAD + "    nls = torch.log1p(torch.exp(-logits))\n"
                "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="exp(100) overflows"),
    WrongAnswer("delegates to F.softplus",
                _BCE_HEAD + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce((1 - target) * logits + weight * F.softplus(-logits), reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("the loss without its minus sign",
                _BCE_HEAD + _STABLE_NEG_LOG_SIGMOID
                + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce(-((1 - target) * logits + weight * nls), reduction)\n",
                names="left out the loss's minus sign"),
    WrongAnswer("delegates to torch.binary_cross_entropy_with_logits",
                _BCE_HEAD + "    enum = {'none': 0, 'mean': 1, 'sum': 2}[reduction]\n"
                "    return torch.binary_cross_entropy_with_logits(logits, target, None, pos_weight, enum)\n",
                names="must be written from scratch"),
    WrongAnswer("delegates to F.logsigmoid",
                _BCE_HEAD + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce((1 - target) * logits - weight * F.logsigmoid(logits), reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("softplus through torch.logaddexp",
                _BCE_HEAD + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    nls = torch.logaddexp(torch.zeros_like(logits), -logits)\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("softplus through torch._C._nn.softplus",
                _BCE_HEAD + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    nls = torch._C._nn.softplus(-logits, 1, 20)\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("SciPy's log_expit through NumPy",
                "import scipy.special\n" + _BCE_HEAD
                + "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    nls = -torch.as_tensor(scipy.special.log_expit(logits.numpy()), dtype=logits.dtype)\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="must be written from scratch"),
]

_GRAD_HEAD = ("def cross_entropy_grad(logits, target):\n"
              "    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
              "    probs = shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)\n"
              "    onehot = torch.zeros_like(probs).scatter_(1, target.unsqueeze(1), 1.0)\n")

BANK["ex05_ce_gradient"] = [
    WrongAnswer("forgets to divide by N", _GRAD_HEAD + "    return probs - onehot\n", names="gradient of the summed loss"),
    WrongAnswer("onehot - softmax (sign)", _GRAD_HEAD + "    return (onehot - probs) / logits.shape[0]\n",
                names="onehot - softmax"),
    WrongAnswer("softmax over the batch dimension",
                "def cross_entropy_grad(logits, target):\n"
                "    probs = torch.softmax(logits, dim=0)\n"
                "    onehot = torch.zeros_like(probs).scatter_(1, target.unsqueeze(1), 1.0)\n"
                "    return (probs - onehot) / logits.shape[0]\n",
                names="softmax over the batch"),
    WrongAnswer("softmax without max-subtraction",
                "def cross_entropy_grad(logits, target):\n"
                "    probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)\n"
                "    onehot = torch.zeros_like(probs).scatter_(1, target.unsqueeze(1), 1.0)\n"
                "    return (probs - onehot) / logits.shape[0]\n",
                names="subtract the row max"),
    WrongAnswer("uses autograd instead of the closed form",
                "def cross_entropy_grad(logits, target):\n"
                "    z = logits.detach().clone().requires_grad_()\n"
                "    F.cross_entropy(z, target).backward()\n"
                "    return z.grad\n",
                names="must be written from scratch"),
    WrongAnswer("divides by the number of classes",
                _GRAD_HEAD + "    return (probs - onehot) / logits.shape[1]\n",
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
]
