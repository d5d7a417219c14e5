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


_HUBER_RIGHT = ("\ndef huber_loss(pred, target, delta=1.0, reduction='mean'):\n"
                "    d = _residual(pred, target).abs()\n"
                "    return _reduce(torch.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)), reduction)\n")
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
        WrongAnswer("mean as loss.sum() / len(loss) (right only for 1-D losses)",
                    "def _reduce(loss, reduction):\n"
                    "    if reduction == 'mean':\n        return loss.sum() / len(loss)\n"
                    "    if reduction == 'sum':\n        return loss.sum()\n"
                    "    if reduction == 'none':\n        return loss\n"
                    "    raise ValueError(reduction)\n"
                    "def _residual(pred, target):\n"
                    "    if pred.shape != target.shape:\n        raise ValueError('shapes')\n"
                    "    return pred - target\n" + _L1 + _MSE + _HUBER_RIGHT,
                    names="divided the sum by len(loss)"),
        WrongAnswer("compares the number of dimensions, not the shapes",
                    "def _reduce(loss, reduction):\n"
                    "    if reduction not in ('mean', 'sum', 'none'):\n        raise ValueError(reduction)\n"
                    "    return loss.mean() if reduction == 'mean' else loss.sum() if reduction == 'sum' else loss\n"
                    "def _residual(pred, target):\n"
                    "    if pred.dim() != target.dim():\n        raise ValueError('shapes')\n"
                    "    return pred - target\n" + _L1 + _MSE + _HUBER_RIGHT,
                    names="although both have two dimensions"),
        WrongAnswer("reduction looked up in a dict (KeyError, not ValueError)",
                    "_REDUCE = {'mean': torch.mean, 'sum': torch.sum, 'none': lambda v: v}\n"
                    "def _reduce(loss, reduction):\n    return _REDUCE[reduction](loss)\n"
                    "def _residual(pred, target):\n"
                    "    if pred.shape != target.shape:\n        raise ValueError('shapes')\n"
                    "    return pred - target\n" + _L1 + _MSE + _HUBER_RIGHT,
                    names="got KeyError"),
        WrongAnswer("a detached result (torch.tensor of the value)",
                    "def _reduce(loss, reduction):\n"
                    "    if reduction not in ('mean', 'sum', 'none'):\n        raise ValueError(reduction)\n"
                    "    value = loss.mean() if reduction == 'mean' else loss.sum() if reduction == 'sum' else loss\n"
                    "    return torch.tensor(value.tolist(), dtype=value.dtype)\n"
                    "def _residual(pred, target):\n"
                    "    if pred.shape != target.shape:\n        raise ValueError('shapes')\n"
                    "    return pred - target\n" + _L1 + _MSE + _HUBER_RIGHT,
                    names="has no autograd history"),
        WrongAnswer("computes in float32 whatever the input (pred.float())",
                    _HELPERS.replace("    return pred - target\n", "    return pred.float() - target.float()\n")
                    + _L1 + _MSE + _HUBER_RIGHT,
                    names="must keep the inputs' dtype"),
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
        WrongAnswer("KL set to inf wherever q_k = 0, even where p_k = 0",
                    _ENTROPY + "def kl_divergence(p, q):\n"
                    "    terms = torch.where(p > 0, p * (p.log() - q.log()), 0.0)\n"
                    "    return torch.where(q == 0, float('inf'), terms).sum(-1)\n",
                    names="also where p_k = 0"),
        WrongAnswer("converts to float32 first",
                    "def entropy(p):\n    p = p.float()\n"
                    "    return -torch.where(p > 0, p * p.log(), 0.0).sum(-1)\n"
                    "def kl_divergence(p, q):\n    p, q = p.float(), q.float()\n"
                    "    return torch.where(p > 0, p * (p.log() - q.log()), 0.0).sum(-1)\n",
                    names="must keep the inputs' dtype"),
        WrongAnswer("a detached result, one Python float per distribution",
                    "def entropy(p):\n"
                    "    h = -torch.where(p > 0, p * p.log(), 0.0).sum(-1)\n"
                    "    return torch.tensor(h.tolist(), dtype=p.dtype)\n" + _KL,
                    names="has no autograd history"),
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
                names="never log(softmax(z))"),
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
    WrongAnswer("subtracts the batch's max, not each row's",
                _CE_HEAD + "    shifted = logits - logits.max()\n"
                "    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()\n" + _SMOOTHED,
                names="you subtracted one maximum, the batch's 1000"),
    WrongAnswer("the smoothing term always computed (0 * inf = nan for a -inf logit)",
                _CE_HEAD + _STABLE_LOG_PROBS
                + "    loss = (1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(dim=1))\n"
                "    return _reduce(loss, reduction)\n",
                names="A nan comes from 0 times inf"),
    WrongAnswer("smoothed target times log-probabilities (0 * -inf = nan)",
                _CE_HEAD + _STABLE_LOG_PROBS
                + "    n = logits.shape[1]\n"
                "    p = torch.full_like(logits, label_smoothing / n)\n"
                "    p.scatter_(1, target.unsqueeze(1), 1 - label_smoothing + label_smoothing / n)\n"
                "    return _reduce(-(p * log_probs).sum(1), reduction)\n",
                names="A nan comes from 0 times inf"),
    WrongAnswer("log-probabilities clamped at -100 (as BCELoss does)",
                _CE_HEAD + _STABLE_LOG_PROBS.replace(".log()\n", ".log()\n    log_probs = log_probs.clamp(min=-100)\n", 1)
                + "    if label_smoothing == 0:\n        return _reduce(nll, reduction)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="a finite value from a clamp or an epsilon"),
    WrongAnswer("works in float64 and returns float64 for float32 logits",
                _CE_HEAD + "    logits = logits.double()\n" + _STABLE_LOG_PROBS
                + "    if label_smoothing == 0:\n        return _reduce(nll, reduction)\n"
                "    return _reduce((1 - label_smoothing) * nll + label_smoothing * (-log_probs.mean(1)), reduction)\n",
                names="must keep the logits' dtype"),
]

