"""Plausible wrong answers for 07 Batch normalization. Each must fail at least one test cell of its exercise;
``names`` is text the failure message must contain (the misconception, named for the learner). Most are small
edits of the reference answer, so they stay in step with it."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "07_batch_norm")

_RUNNING_UPDATE = ("            running_mean.mul_(1 - momentum).add_(momentum * mean)\n"
                   "            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))  # unbiased\n")

_PER_SAMPLE = '''
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    shape = [1, -1] + [1] * (x.dim() - 2)
    channel_dims = [0] + list(range(2, x.dim()))
    if training:
        n = x.numel() // x.shape[1]
        if n < 2:
            raise ValueError("Expected more than 1 value per channel when training")
        mean = x.mean(dim=list(range(1, x.dim())), keepdim=True)  # one mean per sample
        var = ((x - mean) ** 2).mean(dim=list(range(1, x.dim())), keepdim=True)
        with torch.no_grad():
            batch_mean = x.mean(dim=channel_dims)
            batch_var = ((x - batch_mean.view(shape)) ** 2).mean(dim=channel_dims)
            running_mean.mul_(1 - momentum).add_(momentum * batch_mean)
            running_var.mul_(1 - momentum).add_(momentum * batch_var * n / (n - 1))
    else:
        mean, var = running_mean.view(shape), running_var.view(shape)
    return gamma.view(shape) * (x - mean) / torch.sqrt(var + eps) + beta.view(shape)
'''

_BATCH_DIM_ONLY = '''
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    shape = [1, -1] + [1] * (x.dim() - 2)
    channel_dims = [0] + list(range(2, x.dim()))
    if training:
        if x.shape[0] < 2:
            raise ValueError("Expected more than 1 value per channel when training")
        mean = x.mean(dim=0, keepdim=True)  # the 1-D formula, applied to images as it is
        var = ((x - mean) ** 2).mean(dim=0, keepdim=True)
        n = x.numel() // x.shape[1]
        with torch.no_grad():
            batch_mean = x.mean(dim=channel_dims)
            batch_var = ((x - batch_mean.view(shape)) ** 2).mean(dim=channel_dims)
            running_mean.mul_(1 - momentum).add_(momentum * batch_mean)
            running_var.mul_(1 - momentum).add_(momentum * batch_var * n / (n - 1))
    else:
        mean, var = running_mean.view(shape), running_var.view(shape)
    return gamma.view(shape) * (x - mean) / torch.sqrt(var + eps) + beta.view(shape)
'''

_AUTOGRAD_BACKWARD = '''
def batch_norm_backward(grad_out, cache):
    x = cache["x"].clone().requires_grad_()
    gamma = cache["gamma"].clone().requires_grad_()
    beta = torch.zeros_like(gamma).requires_grad_()
    out = F.batch_norm(x, None, None, gamma, beta, True, 0.0, 1e-5)
    return torch.autograd.grad(out, (x, gamma, beta), grad_out)
'''

_FUNC_VJP_BACKWARD = '''
def batch_norm_backward(grad_out, cache):
    x, gamma = cache["x"], cache["gamma"]
    dims = [0] + list(range(2, x.dim()))
    shape = [1, -1] + [1] * (x.dim() - 2)

    def forward(x, gamma, beta):
        x_hat = (x - cache["mean"].view(shape)) * cache["invstd"].view(shape)
        return gamma.view(shape) * x_hat + beta.view(shape)

    _, pullback = torch.func.vjp(forward, x, gamma, torch.zeros_like(gamma))
    return pullback(grad_out)
'''

_ATEN_BACKWARD = '''
def batch_norm_backward(grad_out, cache):
    return torch.ops.aten.native_batch_norm_backward(
        grad_out, cache["x"], cache["gamma"], None, None, cache["mean"], cache["invstd"], True, 1e-5,
        [True, True, True])
'''

_RETRAIN = '''
def diagnosis():
    return "C"


def fix_evaluation(model, train_x):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    model.train()
    labels = digits.y_train.to(train_x.device)
    for x, y in zip(train_x.split(64), labels.split(64)):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    return model.eval()
'''

_COV_VARIANCE = '''
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    shape = [1, -1] + [1] * (x.dim() - 2)
    if training:
        flat = x.transpose(0, 1).reshape(x.shape[1], -1)
        n = flat.shape[1]
        if n < 2:
            raise ValueError("Expected more than 1 value per channel when training")
        mean = flat.mean(1)
        var = torch.cov(flat, correction=0).reshape(x.shape[1], x.shape[1]).diagonal()
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma.view(shape) * (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) + beta.view(shape)
'''

_NUMPY_VARIANCE = '''
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    shape = [1, -1] + [1] * (x.dim() - 2)
    if training:
        flat = x.transpose(0, 1).reshape(x.shape[1], -1)
        n = flat.shape[1]
        if n < 2:
            raise ValueError("Expected more than 1 value per channel when training")
        mean = flat.mean(1)
        var = torch.from_numpy(flat.detach().cpu().numpy().var(axis=1)).to(x)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma.view(shape) * (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) + beta.view(shape)
'''

_DECOMP_FORWARD = '''
def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    from torch._decomp import decompositions
    return decompositions.native_batch_norm(x, gamma, beta, running_mean, running_var, training, momentum,
                                            eps)[0]
'''

_DECOMP_BACKWARD = '''
def batch_norm_backward(grad_out, cache):
    from torch._decomp.decompositions import native_batch_norm_backward
    return native_batch_norm_backward(grad_out, cache["x"], cache["gamma"], None, None, cache["mean"],
                                      cache["invstd"], True, 1e-5, [True, True, True])
'''

# The module's bookkeeping borrowed from PyTorch: a plain nn.Module whose forward is _BatchNorm's.
_BORROWED_FORWARD = '''
class MyBatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = True, True
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def _check_input_dim(self, x):
        if x.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {x.dim()}D input)")

    forward = nn.modules.batchnorm._BatchNorm.forward


class MyBatchNorm2d(MyBatchNorm1d):
    def _check_input_dim(self, x):
        if x.dim() != 4:
            raise ValueError(f"expected 4D input (got {x.dim()}D input)")
'''

_RUNS_A_LAYER = '''
def predicted_running_mean():
    layer = nn.BatchNorm1d(1)
    for _ in range(3):
        layer(torch.tensor([[3.0], [4.0], [6.0], [7.0]]))
    return layer.running_mean.item()
'''

# What a learner who ran the demo cell first can write: read a layer that already saw the three batches.
_READS_A_LAYER = '''
_seen = nn.BatchNorm1d(1)
for _ in range(3):
    _seen(torch.tensor([[3.0], [4.0], [6.0], [7.0]]))


def predicted_running_mean():
    return _seen.running_mean.item()
'''

_RUNS_A_LAYER_ON_TWO = '''
def predicted_output_for_seven():
    return nn.BatchNorm1d(1)(torch.tensor([[3.0], [7.0]]))[1, 0].item()
'''


def _fix(body: str) -> str:
    """The exercise cell with fix_evaluation's body replaced."""
    return ('def diagnosis():\n    return "C"\n\n\n'
            'def fix_evaluation(model, train_x):\n' + body)


