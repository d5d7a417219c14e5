"""The anti-delegation guard catches every route to a library implementation, and being switched off.

Each route of issue 12 §1 is tried against ``forbid_calls`` configured as the notebooks configure it; the
building blocks a from-scratch answer needs must stay allowed.
"""

import sys

import pytest
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F
import torch.optim.adam as adam_module
import torch.optim.lr_scheduler as lr_scheduler
from torch import nn

import course_utils as cu
from course_utils import forbid_calls

X = torch.randn(4, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
P = X.softmax(1)
TARGET = torch.tensor([0, 1, 2, 3])
SOFTMAX_FAMILY = dict(ops=("_log_softmax", "_softmax", "logsumexp", "nll_loss*", "cross_entropy*"),
                      modules=["scipy"], allow_numpy=False)
INFORMATION = dict(ops=("xlogy", "special_entr", "kl_div", "special_xlog1py"), modules=["scipy", "torch.distributions"],
                   allow_numpy=False)
BCE = dict(ops=("binary_cross_entropy*", "log_sigmoid*", "softplus"), modules=["scipy"], allow_numpy=False)
ADAM = dict(modules=[adam_module, "torch.optim.adamw"], ops=("_foreach_*", "_fused_*"))
SCHEDULER = dict(modules=[lr_scheduler])
INIT = dict(modules=[nn.init], ops=("uniform_", "normal_"))


def _adam_state():
    p = nn.Parameter(torch.ones(3))
    p.grad = torch.full((3,), 0.5)
    return p, dict(exp_avgs=[torch.zeros(3)], exp_avg_sqs=[torch.zeros(3)], max_exp_avg_sqs=[],
                   state_steps=[torch.tensor(0.0)])


def _functional_adam(**options):
    p, state = _adam_state()
    return lambda: adam_module.adam([p.data], [p.grad], *state.values(), amsgrad=False, beta1=0.9, beta2=0.999,
                                         lr=0.1, weight_decay=0.0, eps=1e-8, maximize=False, **options)


def _single_tensor_adam():
    p, state = _adam_state()
    return lambda: adam_module._single_tensor_adam(
        [p.data], [p.grad], *state.values(), grad_scale=None, found_inf=None, amsgrad=False, has_complex=False,
        beta1=0.9, beta2=0.999, lr=0.1, weight_decay=0.0, eps=1e-8, maximize=False, capturable=False,
        differentiable=False, decoupled_weight_decay=False)


def _plateau():
    return lr_scheduler.ReduceLROnPlateau(torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=1.0))


