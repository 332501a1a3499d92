"""Drives swift-ml's MCP server with the official Python MCP client (`mcp` from PyPI): `ml mcp` over stdio, or
`ml serve --mcp` over streamable HTTP.

    python mcp_client.py stdio ML ROOT OLD NEW
    python mcp_client.py http URL KEY ROOT OLD NEW
    python mcp_client.py judged ML ROOT JUDGE_URL    # ml_score's judge suites, judged by JUDGE_URL

ROOT holds the probe-result files OLD and NEW, and items.jsonl with cli.scores.json (+ .items.jsonl) from `ml score`.
Checks: initialize, the tool list and schemas; ml_generate with progress; ml_score (a pair, items, a file) giving
what `ml score` gives; ml_probe with a progress notification per answer, its file, and cancellation; ml_compare,
ml_report; the result files as resources; and that bad arguments, unknown tools and paths outside the root are tool
errors after which the session goes on.
"""
import asyncio
import json
import os
import sys
import time

import anyio

from contextlib import asynccontextmanager

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def text(result):
    return "".join(getattr(c, "text", "") for c in result.content)


@asynccontextmanager
async def connect(mode, target, key, root, extra=()):
    if mode == "stdio":
        params = StdioServerParameters(command=target, args=["mcp", "--root", root, *extra], cwd=root)
        async with stdio_client(params) as (read, write):
            yield read, write
    else:
        client = create_mcp_http_client(headers={"Authorization": f"Bearer {key}"})
        async with client, streamable_http_client(target, http_client=client) as streams:
            yield streams[0], streams[1]


async def main(mode, target, key, root, old, new):
    async with connect(mode, target, key, root) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.server_info.name == "swift-ml", init
            tools = (await session.list_tools()).tools
            names = [t.name for t in tools]
            assert {"ml_generate", "ml_score", "ml_probe", "ml_status", "ml_backends", "ml_compare", "ml_report"} <= set(names), names
            for tool in tools:
                assert tool.input_schema["type"] == "object", tool
                assert len(tool.description) > 80, tool.name

            # ml_generate on the default local model, loaded once by the server; progress counts tokens.
            progress = []

            async def on_progress(done, total, message):
                progress.append(done)

            result = await session.call_tool("ml_generate", {"prompt": "Count from one to forty in words.", "max_tokens": 40,
                                                             "temperature": 0}, progress_callback=on_progress)
            assert not result.is_error, text(result)
            generated = result.structured_content
            assert generated["text"].strip() and generated["text"] == text(result), generated
            assert generated["finish_reason"] in ("stop", "length") and generated["generated_tokens"] >= 1, generated
            if generated["generated_tokens"] >= 16:
                assert progress and progress == sorted(progress), progress
            for arguments, expected in (({"prompt": "x", "max_tokens": 0}, "'max_tokens'"),
                                        ({"prompt": "x", "model": "/etc/hostname"}, "outside_root"),
                                        ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0]"),
                                        ({}, "'prompt' is required")):
                result = await session.call_tool("ml_generate", arguments)
                assert result.is_error and expected in text(result), (arguments, text(result))

            await check_score(session, root)
            await check_probe(session, root)

            result = await session.call_tool("ml_status", {})
            assert not result.is_error, text(result)
            assert isinstance(result.structured_content["notes"], list) and "latest_checkpoints" in result.structured_content, \
                result.structured_content

            result = await session.call_tool("ml_backends", {})
            assert not result.is_error, text(result)
            backends = {b["name"]: b for b in result.structured_content["backends"]}
            assert backends["llama"]["available"] is True and "openai" in backends, backends

            result = await session.call_tool("ml_compare", {"old": old, "new": new})
            assert not result.is_error, text(result)
            rows = result.structured_content["rows"]
            assert rows and rows[0]["metric"] == "probe_passed" and rows[0]["test"] == "mcnemar-exact", rows

            result = await session.call_tool("ml_report", {"output": "report.html", "probe_files": [old, new]})
            assert not result.is_error, text(result)
            path = result.structured_content["path"]
            assert os.path.realpath(path) == os.path.realpath(os.path.join(root, "report.html")), path
            assert "<html" in open(path, encoding="utf-8").read()

            bad = [
                ({"old": "/etc/passwd", "new": new}, "outside_root"),
                ({"old": "../" + os.path.basename(root) + "/../x.json", "new": new}, "outside_root"),
                ({"old": old}, "'new' is required"),
                ({"old": 7, "new": new}, "'old' must be a string"),
                ({"old": old, "new": new, "extra": 1}, "unknown argument 'extra'"),
            ]
            for arguments, expected in bad:
                result = await session.call_tool("ml_compare", arguments)
                assert result.is_error and expected in text(result), (arguments, text(result))
            await check_resources(session, root, old)
            result = await session.call_tool("ml_nothing", {})
            assert result.is_error and "unknown tool" in text(result), text(result)
            # The session goes on after every error.
            result = await session.call_tool("ml_compare", {"old": old, "new": new})
            assert not result.is_error, text(result)
    print(f"mcp_client ({mode}): all passed")


