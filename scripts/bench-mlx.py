#!/usr/bin/env python3
"""Measurements of the MLX backend. Usage (needs scripts/setup; `backend` also a built `ml`):
    scripts/bench-mlx.py blas    [MODEL_DIR] [RUNS]   prompt and generation tokens/s of mlx-lm with the wheel's own
                                                      BLAS versus Debian's OpenBLAS preloaded (our default on Linux)
    scripts/bench-mlx.py backend [MODEL_DIR] [RUNS]   streaming through `ml serve --backend mlx` versus the same
                                                      managed mlx_lm.server called directly: tokens/s and TTFT
    scripts/bench-mlx.py lora    [-] [RUNS]           wall and CPU seconds of the LoRA test fixture's training
                                                      (scripts/tests/mlx-lora-fixture.sh into a scratch directory),
                                                      wheel BLAS versus OpenBLAS (MODEL_DIR: the fixture's own base)
Every figure is printed with the load average (1 minute) before and after: the machine may be shared.
Runs alternate between the two sides, so drift in the machine's load affects both alike. MODEL_DIR defaults to
the converted SmolLM2 (models/SmolLM2-135M-Instruct-mlx) when present, else a SmolLM2-shaped random f32 model
made by scripts/tests/make_tiny_mlx_model.py --smollm2-shape (cached in $SWIFT_ML_HOME/fixtures)."""
import glob, http.client, json, os, signal, socket, subprocess, sys, time

HOME = os.environ.get("SWIFT_ML_HOME", os.path.expanduser("~/.cache/swift-ml"))
PY = os.environ.get("SWIFT_ML_MLX_PYTHON") or os.path.join(HOME, "mlx-venv", "bin", "python")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPENBLAS = (glob.glob("/usr/lib/*-linux-gnu/openblas-pthread/libopenblas.so.0") or [None])[0]
mode = sys.argv[1] if len(sys.argv) > 1 else "backend"
model = sys.argv[2] if len(sys.argv) > 2 else None
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
if not model or model == "-":
    model = os.path.join(HOME, "models", "SmolLM2-135M-Instruct-mlx")
    if not os.path.exists(os.path.join(model, "config.json")):
        model = os.path.join(HOME, "fixtures", "smollm2-shaped-mlx")
        if not os.path.exists(os.path.join(model, "config.json")):
            subprocess.check_call([PY, os.path.join(ROOT, "scripts/tests/make_tiny_mlx_model.py"), model, "--smollm2-shape"])
print(f"model: {model}")
PROMPT = ("Write a long, detailed story about a lighthouse keeper who finds a message in a bottle. "
          * int(os.environ.get("BENCH_PROMPT_REPEAT", "4"))).strip()
