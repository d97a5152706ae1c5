#!/usr/bin/env python3
"""PyTorch side of ConvGen's side-by-side benchmark.

    /usr/bin/python3 bench/pytorch/bench_torch.py [--threads 1,2] [--quick] [--workloads a,b,...]

Prints one JSON object per line on stdout:

    {"workload": "lenet5_infer_b1", "threads": 1, "value": 123.4, "unit": "us", "variant": "jit_frozen", "best": true, ...}

`best` marks the fastest variant of a workload at a thread count (the number to put in the comparison table).
Lines with "workload": "env" describe the build (BLAS, oneDNN, versions). Diagnostics go to stderr.

Workloads
  lenet5_infer_b1     LeNet-5, batch 1, inference latency: median of per-call times (us)
  lenet5_infer_b64    LeNet-5, batch 64, inference throughput (img/s)
  lenet5_train_b64    LeNet-5, batch 64, forward + CrossEntropyLoss + backward + SGD(lr 0.01, momentum 0.9) (img/s);
                      runs in a child process so its peak RSS (getrusage ru_maxrss) is its own
  conv3x3_64x56_fwd   one 3x3 conv, 64->64 channels, 56x56, padding 1, batch 1: forward (us and GFLOP/s)
  conv3x3_64x56_bwd   same layer: backward for input and weight gradients only (us and GFLOP/s, 2x forward FLOPs)
  conv3x3_128x28_fwd  3x3 conv 128->128 on 28x28
  conv3x3_128x28_bwd

Inference variants: eager (eval + no_grad), jit_frozen (torch.jit.freeze(torch.jit.script(m))), jit_optimized
(torch.jit.optimize_for_inference(torch.jit.script(m)), which also freezes and may pre-pack weights for oneDNN).
Conv variants: eager NCHW and channels_last. Every measurement warms up first, then times >= --min-time seconds.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

WORKLOADS = ["lenet5_infer_b1", "lenet5_infer_b64", "lenet5_train_b64",
             "conv3x3_64x56_fwd", "conv3x3_64x56_bwd", "conv3x3_128x28_fwd", "conv3x3_128x28_bwd"]


def emit(**record):
    print(json.dumps(record), flush=True)


def log(message):
    print(message, file=sys.stderr, flush=True)


def lenet5(nn):
    """[Input(1,28,28)] [Conv2D(20,5,Padding=2,Activation=ReLU)] [MaxPool2D(2)] [Conv2D(50,5,Padding=2,Activation=ReLU)]
    [MaxPool2D(2)] [Flatten] [Dense(500,Activation=ReLU)] [Dense(10)]"""
    return nn.Sequential(
        nn.Conv2d(1, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(20, 50, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(2450, 500), nn.ReLU(), nn.Linear(500, 10))


def time_calls(fn, min_time, warmup_time, min_warmup=10):
    """Warm up, then call fn repeatedly for at least min_time seconds. Returns the list of per-call seconds."""
    start = time.perf_counter()
    n = 0
    while n < min_warmup or time.perf_counter() - start < warmup_time:
        fn()
        n += 1
    times = []
    begin = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        times.append(t1 - t0)
        if t1 - begin >= min_time and len(times) >= 5:
            return times


def measure_inference(torch, nn, args, threads):
    model = lenet5(nn).eval()
    variants = {"eager": model}
    with torch.no_grad():
        try:
            variants["jit_frozen"] = torch.jit.freeze(torch.jit.script(lenet5_copy(torch, nn, model)).eval())
        except Exception as e:  # noqa: BLE001 - report and carry on with the other variants
            log(f"jit_frozen unavailable: {e}")
        try:
            variants["jit_optimized"] = torch.jit.optimize_for_inference(torch.jit.script(lenet5_copy(torch, nn, model)).eval())
        except Exception as e:  # noqa: BLE001
            log(f"jit_optimized unavailable: {e}")

    for batch, workload in ((1, "lenet5_infer_b1"), (64, "lenet5_infer_b64")):
        if workload not in args.workloads:
            continue
        x = torch.randn(batch, 1, 28, 28)
        with torch.no_grad():
            reference = model(x)
            results = []
            for name, m in variants.items():
                got = m(x)
                if not torch.allclose(got, reference, rtol=1e-3, atol=1e-4):
                    log(f"{name}: output differs from eager by {float((got - reference).abs().max()):.3g}; skipped")
                    continue
                times = time_calls(lambda: m(x), args.min_time, args.warmup)
                median = statistics.median(times)
                if batch == 1:
                    results.append(dict(value=median * 1e6, unit="us", variant=name, better="lower",
                                        p10_us=percentile(times, 10) * 1e6, p90_us=percentile(times, 90) * 1e6,
                                        iterations=len(times)))
                else:
                    results.append(dict(value=batch / median, unit="img/s", variant=name, better="higher",
                                        median_batch_ms=median * 1e3, iterations=len(times)))
        report(workload, threads, results)


def lenet5_copy(torch, nn, model):
    fresh = lenet5(nn)
    fresh.load_state_dict(model.state_dict())
    return fresh.eval()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(workload, threads, results):
    if not results:
        return
    lower = results[0]["better"] == "lower"
    best = min(results, key=lambda r: r["value"]) if lower else max(results, key=lambda r: r["value"])
    for r in results:
        r = dict(r)
        r.pop("better")
        value = r.pop("value")
        unit = r.pop("unit")
        variant = r.pop("variant")
        emit(workload=workload, threads=threads, value=round(value, 3), unit=unit, variant=variant,
             best=variant == best["variant"], load1=round(os.getloadavg()[0], 2),
             **{k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()})


def measure_training(torch, nn, args, threads):
    torch.manual_seed(0)
    model = lenet5(nn).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(64, 1, 28, 28)
    y = torch.randint(0, 10, (64,))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    times = time_calls(step, args.min_time, args.warmup)
    median = statistics.median(times)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    emit(workload="lenet5_train_b64", threads=threads, value=round(64 / median, 3), unit="img/s", variant="eager",
         best=True, load1=round(os.getloadavg()[0], 2), median_step_ms=round(median * 1e3, 3), iterations=len(times),
         peak_rss_mib=round(rss_peak / 1024, 1), rss_before_training_mib=round(rss_before / 1024, 1))


def measure_conv(torch, nn, args, threads):
    for channels, size in ((64, 56), (128, 28)):
        fwd_name = f"conv3x3_{channels}x{size}_fwd"
        bwd_name = f"conv3x3_{channels}x{size}_bwd"
        if fwd_name not in args.workloads and bwd_name not in args.workloads:
            continue
        flops = 2.0 * channels * channels * 9 * size * size  # 2 * MACs, batch 1
        torch.manual_seed(0)
        conv = nn.Conv2d(channels, channels, 3, padding=1)
        x0 = torch.randn(1, channels, size, size)
        fwd, bwd = [], []
        for variant in ("eager", "channels_last"):
            fmt = torch.channels_last if variant == "channels_last" else torch.contiguous_format
            layer = conv.to(memory_format=fmt)
            x = x0.contiguous(memory_format=fmt)
            if fwd_name in args.workloads:
                with torch.no_grad():
                    times = time_calls(lambda: layer(x), args.min_time, args.warmup)
                t = statistics.median(times)
                fwd.append(dict(value=t * 1e6, unit="us", variant=variant, better="lower",
                                gflops=flops / t / 1e9, iterations=len(times)))
            if bwd_name in args.workloads:
                xg = x.clone().requires_grad_(True)
                out = layer(xg)
                grad_out = torch.randn_like(out)
                inputs = [xg, layer.weight]
                times = time_calls(lambda: torch.autograd.grad(out, inputs, grad_out, retain_graph=True),
                                   args.min_time, args.warmup)
                t = statistics.median(times)
                bwd.append(dict(value=t * 1e6, unit="us", variant=variant, better="lower",
                                gflops=2 * flops / t / 1e9, iterations=len(times)))
        report(fwd_name, threads, fwd)
        report(bwd_name, threads, bwd)


def environment(torch):
    config = torch.__config__.show()
    keep = ("BLAS", "LAPACK", "MKL", "oneDNN", "MKLDNN", "OpenMP", "CPU capability", "GCC", "USE_OPENMP")
    excerpt = [line.strip() for line in config.splitlines() if any(k in line for k in keep)]
    blas = "unknown"
    for line in config.splitlines():
        if "BLAS_INFO=" in line:
            blas = line.split("BLAS_INFO=")[1].split(",")[0]
    emit(workload="env", torch=torch.__version__, blas=blas, mkldnn=torch.backends.mkldnn.is_available(),
         mkl=torch.backends.mkl.is_available(), openmp=torch.backends.openmp.is_available(),
         cpu_capability=next((line.split(":", 1)[1].strip() for line in config.splitlines()
                              if "CPU capability" in line), "n/a"),
         python=sys.version.split()[0], cpus=os.cpu_count(), loadavg=[round(v, 2) for v in os.getloadavg()],
         date=time.strftime("%Y-%m-%dT%H:%M:%S"), config_excerpt=excerpt)


def main():
    parser = argparse.ArgumentParser(description="PyTorch reference numbers for ConvGen's benchmark (JSON lines).")
    parser.add_argument("--threads", default="1,2", help="comma-separated torch.set_num_threads values (default 1,2)")
    parser.add_argument("--quick", action="store_true", help="short runs (0.2 s per measurement) for smoke tests")
    parser.add_argument("--min-time", type=float, default=None, help="seconds timed per measurement (default 1.5)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated subset of " + ",".join(WORKLOADS))
    parser.add_argument("--in-process", action="store_true",
                        help="run training in this process instead of a child (peak RSS then covers everything)")
    args = parser.parse_args()
    args.workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = set(args.workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {sorted(unknown)}")
    args.min_time = args.min_time or (0.2 if args.quick else 1.5)
    args.warmup = 0.1 if args.quick else 0.5
    thread_counts = [int(t) for t in args.threads.split(",")]

    try:
        import torch
        import torch.nn as nn
    except ImportError as e:
        log(f"PyTorch is not installed ({e}); skipping the PyTorch benchmark. "
            "Install it with `apt-get install python3-torch` and run with /usr/bin/python3.")
        emit(workload="env", skipped=True, reason="torch not installed")
        return 0

    torch.manual_seed(0)
    environment(torch)
    child_only = args.workloads == ["lenet5_train_b64"] and len(thread_counts) == 1
    for threads in thread_counts:
        torch.set_num_threads(threads)
        log(f"threads={threads} (torch.get_num_threads()={torch.get_num_threads()})")
        measure_inference(torch, nn, args, threads)
        if "lenet5_train_b64" in args.workloads:
            if args.in_process or child_only:
                measure_training(torch, nn, args, threads)
            else:
                run_training_child(args, threads)
        measure_conv(torch, nn, args, threads)
    return 0


def run_training_child(args, threads):
    cmd = [sys.executable, os.path.abspath(__file__), "--workloads", "lenet5_train_b64", "--threads", str(threads),
           "--min-time", str(args.min_time)]
    if args.quick:
        cmd.append("--quick")
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    for line in done.stdout.splitlines():
        if '"workload": "env"' not in line:
            print(line, flush=True)
    if done.returncode != 0:
        log(f"training child exited with {done.returncode}")


if __name__ == "__main__":
    sys.exit(main())