async def check_score(session, root):
    """ml_score gives what `ml score` gave for the same items: per-item results line for line, and the score file."""
    cli_lines = [json.loads(line) for line in open(os.path.join(root, "cli.scores.json.items.jsonl"), encoding="utf-8")]
    cli_file = json.load(open(os.path.join(root, "cli.scores.json"), encoding="utf-8"))
    items = [json.loads(line) for line in open(os.path.join(root, "items.jsonl"), encoding="utf-8")]
    result = await session.call_tool("ml_score", {"items": items, "suites": ["heuristic", "exact"]})
    assert not result.is_error, text(result)
    scored = result.structured_content
    assert scored["results"] == cli_lines, (scored["results"], cli_lines)
    assert scored["averages"] == cli_file["model_averages"], (scored["averages"], cli_file["model_averages"])
    first = items[0]
    result = await session.call_tool("ml_score", {k: first[k] for k in ("id", "prompt", "response", "model", "correct_answer") if k in first}
                                     | {"suites": "heuristic,exact"})
    assert not result.is_error, text(result)
    assert result.structured_content["results"] == cli_lines[:1], result.structured_content
    result = await session.call_tool("ml_score", {"input": "items.jsonl", "output": "tool.scores.json"})
    assert not result.is_error, text(result)
    assert result.structured_content["items"] == len(items) and result.structured_content["failed"] == 0, result.structured_content
    tool_file = json.load(open(os.path.join(root, "tool.scores.json"), encoding="utf-8"))
    assert tool_file["model_averages"] == cli_file["model_averages"] and tool_file["per_prompt"] == cli_file["per_prompt"], tool_file
    assert open(os.path.join(root, "tool.scores.json.items.jsonl"), encoding="utf-8").read() == \
        open(os.path.join(root, "cli.scores.json.items.jsonl"), encoding="utf-8").read()
    for arguments, expected in (({"prompt": "x"}, "'response' is required"),
                                ({"items": []}, "'items' is empty"),
                                ({"items": [{"prompt": "x"}]}, "items[0]"),
                                ({"prompt": "x", "response": "y", "suites": ["nonsense"]}, "suites"),
                                ({"input": "/etc/hostname"}, "outside_root"),
                                ({"input": "items.jsonl", "output": "items.jsonl"}, "output"),
                                ({"input": "items.jsonl", "prompt": "x"}, "not several")):
        result = await session.call_tool("ml_score", arguments)
        assert result.is_error and expected in text(result), (arguments, text(result))


