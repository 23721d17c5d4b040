#!/usr/bin/env python3
"""A small MCP server over stdio for MCPClientTests. argv[1] is the mode; argv[2], when given,
is a file where every received line is appended (so tests can check what the client sent)."""
import json, os, sys, threading, time

mode = sys.argv[1] if len(sys.argv) > 1 else "normal"
record = sys.argv[2] if len(sys.argv) > 2 else None

LOCK = threading.Lock()

def send(message):
    with LOCK:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

def note(line):
    if record:
        with open(record, "a") as f:
            f.write(line.rstrip("\n") + "\n")

if mode == "exit1":
    sys.stderr.write("starting up\nfatal: missing API token\n")
    sys.stderr.flush()
    sys.exit(1)
if mode == "garbage":
    sys.stdout.write("this is not json\n")
    sys.stdout.flush()
    time.sleep(60)
    sys.exit(0)
if mode == "grandchild":
    import subprocess
    child = subprocess.Popen(["sleep", "300"])
    note("grandchild %d" % child.pid)
    mode = "normal"
if mode == "huge":
    chunk = "x" * 65536
    while True:
        sys.stdout.write(chunk)

TOOLS = [
    {"name": "echo", "description": "Echoes", "inputSchema": {"type": "object", "properties": {
        "text": {"type": "string", "enum": ["a", "b"]}, "list": {"type": "array", "items": {"type": "number"}}}},
     "annotations": {"readOnlyHint": True}},
    {"name": "slow", "description": "Sleeps", "inputSchema": {"type": "object"}},
    {"name": "third", "description": "", "inputSchema": {"type": "object"}},
]

def result_for(method, params):
    if method == "initialize":
        if mode == "slow-init":
            time.sleep(60)
        version = "1999-01-01" if mode == "bad-version" else "2025-06-18"
        return {"protocolVersion": version, "capabilities": {"tools": {"listChanged": True}, "prompts": {}, "resources": {}},
                "serverInfo": {"name": "fake", "version": "1.2"}}
    if method == "tools/list":
        if mode != "paginated":
            return {"tools": TOOLS}
        cursor = (params or {}).get("cursor")
        index = int(cursor) if cursor else 0
        page = {"tools": [TOOLS[index]]}
        if index + 1 < len(TOOLS):
            page["nextCursor"] = str(index + 1)
        return page
    if method == "tools/call":
        name, args = params["name"], params.get("arguments", {})
        if name == "echo":
            return {"content": [{"type": "text", "text": json.dumps(args, sort_keys=True)}]}
        if name == "fail":
            return {"content": [{"type": "text", "text": "it failed"}], "isError": True}
        if name == "changed":
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
            return {"content": []}
        if name == "ask":
            send({"jsonrpc": "2.0", "id": "srv-1", "method": "ping"})
            send({"jsonrpc": "2.0", "id": 7, "method": "sampling/createMessage", "params": {}})
            return {"content": [{"type": "text", "text": "asked"}]}
        raise KeyError(name)
    if method == "prompts/list":
        return {"prompts": [{"name": "review", "description": "Review", "arguments": [{"name": "topic", "required": True}]}]}
    if method == "prompts/get":
        topic = params["arguments"].get("topic", "")
        return {"messages": [{"role": "user", "content": {"type": "text", "text": "Review " + topic}},
                             {"role": "assistant", "content": {"type": "text", "text": "OK"}}]}
    if method == "resources/list":
        return {"resources": [{"uri": "demo://readme", "name": "readme", "mimeType": "text/plain"}]}
    if method == "resources/read":
        return {"contents": [{"uri": params["uri"], "text": "hello resource"}]}
    if method == "ping":
        return {}
    raise KeyError(method)

for line in sys.stdin:
    note(line)
    message = json.loads(line)
    if "method" not in message or "id" not in message:
        continue
    if message["method"] == "tools/call" and message["params"]["name"] == "slow":
        def late(request_id):
            time.sleep(30)
            send({"jsonrpc": "2.0", "id": request_id, "result": {"content": [{"type": "text", "text": "late"}]}})
        threading.Thread(target=late, args=(message["id"],), daemon=True).start()
        continue
    try:
        send({"jsonrpc": "2.0", "id": message["id"], "result": result_for(message["method"], message.get("params"))})
    except KeyError as missing:
        send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32602, "message": "unknown: %s" % missing}})
