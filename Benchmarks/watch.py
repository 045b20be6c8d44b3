"""The watcher (`presse watch`, issue 16): how soon a release dropped into a watched folder is
searchable, one at a time and thousands at once, and what the watcher costs while nothing
changes.

Part of Benchmarks/run.py (`scripts/bench --watch` runs it alone). The releases are the bench's
own (Benchmarks/make-corpus: Debian package descriptions, en/fr/de), each given a word of its
own ("qzwatch00042k") so that a search finds it and only it:
  OUT/watch/corpus/       make-corpus --limit (start + drops + burst)
  OUT/work-watch/         the watched folder (`watched/`), the burst's copy source, the index
Figures:
- one by one: `--watch-drops` releases (200) written into the watched folder, each once the
  one before is searchable; for each, the time from its close(2) to the end of the first
  `presse search` that finds its word (searches run back to back, each a process: a search's
  own few ms are part of the figure), p50/p95/p99;
- at once: `--watch-burst` releases (5,000) copied in by one `cp -r`; the time from cp's end
  until `presse stats` (run every 100 ms) counts them all and a search finds the last one, the transactions it
  took (the watcher's progress lines) and the watcher's peak RSS (VmHWM);
- idle: the watcher's CPU time (utime + stime, /proc) over `--watch-idle` seconds (60) with
  nothing changing, and its RSS then.
The watcher starts on a folder of `--watch-start` releases (1,000), synced at its start.
"""
import glob, json, os, shutil, signal, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def token(number):
    return f"qzwatch{number:05d}k"


def release_text(source, number):
    with open(source, encoding="utf-8") as fh:
        return fh.read().rstrip("\n") + f"\n\nReference {token(number)}.\n"