ROUTES = {
    # cross-entropy and its pieces
    "F.cross_entropy": (SOFTMAX_FAMILY, lambda: F.cross_entropy(X, TARGET)),
    "torch._C._nn.cross_entropy_loss": (SOFTMAX_FAMILY, lambda: torch._C._nn.cross_entropy_loss(X, TARGET)),
    "torch._C._VariableFunctions.log_softmax": (SOFTMAX_FAMILY, lambda: torch._C._VariableFunctions.log_softmax(X, 1)),
    "torch.special.log_softmax": (SOFTMAX_FAMILY, lambda: torch.special.log_softmax(X, 1)),
    "torch.special.logsumexp": (SOFTMAX_FAMILY, lambda: torch.special.logsumexp(X, 1)),
    "torch.special.softmax": (SOFTMAX_FAMILY, lambda: torch.special.softmax(X, 1)),
    "Tensor.logsumexp": (SOFTMAX_FAMILY, lambda: X.logsumexp(1)),
    "Tensor.log_softmax": (SOFTMAX_FAMILY, lambda: X.log_softmax(1)),
    "F.nll_loss": (SOFTMAX_FAMILY, lambda: F.nll_loss(X, TARGET)),
    "nn.CrossEntropyLoss": (SOFTMAX_FAMILY, lambda: nn.CrossEntropyLoss()(X, TARGET)),
    "scipy.special.logsumexp": (SOFTMAX_FAMILY, lambda: torch.as_tensor(scipy.special.logsumexp(X.tolist(), 1))),
    "scipy.special.log_softmax": (SOFTMAX_FAMILY, lambda: scipy.special.log_softmax(X.tolist(), 1)),
    # entropy and KL
    "torch.special.xlogy": (INFORMATION, lambda: torch.special.xlogy(P, P)),
    "torch.xlogy": (INFORMATION, lambda: torch.xlogy(P, P)),
    "torch.special.entr": (INFORMATION, lambda: torch.special.entr(P)),
    "torch.kl_div": (INFORMATION, lambda: torch.kl_div(P.log(), P)),
    "F.kl_div": (INFORMATION, lambda: F.kl_div(P.log(), P, reduction="sum")),
    "Categorical.entropy": (INFORMATION, lambda: torch.distributions.Categorical(probs=P).entropy()),
    "scipy.stats.entropy": (INFORMATION, lambda: torch.as_tensor(scipy.stats.entropy(P.numpy(), axis=1))),
    "scipy.special.entr (a C ufunc, through NumPy)": (INFORMATION, lambda: torch.as_tensor(scipy.special.entr(P))),
    "scipy.special.xlogy on a list from tolist": (INFORMATION, lambda: scipy.special.xlogy(P.tolist(), P.tolist())),
    # binary cross-entropy
    "torch.binary_cross_entropy_with_logits": (
        BCE, lambda: torch.binary_cross_entropy_with_logits(X, P, None, None, 1)),
    "F.binary_cross_entropy_with_logits": (BCE, lambda: F.binary_cross_entropy_with_logits(X, P)),
    "F.logsigmoid": (BCE, lambda: F.logsigmoid(X)),
    "F.softplus": (BCE, lambda: F.softplus(X)),
    "torch._C._nn.log_sigmoid": (BCE, lambda: torch._C._nn.log_sigmoid(X)),
    "scipy.special.log_expit": (BCE, lambda: scipy.special.log_expit(X)),
    # optimizers
    "torch.optim.Adam.step": (ADAM, lambda: torch.optim.Adam([_adam_state()[0]]).step()),
    "torch.optim.AdamW.step": (ADAM, lambda: torch.optim.AdamW([_adam_state()[0]]).step()),
    "torch.optim.adam.adam (functional, single tensor)": (ADAM, _functional_adam(foreach=False)),
    "torch.optim.adam.adam (functional, foreach)": (ADAM, _functional_adam(foreach=True)),
    "torch.optim.adam._single_tensor_adam": (ADAM, _single_tensor_adam()),
    "torch._foreach_add_": (ADAM, lambda: torch._foreach_add_([torch.ones(2)], [torch.ones(2)])),
    "torch._foreach_lerp_": (ADAM, lambda: torch._foreach_lerp_([torch.ones(2)], [torch.zeros(2)], 0.1)),
    # schedulers
    "CosineAnnealingLR inside a closed form": (SCHEDULER, lambda: cu.lr_sequence(
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=10), steps=5)),
    "ReduceLROnPlateau._is_better": (SCHEDULER, lambda: _plateau()._is_better(1.0, 2.0)),
    "ReduceLROnPlateau._reduce_lr": (SCHEDULER, lambda: _plateau()._reduce_lr(0)),
    "ReduceLROnPlateau.step": (SCHEDULER, lambda: _plateau().step(1.0)),
    # initializers
    "nn.init._calculate_fan_in_and_fan_out": (INIT, lambda: nn.init._calculate_fan_in_and_fan_out(torch.empty(3, 4))),
    "nn.init._no_grad_uniform_": (INIT, lambda: nn.init._no_grad_uniform_(torch.empty(3, 4), -1.0, 1.0)),
    "nn.init.xavier_uniform_": (INIT, lambda: nn.init.xavier_uniform_(torch.empty(3, 4))),
    "Tensor.uniform_": (INIT, lambda: torch.empty(3, 4).uniform_(-1, 1)),
}


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_to_the_library_is_caught(route):
    forbidden, call = ROUTES[route]
    with pytest.raises(AssertionError, match="must be written from scratch, but it used"):
        with forbid_calls(task="the exercise", **forbidden):
            call()


def _from_scratch_log_softmax(z):
    shifted = z - z.amax(dim=1, keepdim=True)
    return shifted - shifted.exp().sum(dim=1, keepdim=True).log()


