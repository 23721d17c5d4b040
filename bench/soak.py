#!/usr/bin/env python3
"""Soak: thousands of scripted turns with tool calls and compactions (issue 12, item 8).

The app runs on a pseudo-terminal (120x40) against the project's mock server with a
6,000-token window (`--context-window 6000`, the same `contextWindow` in the config), so
automatic compaction fires every few turns and the mock refuses any request that would not
fit. Every other turn asks for a tool (`[[tool-if-offered read_file ...]]`: the agent reads a
file, then answers). The script measures, from outside:

  rss        VmRSS after the warm-up turns and at the end (growth must stay under 20 MiB)
  echo       keystroke to echo on the terminal (input → reduce → frame → write), the median
             of 20 keys, after the warm-up and at the end: the frame time as a user sees it
  turn       the median turn (Enter to the meter's "ready") of the first and last 100 turns; the
             mock sends each reply in 4 pieces 25 ms apart, so every turn is drawn streaming
  database   the session database (with its WAL) after the app quit, in bytes per turn
  rows       rows per table of the session database (compactions: `sessionBranch`)
  failures   turns whose screen output said the request failed

Usage: bench/soak.py [--turns 5000] [--warmup 100] [--bin PATH] [--mock PATH]
       (builds nothing: `swift build` or `scripts/build-release` first; defaults to release)
"""
import argparse, json, os, shutil, sqlite3, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tui_bench as tb  # noqa: E402  (spawn, read, rss helpers)

ECHO = "\u00a4".encode()  # a character nothing else on the screen shows
REPLY = "The work goes on as planned and the tests pass. " * 8


def spawn(binary, config, project, sandbox):
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return tb.spawn_app(binary, config, sandbox)
    finally:
        os.chdir(cwd)


def echo_ms(master, buffer, keys=20):
    times = []
    for _ in range(keys):
        mark = len(buffer)
        sent = time.monotonic()
        os.write(master, ECHO)
        seen = tb.read_until(master, buffer, ECHO, mark)
        times.append((seen - sent) * 1000)
        os.write(master, b"\x7f")
        tb.drain(master, buffer, 0.03)
    return statistics.median(times)


def prompt(turn):
    words = f"Turn {turn}: please keep going with the refactoring of the parser module. " * 6
    if turn == 1:
        words = "The secret code is PELICAN-42. " + words
    if turn % 2 == 0:
        words += '[[tool-if-offered read_file {"path": "README.md"}]]'
    return words.encode()


def database_files(sandbox):
    found = []
    for folder, _, names in os.walk(sandbox):
        found += [os.path.join(folder, n) for n in names if n.startswith("sessions.sqlite")]
    return [f for f in found if os.path.isfile(f) and not f.endswith(".lock")]


def database_bytes(sandbox):
    files = database_files(sandbox)
    return sum(os.path.getsize(f) for f in files), files


