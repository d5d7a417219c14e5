"""Stored expected values for 02 Loss functions: the visible test cases and the values known mistakes give.

The visible test cells compare each answer with the PyTorch operation (``nn.L1Loss``, ``torch.distributions``,
``F.cross_entropy``, ``F.binary_cross_entropy_with_logits``, autograd) and name a misconception when the
answer equals one of the values stored here. The mistakes are computed by the small functions below, which
live only in this file (and, for the hidden cases, in the hidden tests): each is a right answer with one
edit, so it must not appear in a visible cell.

    python -m tools.expected_values 02_losses
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

REDUCTIONS = ("mean", "sum", "none")
BY_LEN = ("you divided the sum by len(loss), the size of the first dimension only, not by the number of "
          "elements")


def _reduce(values: torch.Tensor, reduction: str) -> torch.Tensor:
    return values.mean() if reduction == "mean" else values.sum() if reduction == "sum" else values


# ---------------------------------------------------------------- exercise 1: L1, MSE, Huber
def _regression_mistakes(pred, target, delta, reduction):
    d = pred - target
    a = d.abs()

    def r(values):
        return _reduce(values, reduction)

    def by_len(values):  # "mean" as the sum divided by len(): the first dimension only
        return values.sum() / len(values) if reduction == "mean" and values.dim() > 1 else None

    huber = torch.where(a <= delta, 0.5 * a ** 2, delta * (a - 0.5 * delta))
    return {
        "l1_loss": {"you reduced the signed error pred - target, without its absolute value": r(d),
                    BY_LEN: by_len(a)},
        "mse_loss": {
            "you took the square root of the mean squared error (that is the RMSE)": r(d ** 2).sqrt(),
            "you halved the squared error (0.5 d^2 is Huber's quadratic branch, not MSE)": r(0.5 * d ** 2),
            BY_LEN: by_len(d ** 2),
        },
        "huber_loss": {
            BY_LEN: by_len(huber),
            "you used SmoothL1Loss's formula, which is Huber divided by delta":
                r(torch.where(a <= delta, 0.5 * a ** 2 / delta, a - 0.5 * delta)),
            "you dropped the 1/2 of the quadratic branch":
                r(torch.where(a <= delta, a ** 2, delta * (a - 0.5 * delta))),
            "your linear branch, delta |d| - delta^2, does not meet the quadratic branch at |d| = delta":
                r(torch.where(a <= delta, 0.5 * a ** 2, delta * a - delta ** 2)),
        },
    }


def _regression_case(pred, target, delta):
    return {"inputs": {"pred": pred, "target": target, "delta": delta},
            "wrong": {reduction: _regression_mistakes(pred, target, delta, reduction) for reduction in REDUCTIONS}}


# ---------------------------------------------------------------- exercise 2: entropy and KL
def _information_mistakes(p, q):
    p_log_p = torch.where(p > 0, p * p.log(), torch.zeros_like(p))
    q_log_q = torch.where(q > 0, q * q.log(), torch.zeros_like(q))
    return {
        "entropy": {
            "you computed p * log(p) directly, and 0 * log(0) is NaN where p_k = 0 (such terms count as 0)":
                -(p * p.log()).sum(-1),
            "you used log base 2 (bits) instead of the natural log (nats)": -(p_log_p / math.log(2)).sum(-1),
            "you left out the minus sign": p_log_p.sum(-1),
            "you averaged over the K outcomes instead of summing": -p_log_p.mean(-1),
        },
        "kl_divergence": {
            "you computed KL(q || p): the arguments are swapped":
                (q_log_q - torch.where(q > 0, q * p.log(), torch.zeros_like(q))).sum(-1),
            "you computed p * log(p / q) directly, and 0 * log(0) is NaN where p_k = 0":
                (p * (p / q).log()).sum(-1),
            "you computed the cross-entropy -sum p log q, which is H(p) + KL(p || q), not the KL divergence":
                -torch.where(p > 0, p * q.log(), torch.zeros_like(p)).sum(-1),
            "you set a term to inf wherever q_k = 0, also where p_k = 0: such a term counts as 0 "
            "(0 log(0/0) = 0)":
                torch.where(q == 0, math.inf, torch.where(p > 0, p * (p.log() - q.log()), 0.0)).sum(-1),
        },
    }


def _information_case(p, q):
    return {"inputs": {"p": p, "q": q}, "wrong": _information_mistakes(p, q)}


# ---------------------------------------------------------------- exercise 3: cross-entropy
def _cross_entropy_mistakes(logits, target, reduction, eps):
    log_q = logits.log_softmax(1)
    n_classes = logits.shape[1]
    nll = -log_q.gather(1, target[:, None]).squeeze(1)
    smoothed = (1 - eps) * F.one_hot(target, n_classes) + eps / n_classes
    return {
        "you averaged over the classes as well as over the samples":
            (-(smoothed * log_q)).mean() if reduction == "mean" else None,
        "you spread the smoothing epsilon over the C-1 wrong classes only":
            _reduce((1 - eps) * nll + eps * (-(log_q.sum(1) + nll) / (n_classes - 1)), reduction) if eps else None,
        "you ignored label_smoothing": _reduce(nll, reduction) if eps else None,
        "you left the (1 - epsilon) factor off the true class's term":
            _reduce(nll - eps * log_q.mean(1), reduction) if eps else None,
    }


def _cross_entropy_case(logits, target, reduction="mean", label_smoothing=0.0):
    return {"inputs": {"logits": logits, "target": target, "reduction": reduction,
                       "label_smoothing": label_smoothing},
            "wrong": _cross_entropy_mistakes(logits, target, reduction, label_smoothing)}


# ---------------------------------------------------------------- exercise 4: BCE with logits
LOG_OF_SIGMOID = ("you computed the loss from the probability sigmoid(x), as log(sigmoid(x)) (clamped or "
                  "not): that loses precision, and at large |x| gives inf or, clamped, a capped loss")


def _bce_mistakes(logits, target, pos_weight, reduction):
    w = 1 if pos_weight is None else pos_weight
    log_sig, log_one_minus = F.logsigmoid(logits), F.logsigmoid(-logits)
    prob = torch.sigmoid(logits)

    def r(values):
        return _reduce(values, reduction)

    return {
        "you applied pos_weight to the negative (t = 0) term":
            r(-(target * log_sig + w * (1 - target) * log_one_minus)),
        "you applied pos_weight to the whole loss": r(-w * (target * log_sig + (1 - target) * log_one_minus)),
        LOG_OF_SIGMOID: r(-(w * target * prob.log() + (1 - target) * (1 - prob).log())),
        "you left out the loss's minus sign": r(w * target * log_sig + (1 - target) * log_one_minus),
        "you multiplied the whole loss by 1 + (w - 1) t, which is right only for targets of exactly 0 "
        "or 1: with a soft target t it also weights the negative term":
            r(-(1 + (w - 1) * target) * (target * log_sig + (1 - target) * log_one_minus))
            if pos_weight is not None else None,
        "you ignored pos_weight":
            r(-(target * log_sig + (1 - target) * log_one_minus)) if pos_weight is not None else None,
    }


def _bce_case(logits, target, pos_weight=None, reduction="mean"):
    return {"inputs": {"logits": logits, "target": target, "pos_weight": pos_weight, "reduction": reduction},
            "wrong": _bce_mistakes(logits, target, pos_weight, reduction)}


# ---------------------------------------------------------------- exercise 5: the gradient
def _gradient_mistakes(logits, target):
    probs, onehot = torch.softmax(logits, 1), F.one_hot(target, logits.shape[1]).to(logits.dtype)
    n = logits.shape[0]
    return {
        "you returned the gradient of the summed loss, not of the mean over the N samples": probs - onehot,
        "you computed onehot - softmax: the sign is flipped": (onehot - probs) / n,
        "you took the softmax over the batch (dim 0) instead of over each row": (torch.softmax(logits, 0) - onehot) / n,
        "you divided by the number of classes C instead of the batch size N": (probs - onehot) / logits.shape[1],
    }


def _gradient_case(logits, target):
    return {"inputs": {"logits": logits, "target": target}, "wrong": _gradient_mistakes(logits, target)}


# ---------------------------------------------------------------- the two predict-then-run questions
def _smoothing_floor_case(classes, eps):
    """The smallest label-smoothed cross-entropy of one sample: the entropy of the smoothed target."""
    smoothed = torch.full((classes,), eps / classes, dtype=torch.float64)
    smoothed[0] += 1 - eps
    spread_over_others = torch.full((classes,), eps / (classes - 1), dtype=torch.float64)
    spread_over_others[0] = 1 - eps

    def entropy(p):
        return float(-(p * p.log()).sum())

    return {"inputs": {"classes": classes, "label_smoothing": eps}, "answer": entropy(smoothed),
            "wrong": {
                "you expected the loss to reach 0, as it does without smoothing: the smoothed target is not "
                "one-hot, so no prediction makes every term of the loss 0": 0.0,
                "you spread epsilon over the C - 1 wrong classes only; PyTorch spreads it over all C classes, "
                "the true one included": entropy(spread_over_others),
                "you gave the loss of a uniform prediction (all logits equal), which is not the smallest":
                    math.log(classes),
                "you combined the best of two different predictions: a certain true class (0 for the first "
                "term) and a uniform one for the smoothing term (epsilon log C); one prediction cannot be both":
                    eps * math.log(classes),
            }}


def _double_softmax_floor_case(classes):
    """The smallest cross-entropy when the 'logits' are probabilities (in [0, 1])."""
    e = math.e
    return {"inputs": {"classes": classes}, "answer": math.log(1 + (classes - 1) / e),
            "wrong": {
                "you expected the loss to reach 0: the softmax outputs in [0, 1] used as logits never make the "
                "second softmax confident": 0.0,
                "you gave the loss of a uniform prediction (all probabilities equal), which is not the smallest":
                    math.log(classes),
                "you left out the true class's logit: the loss is minus that logit plus the log of the sum of "
                "the exponentials": math.log(e + classes - 1),
            }}


def cases() -> dict:
    g = torch.Generator().manual_seed(2)
    regression = {
        "random": _regression_case(torch.randn(10, generator=g) * 3, torch.randn(10, generator=g), 2.0),
        "article_example": _regression_case(torch.tensor([2.5, 5.0, 3.0]), torch.tensor([3.0, 5.0, 2.5]), 0.3),
        "two_d": _regression_case(torch.randn(4, 3, generator=g) * 3, torch.randn(4, 3, generator=g), 0.7),
    }
    information = {
        "one_distribution": _information_case(torch.tensor([0.5, 0.25, 0.25]), torch.tensor([1 / 3, 1 / 3, 1 / 3])),
        "zeros_in_p": _information_case(torch.tensor([[0.5, 0.5, 0.0], [0.1, 0.2, 0.7]]),
                                        torch.tensor([[0.25, 0.25, 0.5], [0.3, 0.3, 0.4]])),
        "zero_in_q": _information_case(torch.tensor([0.5, 0.5]), torch.tensor([1.0, 0.0])),
        "zero_in_both": _information_case(torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.0, 0.8]]),
                                          torch.tensor([[0.4, 0.6, 0.0], [0.5, 0.0, 0.5]])),
    }
    g = torch.Generator().manual_seed(3)
    cross_entropy = {
        "article_example": _cross_entropy_case(torch.tensor([[1.5, 2.0, 0.5], [0.5, 1.0, 1.5]]), torch.tensor([1, 2])),
    }
    for reduction in REDUCTIONS:
        cross_entropy[f"random_{reduction}"] = _cross_entropy_case(
            torch.randn(8, 5, generator=g) * 3, torch.randint(0, 5, (8,), generator=g), reduction)
    cross_entropy["label_smoothing"] = _cross_entropy_case(
        torch.randn(6, 4, generator=g) * 4, torch.randint(0, 4, (6,), generator=g), "mean", 0.1)
    cross_entropy["label_smoothing_none"] = _cross_entropy_case(
        torch.randn(5, 4, generator=g) * 2, torch.randint(0, 4, (5,), generator=g), "none", 0.3)
    g = torch.Generator().manual_seed(4)
    bce = {
        "binary_targets": _bce_case(torch.randn(10, generator=g) * 3,
                                    torch.randint(0, 2, (10,), generator=g).float()),
        "pos_weight_sum": _bce_case(torch.randn(6, 3, generator=g) * 3, torch.rand(6, 3, generator=g),
                                    torch.tensor([1.0, 3.0, 0.5]), "sum"),
        "two_d_mean": _bce_case(torch.randn(5, 3, generator=g) * 3, torch.rand(5, 3, generator=g),
                                torch.tensor([2.0, 0.5, 4.0]), "mean"),
    }
    g = torch.Generator().manual_seed(5)
    gradient = {
        "small": _gradient_case(torch.randn(4, 3, generator=g) * 2, torch.tensor([0, 2, 1, 2])),
        "random": _gradient_case(torch.randn(8, 5, generator=g), torch.randint(0, 5, (8,), generator=g)),
        "float64": _gradient_case(torch.randn(5, 4, generator=g, dtype=torch.float64) * 3,
                                  torch.randint(0, 4, (5,), generator=g)),
    }
    return {"ex01_regression_losses": regression, "ex02_entropy_kl": information, "ex03_cross_entropy": cross_entropy,
            "ex04_bce_logits": bce, "ex05_ce_gradient": gradient,
            "ex06_predict_smoothing_floor": {"ten_classes": _smoothing_floor_case(10, 0.1)},
            "ex07_predict_double_softmax_floor": {"ten_classes": _double_softmax_floor_case(10)}}