_BCE_HEAD = "def bce_with_logits(logits, target, pos_weight=None, reduction='mean'):\n"
_STABLE_NEG_LOG_SIGMOID = "    nls = torch.log1p(torch.exp(-logits.abs())) + torch.clamp(-logits, min=0)\n"

BANK["ex04_bce_logits"] = [
    WrongAnswer("sigmoid, then log (not stable)",
                _BCE_HEAD + "    p = torch.sigmoid(logits)\n    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(-(w * target * p.log() + (1 - target) * (1 - p).log()), reduction)\n",
                names="from the probability sigmoid(x)"),
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
    WrongAnswer("pos_weight as a factor 1 + (w - 1) t on the whole loss (right only for 0/1 targets)",
                _BCE_HEAD + _STABLE_NEG_LOG_SIGMOID
                + "    loss = (1 - target) * logits + nls\n"
                "    if pos_weight is not None:\n        loss = loss * (1 + (pos_weight - 1) * target)\n"
                "    return _reduce(loss, reduction)\n",
                names="which is right only for targets of exactly 0 or 1"),
    WrongAnswer("ignores pos_weight",
                _BCE_HEAD + _STABLE_NEG_LOG_SIGMOID + "    return _reduce((1 - target) * logits + nls, reduction)\n",
                names="you ignored pos_weight"),
    WrongAnswer("clamped sigmoid, then log",
                _BCE_HEAD + "    p = torch.sigmoid(logits).clamp(1e-7, 1 - 1e-7)\n"
                "    w = 1 if pos_weight is None else pos_weight\n"
                "    return _reduce(-(w * target * p.log() + (1 - target) * (1 - p).log()), reduction)\n",
                names="a clamp or an epsilon on the probability"),
    WrongAnswer("-log sigmoid(x) as F.cross_entropy of the logits (0, x)",
                _BCE_HEAD + "    flat = logits.reshape(-1, 1)\n"
                "    pair = torch.cat([torch.zeros_like(flat), flat], dim=1)\n"
                "    ones = torch.ones(flat.shape[0], dtype=torch.long)\n"
                "    nls = F.cross_entropy(pair, ones, reduction='none').reshape(logits.shape)\n"
                "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="must be written from scratch"),
    WrongAnswer("torch.where between two branches, one of which overflows (nan gradient)",
                _BCE_HEAD + "    nls = torch.where(logits >= 0, torch.log1p(torch.exp(-logits)),\n"
                "                      -logits + torch.log1p(torch.exp(logits)))\n"
                "    weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target\n"
                "    return _reduce((1 - target) * logits + weight * nls, reduction)\n",
                names="a branch that torch.where does not select"),
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
                names="subtract each row's max"),
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
    WrongAnswer("a central finite difference of F.cross_entropy in float64",
                "def cross_entropy_grad(logits, target):\n"
                "    z, h = logits.double(), 1e-6\n"
                "    grad = torch.zeros_like(z)\n"
                "    for i in range(z.shape[0]):\n"
                "        for j in range(z.shape[1]):\n"
                "            step = torch.zeros_like(z)\n"
                "            step[i, j] = h\n"
                "            grad[i, j] = (F.cross_entropy(z + step, target) - F.cross_entropy(z - step, target)) / (2 * h)\n"
                "    return grad.to(logits.dtype)\n",
                names="must be written from scratch"),
    WrongAnswer("a central finite difference of your own cross_entropy",
                "def cross_entropy_grad(logits, target):\n"
                "    z, h = logits.double(), 1e-6\n"
                "    grad = torch.zeros_like(z)\n"
                "    for i in range(z.shape[0]):\n"
                "        for j in range(z.shape[1]):\n"
                "            step = torch.zeros_like(z)\n"
                "            step[i, j] = h\n"
                "            grad[i, j] = (cross_entropy(z + step, target) - cross_entropy(z - step, target)) / (2 * h)\n"
                "    return grad.to(logits.dtype)\n",
                names="must be written from scratch"),
    WrongAnswer("a float32 gradient whatever the logits' dtype",
                _GRAD_HEAD + "    grad = torch.zeros(logits.shape)\n"
                "    grad[:] = (probs - onehot) / logits.shape[0]\n"
                "    return grad\n",
                names="must have the logits' dtype"),
]