async def check_probe(session, root):
    """ml_probe on one category: a progress notification per answer, in order, and the probe-result file; then a
    whole run cancelled after its first answer: the session goes on and no more progress arrives."""
    progress = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    result = await session.call_tool("ml_probe", {"categories": ["arithmetic"], "max_tokens": 64, "output": "probe.json"},
                                     progress_callback=on_progress)
    assert not result.is_error, text(result)
    probed = result.structured_content
    total = probed["total"]
    assert total >= 1 and set(probed["by_category"]) == {"arithmetic"}, probed
    assert [p[0] for p in progress] == list(range(1, total + 1)), progress
    assert all(p[1] == total and p[2] for p in progress), progress
    low, high = probed["accuracy_wilson_95"]
    assert low <= probed["accuracy"] <= high, probed
    written = json.load(open(os.path.join(root, "probe.json"), encoding="utf-8"))
    assert written["total"] == total and written["correct"] == probed["correct"], written
    result = await session.call_tool("ml_probe", {"categories": ["astrology"]})
    assert result.is_error and "unknown category 'astrology'" in text(result), text(result)

    # Cancellation: the caller gives up after the first answer; the client tells the server.
    late = []
    first = anyio.Event()

    async def on_cancelled_progress(done, total, message):
        late.append(time.monotonic())
        first.set()

    async def whole_run():
        await session.call_tool("ml_probe", {"max_tokens": 256, "concurrency": 1, "output": "cancelled.json"},
                                progress_callback=on_cancelled_progress)

    started = time.monotonic()
    async with anyio.create_task_group() as group:
        group.start_soon(whole_run)
        with anyio.fail_after(120):
            await first.wait()
        group.cancel_scope.cancel()
    cancelled_at = time.monotonic()
    await anyio.sleep(3)
    assert not [t for t in late if t > cancelled_at + 0.5], "progress went on after the call was cancelled"
    assert not os.path.exists(os.path.join(root, "cancelled.json")), "the cancelled run wrote its file"
    # The server is free again: a short call answers at once.
    result = await session.call_tool("ml_generate", {"prompt": "Hi", "max_tokens": 4, "temperature": 0})
    assert not result.is_error, text(result)
    print(f"mcp_client: cancelled ml_probe {cancelled_at - started:.1f} s after it started; the next call answered")


async def check_resources(session, root, old):
    """Score files, probe-result files and the latest report are resources; a file outside the root is not."""
    resources = (await session.list_resources()).resources
    by_name = {r.name: r for r in resources}
    assert {"cli.scores.json", "tool.scores.json", "probe.json", old, "report.html", "latest-report"} <= set(by_name), sorted(by_name)
    assert by_name["cli.scores.json"].mime_type == "application/json" and by_name["report.html"].mime_type == "text/html"
    assert "items.jsonl" not in by_name, sorted(by_name)
    read = await session.read_resource(str(by_name["cli.scores.json"].uri))
    assert json.loads(read.contents[0].text)["model_averages"], read
    latest = await session.read_resource("swift-ml://report/latest")
    assert "<html" in latest.contents[0].text
    for uri in ("file:///etc/passwd", "file://" + os.path.join(root, "items.jsonl")):
        try:
            await session.read_resource(uri)
        except Exception as error:  # the client raises the server's JSON-RPC error
            assert "outside" in str(error) or "not a score file" in str(error), error
        else:
            raise AssertionError(f"{uri} was readable")


async def judged(ml, root, judge_url):
    """ml_score with a judge suite, the server's judge given by the judge flags: the same results as `ml score`."""
    cli_lines = [json.loads(line) for line in open(os.path.join(root, "judged.scores.json.items.jsonl"), encoding="utf-8")]
    items = [json.loads(line) for line in open(os.path.join(root, "items.jsonl"), encoding="utf-8")]
    async with connect("stdio", ml, None, root, ["--judge-url", judge_url, "--judge-model", "scripted"]) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("ml_score", {"items": items, "suites": ["heuristic", "semantic"]})
            assert not result.is_error, text(result)
            scored = result.structured_content
            assert scored["results"] == cli_lines and scored["judge_calls"] == len(items), (scored, cli_lines)
            assert all("semantic" in r["judges"] for r in scored["results"]), scored["results"]
            result = await session.call_tool("ml_score", {"input": "items.jsonl", "output": "judged-tool.scores.json",
                                                          "suites": ["heuristic", "semantic"]})
            assert not result.is_error, text(result)
            tool_file = json.load(open(os.path.join(root, "judged-tool.scores.json"), encoding="utf-8"))
            cli_file = json.load(open(os.path.join(root, "judged.scores.json"), encoding="utf-8"))
            assert tool_file["model_averages"] == cli_file["model_averages"], (tool_file["model_averages"], cli_file["model_averages"])
            assert tool_file["metadata"]["judge_model"] == cli_file["metadata"]["judge_model"], tool_file["metadata"]
    print("mcp_client (judged): all passed")


if sys.argv[1] == "judged":
    asyncio.run(judged(*sys.argv[2:5]))
elif sys.argv[1] == "stdio":
    asyncio.run(main("stdio", sys.argv[2], None, *sys.argv[3:6]))
else:
    asyncio.run(main("http", sys.argv[2], sys.argv[3], *sys.argv[4:7]))
