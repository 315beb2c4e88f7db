"""A minimal Language Server Protocol client over stdio, enough to open a document and read the
diagnostics and hovers a YAML language server gives an editor."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path


class LspClient:
    def __init__(self, argv: list[str], root: Path, settings: dict):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.settings = settings
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _read(self) -> None:
        f = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = f.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode().strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.lower()] = v.strip()
            self.messages.put(json.loads(f.read(int(headers["content-length"]))))

    def _send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = 60) -> object:
        rid = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout).get("result")

    def wait(self, match, timeout: float = 60) -> dict:
        """The next message matching `match`, answering the server's own requests meanwhile."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                m = self.messages.get(timeout=0.5)
            except queue.Empty:
                continue
            if m is None:
                raise RuntimeError("the language server exited")
            if "method" in m and "id" in m:  # a request from the server, e.g. workspace/configuration
                result = None
                if m["method"] == "workspace/configuration":
                    result = [self.settings.get(i.get("section")) for i in m["params"]["items"]]
                self._send({"jsonrpc": "2.0", "id": m["id"], "result": result})
                continue
            if match(m):
                return m
        raise TimeoutError("no answer from the language server")

    def diagnostics(self, path: Path) -> list[dict]:
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text()}})
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return m["params"]["diagnostics"]

    def hover(self, path: Path, line: int, character: int) -> str:
        res = self.request("textDocument/hover", {"textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": character}})
        contents = (res or {}).get("contents", "")
        return contents.get("value", "") if isinstance(contents, dict) else str(contents)

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
