#!/usr/bin/env python3
"""A streamable-HTTP MCP server for MCPClientTests: argv[1] is a record file (each request's
method, path, session and protocol-version headers and body, one JSON line each); it writes
its port to the file argv[2] once listening. Answers are JSON bodies, except tools/call which answers
as an SSE stream with a list_changed notification before the result. A GET opens the
notification stream, which sends one list_changed once tools/list was asked."""
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

record = sys.argv[1]
LISTED = threading.Event()  # the GET stream's notification waits for a tools/list

def note(entry):
    with open(record, "a") as f:
        f.write(json.dumps(entry) + "\n")

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, status, body=b"", content_type="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        note({"method": "GET", "session": self.headers.get("Mcp-Session-Id"), "accept": self.headers.get("Accept")})
        LISTED.wait(30)
        event = json.dumps({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        body = ("event: message\ndata: %s\n\n" % event).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        try:
            while self.rfile.read(1):
                pass
        except Exception:
            pass
    def do_DELETE(self):
        note({"method": "DELETE", "session": self.headers.get("Mcp-Session-Id")})
        self.reply(200)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        note({"method": "POST", "path": self.path, "session": self.headers.get("Mcp-Session-Id"),
              "version": self.headers.get("MCP-Protocol-Version"), "accept": self.headers.get("Accept"),
              "custom": self.headers.get("X-Custom"), "body": body.decode()})
        if self.path != "/mcp":
            return self.reply(404, b"no such endpoint", "text/plain")
        message = json.loads(body)
        if "id" not in message or "method" not in message:
            return self.reply(202)
        method, rid = message["method"], message["id"]
        if method == "initialize":
            result = {"protocolVersion": "2025-03-26", "capabilities": {"tools": {}}, "serverInfo": {"name": "fake-http"}}
            return self.reply(200, json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}).encode(),
                              headers=[("Mcp-Session-Id", "session-42")])
        if method == "tools/list":
            LISTED.set()
            result = {"tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}
            return self.reply(200, json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}).encode())
        if method == "tools/call":
            events = [{"jsonrpc": "2.0", "method": "notifications/tools/list_changed"},
                      {"jsonrpc": "2.0", "id": rid, "result": {"content": [{"type": "text", "text": "streamed"}]}}]
            stream = "".join("event: message\ndata: %s\n\n" % json.dumps(e) for e in events).encode()
            return self.reply(200, stream, "text/event-stream")
        self.reply(200, json.dumps({"jsonrpc": "2.0", "id": rid, "result": {}}).encode())

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