GEN_TOKENS = os.environ.get("BENCH_GEN_TOKENS", "32")
MEDIAN = lambda xs: sorted(xs)[len(xs) // 2]

CHILD = r"""
import sys, json
from mlx_lm import load, stream_generate
from mlx_lm.sample_utils import make_sampler
model, tokenizer = load(sys.argv[1])
prompt, tokens = sys.argv[2], int(sys.argv[3])
for _ in range(1 + int(sys.argv[4])):  # the first run may warm up
    for r in stream_generate(model, tokenizer, prompt, max_tokens=tokens, sampler=make_sampler(0.0)):
        pass
print(json.dumps({"prompt_tokens": r.prompt_tokens, "prompt_tps": r.prompt_tps, "generation_tps": r.generation_tps}))
"""

def blas_run(preload):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("OPENBLAS_NUM_THREADS", None)
    if preload:  # as MLXServerSettings does
        env["LD_PRELOAD"] = OPENBLAS
        env["OPENBLAS_NUM_THREADS"] = os.environ.get("SWIFT_ML_MLX_OPENBLAS_THREADS", "1")
    out = subprocess.check_output([PY, "-c", CHILD, model, PROMPT, GEN_TOKENS, os.environ.get("BENCH_WARMUP", "0")], env=env, text=True, stderr=subprocess.DEVNULL)
    return json.loads(out.strip().splitlines()[-1])

def load():
    return f"load {os.getloadavg()[0]:.1f}"

def lora():
    import resource, shutil, tempfile
    script = os.path.join(ROOT, "scripts/tests/mlx-lora-fixture.sh")
    results = {False: [], True: []}
    for _ in range(RUNS):
        for preload in (False, True):
            scratch = tempfile.mkdtemp(prefix="bench-mlx-lora-")
            env = dict(os.environ, SWIFT_ML_MLX_OPENBLAS="1" if preload else "0")
            before, cpu = load(), resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.check_call(["bash", script, os.path.join(scratch, "fixture")], env=env, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
            results[preload].append(wall)
            print(f"{'OpenBLAS' if preload else 'stock wheel':>12}: {wall:6.1f} s wall, {used:6.1f} s CPU ({before} before, {load()} after)", flush=True)
            shutil.rmtree(scratch)
    print(f"median wall: stock {MEDIAN(results[False]):.1f} s, OpenBLAS {MEDIAN(results[True]):.1f} s "
          f"({MEDIAN(results[False]) / MEDIAN(results[True]):.2f}x)")

def blas():
    if not OPENBLAS: raise SystemExit("Debian's libopenblas0-pthread is not installed (scripts/setup installs it)")
    stock, ours = [], []
    print(f"before: {load()}")
    for _ in range(RUNS):
        stock.append(blas_run(False)); ours.append(blas_run(True))
    for name, rs in (("stock wheel", stock), ("OpenBLAS", ours)):
        print(f"{name:>12}: prompt {MEDIAN([r['prompt_tps'] for r in rs]):8.1f} tok/s ({rs[0]['prompt_tokens']} tokens), "
              f"generation {MEDIAN([r['generation_tps'] for r in rs]):7.1f} tok/s (median of {RUNS})")
    print(f"after: {load()}")
    print(f"speed-up: prompt {MEDIAN([r['prompt_tps'] for r in ours]) / MEDIAN([r['prompt_tps'] for r in stock]):.2f}x, "
          f"generation {MEDIAN([r['generation_tps'] for r in ours]) / MEDIAN([r['generation_tps'] for r in stock]):.2f}x")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def wait_healthy(port, path, seconds=300):
    end = time.time() + seconds
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", path)
            if c.getresponse().status == 200: return
        except OSError: pass
        time.sleep(0.1)
    raise SystemExit(f"port {port} never became healthy")

BODY = {"messages": [{"role": "user", "content": "Write a long, detailed story about a lighthouse keeper."}],
        "max_tokens": 200, "temperature": 0, "stream": True}

def stream(port):
    c = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    c.request("POST", "/v1/chat/completions", json.dumps(BODY), {"Content-Type": "application/json"})
    r = c.getresponse()
    times, buf = [], b""
    while True:
        chunk = r.read1(65536)
        if not chunk: break
        buf += chunk.replace(b"\r\n", b"\n")
        while b"\n\n" in buf:
            event, buf = buf.split(b"\n\n", 1)
            if not event.startswith(b"data: ") or event[6:] == b"[DONE]": continue
            choices = json.loads(event[6:]).get("choices") or []
            if choices and choices[0].get("delta", {}).get("content"): times.append(time.perf_counter())
    return times[0] - start, (len(times) - 1) / (times[-1] - times[0]), len(times)

def inner_server_port(parent):
    """The port of the mlx_lm.server that `ml serve` (pid `parent`) manages, from its command line."""
    for _ in range(3000):
        for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
            try:
                args = open(cmdline, "rb").read().split(b"\0")
                stat = open(cmdline.replace("cmdline", "stat")).read()
            except OSError: continue
            if any(a.endswith(b"mlx_launcher.py") for a in args) and int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                return int(args[args.index(b"--port") + 1])
        time.sleep(0.1)
    raise SystemExit("ml serve started no mlx_lm.server")

def backend():
    ml = os.environ.get("ML") or os.path.join(
        subprocess.check_output(["swift", "build", "--show-bin-path"], text=True, cwd=ROOT).strip(), "ml")
    port = free_port()
    serve = subprocess.Popen([ml, "serve", "--backend", "mlx", "--model", model, "--bind", f"127.0.0.1:{port}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, "/healthz")
        direct = inner_server_port(serve.pid)
        stream(direct); stream(port)  # warm-up
        d, s = [], []
        print(f"before: {load()}")
        for _ in range(RUNS):
            d.append(stream(direct)); s.append(stream(port))
        print(f"after: {load()}")
        for name, rs in (("mlx_lm.server", d), ("ml (mlx)", s)):
            print(f"{name:>14}: median TTFT {MEDIAN([r[0] for r in rs]) * 1000:.1f} ms, "
                  f"median stream rate {MEDIAN([r[1] for r in rs]):.1f} tok/s, {rs[0][2]} chunks")
        print(f"ratio (ml / direct): tokens/s {MEDIAN([r[1] for r in s]) / MEDIAN([r[1] for r in d]):.3f}, "
              f"TTFT {MEDIAN([r[0] for r in s]) / MEDIAN([r[0] for r in d]):.3f} (direct/ml for speed: "
              f"{MEDIAN([r[0] for r in d]) / MEDIAN([r[0] for r in s]):.3f})")
    finally:
        serve.send_signal(signal.SIGTERM); serve.wait()

{"blas": blas, "backend": backend, "lora": lora}[mode]()
