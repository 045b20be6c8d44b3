#!/usr/bin/env python3
"""`presse serve` under load (scripts/bench --serve): wrk on loopback against /api/search with
the benchmark's queries, at 1, 8 and 64 connections, beside the command line's batch on the
same index; error responses counted; the server's RSS at the start and end of the run.

  Benchmarks/serve/run.py [--corpus DIR] [--seconds S] [--out DIR]

The corpus is the main benchmark's (bench-out/corpus-all, made by Benchmarks/make-corpus when
missing; --corpus names another, e.g. another checkout's). Its index is built once into
OUT/serve-index (presse index --jobs 2) and kept while the corpus is unchanged. Writes
OUT/serve.json and OUT/serve.md.
"""
import argparse, datetime, json, os, re, shutil, signal, socket, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def log(message):
    print(message, file=sys.stderr, flush=True)


def rss_kib(pid):
    return memory_kib(pid)["VmRSS"]


def memory_kib(pid):
    """VmRSS, and its parts: RssAnon (the heap: what would grow with a leak) and RssFile
    (mapped files: the translation lexicon, 79 MB, is mapped and paged in as queries touch
    it)."""
    found = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key = line.split(":")[0]
            if key in ("VmRSS", "RssAnon", "RssFile"):
                found[key] = int(line.split()[1])
    return found


