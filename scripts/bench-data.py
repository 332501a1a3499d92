#!/usr/bin/env python3
"""Figures of the training-data pipeline (issue #15). Usage (needs scripts/setup and a built `ml`):
    scripts/bench-data.py queue [PROMPTS] [WORKERS]   # 8 `ml worker`s on a temporary PostgreSQL against ml-fake-server
                                                     # (a fake model answering 16 tokens at once): answers/s and claims/s
    scripts/bench-data.py fault [PROMPTS]             # 3 `ml worker`s on PostgreSQL against ml-fake-server, one killed
                                                     # with SIGKILL twice mid-batch: every prompt answered exactly once?
    scripts/bench-data.py store [SECONDS] [CLIENTS]   # the store alone: pgbench running the queue's own statements
                                                     # (claim one prompt, then store its answer) with 8 clients
    scripts/bench-data.py pool [PROMPTS]              # `ml data expand` through one real llama-server, then a pool of two
The machine's load (other builds) is printed with each figure: on a shared 2-core machine the numbers say more about
the load than about the code.
"""
import json, os, shutil, socket, subprocess, sys, tempfile, time

HOME = os.environ.get("SWIFT_ML_HOME", os.path.expanduser("~/.cache/swift-ml"))
MODEL = os.path.join(HOME, "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
BIN = os.environ.get("BIN") or subprocess.check_output(["swift", "build", "--show-bin-path"], text=True).strip()
ML = os.path.join(BIN, "ml")
PGBIN = os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def load():
    return open("/proc/loadavg").read().split()[0]

def wait_healthy(port, path="/health"):
    import http.client
    for _ in range(1200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1); c.request("GET", path)
            if c.getresponse().status == 200: return
        except OSError: pass
        time.sleep(0.05)
    raise SystemExit(f"port {port} never became healthy")

def postgres(tmp):
    """A throwaway cluster (as nobody when root, which PostgreSQL refuses); returns (process, url)."""
    data = os.path.join(tmp, "pg")
    os.makedirs(data)
    prefix = []
    if os.getuid() == 0:
        os.chmod(tmp, 0o755)
        shutil.chown(data, "nobody")
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
    subprocess.run(prefix + [f"{PGBIN}/initdb", "-D", f"{data}/data", "-U", "swiftml", "--auth=trust", "-E", "UTF8",
                             "--locale=C", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen(prefix + [f"{PGBIN}/postgres", "-D", f"{data}/data", "-h", "127.0.0.1", "-p", str(port),
                                      "-k", data, "-c", "fsync=off", "-c", "synchronous_commit=off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if subprocess.run([f"{PGBIN}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0: break
        time.sleep(0.1)
    subprocess.run([f"{PGBIN}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "swiftml", "bench"], check=True)
    return proc, f"postgres://swiftml@127.0.0.1:{port}/bench?sslmode=disable"

def prompts_file(tmp, n):
    path = os.path.join(tmp, "prompts.jsonl")
    with open(path, "w") as f:
        for i in range(n): f.write(json.dumps({"id": f"b{i:06d}", "prompt": f"Say a word. ({i})"}) + "\n")
    return path

def queue(n, workers):
    tmp = tempfile.mkdtemp(prefix="ml-bench-queue.")
    procs = []
    try:
        pg, url = postgres(tmp); procs.append(pg)
        fake = subprocess.Popen([os.path.join(BIN, "ml-fake-server"), "0"], stdout=subprocess.PIPE, text=True)
        procs.append(fake)
        port = int(fake.stdout.readline().strip().rsplit(":", 1)[-1])
        subprocess.run([ML, "data", "import", "--workspace", url, "--kind", "prompts", prompts_file(tmp, n)],
                       check=True, stdout=subprocess.DEVNULL)
        start = time.perf_counter()
        runs = [subprocess.Popen([ML, "worker", "--workspace", url, "--url", f"http://127.0.0.1:{port}", "--batch", "32",
                                  "--max-tokens", "16", "--name", f"w{i}"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True) for i in range(workers)]
        outputs = [r.communicate()[0] for r in runs]
        elapsed = time.perf_counter() - start
        claims = sum(int(o.strip().splitlines()[-1].split(", ")[-1].split()[0]) for o in outputs)
        check = subprocess.run([ML, "data", "query", "--workspace", url,
                                "SELECT COUNT(*), COUNT(DISTINCT prompt_id) FROM answers"],
                               capture_output=True, text=True).stdout.strip().splitlines()[-1]
        print(f"queue: {workers} workers, {n} prompts in {elapsed:.1f} s = {n / elapsed:.0f} answers/s, "
              f"{claims / elapsed:.1f} claims/s (batches of 32); answers, distinct = {check}; load {load()}")
    finally:
        for p in procs: p.terminate()
        for p in procs: p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

# Prompt ids are pNNNNNNNN (pgbench variables are numbers). One pgbench transaction = one claim of one prompt (a worst case: workers claim batches) and the answer's write,
# as WorkspaceStore+Queue issues them (two transactions, like a worker's claim and its saveAnswers).
STORE_SCRIPT = """\\set w random(1, 8)
BEGIN;
UPDATE prompts SET lease_owner = 'w' || :w, lease_expires = extract(epoch from now()) + 60, attempts = attempts + 1
  WHERE id IN (SELECT id FROM prompts WHERE state = 'pending' AND attempts < 5
               AND (lease_expires IS NULL OR lease_expires < extract(epoch from now()))
               ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING CAST(substr(id, 2) AS integer) AS claimed \\gset
COMMIT;
BEGIN;
INSERT INTO answers (prompt_id, response, model, model_source, settings, worker_id, finish_reason, prompt_tokens,
  completion_tokens, started_at, duration_seconds, created_at)
  VALUES ('p' || lpad(CAST(:claimed AS text), 8, '0'), 'word word word word', 'fake', 'bench', '{}', 'w' || :w, 'stop', 5, 4, 0, 0.001,
          extract(epoch from now())) ON CONFLICT (prompt_id) DO NOTHING RETURNING prompt_id;
UPDATE prompts SET state = 'answered', lease_owner = NULL, lease_expires = NULL, last_error = NULL WHERE id = 'p' || lpad(CAST(:claimed AS text), 8, '0');
UPDATE workers SET answered = answered + 1, last_heartbeat = extract(epoch from now()) WHERE id = 'w' || :w;
COMMIT;
"""

def store(seconds, clients):
    tmp = tempfile.mkdtemp(prefix="ml-bench-store.")
    procs = []
    try:
        pg, url = postgres(tmp); procs.append(pg)
        port = url.split(":")[2].split("/")[0]
        # The schema through ml (migrations), then enough prompts that the queue never runs dry.
        subprocess.run([ML, "data", "import", "--workspace", url, "--kind", "prompts", prompts_file(tmp, 1)],
                       check=True, stdout=subprocess.DEVNULL)
        psql = ["psql", "-qtA", "-h", "127.0.0.1", "-p", port, "-U", "swiftml", "bench", "-c"]
        subprocess.run(psql + ["DELETE FROM prompts"], check=True)
        subprocess.run(psql + ["INSERT INTO prompts (id, prompt, source, created_at) SELECT 'p' || lpad(i::text, 8, '0'), "
                               "'Say a word. ' || i, 'bench', 0 FROM generate_series(1, 2000000) i"], check=True)
        subprocess.run(psql + ["INSERT INTO workers (id, host, model, started_at, last_heartbeat) "
                               "SELECT 'w' || i, 'bench', 'fake', 0, 0 FROM generate_series(1, 8) i"], check=True)
        subprocess.run(psql + ["VACUUM ANALYZE"], check=True)
        script = os.path.join(tmp, "queue.sql")
        open(script, "w").write(STORE_SCRIPT)
        out = subprocess.run([f"{PGBIN}/pgbench", "-n", "-h", "127.0.0.1", "-p", port, "-U", "swiftml", "-c", str(clients),
                              "-j", "2", "-T", str(seconds), "-f", script, "bench"], capture_output=True, text=True)
        tps = [l for l in out.stdout.splitlines() if l.startswith("tps")]
        if out.returncode != 0 or not tps: raise SystemExit(out.stdout + out.stderr)
        check = subprocess.run(psql + ["SELECT COUNT(*), COUNT(DISTINCT prompt_id) FROM answers"], capture_output=True,
                               text=True).stdout
        print(f"store: {clients} clients, {seconds} s: {tps[0]} (one claim + one answer written each); "
              f"answers, distinct: {check.strip()}; load {load()}")
    finally:
        for p in procs: p.terminate()
        for p in procs: p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

def fault(n):
    tmp = tempfile.mkdtemp(prefix="ml-bench-fault.")
    procs = []
    try:
        pg, url = postgres(tmp); procs.append(pg)
        port = url.split(":")[2].split("/")[0]
        psql = ["psql", "-qtA", "-h", "127.0.0.1", "-p", port, "-U", "swiftml", "bench", "-c"]
        fake = subprocess.Popen([os.path.join(BIN, "ml-fake-server"), "0"], stdout=subprocess.PIPE, text=True)
        procs.append(fake)
        fake_port = int(fake.stdout.readline().strip().rsplit(":", 1)[-1])
        subprocess.run([ML, "data", "import", "--workspace", url, "--kind", "prompts", prompts_file(tmp, n)],
                       check=True, stdout=subprocess.DEVNULL)
        def worker(name):
            return subprocess.Popen([ML, "worker", "--workspace", url, "--url", f"http://127.0.0.1:{fake_port}", "--batch", "8",
                                     "--lease", "2", "--max-tokens", "16", "--name", name],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        def answered(name):
            return int(subprocess.run(psql + [f"SELECT COUNT(*) FROM answers WHERE worker_id = '{name}'"],
                                      capture_output=True, text=True).stdout.strip() or 0)
        start = time.perf_counter()
        survivors = [worker("w1"), worker("w2")]
        kills = []
        for round in (1, 2):
            before = answered("w3")
            victim = worker("w3")
            while answered("w3") == before and victim.poll() is None: time.sleep(0.02)
            held = int(subprocess.run(psql + ["SELECT COUNT(*) FROM prompts WHERE lease_owner = 'w3' AND state = 'pending'"],
                                      capture_output=True, text=True).stdout.strip() or 0)
            victim.kill(); victim.wait()
            kills.append(f"killed after {answered('w3') - before} answers holding {held} leased prompts")
        outputs = [w.communicate()[0].strip().splitlines()[-1] for w in survivors]
        elapsed = time.perf_counter() - start
        row = subprocess.run(psql + ["SELECT (SELECT COUNT(*) FROM prompts), (SELECT COUNT(*) FROM answers), "
                                     "(SELECT COUNT(DISTINCT prompt_id) FROM answers), "
                                     "(SELECT COUNT(*) FROM prompts WHERE state <> 'answered')"],
                             capture_output=True, text=True).stdout.strip()
        prompts, answers, distinct, unanswered = map(int, row.split("|"))
        ok = prompts == answers == distinct == n and unanswered == 0
        print(f"fault: {n} prompts, 3 workers, w3 {'; '.join(kills)}; survivors: {' | '.join(outputs)}; "
              f"prompts {prompts}, answers {answers}, distinct {distinct}, unanswered {unanswered} -> "
              f"{'every prompt answered exactly once' if ok else 'FAILED'} in {elapsed:.1f} s; load {load()}")
        if not ok: raise SystemExit(1)
    finally:
        for p in procs: p.terminate()
        for p in procs: p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

def pool(n):
    tmp = tempfile.mkdtemp(prefix="ml-bench-pool.")
    servers = []
    try:
        ports = [free_port(), free_port()]
        for port in ports:
            servers.append(subprocess.Popen([os.path.join(HOME, "bin", "llama-server"), "-m", MODEL, "--host", "127.0.0.1",
                                             "--port", str(port), "--parallel", "2", "-t", "1"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports: wait_healthy(port)
        results = {}
        for label, urls in (("one", ports[:1]), ("two", ports)):
            ws = os.path.join(tmp, f"{label}.sqlite")
            subprocess.run([ML, "data", "import", "--workspace", ws, "--kind", "prompts", prompts_file(tmp, n)],
                           check=True, stdout=subprocess.DEVNULL)
            args = [ML, "data", "expand", "--workspace", ws, "--concurrency", "4", "--max-tokens", "32", "--temperature", "0"]
            for port in urls: args += ["--url", f"http://127.0.0.1:{port}"]
            start = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results[label] = n / (time.perf_counter() - start)
            print(f"pool: {label} llama-server(s), {n} prompts, 4 in flight: {results[label]:.2f} answers/s; load {load()}")
        print(f"pool: two / one = {results['two'] / results['one']:.2f}x")
    finally:
        for s in servers: s.terminate()
        for s in servers: s.wait()
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "queue"
    if what == "queue":
        queue(int(sys.argv[2]) if len(sys.argv) > 2 else 4000, int(sys.argv[3]) if len(sys.argv) > 3 else 8)
    elif what == "fault":
        fault(int(sys.argv[2]) if len(sys.argv) > 2 else 500)
    elif what == "store":
        store(int(sys.argv[2]) if len(sys.argv) > 2 else 15, int(sys.argv[3]) if len(sys.argv) > 3 else 8)
    elif what == "pool":
        pool(int(sys.argv[2]) if len(sys.argv) > 2 else 40)
    else:
        raise SystemExit(__doc__)