def _from_scratch_adam_step(p, g, m, v, t, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    p.addcdiv_(m / (1 - beta1 ** t), (v / (1 - beta2 ** t)).sqrt().add_(eps), value=-lr)


class _PlainSGD(torch.optim.Optimizer):
    def __init__(self, params, lr):
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                p.add_(p.grad, alpha=-group["lr"])


def test_building_blocks_stay_allowed():
    with forbid_calls(task="cross_entropy", **SOFTMAX_FAMILY):
        log_q = _from_scratch_log_softmax(X)
        loss = -log_q.gather(1, TARGET[:, None]).mean()
        torch.where(P > 0, P * P.clamp_min(1e-300).log(), torch.zeros_like(P)).sum(-1)
    torch.testing.assert_close(loss, F.cross_entropy(X, TARGET))
    p, m, v = torch.ones(3), torch.zeros(3), torch.zeros(3)
    with forbid_calls(task="Adam", **ADAM):
        _from_scratch_adam_step(p, torch.full((3,), 0.5), m, v, t=1)
    parameter = nn.Parameter(torch.ones(2))
    parameter.grad = torch.ones(2)
    optimizer = _PlainSGD([parameter], lr=0.5)
    with forbid_calls(task="SGD", modules=["torch.optim.sgd"], ops=("_foreach_*", "_fused_*")):
        optimizer.step()
        optimizer.zero_grad()
        optimizer.state_dict()
    with forbid_calls(task="init", modules=[nn.init], allow=[nn.init.calculate_gain]):
        nn.init.calculate_gain("leaky_relu", 0.2)


def test_the_message_names_each_route_once():
    with pytest.raises(AssertionError) as caught:
        with forbid_calls(task="Adam", **ADAM):
            _functional_adam(foreach=False)()
    message = str(caught.value)
    assert message.count("torch.optim.adam") == 1, message


def _setprofile_off():
    sys.setprofile(None)
    return X.logsumexp(1)


def _dispatch_modes_disabled():
    from torch.utils._python_dispatch import _disable_current_modes

    with _disable_current_modes():
        return X.logsumexp(1)


def _dispatch_disabled_in_c():
    with torch._C._DisableTorchDispatch():
        return X.logsumexp(1)


def _mode_popped():
    from torch.utils._python_dispatch import _pop_mode

    _pop_mode()
    return X.logsumexp(1)


@pytest.mark.parametrize("switch_off", [_setprofile_off, _dispatch_modes_disabled, _dispatch_disabled_in_c,
                                        _mode_popped])
def test_switching_the_guard_off_fails_and_says_so(switch_off):
    previous = sys.getprofile()
    with pytest.raises(AssertionError, match="switched the checking off"):
        with forbid_calls(task="cross_entropy", **SOFTMAX_FAMILY):
            switch_off()
    assert sys.getprofile() is previous
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

    assert not _get_current_dispatch_mode_stack(), "the guard must leave no dispatch mode behind"


@pytest.mark.parametrize("where", ["course_utils", "course_utils.checking", "__main__"])
def test_patching_the_checking_helpers_fails_and_says_so(where, monkeypatch):
    module = sys.modules[where]
    monkeypatch.setattr(module, "assert_close", lambda *args, **kwargs: None, raising=False)
    with pytest.raises(AssertionError, match="checking helpers were replaced"):
        with forbid_calls(task="x", ops=("logsumexp",)):
            pass
    with pytest.raises(AssertionError, match="checking helpers were replaced"):
        cu.checking.assert_equal(1, 1, name="x")


def test_patching_inside_the_block_is_reported(monkeypatch):
    def answer():
        monkeypatch.setattr(cu, "assert_close", lambda *args, **kwargs: None)

    with pytest.raises(AssertionError, match=r"checking helpers were replaced \(course_utils.assert_close\)"):
        with forbid_calls(task="x", ops=("logsumexp",)):
            answer()


def test_forbid_calls_validates_its_arguments():
    with pytest.raises(TypeError, match="modules must hold modules or dotted module names"):
        with forbid_calls(modules=[42]):
            pass
    with pytest.raises(TypeError, match="ops must hold ATen operator names"):
        with forbid_calls(ops=[F.softmax]):
            pass


def test_restore_puts_the_genuine_helpers_back(monkeypatch):
    from course_utils.checking import integrity

    genuine = cu.assert_close
    namespace = {"assert_close": lambda *args, **kwargs: None}
    monkeypatch.setattr(cu, "assert_close", lambda *args, **kwargs: None)
    integrity.restore(namespace)
    assert cu.assert_close is genuine and namespace["assert_close"] is genuine
    integrity.assert_untampered()


def test_only_global_names_count_and_allowed_functions_stay_allowed():
    namespace = {"init": nn.init.normal_, "calculate_gain": nn.init.calculate_gain, "nn": nn,
                 "math": __import__("math")}
    exec("def kaiming_std(fan):\n    return calculate_gain('relu') / math.sqrt(fan)\n"
         "def other_std(fan):\n    return nn.init.calculate_gain('relu') / math.sqrt(fan)\n", namespace)
    with forbid_calls(task="kaiming", modules=[nn.init], allow=[nn.init.calculate_gain]):
        namespace["kaiming_std"](4)  # imported by name, and allowed
        namespace["other_std"](4)  # `init` here is an attribute, not the global holding nn.init.normal_
    with pytest.raises(AssertionError, match="torch.nn.init"):
        with forbid_calls(task="kaiming", modules=[nn.init]):
            namespace["kaiming_std"](4)


def _in_a_thread():
    import threading

    result = []
    worker = threading.Thread(target=lambda: result.append(X.logsumexp(1)))
    worker.start()
    worker.join()
    return result[0]


_POOL = __import__("concurrent.futures").futures.ThreadPoolExecutor(max_workers=1)
_POOL.submit(lambda: None).result()  # its thread exists before the guard starts


def _in_an_existing_executor():
    return _POOL.submit(lambda: X.logsumexp(1)).result()


@pytest.mark.parametrize("elsewhere", [_in_a_thread, _in_an_existing_executor])
def test_running_the_work_in_another_thread_is_switching_the_guard_off(elsewhere):
    with pytest.raises(AssertionError, match="out of the checking's sight"):
        with forbid_calls(task="cross_entropy", **SOFTMAX_FAMILY):
            elsewhere()


def _copied_module(module_name):
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module_name))
    namespace = {"__name__": "my_copy", "__package__": module_name.rpartition(".")[0]}
    exec(compile(source, "my_copy.py", "exec"), namespace)
    return namespace


