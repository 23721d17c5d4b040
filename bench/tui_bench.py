#!/usr/bin/env python3
"""End-to-end figures for the full-screen app, measured from outside as a user sees it.

For each run the app starts on a fresh pseudo-terminal (120x40) against the project's mock
server (a separate process, so its CPU is not counted), and the script reads what the app
writes to the terminal:

  ready      time from exec to the first complete frame on the terminal
  online     time from exec until the sidebar shows the provider online (its model list fetched)
  idle_rss   resident memory 1 s after the first frame (VmRSS)
  idle_cpu   CPU used in 2 s of idling after that
  burst_wall time from Enter until the finished 2,000-token reply is on the terminal (the
             meter is back to "ready", drawn with or after the last token)
  burst_cpu  CPU of the whole run minus that of a run that quits without a prompt
  stream     with --stream: 2,000 tokens at 200 tokens/s (one token per SSE event) from a
             paced server in this script (a thread: its CPU is not the app's, and it knows
             when it wrote the last byte): the app's CPU for those 10 s, and the lag from
             the server's last byte to the meter's "ready" drawn with the last token
  turns      with --turns N: N turns of 500-token replies (`[[long 500]]` from the mock);
             RSS growth from before the first to after the last (and split: the first turn,
             which opens the session store, and the others), and the median turn

  bare       with --stream --bare: the same two figures for bench/bare_loop.py, a 60-line
             Python streaming loop (the issue's reference), in the same pseudo-terminal

Usage: bench/tui_bench.py [--runs N] [--stream [--bare]] [--turns N]
       (builds nothing: run `scripts/build-release` first)
"""
import argparse, fcntl, os, pty, re, resource, select, signal, statistics, struct, subprocess
import sys, tempfile, termios, time, json, socket, threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_mock(binary):
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)", line).group(1))
    return proc, port


def spawn_app(binary, config, sandbox):
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {"PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color", "LANG": "C.UTF-8",
               "HOME": sandbox, "XDG_STATE_HOME": sandbox + "/state"}
        os.execve(binary, [binary, "--config", config], env)
    return pid, master


def read_until(master, buffer, needle, start_at, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        if buffer.find(needle, start_at) >= 0:
            return time.monotonic()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"never saw {needle!r}")
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                raise TimeoutError("app exited")
            buffer.extend(data)


def drain(master, buffer, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], max(0, end - time.monotonic()))
        if ready:
            try:
                buffer.extend(os.read(master, 65536))
            except OSError:
                return


def cpu_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def finish(pid, master, buffer):
    os.write(master, b"\x04")  # Ctrl-D on an empty prompt quits
    drain(master, buffer, 0.2)
    _, status, usage = os.wait4(pid, 0)
    os.close(master)
    return usage.ru_utime + usage.ru_stime, status


def one_run(app, config, sandbox, burst):
    start = time.monotonic()
    pid, master = spawn_app(app, config, sandbox)
    buffer = bytearray()
    ready = read_until(master, buffer, b"Type a prompt", 0) - start
    online = read_until(master, buffer, b"online", 0) - start
    result = {"ready_ms": ready * 1000, "online_ms": online * 1000}
    if not burst:
        drain(master, buffer, 1.0)
        result["idle_rss_mb"] = rss_kb(pid) / 1024
        before = cpu_of(pid)
        drain(master, buffer, 2.0)
        result["idle_cpu_ms"] = (cpu_of(pid) - before) * 1000
    else:
        os.write(master, b"[[long 2000]]")
        drain(master, buffer, 0.3)
        mark = len(buffer)
        sent = time.monotonic()
        os.write(master, b"\r")
        # Only changed cells are written, so the last token's text is not contiguous in
        # the output; the meter switching back to "ready" is drawn in the same frame as
        # the end of the reply (or the one after it).
        started = read_until(master, buffer, b"ing\xe2\x80\xa6", mark)  # "waiting…"/"streaming…"
        done = read_until(master, buffer, b"ready", buffer.find(b"ing\xe2\x80\xa6", mark))
        result["burst_wall_ms"] = (done - sent) * 1000
        result["first_status_ms"] = (started - sent) * 1000
    cpu, status = finish(pid, master, buffer)
    result["cpu_ms"] = cpu * 1000
    result["exit_status"] = status
    return result


