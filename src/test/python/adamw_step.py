#!/usr/bin/python3
"""torch.optim.AdamW step time on the parameter shapes OpTimings writes (one line per tensor, dims
separated by spaces), with Troupe's rule: weight decay on rank >= 2 tensors only. The counterpart of
`OpTimings adamw SHAPES`; run both back to back:  /usr/bin/python3 adamw_step.py SHAPES"""
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402

torch.set_num_threads(1)
shapes = [tuple(int(d) for d in line.split()) for line in open(sys.argv[1]) if line.strip()]
params = [torch.nn.Parameter(torch.randn(s) * 0.02) for s in shapes]
directions = [torch.randn(s) for s in shapes]
groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
          {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
opt = torch.optim.AdamW(groups, lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
ms, ms_norm, cpu = [], [], []
for i in range(23):
    for p, d in zip(params, directions):
        p.grad = d.clone()
    t0, c0 = time.perf_counter(), time.thread_time()
    opt.step()
    t1, c1 = time.perf_counter(), time.thread_time()
    if i >= 3:
        ms.append(1000 * (t1 - t0))
        cpu.append(1000 * (c1 - c0))
for i in range(23):
    for p, d in zip(params, directions):
        p.grad = d.clone()
    t0 = time.perf_counter()
    torch.nn.utils.clip_grad_norm_(params, 1e9)  # the global norm Troupe's step always computes
    opt.step()
    t1 = time.perf_counter()
    if i >= 3:
        ms_norm.append(1000 * (t1 - t0))
n = sum(p.numel() for p in params)
print("torch %s AdamW params=%d tensors=%d step_ms median=%.1f min=%.1f cpu_ms median=%.1f"
      "  norm+step_ms median=%.1f min=%.1f" % (torch.__version__, n, len(params), statistics.median(ms), min(ms),
                                              statistics.median(cpu), statistics.median(ms_norm), min(ms_norm)))
