"""PyTorch on one workload of the bench, for the `pytorch` and `pytorch-1t` columns (see pytorch.ts).

Usage: python3 pytorch-bench.py '<job JSON>' < inputs. The job names the workload, the thread count, the
timing and the float32/int32 arrays that stdin holds back to back (generated, seeded, by workloads.ts).
Prints one JSON line: {"ms": {label: median ms}, "maxRssMB", "torch", "threads", "blas", "losses"}.
"""

import json
import resource
import sys
import time

import torch
import torch.nn.functional as F


def read_arrays(specs):
    raw = bytearray(sys.stdin.buffer.read())
    arrays, offset = {}, 0
    for s in specs:
        dtype = torch.float32 if s["dtype"] == "float32" else torch.int32
        arrays[s["name"]] = torch.frombuffer(raw, dtype=dtype, count=s["length"], offset=offset)
        offset += 4 * s["length"]
    if offset != len(raw):
        raise ValueError(f"pytorch-bench.py: expected {offset} bytes on stdin, got {len(raw)}")
    return arrays


def time_median(fn, t):
    """As stats.ts timeMedian: warm-ups (count and ms), then timed reps (count and ms); median in ms."""
    start = time.perf_counter()
    i = 0
    while i < t["warmup"] or (time.perf_counter() - start) * 1000 < t["warmupMs"]:
        fn()
        i += 1
    times, timed, i = [], time.perf_counter(), 0
    while i < t["reps"] or (time.perf_counter() - timed) * 1000 < t["minMs"]:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        i += 1
    times.sort()
    h = len(times) // 2
    return times[h] if len(times) % 2 else (times[h - 1] + times[h]) / 2


def mlp(job, arrays):
    """The W2 model with the given [out, in] weights and zero biases, its batch, labels and SGD."""
    sizes, layers = job["sizes"], []
    for i in range(len(sizes) - 1):
        layer = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            layer.weight.copy_(arrays[f"w{i}"].reshape(sizes[i + 1], sizes[i]))
            layer.bias.zero_()
        layers.append(layer)
        if i + 2 < len(sizes):
            layers.append(torch.nn.SELU())
    model = torch.nn.Sequential(*layers)
    x = arrays["x"].reshape(job["batch"], sizes[0])
    labels = arrays["labels"].long()
    opt = torch.optim.SGD(model.parameters(), lr=job["lr"])

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def main():
    job = json.loads(sys.argv[1])
    torch.set_num_threads(job["threads"])
    arrays = read_arrays(job["arrays"])
    out = {"ms": {}, "losses": None}
    w = job["workload"]
    if w == "W1":
        for n in job["sizes"]:
            a = arrays[f"a{n}"].reshape(n, n)
            b = arrays[f"b{n}"].reshape(n, n)
            for c in job["cases"]:
                opa = a.t() if c["transA"] else a
                opb = b.t() if c["transB"] else b
                out["ms"][f"n={n} {c['label']}"] = time_median(lambda: torch.matmul(opa, opb), job)
    elif w == "W3":
        x = arrays["x"].clone().requires_grad_(True)
        g = arrays["g"]

        def selu_step():
            y = torch.selu(x)
            return torch.autograd.grad(y, x, g)

        out["ms"][job["label"]] = time_median(selu_step, job)
    else:
        step = mlp(job, arrays)
        # The first two steps' losses (before and after one update), compared with selfnorm's in pytorch.ts.
        out["losses"] = [step(), step()]
        out["ms"][job["label"]] = time_median(step, job)
    out["maxRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["torch"] = torch.__version__
    out["threads"] = torch.get_num_threads()
    with open("/proc/self/maps") as maps:
        out["blas"] = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    print(json.dumps(out))


main()
