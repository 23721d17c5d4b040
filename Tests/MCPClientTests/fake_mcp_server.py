#!/usr/bin/env python3
"""A small MCP server over stdio for MCPClientTests (standard library only).

Usage: fake_mcp_server.py MODE [LOG]
  normal   tools echo, slow (sleeps 3 s or its "seconds"), fail (isError), image; tools/list in two pages;
           answers ping; sends tools/list_changed after a call to echo with {"change": true};
           prompts review (file required, focus) and hello; resources notes://todo and
           notes://gone (listed, but reading it fails)
  toolsonly  as normal, but its capabilities name only tools
  noisy    as normal, after writing 1 MB to stderr (a pipe holds 64 KB: undrained, it blocks)
  exit1    prints a line to stderr and exits with status 1 before answering
  silent   never answers initialize
  badver   answers initialize with protocol version 1999-01-01
Every message received is appended to LOG (one JSON per line) when given, after a first
line {"pid": N} naming the process.
"""
import json, os, sys, time

MODE = sys.argv[1] if len(sys.argv) > 1 else "normal"
LOG = sys.argv[2] if len(sys.argv) > 2 else None
PNG = "iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAYAAAA="  # 640x480 IHDR head

TOOLS = [
    {"name": "echo", "description": "Echoes its text.", "annotations": {"readOnlyHint": True},
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string", "enum": ["a", "b"]},
                                                      "nested": {"type": "object", "properties": {"n": {"type": "integer"}}}},
                     "required": ["text"]}},
    {"name": "slow", "description": "Takes 3 s.", "inputSchema": {"type": "object"}},
    {"name": "fail", "description": "Always fails.", "inputSchema": {"type": "object"}},
    {"name": "image", "description": "An image.", "inputSchema": {"type": "object"}},
]


PROMPTS = [
    {"name": "review", "description": "Reviews a file.",
     "arguments": [{"name": "file", "description": "The file", "required": True}, {"name": "focus"}]},
    {"name": "hello", "description": "Says hello."},
]
RESOURCES = [
    {"uri": "notes://todo", "name": "Todo list", "description": "What is left", "mimeType": "text/plain"},
    {"uri": "notes://gone", "name": "Gone"},
]


def prompt_text(params):
    arguments = params.get("arguments", {})
    if params.get("name") == "review":
        return "Review %s, focusing on %s." % (arguments.get("file"), arguments.get("focus", "anything"))
    return "Say hello."


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def log(message):
    if LOG:
        with open(LOG, "a") as f:
            f.write(json.dumps(message) + "\n")


def call(message):
    params = message.get("params", {})
    name, arguments = params.get("name"), params.get("arguments", {})
    if name == "echo":
        if arguments.get("change"):
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        return {"content": [{"type": "text", "text": "echo: " + json.dumps(arguments, sort_keys=True)}]}
    if name == "slow":
        time.sleep(arguments.get("seconds", 3))
        return {"content": [{"type": "text", "text": "late"}]}
    if name == "fail":
        return {"content": [{"type": "text", "text": "it broke"}], "isError": True}
    if name == "image":
        return {"content": [{"type": "image", "mimeType": "image/png", "data": PNG}]}
    return None


def main():
    if MODE == "exit1":
        sys.stderr.write("starting\nfatal: no database configured\n")
        sys.stderr.flush()
        sys.exit(1)
    log({"pid": os.getpid()})
    if MODE == "noisy":
        for _ in range(1024):
            sys.stderr.write("x" * 1023 + "\n")
        sys.stderr.flush()
    sys.stdout.write("a log line that is not JSON-RPC\n")
    for line in sys.stdin:
        message = json.loads(line)
        log(message)
        method, mid = message.get("method"), message.get("id")
        if mid is None:
            continue
        if method == "initialize":
            if MODE == "silent":
                continue
            version = "1999-01-01" if MODE == "badver" else message["params"]["protocolVersion"]
            capabilities = {"tools": {}} if MODE == "toolsonly" else {"tools": {}, "prompts": {}, "resources": {}}
            send({"jsonrpc": "2.0", "id": mid, "result": {"protocolVersion": version, "capabilities": capabilities,
                                                          "serverInfo": {"name": "fake", "version": "1.0"}}})
        elif method == "tools/list":
            cursor = message.get("params", {}).get("cursor")
            page = {"tools": TOOLS[2:]} if cursor == "page2" else {"tools": TOOLS[:2], "nextCursor": "page2"}
            send({"jsonrpc": "2.0", "id": mid, "result": page})
        elif method == "tools/call":
            result = call(message)
            if result is None:
                send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32602, "message": "unknown tool"}})
            else:
                send({"jsonrpc": "2.0", "id": mid, "result": result})
        elif method == "prompts/list":
            send({"jsonrpc": "2.0", "id": mid, "result": {"prompts": PROMPTS}})
        elif method == "prompts/get":
            text = prompt_text(message.get("params", {}))
            send({"jsonrpc": "2.0", "id": mid, "result": {"messages": [
                {"role": "user", "content": {"type": "text", "text": text}}]}})
        elif method == "resources/list":
            send({"jsonrpc": "2.0", "id": mid, "result": {"resources": RESOURCES}})
        elif method == "resources/read" and message["params"]["uri"] == "notes://todo":
            send({"jsonrpc": "2.0", "id": mid, "result": {"contents": [
                {"uri": "notes://todo", "mimeType": "text/plain", "text": "1. ship MCP prompts"}]}})
        elif method == "resources/read":
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32002, "message": "resource not found"}})
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": mid, "result": {}})
        else:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "method not found"}})


main()
