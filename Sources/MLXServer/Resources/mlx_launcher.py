"""swift-ml's launcher for mlx_lm.server: applies MLX's memory controls, then runs the server in this process.

    python mlx_launcher.py [--cache-limit BYTES] [--memory-limit BYTES] [--wired-limit BYTES] -- SERVER_ARGS...

Each limit is set before the model loads (mx.set_cache_limit, mx.set_memory_limit, and mx.set_wired_limit where
the platform has it: Metal only). The values MLX reports back are logged on one line starting with
"swift-ml-mlx-launcher: limits", so the owner can read them from the server's output."""
import sys


def main(argv):
    if "--" not in argv:
        sys.exit("mlx_launcher: usage: mlx_launcher.py [--cache-limit N] [--memory-limit N] [--wired-limit N] -- ARGS")
    split = argv.index("--")
    ours, server_args = argv[:split], argv[split + 1:]
    limits = {}
    for i in range(0, len(ours), 2):
        name = ours[i]
        if name not in ("--cache-limit", "--memory-limit", "--wired-limit") or i + 1 >= len(ours):
            sys.exit(f"mlx_launcher: bad argument {name!r}")
        try:
            limits[name[2:]] = int(ours[i + 1])
        except ValueError:
            sys.exit(f"mlx_launcher: {name} needs a byte count, got {ours[i + 1]!r}")

    try:
        import mlx.core as mx
        import mlx_lm.server as server
    except ImportError as error:
        sys.exit(f"mlx_launcher: Python MLX is not installed ({error}); run scripts/setup")

    applied = {}
    if "cache-limit" in limits:
        mx.set_cache_limit(limits["cache-limit"])
        # set_* returns the previous value: setting again reads back what MLX holds now.
        applied["cache"] = mx.set_cache_limit(limits["cache-limit"])
    if "memory-limit" in limits:
        mx.set_memory_limit(limits["memory-limit"])
        applied["memory"] = mx.get_memory_limit() if hasattr(mx, "get_memory_limit") else limits["memory-limit"]
    wired = "unset"
    if "wired-limit" in limits:
        # Only Metal has wired memory; on the CPU backend set_wired_limit is absent or fails.
        try:
            if hasattr(mx, "metal") and mx.metal.is_available():
                mx.set_wired_limit(limits["wired-limit"])
                wired = str(limits["wired-limit"])
                # The server would replace our wired limit with its recommended one.
                server.maybe_set_recommended_wired_limit = lambda: None
            else:
                wired = "unavailable"
        except Exception as error:  # noqa: BLE001 - report, keep serving
            wired = f"unavailable ({error})"
    print("swift-ml-mlx-launcher: limits cache={} memory={} wired={} mlx={} device={}".format(
        applied.get("cache", "unset"), applied.get("memory", "unset"), wired, mx.__version__, mx.default_device()),
        file=sys.stderr, flush=True)
    # The server answers /health with 200 while its generation thread still loads the model: say when it is loaded,
    # so the owner does not take a server whose load then fails for a ready one.
    load_default = server.ModelProvider.load_default

    def load_default_and_report(self):
        load_default(self)
        print("swift-ml-mlx-launcher: model loaded", file=sys.stderr, flush=True)

    server.ModelProvider.load_default = load_default_and_report
    sys.argv = ["mlx_lm.server"] + server_args
    server.main()


if __name__ == "__main__":
    main(sys.argv[1:])
