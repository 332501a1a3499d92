#!/usr/bin/env python3
"""A stand-in (fake) for the Hugging Face Hub's upload API, for scripts/tests/interchange.sh: only the endpoints the
installed huggingface_hub calls for create_repo + upload_file (POST /api/repos/create, POST /api/validate-yaml for a
README.md, POST .../preupload/REV, POST .../commit/REV), answering every file "regular" (inline base64 in the commit,
no LFS or Xet). validate-yaml only checks that the card's front matter is a YAML mapping (PyYAML), far less than
the Hub checks. Files committed
are written under --store/REPO/PATH. A request without "Authorization: Bearer <--token>" gets 401; a commit holding
--fail-path gets 422. Each request is logged as "METHOD PATH STATUS" to --log (never a header).

Usage: hub_standin.py --port-file FILE --token TOKEN --store DIR --log FILE [--fail-path PATH]
"""
import argparse
import yaml
import base64
import hashlib
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port-file", required=True)
parser.add_argument("--token", required=True)
parser.add_argument("--store", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--fail-path")
args = parser.parse_args()
repos = {}  # "datasets/ORG/NAME" -> {"private": bool}
lock = threading.RLock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        with lock, open(args.log, "a") as log:
            log.write(f"{self.command} {self.path} {status}\n")

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def authorized(self):
        if self.headers.get("Authorization") == f"Bearer {args.token}":
            return True
        self.body()
        self.answer(401, {"error": "Invalid credentials in Authorization header"})
        return False

    def do_GET(self):
        if not self.authorized():
            return
        self.answer(404, {"error": f"stand-in: no GET {self.path}"})

    def do_POST(self):
        if not self.authorized():
            return
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts == ["api", "validate-yaml"]:
            content = json.loads(self.body() or b"{}").get("content", "")
            sections = content.split("---\n")
            try:
                header = yaml.safe_load(sections[1]) if content.startswith("---\n") and len(sections) > 2 else None
                if not isinstance(header, dict):
                    raise ValueError("no YAML front matter")
            except (yaml.YAMLError, ValueError) as error:
                return self.answer(400, {"errors": [{"message": str(error)}]})
            return self.answer(200, {"errors": [], "warnings": []})
        if parts[:3] == ["api", "repos", "create"]:
            request = json.loads(self.body() or b"{}")
            name = request.get("name", "")
            if request.get("organization"):
                name = f"{request['organization']}/{name}"
            key = f"{request.get('type', 'model')}s/{name}"
            endpoint = f"http://{self.headers.get('Host')}"
            with lock:
                if key in repos:
                    return self.answer(409, {"error": "You already created this repo", "url": f"{endpoint}/{key}"})
                # huggingface_hub 1.x+ sends "visibility"; older clients sent "private".
                repos[key] = {"private": request.get("visibility") == "private" or bool(request.get("private"))}
                with open(os.path.join(args.store, "repos.json"), "w") as out:
                    json.dump(repos, out)
            return self.answer(200, {"url": f"{endpoint}/{key}", "name": name})
        # /api/datasets/ORG/NAME/(preupload|commit)/REV
        if len(parts) == 6 and parts[0] == "api" and parts[4] in ("preupload", "commit"):
            key = "/".join(parts[1:4])
            if key not in repos:
                self.body()
                return self.answer(404, {"error": f"Repository {key} not found"})
            if parts[4] == "preupload":
                request = json.loads(self.body() or b"{}")
                files = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False, "oid": None}
                         for f in request.get("files", [])]
                return self.answer(200, {"files": files, "commitOid": "0" * 40})
            lines = [json.loads(line) for line in self.body().splitlines() if line.strip()]
            files = [line["value"] for line in lines if line.get("key") == "file"]
            if args.fail_path and any(f["path"] == args.fail_path for f in files):
                return self.answer(422, {"error": f"stand-in refuses {args.fail_path}"})
            digest = hashlib.sha1()
            for f in files:
                content = base64.b64decode(f["content"])
                target = os.path.join(args.store, key, f["path"])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    out.write(content)
                digest.update(content)
            oid = digest.hexdigest()
            endpoint = f"http://{self.headers.get('Host')}"
            return self.answer(200, {"success": True, "commitOid": oid, "commitUrl": f"{endpoint}/{key}/commit/{oid}"})
        self.body()
        self.answer(404, {"error": f"stand-in: no POST {self.path}"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(args.port_file + ".part", "w") as out:
    out.write(str(server.server_address[1]))
os.replace(args.port_file + ".part", args.port_file)
server.serve_forever()
