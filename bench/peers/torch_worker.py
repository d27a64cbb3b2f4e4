# PyTorch side of the benchmark: answers one JSON request per line on stdin
# with one JSON line on stdout. Started by bench/peers/torch.ts, one process
# per thread count (argv[1]; OPENBLAS/OMP/MKL_NUM_THREADS set to match, since
# torch.set_num_threads does not reach OpenBLAS), with glibc malloc tuned (see
# there). Objects for the current cell are kept between rounds, like nabla's,
# and dropped when the cell changes.
import json
import re
import sys
import time

import torch

cache = {"key": None, "value": None}


def cached(key, make):
    if cache["key"] != key:
        cache["key"] = None
        cache["value"] = None
        cache["value"] = make()
        cache["key"] = key
    return cache["value"]


def batch_ns(fn, min_ms):
    reps = 0
    t0 = time.perf_counter()
    while True:
        fn()
        reps += 1
        t = time.perf_counter()
        if (t - t0) * 1e3 >= min_ms:
            return (t - t0) * 1e9 / reps


OPTIMIZERS = {
    "SGD": lambda p: torch.optim.SGD(p, lr=1e-3),
    "SGD+momentum": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9),
    "Adam": lambda p: torch.optim.Adam(p, lr=1e-3),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=1e-2),
}


def make_optim(name, n, pieces):
    gen = torch.Generator().manual_seed(1)
    params = []
    for k in range(pieces):
        size = n // pieces + (1 if k < n % pieces else 0)
        p = torch.randn(size, generator=gen)
        p.grad = torch.randn(size, generator=gen) * 1e-3
        params.append(p)
    opt = OPTIMIZERS[name](params)
    for _ in range(2):
        opt.step()
    return opt


def make_gemm(m, n, k, trans_a, trans_b):
    gen = torch.Generator().manual_seed(1)
    a = torch.randn((k, m) if trans_a else (m, k), generator=gen)
    b = torch.randn((n, k) if trans_b else (k, n), generator=gen)
    c = torch.empty(m, n)
    a_op = a.t() if trans_a else a
    b_op = b.t() if trans_b else b
    return lambda: torch.mm(a_op, b_op, out=c)


def make_mlp(sizes, batch, lr, warmup, seed):
    """One training step of an MLP (Linear+ReLU, logits) with Adam and cross-entropy on a fixed seeded batch."""
    torch.manual_seed(seed)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, sizes[0], generator=gen)
    y = torch.randint(0, sizes[-1], (batch,), generator=gen)

    def step():
        with torch.enable_grad():  # the worker runs under no_grad
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()

    for _ in range(warmup):
        step()
    return step


def blas_library():
    """The BLAS shared library this process loaded (the system's libblas.so.3 alternative)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return sorted(paths)[0] if paths else "unknown"
    except OSError:
        return "unknown"


def handle(req):
    cmd = req["cmd"]
    if cmd == "info":
        return {
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "executable": sys.executable,
            "threads": torch.get_num_threads(),
            "blas": re.findall(r"\b(?:BLAS_INFO|LAPACK_INFO)=[^,\s]+", torch.__config__.show()) + ["BLAS library " + blas_library()],
        }
    if cmd == "optim":
        opt = cached(("optim", req["opt"], req["n"], req["pieces"]), lambda: make_optim(req["opt"], req["n"], req["pieces"]))
        return {"ns": batch_ns(opt.step, req["min_ms"])}
    if cmd == "gemm":
        key = ("gemm", req["m"], req["n"], req["k"], req["transA"], req["transB"])
        fn = cached(key, lambda: make_gemm(req["m"], req["n"], req["k"], req["transA"], req["transB"]))
        fn()
        return {"ns": batch_ns(fn, req["min_ms"])}
    if cmd == "mlp":
        key = ("mlp", tuple(req["sizes"]), req["batch"], req["lr"], req["warmup"], req["seed"])
        step = cached(key, lambda: make_mlp(req["sizes"], req["batch"], req["lr"], req["warmup"], req["seed"]))
        return {"ns": batch_ns(step, req["min_ms"])}
    raise ValueError("unknown command " + cmd)


torch.set_num_threads(int(sys.argv[1]))
with torch.no_grad():
    for line in sys.stdin:
        try:
            out = handle(json.loads(line))
        except Exception as e:  # reported to the benchmark, which marks the peer failed
            out = {"error": repr(e)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
