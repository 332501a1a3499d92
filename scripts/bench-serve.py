#!/usr/bin/env python3
"""Streaming through `ml serve` (in front of its managed llama-server) versus calling a llama-server directly
with the same request: client-side tokens per second and time to first token. Usage:
    scripts/bench-serve.py [RUNS]    (needs scripts/setup and a built `ml`)
"""
import http.client, json, os, signal, socket, subprocess, sys, time

HOME = os.environ.get("SWIFT_ML_HOME", os.path.expanduser("~/.cache/swift-ml"))
MODEL = os.path.join(HOME, "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
ML = os.environ.get("ML") or os.path.join(subprocess.check_output(["swift", "build", "--show-bin-path"], text=True).strip(), "ml")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
BODY = {"messages": [{"role": "user", "content": "Write a long, detailed story about a lighthouse keeper who finds a message in a bottle."}],
        "max_tokens": 300, "temperature": 0, "stream": True}

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def wait_healthy(port, path):
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", path)
            if c.getresponse().status == 200: return
        except OSError: pass
        time.sleep(0.05)
    raise SystemExit(f"port {port} never became healthy")

def stream(port):
    c = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    c.request("POST", "/v1/chat/completions", json.dumps(BODY), {"Content-Type": "application/json"})
    r = c.getresponse()
    times, buf = [], b""
    while True:
        chunk = r.read1(65536)
        if not chunk: break
        buf += chunk
        while b"\n\n" in buf:
            event, buf = buf.split(b"\n\n", 1)
            data = event[6:]
            if data == b"[DONE]": continue
            delta = json.loads(data)["choices"]
            if delta and delta[0].get("delta", {}).get("content"): times.append(time.perf_counter())
    ttft = times[0] - start
    rate = (len(times) - 1) / (times[-1] - times[0])
    return ttft, rate, len(times)

def report(name, results):
    ttft = sorted(r[0] for r in results)[len(results) // 2]
    rate = sorted(r[1] for r in results)[len(results) // 2]
    fastest = min(r[0] for r in results)
    print(f"{name:>14}: median TTFT {ttft * 1000:.1f} ms (fastest {fastest * 1000:.1f} ms), "
          f"median stream rate {rate:.1f} tok/s, {results[0][2]} tokens")
    return ttft, rate, fastest

def measure(direct_port, serve_port):
    """Alternates the two, so drift in the machine's load affects both alike."""
    stream(direct_port); stream(serve_port)  # warm-up (prompt cache, allocations)
    direct, serve = [], []
    for _ in range(RUNS):
        direct.append(stream(direct_port)); serve.append(stream(serve_port))
    return report("llama-server", direct), report("ml serve", serve)

direct_port, serve_port = free_port(), free_port()
direct = subprocess.Popen([os.path.join(HOME, "bin", "llama-server"), "-m", MODEL, "--host", "127.0.0.1",
                           "--port", str(direct_port), "--parallel", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
serve = subprocess.Popen([ML, "serve", "--bind", f"127.0.0.1:{serve_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_healthy(direct_port, "/health"); wait_healthy(serve_port, "/healthz")
    d, s = measure(direct_port, serve_port)
    print(f"ratio (ml serve / direct): {s[1] / d[1]:.3f}; time to first token added: {(s[0] - d[0]) * 1000:+.1f} ms "
          f"(median), {(s[2] - d[2]) * 1000:+.1f} ms (fastest)")
finally:
    for p in (serve, direct): p.send_signal(signal.SIGTERM); p.wait()