class PacedServer:
    """An OpenAI-compatible SSE server that streams `tokens` tokens `interval` s apart, one
    token per event, and records when it wrote the reply's last byte."""

    def __init__(self, tokens=2000, interval=0.005):
        self.tokens, self.interval = tokens, interval
        self.last_byte = None
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            length = int((re.search(rb"content-length: *(\d+)", head, re.I) or [0, b"0"])[1])
            while len(body) < length:
                body += conn.recv(65536)
            if head.startswith(b"GET") and b"/models" in head:
                payload = json.dumps({"object": "list", "data": [{"id": "mock-model", "object": "model"}]}).encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
            start = time.monotonic()
            for i in range(self.tokens):
                delay = start + i * self.interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                event = {"id": "c", "object": "chat.completion.chunk", "model": "mock-model",
                         "choices": [{"index": 0, "delta": {"content": f"tok{i} "}, "finish_reason": None}]}
                conn.sendall(b"data: " + json.dumps(event).encode() + b"\n\n")
            end = {"id": "c", "object": "chat.completion.chunk", "model": "mock-model",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            conn.sendall(b"data: " + json.dumps(end).encode() + b"\n\ndata: [DONE]\n\n")
            self.last_byte = time.monotonic()


def write_config(sandbox, name, port):
    config = os.path.join(sandbox, name)
    with open(config, "w") as f:
        json.dump({"defaultProvider": "mock", "providers": {"mock": {
            "type": "openai-compatible", "apiBase": f"http://127.0.0.1:{port}/v1", "model": "mock-model"}}}, f)
    return config


def stream_run(app, config, sandbox, server):
    """CPU of the app while 2,000 tokens stream at 200 tokens/s, and the last token's lag."""
    pid, master = spawn_app(app, config, sandbox)
    buffer = bytearray()
    read_until(master, buffer, b"online", 0)
    drain(master, buffer, 0.5)
    os.write(master, b"go")
    drain(master, buffer, 0.3)
    before = cpu_of(pid)
    mark = len(buffer)
    server.last_byte = None
    os.write(master, b"\r")
    read_until(master, buffer, b"ing\xe2\x80\xa6", mark)
    started = buffer.find(b"ing\xe2\x80\xa6", mark)
    deadline = time.monotonic() + 60
    while server.last_byte is None and time.monotonic() < deadline:
        drain(master, buffer, 0.002)
    done = read_until(master, buffer, b"ready", started, timeout=30)
    result = {"stream_cpu_ms": (cpu_of(pid) - before) * 1000, "stream_lag_ms": (done - server.last_byte) * 1000}
    finish(pid, master, buffer)
    return result


def turns_run(app, config, sandbox, turns):
    """RSS growth over `turns` turns of 500-token replies, and the median turn's time."""
    pid, master = spawn_app(app, config, sandbox)
    buffer = bytearray()
    read_until(master, buffer, b"online", 0)
    drain(master, buffer, 0.5)
    first_rss = rss_kb(pid)
    times = []
    after_first = None
    for turn in range(turns):
        os.write(master, b"[[long 500]]")
        drain(master, buffer, 0.05)
        mark = len(buffer)
        sent = time.monotonic()
        os.write(master, b"\r")
        read_until(master, buffer, b"ing\xe2\x80\xa6", mark)
        done = read_until(master, buffer, b"ready", buffer.find(b"ing\xe2\x80\xa6", mark))
        times.append((done - sent) * 1000)
        if turn == 0:
            drain(master, buffer, 0.5)
            after_first = rss_kb(pid)
    drain(master, buffer, 0.5)
    last_rss = rss_kb(pid)
    result = {"rss_growth_mb": (last_rss - first_rss) / 1024, "turn_ms": statistics.median(times),
              "first_turn_mb": (after_first - first_rss) / 1024, "later_turns_mb": (last_rss - after_first) / 1024,
              "last_rss_mb": last_rss / 1024}
    finish(pid, master, buffer)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/swiftcoder"))
    parser.add_argument("--mock", default=os.path.join(ROOT, ".build/release/mock-llm-server"))
    parser.add_argument("--stream", action="store_true", help="also 2,000 tokens at 200 tokens/s")
    parser.add_argument("--turns", type=int, default=0, help="also N turns of 500 tokens (RSS growth)")
    parser.add_argument("--skip-basic", action="store_true", help="only the --stream/--turns figures")
    parser.add_argument("--bare", action="store_true",
                        help="with --stream: also the bare Python loop (bench/bare_loop.py), the issue's reference")
    args = parser.parse_args()
    mock, port = start_mock(args.mock)
    try:
        sandbox = tempfile.mkdtemp(prefix="swiftcoder-bench-")
        config = os.path.join(sandbox, "agents.config.json")
        with open(config, "w") as f:
            json.dump({"defaultProvider": "mock", "providers": {"mock": {
                "type": "openai-compatible", "apiBase": f"http://127.0.0.1:{port}/v1", "model": "mock-model"}}}, f)
        runs = 0 if args.skip_basic else args.runs
        idle = [one_run(args.bin, config, sandbox, burst=False) for _ in range(runs)]
        burst = [one_run(args.bin, config, sandbox, burst=True) for _ in range(runs)]
        stream, bare = [], []
        if args.stream:
            server = PacedServer()
            paced = write_config(sandbox, "paced.config.json", server.port)
            stream = [stream_run(args.bin, paced, sandbox, server) for _ in range(args.runs)]
            bare_loop = os.path.join(ROOT, "bench", "bare_loop.py")
            bare = [stream_run(bare_loop, paced, sandbox, server) for _ in range(args.runs)] if args.bare else []
        turns = [turns_run(args.bin, config, sandbox, args.turns) for _ in range(args.runs)] if args.turns else []
    finally:
        mock.send_signal(signal.SIGTERM)
        mock.wait()

    def median(rows, key):
        return statistics.median(row[key] for row in rows)

    def spread(rows, key, form):
        values = [row[key] for row in rows]
        return f"{min(values):{form}}-{max(values):{form}}"

    print(f"runs: {args.runs} (medians); load average {os.getloadavg()[0]:.1f}")
    if stream:
        print(f"200 tokens/s for 10 s, CPU of the app:            {median(stream, 'stream_cpu_ms'):.0f} ms"
              f"  (runs {spread(stream, 'stream_cpu_ms', '.0f')})")
        print(f"200 tokens/s, server's last byte to screen:      {median(stream, 'stream_lag_ms'):.1f} ms"
              f"  (runs {spread(stream, 'stream_lag_ms', '.1f')})")
    if bare:
        print(f"  the bare Python loop, CPU / last byte to screen: {median(bare, 'stream_cpu_ms'):.0f} ms / "
              f"{median(bare, 'stream_lag_ms'):.1f} ms")
    if turns:
        print(f"{args.turns} turns of 500 tokens, RSS growth:            {median(turns, 'rss_growth_mb'):.1f} MB")
        print(f"{args.turns} turns of 500 tokens, median turn:           {median(turns, 'turn_ms'):.1f} ms")
        print(f"  of the growth, the first turn (store opened, a turn's code mapped): {median(turns, 'first_turn_mb'):.1f} MB")
        print(f"  of the growth, turns 2-{args.turns}:                          {median(turns, 'later_turns_mb'):.1f} MB")
        print(f"{args.turns} turns of 500 tokens, RSS after the last:    {median(turns, 'last_rss_mb'):.1f} MB")
    if not idle:
        return
    idle_run_cpu = median(idle, "cpu_ms") - median(idle, "idle_cpu_ms")
    print(f"ready (exec to first complete frame):            {median(idle, 'ready_ms'):.1f} ms")
    print(f"provider shown online (models listed):           {median(idle, 'online_ms'):.1f} ms")
    print(f"idle RSS:                                        {median(idle, 'idle_rss_mb'):.1f} MB")
    print(f"idle CPU over 2 s:                               {median(idle, 'idle_cpu_ms'):.1f} ms")
    print(f"2,000-token burst, Enter to last token shown:    {median(burst, 'burst_wall_ms'):.1f} ms")
    print(f"2,000-token burst, CPU of the app:               {median(burst, 'cpu_ms') - idle_run_cpu:.1f} ms")
    bad = [r["exit_status"] for r in idle + burst if r["exit_status"] != 0]
    if bad:
        print(f"warning: non-zero exit statuses {bad}", file=sys.stderr)


if __name__ == "__main__":
    main()