def searchable(presse, index, number):
    """True when `presse search` finds the release's own word."""
    return subprocess.run([presse, "search", "--index", index, "--limit", "1", "--json", token(number)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def releases_in(presse, index):
    r = subprocess.run([presse, "stats", "--index", index, "--json"], capture_output=True, text=True)
    return json.loads(r.stdout)["documents"] if r.returncode == 0 else -1


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def proc_memory(pid):
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024
    return values


def wait_until(condition, timeout, interval=0.002):
    """Polls `condition`: back to back for the one-by-one figure (a search process is itself
    ~20 ms); every 100 ms for the burst, so that polling does not take the watcher's cores."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def bench(a, presse, percentiles):
    start, drops, burst = a.watch_start, a.watch_drops, a.watch_burst
    need = start + drops + burst
    corpus = os.path.join(a.out, "watch", "corpus")
    stamp = os.path.join(a.out, "watch", f"built-{need}")
    if not os.path.exists(stamp):
        shutil.rmtree(os.path.dirname(corpus), ignore_errors=True)
        log(f"== watch: writing a corpus of {need} releases")
        subprocess.run([os.path.join(HERE, "make-corpus"), corpus, "--limit", str(need), "--queries", "10"],
                       check=True, stdout=sys.stderr)
        open(stamp, "w").close()
    sources = sorted(glob.glob(os.path.join(corpus, "*", "*.txt")))
    if len(sources) < need:
        sys.exit(f"the watch corpus holds {len(sources)} releases, {need} needed")

    work = os.path.join(a.out, "work-watch")
    shutil.rmtree(work, ignore_errors=True)
    watched, staging, index = (os.path.join(work, n) for n in ("watched", "staging", "index"))
    os.makedirs(os.path.join(watched, "start"))
    os.makedirs(staging)
    for n in range(start):
        with open(os.path.join(watched, "start", f"r{n:05d}.txt"), "w") as fh:
            fh.write(release_text(sources[n], n))
    for n in range(start + drops, need):  # the burst, written beforehand, copied in at once
        with open(os.path.join(staging, f"r{n:05d}.txt"), "w") as fh:
            fh.write(release_text(sources[n], n))

    err_path = os.path.join(work, "watch.err")
    err = open(err_path, "w")
    log(f"== watch: presse watch on {start} releases")
    watcher = subprocess.Popen([presse, "watch", "--index", index, watched], stdout=subprocess.DEVNULL, stderr=err)
    try:
        if not wait_until(lambda: "presse: watching" in open(err_path).read(), 300):
            sys.exit(f"presse watch did not start: {open(err_path).read()[-500:]}")

        log(f"== watch: {drops} releases dropped one by one")
        latencies = []
        for n in range(start, start + drops):
            text = release_text(sources[n], n)
            fd = os.open(os.path.join(watched, f"drop-{n:05d}.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, text.encode("utf-8"))
            os.close(fd)
            closed = time.perf_counter()
            if not wait_until(lambda: searchable(presse, index, n), 60):
                sys.exit(f"release {n} was not searchable after 60 s: {open(err_path).read()[-500:]}")
            latencies.append(time.perf_counter() - closed)
        one_by_one = percentiles(latencies)
        search_alone = []
        for _ in range(20):
            t0 = time.perf_counter()
            searchable(presse, index, start)
            search_alone.append(time.perf_counter() - t0)
        one_by_one["search_p50_ms"] = percentiles(search_alone)["p50_ms"]

        log(f"== watch: {burst} releases copied in at once (cp -r)")
        before = open(err_path).read().count(" changed files committed")
        t0 = time.perf_counter()
        subprocess.run(["cp", "-r", staging, os.path.join(watched, "burst")], check=True)
        copied = time.perf_counter()
        if not wait_until(lambda: releases_in(presse, index) == need, 600, interval=0.1):
            sys.exit(f"the burst was not all indexed after 600 s: {open(err_path).read()[-500:]}")
        if not wait_until(lambda: searchable(presse, index, need - 1), 60):
            sys.exit("the burst's last release is not searchable")
        done = time.perf_counter()
        memory = proc_memory(watcher.pid)
        at_once = {"files": burst, "copy_s": copied - t0, "searchable_after_copy_s": done - copied,
                   "files_per_s": burst / (done - t0),
                   "transactions": open(err_path).read().count(" changed files committed") - before,
                   "peak_rss_bytes": memory.get("VmHWM")}

        log(f"== watch: idle for {a.watch_idle} s")
        time.sleep(2)
        cpu0, t_idle = proc_cpu_seconds(watcher.pid), time.perf_counter()
        time.sleep(a.watch_idle)
        idle_cpu = proc_cpu_seconds(watcher.pid) - cpu0
        idle_wall = time.perf_counter() - t_idle
        idle = {"seconds": idle_wall, "cpu_s": idle_cpu, "cpu_percent": 100 * idle_cpu / idle_wall,
                "rss_bytes": proc_memory(watcher.pid).get("VmRSS")}
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            rc = watcher.wait(timeout=120)
        except subprocess.TimeoutExpired:
            watcher.kill()
            rc = watcher.wait()
        err.close()
    results = {"start_releases": start, "one_by_one": one_by_one, "at_once": at_once, "idle": idle,
               "exit_on_sigint": rc}
    with open(os.path.join(a.out, "watch.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    return results


def table(r):
    o, b, i = r["one_by_one"], r["at_once"], r["idle"]
    mib = lambda v: f"{v / 2**20:.1f} MiB" if v else "-"
    return [
        f"### Watching folders (`scripts/bench --watch`)\n",
        f"`presse watch` on a folder of {r['start_releases']:,} releases (Debian package descriptions, "
        "en/fr/de), each release given a word of its own; searchable means `presse search` finds that word.\n",
        "| | figure |",
        "|---|---|",
        f"| one by one ({o['n']} releases): close → searchable, p50 | {o['p50_ms']:.0f} ms |",
        f"| one by one: p95 / p99 | {o['p95_ms']:.0f} ms / {o['p99_ms']:.0f} ms |",
        f"| (of which one `presse search` process, p50) | {o['search_p50_ms']:.0f} ms |",
        f"| {b['files']:,} at once (`cp -r`): the copy | {b['copy_s']:.1f} s |",
        f"| {b['files']:,} at once: copy's end → all searchable | {b['searchable_after_copy_s']:.1f} s "
        f"({b['files_per_s']:.0f} files/s from the copy's start) |",
        f"| {b['files']:,} at once: transactions | {b['transactions']} |",
        f"| watcher's peak RSS | {mib(b['peak_rss_bytes'])} |",
        f"| idle over {i['seconds']:.0f} s: CPU | {i['cpu_s']:.2f} s ({i['cpu_percent']:.2f} %) |",
        f"| idle: RSS | {mib(i['rss_bytes'])} |",
        f"| exit status on SIGINT | {r['exit_on_sigint']} |",
    ]
