#!/usr/bin/env python3
"""A year of heavy use: how swiftcoder copes with a big session database (issue 17).

Builds a synthetic database the way a user's grows: the app itself creates the file and its
schema (`swiftcoder sessions` opens and migrates it), then SQL inserts add

  3,000 sessions (one of them with 100,000 messages, the others 10 each),
  500,000 usage rows over 365 days (about 1,370 requests a day; mixed providers and prices,
  3 % estimated, one model in six local and unpriced, 0.1 % reported costs with more than 12
  decimals),

filling the exact pico-dollar column when the schema has it (D70). Then it measures, from
outside, as a user sees it:

  usage_json   `swiftcoder usage --json`: wall time and peak RSS
  sessions     `swiftcoder sessions`: wall time
  app_usage    `/usage` in the app: from Enter to the report's "All time" on the terminal
  continue     `swiftcoder --continue` of the 100,000-message session: from exec to its last
               message on the terminal, with the RSS (VmRSS) and peak (VmHWM) then

Usage: bench/scale_bench.py [--bin PATH] [--runs N] [--keep DIR] [--upgrade-from PATH]
  --upgrade-from OLD  build the database with an older binary (today's main); the first open
                      by --bin (first_open_s) then migrates it (the v2 backfill).
  --keep DIR          build the database in DIR, or reuse the one there (copy a directory
                      built by an older binary to measure the same data before and after).
(builds nothing: run `scripts/build-release --product swiftcoder` first)
"""
import argparse, json, os, random, sqlite3, statistics, subprocess, sys, tempfile, time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tui_bench import read_until, drain  # noqa: E402  (pty helpers)
import fcntl, pty, struct, termios  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAY = 86400
LAST_MARKER = "the-last-message-of-the-long-session"
# provider, model, $/M input, $/M output, $/M cached input (None: a local, unpriced model)
MODELS = [("openai", "gpt-4.1", "2", "8", "0.5"), ("openai", "gpt-4.1-mini", "0.4", "1.6", "0.1"),
          ("anthropic", "claude-sonnet-4", "3", "15", "0.3"), ("google", "gemini-2.5-flash", "0.3", "2.5", "0.075"),
          ("openrouter", "deepseek/deepseek-chat", "0.27", "1.1", "0.0375"), ("ollama", "llama3.1", None, None, None)]


