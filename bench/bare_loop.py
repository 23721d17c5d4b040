#!/usr/bin/env python3
"""The reference the issue measures against: a bare streaming loop in Python (standard
library only, about 60 lines). Reads the bench's config, lists the models (prints "online"),
waits for a line of input, sends it as a streamed chat request, prints each token as it
arrives and "ready" at the end; Ctrl-D quits. `tui_bench.py --bare` drives it in the same
pseudo-terminal, against the same paced server, as the app."""
import http.client, json, sys, termios, tty, os
from urllib.parse import urlparse


def main():
    config = json.load(open(sys.argv[sys.argv.index("--config") + 1]))
    provider = config["providers"][config["defaultProvider"]]
    base = urlparse(provider["apiBase"])
    conn = http.client.HTTPConnection(base.hostname, base.port)
    conn.request("GET", base.path + "/models")
    models = json.loads(conn.getresponse().read())["data"]
    conn.close()
    print(f"{len(models)} models, online", flush=True)
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    try:
        while True:
            prompt = b""
            while not prompt.endswith(b"\r"):
                byte = os.read(fd, 1)
                if byte in (b"", b"\x04"):
                    return
                prompt += byte
            stream(base, provider["model"], prompt[:-1].decode())
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def stream(base, model, prompt):
    sys.stdout.write("\r\nstreaming\u2026\r\n")
    sys.stdout.flush()
    conn = http.client.HTTPConnection(base.hostname, base.port)
    body = json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": prompt}]})
    conn.request("POST", base.path + "/chat/completions", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    for raw in response:
        line = raw.strip()
        if not line.startswith(b"data: ") or line == b"data: [DONE]":
            continue
        choice = json.loads(line[6:])["choices"][0]
        text = choice.get("delta", {}).get("content")
        if text:
            sys.stdout.write(text)
            sys.stdout.flush()
    conn.close()
    sys.stdout.write("\r\nready\r\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