BANK = {
    "ex01_predict_running_mean": [
        WrongAnswer("the last batch mean", "def predicted_running_mean():\n    return 5.0\n",
                    names="no running average at all"),
        WrongAnswer("Keras's convention", "def predicted_running_mean():\n    return 4.995\n",
                    names="momentum used as the weight of the old value"),
        WrongAnswer("one update", "def predicted_running_mean():\n    return 0.5\n",
                    names="one update instead of three"),
        WrongAnswer("no shrinking", "def predicted_running_mean():\n    return 1.5\n",
                    names="without shrinking the old value"),
        WrongAnswer("two updates", "def predicted_running_mean():\n    return 0.95\n",
                    names="two updates instead of three"),
        WrongAnswer("a string", "def predicted_running_mean():\n    return '1.355'\n", names="must return a number"),
        WrongAnswer("reads the test's measurement", "def predicted_running_mean():\n    return measured\n",
                    names="name 'measured' is not defined"),
        WrongAnswer("runs a BatchNorm1d to find the number", _RUNS_A_LAYER,
                    names="but it ran PyTorch's batch normalization to get it"),
        WrongAnswer("reads a BatchNorm1d that saw the batches", _READS_A_LAYER,
                    names="but it ran PyTorch's batch normalization to get it"),
        WrongAnswer("not answered", "def predicted_running_mean():\n    raise NotImplementedError()\n",
                    names="is not answered yet"),
    ],
    "ex02_batch_norm": [
        WrongAnswer("normalised with the unbiased variance",
                    _edit("ex02_batch_norm", "var = ((x - mean.view(shape)) ** 2).mean(dim=dims)",
                          "var = ((x - mean.view(shape)) ** 2).sum(dim=dims) / (n - 1)",
                          "var * n / (n - 1))", "var)"),
                    names="you normalised with the unbiased variance"),
        WrongAnswer("eps outside the square root",
                    _edit("ex02_batch_norm", "/ torch.sqrt(var.view(shape) + eps)",
                          "/ (torch.sqrt(var.view(shape)) + eps)"),
                    names="you added eps outside the square root"),
        WrongAnswer("momentum as the weight of the old value (Keras, CS231n)",
                    _edit("ex02_batch_norm", _RUNNING_UPDATE,
                          "            running_mean.mul_(momentum).add_((1 - momentum) * mean)\n"
                          "            running_var.mul_(momentum).add_((1 - momentum) * var * n / (n - 1))\n"),
                    names="you weighted the old value by momentum"),
        WrongAnswer("biased running variance", _edit("ex02_batch_norm", "momentum * var * n / (n - 1))", "momentum * var)"),
                    names="your running variance is the biased batch variance"),
        WrongAnswer("N instead of N*H*W in the correction",
                    _edit("ex02_batch_norm", "momentum * var * n / (n - 1))",
                          "momentum * var * x.shape[0] / (x.shape[0] - 1))"),
                    names="you counted only the batch dimension"),
        WrongAnswer("running statistics updated in eval mode",
                    _edit("ex02_batch_norm", "    else:\n        mean, var = running_mean, running_var\n",
                          "    else:\n        mean, var = running_mean.clone(), running_var.clone()\n"
                          "        n = x.numel() // x.shape[1]\n"
                          "        batch_mean = x.mean(dim=dims)\n"
                          "        batch_var = ((x - batch_mean.view(shape)) ** 2).mean(dim=dims)\n"
                          "        with torch.no_grad():\n"
                          "            running_mean.mul_(1 - momentum).add_(momentum * batch_mean)\n"
                          "            running_var.mul_(1 - momentum).add_(momentum * batch_var * n / (n - 1))\n"),
                    names="you updated the running statistics in eval mode"),
        WrongAnswer("eval mode normalises with the batch statistics",
                    _edit("ex02_batch_norm", "    else:\n        mean, var = running_mean, running_var\n",
                          "    else:\n        mean = x.mean(dim=dims)\n"
                          "        var = ((x - mean.view(shape)) ** 2).mean(dim=dims)\n"),
                    names="in eval mode you normalised with the batch statistics"),
        WrongAnswer("per-sample statistics (a LayerNorm)", _PER_SAMPLE,
                    names="you computed per-sample statistics over (C, H, W)"),
        WrongAnswer("the 1-D formula on images (batch dimension only)", _BATCH_DIM_ONLY,
                    names="you averaged over the batch dimension only"),
        WrongAnswer("buffers rebound instead of updated in place",
                    _edit("ex02_batch_norm", _RUNNING_UPDATE,
                          "            running_mean = (1 - momentum) * running_mean + momentum * mean\n"
                          "            running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)\n"),
                    names="update the tensors you were given, in place"),
        WrongAnswer("no error for one value per channel",
                    _edit("ex02_batch_norm",
                          "        if n < 2:\n            raise ValueError(\"Expected more than 1 value per channel when training, \"\n"
                          "                             f\"got input size {tuple(x.shape)}\")\n", ""),
                    names="one value per channel has no batch variance"),
        WrongAnswer("running statistics in autograd's graph",
                    _edit("ex02_batch_norm", "        with torch.no_grad():\n" + _RUNNING_UPDATE,
                          "        if True:\n" + _RUNNING_UPDATE),
                    names="joined autograd's graph"),
        WrongAnswer("delegates to F.batch_norm",
                    "def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):\n"
                    "    return F.batch_norm(x, running_mean, running_var, gamma, beta, training, momentum, eps)\n",
                    names="must be written from scratch"),
        WrongAnswer("delegates to torch.native_batch_norm",
                    "def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):\n"
                    "    return torch.native_batch_norm(x, gamma, beta, running_mean, running_var, training,\n"
                    "                                   momentum, eps)[0]\n",
                    names="must be written from scratch"),
        WrongAnswer("variance with Tensor.var",
                    _edit("ex02_batch_norm", "var = ((x - mean.view(shape)) ** 2).mean(dim=dims)",
                          "var = x.var(dim=dims, unbiased=False)"),
                    names="must be written from scratch"),
        WrongAnswer("variance with torch.cov", _COV_VARIANCE, names="must be written from scratch"),
        WrongAnswer("variance with NumPy", _NUMPY_VARIANCE, names="must be written from scratch"),
        WrongAnswer("PyTorch's Python decomposition (torch._decomp)", _DECOMP_FORWARD,
                    names="must be written from scratch"),
        WrongAnswer("ValueError for one image (counts only N)",
                    _edit("ex02_batch_norm", "        if n < 2:\n", "        if x.shape[0] < 2:\n"),
                    names="one image (1, 3, 2, 2), training: batch_norm raised ValueError"),
        WrongAnswer("switches the guard off",
                    _edit("ex02_batch_norm", '    dims = [0] + list(range(2, x.dim()))  # every dimension but the channels\n',
                          "    import sys\n    sys.setprofile(None)\n"
                          "    dims = [0] + list(range(2, x.dim()))\n"),
                    names="switched the checking off"),
        WrongAnswer("replaces the checking helpers",
                    "cu.assert_close = lambda *args, **kwargs: None\n\n\n"
                    "def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):\n"
                    "    return x\n",
                    names="the checking helpers were replaced"),
    ],
    "ex03_batch_norm_backward": [
        WrongAnswer("no mean terms (statistics treated as constants)",
                    _edit("ex03_batch_norm_backward", "* (grad_out - mean_g - x_hat * mean_g_x_hat)", "* grad_out"),
                    names="you left out both mean terms"),
        WrongAnswer("no variance term",
                    _edit("ex03_batch_norm_backward", "* (grad_out - mean_g - x_hat * mean_g_x_hat)",
                          "* (grad_out - mean_g)"),
                    names="you left out the term from the variance"),
        WrongAnswer("no mean(g) term",
                    _edit("ex03_batch_norm_backward", "* (grad_out - mean_g - x_hat * mean_g_x_hat)",
                          "* (grad_out - x_hat * mean_g_x_hat)"),
                    names="you left out the mean(g) term"),
        WrongAnswer("gamma left out of dx",
                    _edit("ex03_batch_norm_backward", 'dx = cache["gamma"].view(shape) * invstd *', "dx = invstd *"),
                    names="you left gamma out of dx"),
        WrongAnswer("dgamma without x_hat",
                    _edit("ex03_batch_norm_backward", "dgamma = (grad_out * x_hat).sum(dim=dims)",
                          "dgamma = grad_out.sum(dim=dims)"),
                    names="without multiplying by x_hat"),
        WrongAnswer("sums over the batch dimension only",
                    _edit("ex03_batch_norm_backward", "    dims = [0] + list(range(2, x.dim()))\n", "    dims = [0]\n"),
                    names="images (N, C, H, W)"),
        WrongAnswer("autograd through F.batch_norm", _AUTOGRAD_BACKWARD, names="must be written from scratch"),
        WrongAnswer("torch.func.vjp of a hand-written forward", _FUNC_VJP_BACKWARD, names="must be written from scratch"),
        WrongAnswer("PyTorch's backward operator", _ATEN_BACKWARD, names="must be written from scratch"),
        WrongAnswer("PyTorch's backward in Python (torch._decomp)", _DECOMP_BACKWARD,
                    names="must be written from scratch"),
    ],
    "ex04_my_batchnorm": [
        WrongAnswer("num_batches_tracked missing",
                    _edit("ex04_my_batchnorm",
                          '        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))\n', "",
                          "            self.num_batches_tracked += 1\n",
                          '            self.batches_seen = getattr(self, "batches_seen", 0) + 1\n',
                          "1.0 / self.num_batches_tracked.item()", "1.0 / self.batches_seen"),
                    names="You did not register num_batches_tracked"),
        WrongAnswer("running statistics as parameters",
                    _edit("ex04_my_batchnorm",
                          '        self.register_buffer("running_mean", torch.zeros(num_features))\n'
                          '        self.register_buffer("running_var", torch.ones(num_features))\n',
                          "        self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)\n"
                          "        self.running_var = nn.Parameter(torch.ones(num_features), requires_grad=False)\n"),
                    names="you registered running statistics as nn.Parameter"),
        WrongAnswer("momentum=None ignored",
                    _edit("ex04_my_batchnorm", "momentum = 1.0 / self.num_batches_tracked.item()", "momentum = 0.1"),
                    names="you ignored momentum=None"),
        WrongAnswer("evaluation batches counted",
                    _edit("ex04_my_batchnorm", "        if self.training:\n            self.num_batches_tracked += 1\n",
                          "        self.num_batches_tracked += 1\n        if self.training:\n"),
                    names="you counted the evaluation batch too"),
        WrongAnswer("a float counter",
                    _edit("ex04_my_batchnorm", "torch.tensor(0, dtype=torch.long)", "torch.tensor(0.0)"),
                    names="dtype torch.float32; PyTorch's: shape (), dtype torch.int64"),
        WrongAnswer("a counter of shape (1,)",
                    _edit("ex04_my_batchnorm", "torch.tensor(0, dtype=torch.long)", "torch.zeros(1, dtype=torch.long)"),
                    names="shape (1,), dtype torch.int64; PyTorch's: shape ()"),
        WrongAnswer("running_var starts at 0",
                    _edit("ex04_my_batchnorm", '"running_var", torch.ones(num_features)', '"running_var", torch.zeros(num_features)'),
                    names="state_dict()['running_var']"),
        WrongAnswer("MyBatchNorm2d accepts any input",
                    _edit("ex04_my_batchnorm", '        if x.dim() != 4:\n            raise ValueError(f"expected 4D input (got {x.dim()}D input)")\n',
                          "        pass\n"),
                    names="BatchNorm2d takes (N, C, H, W)"),
        WrongAnswer("subclasses PyTorch's layers",
                    "class MyBatchNorm1d(nn.BatchNorm1d):\n    pass\n\n\nclass MyBatchNorm2d(nn.BatchNorm2d):\n    pass\n",
                    names="without subclassing PyTorch's batch-norm classes"),
        WrongAnswer("forward borrowed from PyTorch's _BatchNorm", _BORROWED_FORWARD,
                    names="must be written from scratch"),
        WrongAnswer("MyBatchNorm1d rejects (N, C, L)",
                    _edit("ex04_my_batchnorm", "        if x.dim() not in (2, 3):\n", "        if x.dim() != 2:\n"),
                    names="nn.BatchNorm1d(C) takes (N, C) and (N, C, L) input"),
        WrongAnswer("momentum=None counts one batch too many",
                    _edit("ex04_my_batchnorm", "momentum = 1.0 / self.num_batches_tracked.item()",
                          "momentum = 1.0 / (self.num_batches_tracked.item() + 1)"),
                    names="you counted one batch too many in momentum=None's cumulative average"),
    ],
    "ex05_predict_batch_of_two": [
        WrongAnswer("unbiased standard deviation", "def predicted_output_for_seven():\n    return 0.7071\n",
                    names="you divided by the unbiased standard deviation"),
        WrongAnswer("mean subtracted only", "def predicted_output_for_seven():\n    return 2.0\n",
                    names="did not divide by the standard deviation"),
        WrongAnswer("value passed through", "def predicted_output_for_seven():\n    return 7.0\n",
                    names="pass the value through"),
        WrongAnswer("zero", "def predicted_output_for_seven():\n    return 0.0\n",
                    names="you expected the normalised value to be 0"),
        WrongAnswer("divided by the variance", "def predicted_output_for_seven():\n    return 0.5\n",
                    names="you divided by the variance instead of the standard deviation"),
        WrongAnswer("reads the test's measurement", "def predicted_output_for_seven():\n    return measured\n",
                    names="name 'measured' is not defined"),
        WrongAnswer("runs a BatchNorm1d to find the number", _RUNS_A_LAYER_ON_TWO,
                    names="but it ran PyTorch's batch normalization to get it"),
        WrongAnswer("not answered", "def predicted_output_for_seven():\n    raise NotImplementedError()\n",
                    names="is not answered yet"),
    ],
    "ex06_debug_eval": [
        WrongAnswer("only model.eval()", _fix("    return model.eval()\n"), names="at least 0.95 is needed"),
        WrongAnswer("reset the statistics, nothing else",
                    _fix("    for m in model.modules():\n"
                         "        if isinstance(m, nn.BatchNorm1d):\n"
                         "            m.reset_running_stats()\n"
                         "    return model.eval()\n"),
                    names="at least 0.95 is needed"),
        WrongAnswer("one recalibration pass with momentum 0.1, no reset",
                    _fix("    model.train()\n"
                         "    with torch.no_grad():\n"
                         "        for batch in train_x.split(64):\n"
                         "            model(batch)\n"
                         "    return model.eval()\n"),
                    names="does not forget them"),
        WrongAnswer("recalibrated, but left in training mode",
                    _edit("ex06_debug_eval", "    return model.eval()\n", "    return model\n"),
                    names="still in training mode"),
        WrongAnswer("retrains the model", _RETRAIN, names="fix_evaluation must not train"),
        WrongAnswer("torch.optim.swa_utils.update_bn",
                    _fix("    torch.optim.swa_utils.update_bn(train_x.split(64), model)\n    return model.eval()\n"),
                    names="must be written from scratch"),
        WrongAnswer("diagnosis A (weights changed)", _edit("ex06_debug_eval", 'return "C"', 'return "A"'),
                    names="no weight changed"),
        WrongAnswer("diagnosis B (test set not standardised)", _edit("ex06_debug_eval", 'return "C"', 'return "B"'),
                    names="they are standardised like the training images"),
        WrongAnswer("diagnosis D (batch size)", _edit("ex06_debug_eval", 'return "C"', 'return "D"'),
                    names="the batch size of cu.evaluate does not matter"),
        WrongAnswer("diagnosis left blank", _edit("ex06_debug_eval", 'return "C"', "raise NotImplementedError()"),
                    names="diagnosis() is not answered yet"),
        WrongAnswer("diagnosis read off the test's refutations",
                    _edit("ex06_debug_eval", 'return "C"', 'return ({"A", "B", "C", "D"} - set(refuted)).pop()'),
                    names="name 'refuted' is not defined"),
        WrongAnswer("momentum left at None",
                    _edit("ex06_debug_eval", "    for layer, momentum in zip(layers, momenta):\n"
                                             "        layer.momentum = momentum\n", ""),
                    names="leave every layer's settings as you found them"),
        WrongAnswer("copies the clean model's state_dict",
                    _fix("    model.load_state_dict(small_bn_mlp.state_dict())\n    return model.eval()\n"),
                    names="the weights are fine, and fix_evaluation must not train"),
        WrongAnswer("copies the clean model's buffers only",
                    _fix("    clean = [m for m in small_bn_mlp.modules() if isinstance(m, nn.BatchNorm1d)]\n"
                         "    mine = [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]\n"
                         "    with torch.no_grad():\n"
                         "        for a, b in zip(mine, clean):\n"
                         "            a.running_mean.copy_(b.running_mean)\n"
                         "            a.running_var.copy_(b.running_var)\n"
                         "    return model.eval()\n"),
                    names="the deployed model with rescaled layers: accuracy"),
    ],
}