BANK["ex06_predict_smoothing_floor"] = [
    WrongAnswer("0, as without smoothing", "def predicted_smoothing_floor():\n    return 0.0\n",
                names="expected the loss to reach 0"),
    WrongAnswer("smoothing spread over the C - 1 wrong classes",
                "def predicted_smoothing_floor():\n    return 0.545\n", names="C - 1 wrong classes"),
    WrongAnswer("the loss of a uniform prediction", "def predicted_smoothing_floor():\n    return 2.30\n",
                names="loss of a uniform prediction"),
    WrongAnswer("a certain true class plus a uniform smoothing term",
                "def predicted_smoothing_floor():\n    return 0.23\n", names="combined the best of two"),
    WrongAnswer("the entropy in bits", "def predicted_smoothing_floor():\n    return 0.722\n",
                names="KL(p || q) >= 0 is 0 only at q = p"),
    WrongAnswer("a string", "def predicted_smoothing_floor():\n    return '0.50'\n", names="must return a number"),
]

BANK["ex07_predict_double_softmax_floor"] = [
    WrongAnswer("0, as for plain logits", "def predicted_double_softmax_floor():\n    return 0.0\n",
                names="expected the loss to reach 0"),
    WrongAnswer("the loss of a uniform prediction",
                "def predicted_double_softmax_floor():\n    return 2.303\n", names="loss of a uniform prediction"),
    WrongAnswer("the true class's logit left out",
                "def predicted_double_softmax_floor():\n    return 2.46\n", names="left out the true class's logit"),
    WrongAnswer("the bound in base 2", "def predicted_double_softmax_floor():\n    return 2.108\n",
                names="put 1 on the true class and 0 on the other nine"),
    WrongAnswer("a boolean", "def predicted_double_softmax_floor():\n    return True\n", names="must return a number"),
]
