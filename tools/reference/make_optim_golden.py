#!/usr/bin/python3
"""Writes tests/Convolve.Tests/Data/optim_golden.json from PyTorch 1.13 (Debian: python3-torch).

For each optimizer configuration: initial parameters, a few gradients, and the parameters after
each step; for each learning-rate schedule: the rates for steps 0..N from PyTorch's scheduler
classes; and clip_grad_norm_ cases. Run from the repository root:

    /usr/bin/python3 tools/reference/make_optim_golden.py
"""
import json
import math
import pathlib
import warnings

import torch

warnings.filterwarnings("ignore")  # SequentialLR calls step(0), which PyTorch marks deprecated
torch.manual_seed(20240613)

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/Convolve.Tests/Data/optim_golden.json"
# Sizes not a multiple of 8 or 16 so PyTorch's vector loops and their scalar tails both run.
SHAPES = [[3, 5], [37], [2, 2, 3]]
STEPS = 5

OPTIMIZERS = [
    ("sgd_plain", "SGD", dict(lr=0.1)),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9)),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("sgd_dampening", "SGD", dict(lr=0.05, momentum=0.8, dampening=0.3)),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, weight_decay=0.01)),
    ("sgd_all", "SGD", dict(lr=0.03, momentum=0.7, weight_decay=0.05, nesterov=True)),
    ("adam", "Adam", dict(lr=1e-2)),
    ("adam_betas_eps", "Adam", dict(lr=3e-3, betas=(0.8, 0.95), eps=1e-6)),
    ("adam_amsgrad", "Adam", dict(lr=1e-2, amsgrad=True)),
    ("adam_weight_decay", "Adam", dict(lr=1e-2, weight_decay=0.1)),
    ("adam_amsgrad_weight_decay", "Adam", dict(lr=1e-2, weight_decay=0.1, amsgrad=True)),
    ("adamw", "AdamW", dict(lr=1e-2)),
    ("adamw_decay_amsgrad", "AdamW", dict(lr=1e-2, weight_decay=0.3, amsgrad=True)),
]


def values(t):
    return [float(x) for x in t.detach().reshape(-1)]


def optimizer_case(name, kind, options):
    params = [torch.nn.Parameter(torch.randn(*s)) for s in SHAPES]
    initial = [values(p) for p in params]
    opt = getattr(torch.optim, kind)(params, **options)
    grads, after = [], []
    for step in range(STEPS):
        # Gradients of varied scale, with some exact zeros, so that every term matters.
        step_grads = [torch.randn(*s) * (0.1 + step) for s in SHAPES]
        step_grads[1][::5] = 0.0
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        opt.step()
        grads.append([values(g) for g in step_grads])
        after.append([values(p) for p in params])
    opts = {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}
    return dict(name=name, type=kind, options=opts, shapes=SHAPES, initial=initial,
                gradients=grads, after=after)


def schedule_rates(make, base_lr, steps):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    scheduler = make(opt)
    rates = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        rates.append(opt.param_groups[0]["lr"])
    return rates


def warmup(warmup_steps, then):
    # LinearWarmup(W, then) is SequentialLR of LinearLR from 1/W to 1 over W-1 steps, then `then`.
    def make(opt):
        linear = torch.optim.lr_scheduler.LinearLR(
            opt, start_factor=1.0 / warmup_steps, end_factor=1.0, total_iters=warmup_steps - 1)
        return torch.optim.lr_scheduler.SequentialLR(opt, [linear, then(opt)], milestones=[warmup_steps])
    return make


def schedule_cases():
    sched = torch.optim.lr_scheduler
    cases = [
        ("step_3_half", dict(type="StepLR", step_size=3, gamma=0.5), 0.1, 14,
         lambda o: sched.StepLR(o, step_size=3, gamma=0.5)),
        ("step_1_0.9", dict(type="StepLR", step_size=1, gamma=0.9), 0.05, 30,
         lambda o: sched.StepLR(o, step_size=1, gamma=0.9)),
        ("cosine_10", dict(type="CosineAnnealingLR", t_max=10, eta_min=0.0), 0.1, 35,
         lambda o: sched.CosineAnnealingLR(o, T_max=10)),
        ("cosine_7_min", dict(type="CosineAnnealingLR", t_max=7, eta_min=1e-3), 0.02, 30,
         lambda o: sched.CosineAnnealingLR(o, T_max=7, eta_min=1e-3)),
        ("warmup_4_cosine_10", dict(type="LinearWarmup", warmup_steps=4,
                                    then=dict(type="CosineAnnealingLR", t_max=10, eta_min=0.0)), 0.1, 25,
         warmup(4, lambda o: sched.CosineAnnealingLR(o, T_max=10))),
        ("warmup_3_step_2", dict(type="LinearWarmup", warmup_steps=3,
                                 then=dict(type="StepLR", step_size=2, gamma=0.5)), 0.3, 15,
         warmup(3, lambda o: sched.StepLR(o, step_size=2, gamma=0.5))),
    ]
    return [dict(name=n, schedule=s, base_lr=lr, rates=schedule_rates(make, lr, steps))
            for n, s, lr, steps, make in cases]


def clip_case(name, max_norm, scale):
    grads = [torch.randn(*s) * scale for s in SHAPES]
    params = [torch.nn.Parameter(torch.zeros(*s)) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return dict(name=name, max_norm=max_norm, shapes=SHAPES, gradients=[values(g) for g in grads],
                total_norm=float(total), clipped=[values(p.grad) for p in params])


def main():
    golden = dict(
        generator="tools/reference/make_optim_golden.py",
        torch=torch.__version__,
        optimizers=[optimizer_case(*c) for c in OPTIMIZERS],
        schedules=schedule_cases(),
        clip_grad_norm=[
            clip_case("clipped", 1.0, 1.0),
            clip_case("below_max", 100.0, 1.0),
            clip_case("tiny_max", 1e-3, 3.0),
            clip_case("zero_max", 0.0, 1.0),
            clip_case("infinite_max", math.inf, 2.0),
        ],
    )
    # One case per line keeps the file small and its diffs readable.
    sections = []
    for key, value in golden.items():
        if isinstance(value, list):
            body = ",\n  ".join(json.dumps(case, separators=(",", ":")) for case in value)
            sections.append(f' "{key}": [\n  {body}\n ]')
        else:
            sections.append(f' "{key}": {json.dumps(value)}')
    text = "{\n" + ",\n".join(sections) + "\n}\n"
    text = text.replace("Infinity", "\"Infinity\"")  # JSON has no infinity; the reader parses the string
    json.loads(text)
    OUT.write_text(text)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
