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
  resnet18_infer_b1   torchvision ResNet-18 (eval mode), batch 1, 3x224x224: inference latency (ms)
  googlenet_infer_b1  torchvision GoogLeNet (eval mode, no auxiliary heads), batch 1, 3x224x224: latency (ms)

Weights: <models>/<network>.safetensors (written by export_models.py, the same files ConvGen and ONNX Runtime load) when
present, else PyTorch's seeded default init. --check FILE (a safetensors file the C# harness writes: "input" and ConvGen's
"output", or for *_bwd "output_grad", "input_grad", "weight_grad") makes every variant run on that input and be compared
with ConvGen before it is timed; a variant that differs is reported with "wrong": true and not timed.
--cold (one workload, one thread count, --variant V) measures instead the mean per-call time over the first second of
this fresh process (the harness starts it pinned to one core with taskset); with --cpu-time, of its CPU time. It also
reports the process's peak resident set (peak_rss_mib: the torch import included).

Inference variants: eager (eval + no_grad), jit_frozen (torch.jit.freeze(torch.jit.trace(m, x))), jit_optimized
(torch.jit.optimize_for_inference(torch.jit.trace(m, x)), which also freezes and may pre-pack weights for oneDNN).
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

import bench_models

WORKLOADS = ["lenet5_infer_b1", "lenet5_infer_b64", "lenet5_train_b64",
             "conv3x3_64x56_fwd", "conv3x3_64x56_bwd", "conv3x3_128x28_fwd", "conv3x3_128x28_bwd",
             "resnet18_infer_b1", "googlenet_infer_b1"]


def emit(**record):
    print(json.dumps(record), flush=True)


def log(message):
    print(message, file=sys.stderr, flush=True)


def time_calls(fn, min_time, warmup_time, min_warmup=3):
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


def first_second_mean(fn, clock=time.perf_counter):
    """(Mean seconds per call, number of calls) over the first second of calls (the first call included), on the given
    clock; a call still running at the end of that second is counted whole."""
    start = clock()
    n = 0
    while True:
        fn()
        n += 1
        elapsed = clock() - start
        if elapsed >= 1.0:
            return elapsed / n, n


def load_check(torch, args):
    """{name: tensor} from --check, or None."""
    if not args.check:
        return None
    return {k: torch.from_numpy(v.copy()) for k, v in bench_models.read_safetensors(args.check).items()}


def max_diff(torch, got, expected):
    return float((got - expected.reshape(got.shape)).abs().max())


def close_enough(torch, got, expected):
    """Within 1e-3 of the largest reference magnitude: float32 sums in a different order, not a different result."""
    return max_diff(torch, got, expected) <= 1e-3 * max(1.0, float(expected.abs().max()))


# Inference workloads: name -> (network, batch, unit of the batch-1 latency). Batch 64 is reported in img/s.
INFERENCE = {
    "lenet5_infer_b1": ("lenet5", 1, "us"),
    "lenet5_infer_b64": ("lenet5", 64, "img/s"),
    "resnet18_infer_b1": ("resnet18", 1, "ms"),
    "googlenet_infer_b1": ("googlenet", 1, "ms"),
}


def inference_variants(torch, nn, args, network, example, only=None):
    """{variant: callable module} for one network in eval mode, each built from a fresh copy with the shared weights; with
    `only`, just that variant (so a cold or memory measurement holds one copy of the weights). The TorchScript variants
    trace the module on `example` (scripting torchvision's GoogLeNet would return its auxiliary-output tuple)."""
    builders = {
        "eager": lambda m: m,
        "jit_frozen": lambda m: torch.jit.freeze(torch.jit.trace(m, example)),
        "jit_optimized": lambda m: torch.jit.optimize_for_inference(torch.jit.trace(m, example)),
    }
    variants = {}
    with torch.no_grad():
        for name, make in builders.items():
            if only is not None and name != only:
                continue
            try:
                variants[name] = make(bench_models.load(torch, nn, network, args.models)[0].eval())
            except Exception as e:  # noqa: BLE001 - report and carry on with the other variants
                log(f"{name} unavailable: {e}")
    return variants


def inference_input(torch, check, network, batch):
    """The check file's input (ConvGen's) reshaped to the network's batch, or a random one without a check."""
    shape = (batch,) + bench_models.NETWORKS[network][1]
    return check["input"].reshape(shape) if check else torch.rand(shape)