def env_for(sandbox):
    return {"PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "HOME": sandbox, "XDG_DATA_HOME": sandbox + "/data", "XDG_STATE_HOME": sandbox + "/state"}


def timed(argv, env, cwd):
    """Runs argv; returns (seconds, peak RSS in MiB, stdout bytes)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    if status != 0:
        raise RuntimeError(f"{argv} exited with {status}")
    return elapsed, usage.ru_maxrss / 1024, out


def plain(value):
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def stamp(seconds):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + ".%03d" % int((seconds % 1) * 1000)


def build_database(path, project, seed=17):
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(usage)")]
    has_pico = "costPico" in columns
    now = time.time()
    year_ago = now - 365 * DAY
    sessions = []
    for index in range(3000):
        created = year_ago + index * (365 * DAY / 3000)
        directory = project if index % 10 == 0 else f"/home/user/project-{index % 37}"
        sessions.append((index + 1, directory, "openai", "gpt-4.1", f"session {index + 1}", stamp(created),
                         stamp(created + 3600)))
    long_id = 2999  # in `project`, updated last so that --continue picks it
    sessions[long_id - 1] = (long_id, project, "openai", "gpt-4.1", "the long one", stamp(year_ago), stamp(now - 60))
    db.executemany("INSERT INTO session (id, projectDirectory, provider, model, title, createdAt, updatedAt) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", sessions)

    def messages():
        for session_id, _, _, _, _, created, _ in sessions:
            count = 100_000 if session_id == long_id else 10
            for position in range(count):
                role = "user" if position % 2 == 0 else "assistant"
                words = rng.randint(10, 80)
                content = " ".join(rng.choice(("alpha", "build", "swift", "reply", "test", "code", "fix"))
                                   for _ in range(words))
                if session_id == long_id and position == count - 1:
                    content = LAST_MARKER
                yield (session_id, position, role, f"{position}: {content}", None, None, 0, created)
    db.executemany("INSERT INTO message (sessionId, position, role, content, toolCalls, toolCallId, isInterrupted, "
                   "createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", messages())

    million = Decimal(1_000_000)

    def usage_rows():
        for index in range(500_000):
            created = year_ago + index * (365 * DAY / 500_000) + rng.random() * 30
            provider, model, price_in, price_out, price_cached = MODELS[rng.randrange(len(MODELS))]
            session_id = long_id if index % 10 == 0 else rng.randint(1, 3000)
            tokens_in, tokens_out = rng.randint(500, 60_000), rng.randint(10, 4_000)
            cached = rng.randint(0, tokens_in // 2)
            estimate = rng.random() < 0.03
            cost, source, pico = None, None, None
            if price_in is not None:
                value = ((tokens_in - cached) * Decimal(price_in) + cached * Decimal(price_cached)
                         + tokens_out * Decimal(price_out)) / million
                source = "builtin"
                if rng.random() < 0.001:  # a reported cost with more digits than a pico-dollar
                    value += Decimal("0.0000000000001234")
                    source = "reported"
                cost = plain(value)
                scaled = value * Decimal(10) ** 12
                pico = int(scaled) if scaled == scaled.to_integral_value() else None
            row = (session_id, provider, model, tokens_in, tokens_out, cached, 0, 0, estimate, cost, source,
                   stamp(created))
            yield row + ((pico,) if has_pico else ())
    pico_column = ", costPico" if has_pico else ""
    pico_value = ", ?" if has_pico else ""
    db.executemany("INSERT INTO usage (sessionId, provider, model, inputTokens, outputTokens, cachedInputTokens, "
                   f"cacheWriteTokens, reasoningTokens, isEstimate, cost, costSource, createdAt{pico_column}) "
                   f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{pico_value})", usage_rows())
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def spawn_tui(binary, argv, env, cwd):
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.chdir(cwd)
        os.execve(binary, [binary] + argv, env)
    return pid, master


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def quit_tui(pid, master):
    buffer = bytearray()
    os.write(master, b"\x1b")
    drain(master, buffer, 0.1)
    os.write(master, b"\x04")
    drain(master, buffer, 0.3)
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(master)


def app_usage(binary, config, env, cwd):
    pid, master = spawn_tui(binary, ["--config", config], env, cwd)
    buffer = bytearray()
    read_until(master, buffer, b"Type a prompt", 0, timeout=60)
    drain(master, buffer, 0.5)
    os.write(master, b"/usage")
    drain(master, buffer, 0.3)
    mark = len(buffer)
    sent = time.monotonic()
    os.write(master, b"\r")
    shown = read_until(master, buffer, b"All time", mark, timeout=120)
    rss = proc_status(pid, "VmRSS")
    quit_tui(pid, master)
    return {"app_usage_ms": (shown - sent) * 1000, "app_usage_rss_mb": rss}


def continue_long(binary, config, env, cwd):
    start = time.monotonic()
    pid, master = spawn_tui(binary, ["--config", config, "--continue"], env, cwd)
    buffer = bytearray()
    shown = read_until(master, buffer, LAST_MARKER.encode(), 0, timeout=120)
    result = {"continue_ms": (shown - start) * 1000, "continue_rss_mb": proc_status(pid, "VmRSS"),
              "continue_peak_mb": proc_status(pid, "VmHWM")}
    drain(master, buffer, 1.0)
    result["continue_rss_after_1s_mb"] = proc_status(pid, "VmRSS")
    quit_tui(pid, master)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/swiftcoder"))
    parser.add_argument("--upgrade-from", help="build the database with this (older) binary")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="build the database here (kept) instead of a temporary directory")
    args = parser.parse_args()
    sandbox = args.keep or tempfile.mkdtemp(prefix="swiftcoder-scale-")
    project = os.path.join(sandbox, "project")
    os.makedirs(project, exist_ok=True)
    project = os.path.realpath(project)
    env = env_for(sandbox)
    path = sandbox + "/data/swiftcoder/sessions.sqlite"
    results = {"database": path}
    if not os.path.exists(path):
        timed([args.upgrade_from or args.bin, "sessions"], env, project)  # the app makes the schema
        started = time.monotonic()
        build_database(path, project)
        results["build_s"] = round(time.monotonic() - started, 1)
    # The first open by --bin migrates a database made by an older binary (the v2 backfill).
    results["first_open_s"] = round(timed([args.bin, "sessions", "--limit", "1"], env, project)[0], 2)
    results["database_mb"] = round(os.path.getsize(path) / 2**20, 1)
    config = os.path.join(sandbox, "agents.config.json")
    with open(config, "w") as f:  # a provider nobody answers: these figures need none
        json.dump({"defaultProvider": "dead", "providers": {"dead": {
            "type": "openai-compatible", "apiBase": "http://127.0.0.1:9/v1", "model": "m"}}}, f)
    runs = []
    for _ in range(args.runs):
        row = {}
        seconds, peak, out = timed([args.bin, "usage", "--json"], env, project)
        json.loads(out)
        row.update(usage_json_ms=seconds * 1000, usage_json_peak_mb=peak)
        seconds, _, _ = timed([args.bin, "sessions"], env, project)
        row["sessions_ms"] = seconds * 1000
        row.update(app_usage(args.bin, config, env, project))
        row.update(continue_long(args.bin, config, env, project))
        runs.append(row)
    for key in (runs[0] if runs else []):
        results[key] = round(statistics.median(r[key] for r in runs), 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
