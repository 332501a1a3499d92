"""Drives `ml mcp` over stdio with the official Python MCP client (`mcp` from PyPI).

    python mcp_client.py ML ROOT OLD NEW

ROOT holds the probe-result files OLD and NEW. Checks: initialize, the tool list and schemas, ml_compare's
structured result, ml_report writing inside the root, and that bad arguments, unknown tools and paths outside the
root are tool errors after which the session goes on.
"""
import asyncio
import os
import sys

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


def text(result):
    return "".join(getattr(c, "text", "") for c in result.content)


async def main(ml, root, old, new):
    params = StdioServerParameters(command=ml, args=["mcp", "--root", root], cwd=root)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.server_info.name == "swift-ml", init
            tools = (await session.list_tools()).tools
            names = [t.name for t in tools]
            assert {"ml_status", "ml_compare", "ml_report"} <= set(names), names
            for tool in tools:
                assert tool.input_schema["type"] == "object", tool
                assert len(tool.description) > 80, tool.name

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
    print("mcp_client: all passed")


asyncio.run(main(*sys.argv[1:5]))