def measure_inference(torch, nn, args, threads):
    check = load_check(torch, args)
    for workload, (network, batch, unit) in INFERENCE.items():
        if workload not in args.workloads:
            continue
        x = inference_input(torch, check, network, batch)
        variants = inference_variants(torch, nn, args, network, x)
        with torch.no_grad():
            reference = check["output"] if check else variants["eager"](x)
            results = []
            for name, m in variants.items():
                got = m(x)
                if not close_enough(torch, got, reference):
                    log(f"{name}: output differs from the reference by {max_diff(torch, got, reference):.3g}; not timed")
                    emit(workload=workload, threads=threads, variant=name, wrong=True, max_diff=max_diff(torch, got, reference))
                    continue
                diff = max_diff(torch, got, reference)
                times = time_calls(lambda: m(x), args.min_time, args.warmup)
                median = statistics.median(times)
                if batch == 1:
                    scale = 1e3 if unit == "ms" else 1e6
                    results.append(dict(value=median * scale, unit=unit, variant=name, better="lower",
                                        p10=percentile(times, 10) * scale, p90=percentile(times, 90) * scale,
                                        iterations=len(times), max_diff=diff))
                else:
                    results.append(dict(value=batch / median, unit="img/s", variant=name, better="higher",
                                        median_batch_ms=median * 1e3, iterations=len(times), max_diff=diff))
        del variants
        report(workload, threads, results)


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
             **{k: v if k == "max_diff" else round(v, 3) if isinstance(v, float) else v for k, v in r.items()})


def training_step(torch, nn, args):
    """(step function, max difference of the untrained forward pass from the check's output or None)."""
    model, _ = bench_models.load(torch, nn, "lenet5", args.models)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    check = load_check(torch, args)
    x = check["input"].reshape(64, 1, 28, 28) if check else torch.randn(64, 1, 28, 28)
    y = torch.arange(64) % 10  # the labels the C# harness uses
    diff = None
    if check:
        with torch.no_grad():
            got = model(x)
        diff = max_diff(torch, got, check["output"])
        if not close_enough(torch, got, check["output"]):
            return None, diff

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    return step, diff


def measure_training(torch, nn, args, threads):
    step, diff = training_step(torch, nn, args)
    if step is None:
        emit(workload="lenet5_train_b64", threads=threads, variant="eager", wrong=True, max_diff=diff)
        return
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = time_calls(step, args.min_time, args.warmup)
    median = statistics.median(times)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    emit(workload="lenet5_train_b64", threads=threads, value=round(64 / median, 3), unit="img/s", variant="eager",
         best=True, load1=round(os.getloadavg()[0], 2), median_step_ms=round(median * 1e3, 3), iterations=len(times),
         peak_rss_mib=round(rss_peak / 1024, 1), rss_before_training_mib=round(rss_before / 1024, 1), max_diff=diff)


def conv_layer(torch, nn, args, channels, size, variant):
    """(layer in the variant's memory format, that format) with the network's shared weights."""
    model, _ = bench_models.load(torch, nn, f"conv3x3_{channels}x{size}", args.models)
    fmt = torch.channels_last if variant == "channels_last" else torch.contiguous_format
    return model.conv1.to(memory_format=fmt), fmt


def conv_calls(torch, nn, args, channels, size, variant, backward, check):
    """(function timed for one conv workload and variant, max difference from the check or None; function None if wrong)."""
    layer, fmt = conv_layer(torch, nn, args, channels, size, variant)
    x = (check["input"].reshape(1, channels, size, size) if check else torch.randn(1, channels, size, size)).contiguous(memory_format=fmt)
    if not backward:
        with torch.no_grad():
            got = layer(x)
        diff = max_diff(torch, got, check["output"]) if check else None
        if check and not close_enough(torch, got, check["output"]):
            return None, diff

        def forward():
            with torch.no_grad():
                return layer(x)

        return forward, diff
    xg = x.clone().requires_grad_(True)
    out = layer(xg)
    grad_out = (check["output_grad"].reshape(out.shape) if check else torch.randn_like(out)).contiguous(memory_format=fmt)
    inputs = [xg, layer.weight]
    diff = None
    if check:
        input_grad, weight_grad = torch.autograd.grad(out, inputs, grad_out, retain_graph=True)
        diff = max(max_diff(torch, input_grad, check["input_grad"]), max_diff(torch, weight_grad, check["weight_grad"]))
        if not (close_enough(torch, input_grad, check["input_grad"]) and close_enough(torch, weight_grad, check["weight_grad"])):
            return None, diff
    return (lambda: torch.autograd.grad(out, inputs, grad_out, retain_graph=True)), diff