def seconds_of(text):
    """wrk's latency ("812.00us", "1.20ms", "2.01s") in milliseconds."""
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, connections, seconds, queries):
    threads = min(connections, 2)
    env = dict(os.environ, PRESSE_QUERIES=queries)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "--timeout", "10s", "-s", os.path.join(HERE, "queries.lua"), url],
                         check=True, capture_output=True, text=True, env=env).stdout
    result = {"connections": connections, "threads": threads, "seconds": seconds}
    result["requests_per_second"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    for label, key in (("50%", "p50_ms"), ("90%", "p90_ms"), ("99%", "p99_ms")):
        result[key] = seconds_of(re.search(rf"^\s+{label}\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["error_responses"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    return result, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=None, help="the corpus folder (default OUT/corpus-all)")
    ap.add_argument("--seconds", type=int, default=20, help="seconds per connection count (default 20: a 60 s run)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    loadavg_at_start = round(os.getloadavg()[0], 2)
    os.makedirs(a.out, exist_ok=True)
    for tool in ("wrk",):
        if not shutil.which(tool):
            log("bench: installing wrk")
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=sys.stderr,
                           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    corpus = os.path.abspath(a.corpus or os.path.join(a.out, "corpus-all"))
    if not os.path.isdir(corpus):
        log(f"== serve: building the corpus into {corpus}")
        subprocess.run([os.path.join(ROOT, "Benchmarks", "make-corpus"), corpus, "--queries", "1500"], check=True, stdout=sys.stderr)
    queries = corpus + ".queries.tsv"
    with open(corpus + ".json") as fh:
        info = json.load(fh)

    if not a.no_build:
        for product in ("presse", "presse-serve"):
            subprocess.run(["swift", "build", "-c", "release", "--product", product, "--static-swift-stdlib"],
                           cwd=ROOT, check=True, stdout=sys.stderr)
    presse = os.path.join(ROOT, ".build", "release", "presse")

    index = os.path.join(a.out, "serve-index")
    stamp = os.path.join(a.out, "serve-index.corpus")
    wanted = f"{corpus} {info['releases']} {info['bytes']}"
    if not (os.path.isdir(index) and os.path.exists(stamp) and open(stamp).read() == wanted):
        shutil.rmtree(index, ignore_errors=True)
        log(f"== serve: indexing {info['releases']} releases into {index}")
        subprocess.run([presse, "index", "--index", index, "--jobs", "2", "--quiet", corpus], check=True, stdout=sys.stderr)
        with open(stamp, "w") as fh:
            fh.write(wanted)

    # The command line's batch on the same index and queries: its per-query time.
    log("== serve: presse search --batch (both cores)")
    started = time.monotonic()
    batch = subprocess.run([presse, "search", "--index", index, "--batch", queries, "--json", "--timings"],
                           check=True, capture_output=True, text=True).stdout.splitlines()
    batch_wall = time.monotonic() - started
    took = sorted(json.loads(line)["took_ms"] for line in batch)
    cli = {"queries": len(took), "wall_s": round(batch_wall, 3), "wall_ms_per_query": round(batch_wall * 1000 / len(took), 3),
           "p50_ms": round(took[len(took) // 2], 3), "p99_ms": round(took[int(len(took) * 0.99)], 3)}

    # The server on a free loopback port.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = os.path.join(a.out, "serve-access.log")
    server = subprocess.Popen([presse, "serve", "--index", index, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=open(log_path, "w"), text=True)
    line = server.stdout.readline()
    if " at http://" not in line:
        raise SystemExit(f"presse serve did not start: {line}")
    url = f"http://127.0.0.1:{port}"
    subprocess.run(["wrk", "-t", "1", "-c", "1", "-d", "4s", "-s", os.path.join(HERE, "queries.lua"), url],
                   check=True, capture_output=True, env=dict(os.environ, PRESSE_QUERIES=queries))  # warm up: about every query once
    rss_start = rss_kib(server.pid)
    memory_start = memory_kib(server.pid)
    runs = []
    for connections in (1, 8, 64):
        log(f"== serve: wrk, {connections} connection(s), {a.seconds} s")
        result, text = wrk(url, connections, a.seconds, queries)
        result["rss_after_kib"] = rss_kib(server.pid)
        result["memory_after_kib"] = memory_kib(server.pid)
        runs.append(result)
        log(text)
    rss_end = rss_kib(server.pid)
    memory_end = memory_kib(server.pid)
    # Memory over a steady load: 8 connections for 60 s, the heap read every 10 s.
    log("== serve: memory under 8 connections for 60 s")
    load = subprocess.Popen(["wrk", "-t", "2", "-c", "8", "-d", "60s", "-s", os.path.join(HERE, "queries.lua"), url],
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PRESSE_QUERIES=queries))
    series = []
    for second in range(0, 61, 10):
        series.append({"second": second, **memory_kib(server.pid)})
        if second < 60:
            time.sleep(10)
    steady_text = load.communicate()[0]
    steady_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", steady_text)
    steady = {"requests": int(re.search(r"(\d+) requests in", steady_text).group(1)),
              "error_responses": int(steady_errors.group(1)) if steady_errors else 0, "memory_kib": series}
    server.send_signal(signal.SIGTERM)
    status = server.wait(timeout=30)

    result = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
              "releases": info["releases"], "queries": len(took), "loadavg_at_start": loadavg_at_start,
              "cli_batch": cli, "serve": runs, "rss_start_kib": rss_start, "rss_end_kib": rss_end,
              "memory_start_kib": memory_start, "memory_end_kib": memory_end, "steady_60s": steady,
              "server_exit_status": status}
    with open(os.path.join(a.out, "serve.json"), "w") as fh:
        json.dump(result, fh, indent=1)
    md = [f"`presse serve` under wrk, {result['date']}, commit {result['commit']}, {info['releases']:,} releases, "
          f"{len(took):,} queries cycled ({a.seconds} s per row, loopback)", "",
          "| connections | requests/s | p50 ms | p90 ms | p99 ms | requests | error responses | RSS after (MiB) | of it heap / files |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        md.append(f"| {r['connections']} | {r['requests_per_second']:,.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | {r['p99_ms']:.2f} "
                  f"| {r['requests']:,} | {r['error_responses'] + r['socket_errors']} | {r['rss_after_kib'] / 1024:.1f} "
                  f"| {r['memory_after_kib']['RssAnon'] / 1024:.1f} / {r['memory_after_kib']['RssFile'] / 1024:.1f} |")
    md += ["", f"CLI batch (`presse search --batch --json --timings`, both cores): {cli['wall_s']} s for {cli['queries']} queries "
           f"= {cli['wall_ms_per_query']} ms a query wall, took_ms p50 {cli['p50_ms']} / p99 {cli['p99_ms']}.",
           f"Server RSS: {rss_start / 1024:.1f} MiB at the start of the {3 * a.seconds} s run "
           f"(heap {memory_start['RssAnon'] / 1024:.1f}, mapped files {memory_start['RssFile'] / 1024:.1f}), {rss_end / 1024:.1f} MiB at its end "
           f"(heap {memory_end['RssAnon'] / 1024:.1f}, mapped files {memory_end['RssFile'] / 1024:.1f}); "
           f"exit status after SIGTERM {status}.",
           f"Then 60 s at 8 connections ({steady['requests']:,} requests, {steady['error_responses']} error responses), heap / RSS every 10 s (MiB): "
           + ", ".join(f"{m['RssAnon'] / 1024:.1f} / {m['VmRSS'] / 1024:.1f}" for m in steady["memory_kib"]) + "."]
    with open(os.path.join(a.out, "serve.md"), "w") as fh:
        fh.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