def database_rows(sandbox):
    """Rows per table of the session database (read after the app quit)."""
    main = [f for f in database_files(sandbox) if f.endswith("sessions.sqlite")]
    if not main:
        return {}
    with sqlite3.connect(main[0]) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if not row[0].startswith(("sqlite_", "grdb_"))]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--bin", default=os.path.join(tb.ROOT, ".build/release/swiftcoder"))
    parser.add_argument("--mock", default=os.path.join(tb.ROOT, ".build/release/mock-llm-server"))
    args = parser.parse_args()
    args.bin, args.mock = os.path.abspath(args.bin), os.path.abspath(args.mock)
    sandbox = tempfile.mkdtemp(prefix="swiftcoder-soak-")
    project = os.path.join(sandbox, "project")
    os.makedirs(project)
    with open(os.path.join(project, "README.md"), "w") as f:
        f.write("# Soak project\n" + "A line of the readme that the agent reads.\n" * 40)
    mock = tb.subprocess.Popen([args.mock, "--port", "0", "--context-window", "6000", "--chunks", "4", "--delay-ms", "25",
                                "--reply", REPLY], stdout=tb.subprocess.PIPE, text=True)
    port = int(tb.re.search(r":(\d+)", mock.stdout.readline()).group(1))
    config = os.path.join(sandbox, "agents.config.json")
    with open(config, "w") as f:
        json.dump({"defaultProvider": "mock",
                   "compaction": {"auto": True, "threshold": 0.8, "keepRecentTurns": 2},
                   "providers": {"mock": {"type": "openai-compatible", "apiBase": f"http://127.0.0.1:{port}/v1",
                                          "apiKey": "sk-soak", "model": "mock-model", "contextWindow": 6000}}}, f)
    try:
        pid, master = spawn(args.bin, config, project, sandbox)
        buffer = bytearray()
        tb.read_until(master, buffer, b"online", 0)
        tb.drain(master, buffer, 0.5)
        times, failures, rows = [], 0, []
        start_rss = tb.rss_kb(pid)
        warm = {}
        began = time.monotonic()
        for turn in range(1, args.turns + 1):
            os.write(master, prompt(turn))
            # Longer than a frame interval (1/60 s): Enter's frame ("waiting…") is drawn at once.
            tb.drain(master, buffer, 0.03)
            mark = len(buffer)
            sent = time.monotonic()
            os.write(master, b"\r")
            tb.read_until(master, buffer, "ing\u2026".encode(), mark, timeout=60)
            done = tb.read_until(master, buffer, b"ready", buffer.find("ing\u2026".encode(), mark), timeout=60)
            times.append((done - sent) * 1000)
            output = bytes(buffer[mark:])
            failures += b"does not fit" in output or b"HTTP 4" in output or b"HTTP 5" in output
            buffer = bytearray()
            if turn == args.warmup:
                tb.drain(master, buffer, 0.3)
                warm = {"rss_kb": tb.rss_kb(pid), "echo_ms": echo_ms(master, buffer),
                        "db": database_bytes(sandbox)[0]}
            if turn % 500 == 0 or turn == args.turns:
                rows.append((turn, tb.rss_kb(pid), database_bytes(sandbox)[0], time.monotonic() - began))
                print(f"turn {turn}: rss {rows[-1][1] / 1024:.1f} MiB, database {rows[-1][2] / 1e6:.2f} MB, "
                      f"{rows[-1][3]:.0f} s, failures {failures}",
                      file=sys.stderr, flush=True)
        tb.drain(master, buffer, 0.5)
        end_rss = tb.rss_kb(pid)
        end_echo = echo_ms(master, buffer)
        tb.finish(pid, master, buffer)
        db_end, files = database_bytes(sandbox)
        tables = database_rows(sandbox)
    finally:
        mock.send_signal(tb.signal.SIGTERM)
        mock.wait()
    shutil.rmtree(sandbox, ignore_errors=True)
    n = args.turns
    print(f"turns: {n} (every other one with a tool call); load average {os.getloadavg()[0]:.1f}")
    print("database rows:                        " + ", ".join(f"{k} {v}" for k, v in sorted(tables.items())))
    print(f"failed turns:                         {failures}")
    print(f"RSS at start / after {args.warmup} / at end:    {start_rss / 1024:.1f} / {warm['rss_kb'] / 1024:.1f} / "
          f"{end_rss / 1024:.1f} MiB")
    print(f"RSS growth after warm-up:             {(end_rss - warm['rss_kb']) / 1024:.1f} MiB")
    print(f"keystroke echo after warm-up / at end: {warm['echo_ms']:.1f} / {end_echo:.1f} ms")
    print(f"median turn, first / last 100:        {statistics.median(times[:100]):.1f} / "
          f"{statistics.median(times[-100:]):.1f} ms")
    print(f"database after quit:                  {db_end} bytes ({db_end / n:.0f} bytes per turn) in "
          + ", ".join(os.path.basename(f) for f in files))
    for turn, rss, db, seconds in rows:
        print(f"  turn {turn:5}: rss {rss / 1024:6.1f} MiB  database {db / 1e6:7.2f} MB  {seconds:6.0f} s")


if __name__ == "__main__":
    main()
