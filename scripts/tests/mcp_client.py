"""Drives swift-ml's MCP server with the official Python MCP client (`mcp` from PyPI): `ml mcp` over stdio, or
`ml serve --mcp` over streamable HTTP.

    python mcp_client.py stdio ML ROOT OLD NEW
    python mcp_client.py http URL KEY ROOT OLD NEW

ROOT holds the probe-result files OLD and NEW. Checks: initialize, the tool list and schemas, ml_compare's
structured result, ml_report writing inside the root, and that bad arguments, unknown tools and paths outside the
root are tool errors after which the session goes on.
"""
import asyncio
import os
import sys

from contextlib import asynccontextmanager

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def text(result):
    return "".join(getattr(c, "text", "") for c in result.content)


@asynccontextmanager
async def connect(mode, target, key, root):
    if mode == "stdio":
        params = StdioServerParameters(command=target, args=["mcp", "--root", root], cwd=root)
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
            assert {"ml_generate", "ml_status", "ml_backends", "ml_compare", "ml_report"} <= set(names), names
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
            result = await session.call_tool("ml_nothing", {})
            assert result.is_error and "unknown tool" in text(result), text(result)
            # The session goes on after every error.
            result = await session.call_tool("ml_compare", {"old": old, "new": new})
            assert not result.is_error, text(result)
    print(f"mcp_client ({mode}): all passed")


if sys.argv[1] == "stdio":
    asyncio.run(main("stdio", sys.argv[2], None, *sys.argv[3:6]))
else:
    asyncio.run(main("http", sys.argv[2], sys.argv[3], *sys.argv[4:7]))