def measure_conv(torch, nn, args, threads):
    check = load_check(torch, args)
    for channels, size in ((64, 56), (128, 28)):
        flops = 2.0 * channels * channels * 9 * size * size  # 2 * MACs, batch 1
        for backward in (False, True):
            name = f"conv3x3_{channels}x{size}_{'bwd' if backward else 'fwd'}"
            if name not in args.workloads:
                continue
            results = []
            for variant in ("eager", "channels_last"):
                call, diff = conv_calls(torch, nn, args, channels, size, variant, backward, check)
                if call is None:
                    log(f"{name} {variant}: differs from the reference by {diff:.3g}; not timed")
                    emit(workload=name, threads=threads, variant=variant, wrong=True, max_diff=diff)
                    continue
                times = time_calls(call, args.min_time, args.warmup)
                t = statistics.median(times)
                results.append(dict(value=t * 1e6, unit="us", variant=variant, better="lower",
                                    gflops=(2 if backward else 1) * flops / t / 1e9, iterations=len(times), max_diff=diff))
            report(name, threads, results)


def measure_cold(torch, nn, args, threads):
    """Mean per-call time over the first second of this fresh process, for one workload and variant; then, after 0.5 s
    more of warm-up, the median call on the same clock (warm_seconds), so cold / warm is this process's own ratio."""
    workload, variant = args.workloads[0], args.variant
    clock = time.process_time if args.cpu_time else time.perf_counter
    setup_start = clock()
    check = load_check(torch, args)
    diff = None
    if workload in INFERENCE:
        network, batch, _ = INFERENCE[workload]
        x = inference_input(torch, check, network, batch)
        m = inference_variants(torch, nn, args, network, x, only=variant)[variant]

        def call():
            with torch.no_grad():
                return m(x)
    elif workload == "lenet5_train_b64":
        call, diff = training_step(torch, nn, args)
    else:
        channels, size = (64, 56) if "64x56" in workload else (128, 28)
        call, diff = conv_calls(torch, nn, args, channels, size, variant, workload.endswith("bwd"), check)
    if call is None:
        emit(workload=workload, threads=threads, variant=variant, wrong=True, max_diff=diff)
        return
    first_call_end = []

    def noted():
        result = call()
        if not first_call_end:
            first_call_end.append(clock())
        return result

    start = clock()
    seconds, calls = first_second_mean(noted, clock)
    while clock() - start < 1.5:
        call()
    warm = []
    begin = clock()
    while clock() - begin < args.min_time or len(warm) < 5:
        t0 = clock()
        call()
        warm.append(clock() - t0)
    emit(workload=workload, threads=threads, variant=variant, cold_seconds=seconds, cold_calls=calls,
         warm_seconds=statistics.median(warm), startup_seconds=first_call_end[0] - setup_start, peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
         load1=round(os.getloadavg()[0], 2))


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
         blas_library=blas_library(torch), date=time.strftime("%Y-%m-%dT%H:%M:%S"), config_excerpt=excerpt)


def blas_library(torch):
    """The BLAS shared object this process actually loaded (Debian's PyTorch calls whatever libblas.so.3 points to: the slow
    reference BLAS by default, OpenBLAS once libopenblas0 is installed), found in /proc/self/maps after a matrix product."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none"


def main():
    parser = argparse.ArgumentParser(description="PyTorch reference numbers for ConvGen's benchmark (JSON lines).")
    parser.add_argument("--threads", default="1,2", help="comma-separated torch.set_num_threads values (default 1,2)")
    parser.add_argument("--quick", action="store_true", help="short runs (0.2 s per measurement) for smoke tests")
    parser.add_argument("--min-time", type=float, default=None, help="seconds timed per measurement (default 1.5)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated subset of " + ",".join(WORKLOADS))
    parser.add_argument("--models", default=bench_models.MODELS_DIR,
                        help="folder of <network>.safetensors weights (default bench/models; written by export_models.py)")
    parser.add_argument("--check", default=None, help="safetensors file with the input and ConvGen's results to compare with")
    parser.add_argument("--cold", action="store_true", help="first-second mean per call of one workload/variant, then exit")
    parser.add_argument("--cpu-time", action="store_true",
                        help="with --cold: count the process's CPU time instead of wall-clock time (for a busy machine)")
    parser.add_argument("--variant", default="eager", help="with --cold: eager, jit_frozen, jit_optimized or channels_last")
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
    if args.cold:
        if len(args.workloads) != 1 or len(thread_counts) != 1:
            parser.error("--cold measures exactly one workload at one thread count")
        torch.set_num_threads(thread_counts[0])
        measure_cold(torch, nn, args, thread_counts[0])
        return 0
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
           "--min-time", str(args.min_time), "--models", args.models]
    if args.check:
        cmd += ["--check", args.check]
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