def test_a_copy_of_the_library_source_is_recognised():
    copy = _copied_module("torch.optim.sgd")
    p = nn.Parameter(torch.ones(3))
    p.grad = torch.ones(3)
    optimizer = copy["SGD"]([p], lr=0.1, momentum=0.9)
    with pytest.raises(AssertionError, match="a copy of torch.optim.sgd's code"):
        with forbid_calls(task="SGD", modules=["torch.optim.sgd"]):
            optimizer.step()


def test_a_library_function_imported_inside_the_answer_is_caught():
    def answer(p):
        from scipy.special import entr  # a C ufunc: no Python code of SciPy runs

        return entr(p.tolist())

    with pytest.raises(AssertionError, match="scipy"):
        with forbid_calls(task="entropy", **INFORMATION):
            answer(P)


def test_every_torch_optim_algorithm_is_forbidden_by_torch_optim_algorithms():
    from course_utils.checking import torch_optim_algorithms

    modules = torch_optim_algorithms()
    assert "torch.optim.asgd" in modules and "torch.optim.optimizer" not in modules
    p = nn.Parameter(torch.ones(3, dtype=torch.float64))
    p.grad = torch.ones(3, dtype=torch.float64)
    asgd = torch.optim.ASGD([p], lr=0.1, lambd=0.0, alpha=0.0, t0=1e9, foreach=False)  # plain SGD in disguise
    with pytest.raises(AssertionError, match="torch.optim.asgd"):
        with forbid_calls(task="gradient_descent", modules=modules):
            asgd.step()
    with forbid_calls(task="SGD", modules=modules):
        _PlainSGD([p], lr=0.1).step()


def test_a_progress_bar_is_not_mistaken_for_work_in_another_thread():
    import tqdm

    with forbid_calls(task="training loop", **SOFTMAX_FAMILY):
        for _ in tqdm.tqdm(range(3), disable=False, mininterval=0):
            _from_scratch_log_softmax(X)


