#!/usr/bin/env python3
"""Sharded search against one local index (issue 17): the same batch of queries on one local
index and on 1, 2 and 3 remote shards (`presse index --shards N`, each shard served by
`presse shard-serve` on a loopback port). Prints per-query latency (p50, p99, from each answer's
took_ms) and the batch's throughput, side by side.

    Benchmarks/shards.py [--presse PATH] [--corpus DIR --queries FILE] [--rounds N] [--jobs N]

Without --corpus, the 2,100-release slice of Tests/Fixtures is unpacked into bench-out/shards/.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(presse, *args, cwd):
    return subprocess.run([presse, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def serve(presse, index, cwd):
    port = free_port()
    server = subprocess.Popen([presse, "shard-serve", "--index", index, "--port", str(port)], cwd=cwd,
                              stdout=subprocess.PIPE, text=True)
    if "serving" not in server.stdout.readline():
        raise SystemExit(f"shard-serve {index} did not start")
    return server, port


def batch(presse, index, queries, jobs, cwd):
    started = time.monotonic()
    out = run(presse, "search", "--index", index, "--batch", queries, "--json", "--timings", "--no-suggest",
              "--jobs", str(jobs), cwd=cwd)
    seconds = time.monotonic() - started
    took = [json.loads(line)["took_ms"] for line in out.splitlines() if line.strip()]
    return took, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presse", default=os.path.join(ROOT, ".build/release/presse"))
    parser.add_argument("--corpus")
    parser.add_argument("--queries")
    parser.add_argument("--rounds", type=int, default=5, help="the query file, this many times over")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    presse = os.path.abspath(args.presse)
    if not os.path.exists(presse):
        raise SystemExit(f"no presse at {presse}: build it (swift build -c release --product presse --static-swift-stdlib) or pass --presse")

    work = os.path.join(ROOT, "bench-out", "shards")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if args.corpus:
        corpus, queries = os.path.abspath(args.corpus), os.path.abspath(args.queries)
    else:
        with tarfile.open(os.path.join(ROOT, "Tests/Fixtures/bench-slice-2100.tar.gz")) as archive:
            archive.extractall(work)
        corpus, queries = os.path.join(work, "corpus"), os.path.join(work, "corpus.queries.tsv")
    with open(queries) as source:
        lines = [line for line in source if line.strip()]
    rounds = os.path.join(work, "queries.tsv")
    with open(rounds, "w") as out:
        out.writelines(lines * args.rounds)

    print(f"indexing {corpus}: one index, and 1, 2, 3 shards", file=sys.stderr)
    run(presse, "index", "--quiet", "--index", "one", corpus, cwd=work)
    servers, rows = [], []
    try:
        took, seconds = batch(presse, "one", rounds, args.jobs, work)
        rows.append(("one local index", took, seconds))
        for count in (1, 2, 3):
            folder = f"split-{count}"
            if count == 1:
                shards = ["one"]
            else:
                run(presse, "index", "--quiet", "--shards", str(count), "--index", folder, corpus, cwd=work)
                shards = [f"{folder}/shard-{i}" for i in range(1, count + 1)]
            listing = os.path.join(work, f"remote-{count}")
            with open(listing, "w") as out:
                for shard in shards:
                    server, port = serve(presse, shard, work)
                    servers.append(server)
                    out.write(f"remote 127.0.0.1:{port}\n")
            took, seconds = batch(presse, listing, rounds, args.jobs, work)
            rows.append((f"{count} remote shard{'s' if count > 1 else ''}", took, seconds))
    finally:
        for server in servers:
            server.kill()
            server.wait()

    print(f"{len(lines) * args.rounds} queries, --jobs {args.jobs}, loopback")
    print(f"{'':20} {'p50 ms':>8} {'p99 ms':>8} {'queries/s':>10}")
    for name, took, seconds in rows:
        p99 = statistics.quantiles(took, n=100)[98] if len(took) >= 100 else max(took)
        print(f"{name:20} {statistics.median(took):8.2f} {p99:8.2f} {len(took) / seconds:10.1f}")


if __name__ == "__main__":
    main()