def test_a_short_function_written_alike_is_not_taken_for_a_copy():
    class MyBatchNorm2d(nn.Module):
        def _check_input_dim(self, input):
            if input.dim() != 4:
                raise ValueError(f"MyBatchNorm2d expects (N, C, H, W) input, got {input.dim()} dimensions")

    with forbid_calls(task="MyBatchNorm2d", modules=["torch.nn.modules.batchnorm", "torch.nn.modules.instancenorm"]):
        MyBatchNorm2d()._check_input_dim(torch.ones(1, 2, 3, 4))


# Routes found by an adversarial review (issue 12): each is caught.

def _disable_dispatch_by_a_built_name():
    with getattr(torch._C, "_DisableTorch" + "Dispatch")():
        return F.log_softmax(X, 1)


def _exclude_the_python_key():
    with torch._C._ExcludeDispatchKeyGuard(torch._C.DispatchKeySet(torch._C.DispatchKey.Python)):
        return F.log_softmax(X, 1)


def _named_like_the_import_system():
    namespace = {"torch": torch, "F": F}
    exec(compile("def _find_and_load(x):\n    return F.log_softmax(x, 1)\n", "<frozen importlib._bootstrap>", "exec"),
         namespace)
    return namespace["_find_and_load"](X)


def _in_a_subprocess():
    import subprocess

    return subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, check=True)


class _Sneaky(torch.Tensor):
    @staticmethod
    def __new__(cls, t):
        return torch.Tensor._make_wrapper_subclass(cls, t.shape, dtype=t.dtype)

    def __init__(self, t):
        self.t = t

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        return F.log_softmax(args[0].t, 1)


def _through_a_dispatch_subclass():
    return torch.neg(_Sneaky(X))


@pytest.mark.parametrize("route", [_disable_dispatch_by_a_built_name, _exclude_the_python_key,
                                   _named_like_the_import_system, _in_a_subprocess, _through_a_dispatch_subclass])
def test_adversarial_routes_are_caught(route):
    with pytest.raises(AssertionError, match="switched the checking off|must be written from scratch"):
        with forbid_calls(task="cross_entropy", **SOFTMAX_FAMILY):
            route()


def test_a_custom_operator_is_work_out_of_sight():
    library = torch.library.Library("course_guard_test", "DEF")
    library.define("lsm(Tensor x) -> Tensor")
    library.impl("lsm", lambda x: F.log_softmax(x, 1), "CPU")
    with pytest.raises(AssertionError, match="custom operator course_guard_test::lsm"):
        with forbid_calls(task="cross_entropy", **SOFTMAX_FAMILY):
            torch.ops.course_guard_test.lsm(X)


def test_a_detour_through_dlpack_is_caught():
    import numpy as np

    with pytest.raises(AssertionError, match="__dlpack__"):
        with forbid_calls(task="entropy", **INFORMATION):
            np.from_dlpack(P)


def test_a_tensor_subclass_result_is_refused():
    class Lazy(torch.Tensor):
        pass

    with pytest.raises(AssertionError, match="expected a plain torch.Tensor, got a Lazy"):
        cu.assert_close(torch.zeros(2).as_subclass(Lazy), torch.zeros(2), name="x")


def _swap_code(monkeypatch):
    def noop(*args, **kwargs):
        return None

    monkeypatch.setattr(cu.assert_equal, "__code__", noop.__code__)


def _patch_the_check_itself(monkeypatch):
    from course_utils.checking import integrity

    monkeypatch.setattr(integrity, "assert_untampered", lambda: None)
    monkeypatch.setattr(cu, "assert_close", lambda *args, **kwargs: None)


def _clear_the_register(monkeypatch):
    from course_utils.checking import integrity

    monkeypatch.setattr(integrity, "_GENUINE", {})


def _patch_a_submodule(monkeypatch):
    monkeypatch.setattr(sys.modules["course_utils.checking.compare"], "fail", lambda *args, **kwargs: None)


def _rebind_cu(monkeypatch):
    import types

    monkeypatch.setitem(sys.modules["__main__"].__dict__, "cu", types.SimpleNamespace(assert_close=None))


@pytest.mark.parametrize("tamper", [_swap_code, _patch_the_check_itself, _clear_the_register, _patch_a_submodule,
                                    _rebind_cu])
def test_subtler_tampering_is_reported(tamper, monkeypatch):
    tamper(monkeypatch)
    with pytest.raises(AssertionError, match="checking helpers were replaced"):
        with forbid_calls(task="x", ops=("logsumexp",)):
            pass
