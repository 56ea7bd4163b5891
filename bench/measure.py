#!/usr/bin/env python3
"""Measures one benchmark run against one server, and writes the report of a whole benchmark.

  measure.py run ...     one run: smtp-source for throughput, then the latency client; prints one CSV row
  measure.py report ...  reads the rows of all runs, writes bench/results/<stamp>.md and .csv, prints the table

A server is a process tree: its root pid (Herald's JVM, or Postfix's master, read from master.pid) and every
descendant. CPU seconds are the sum of utime+stime+cutime+cstime over that tree, so the time of a Postfix daemon that
exits during the run is still counted (the master reaps it into its cutime). Memory is sampled once a second as
the sum of PSS (proportional set size, /proc/PID/smaps_rollup) over the tree: for Postfix's hundreds of processes
sharing one set of libraries, summing RSS would count those libraries hundreds of times. The sum of RSS is kept in the
CSV too.
"""
import argparse
import csv
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FIELDS = ["round", "server", "size_kb", "sessions", "count", "accepted_per_s", "end_to_end_per_s", "p50_ms", "p99_ms",
          "peak_pss_mb", "peak_rss_mb", "cpu_s_per_1000", "latency_count", "note"]
CHILDREN = []


def terminate_children(*_):
    for child in CHILDREN:
        if child.poll() is None:
            child.kill()
    sys.exit(143)


def read_stat(pid):
    """(ppid, cpu ticks of the process and its reaped children) or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    # fields[0] is the state (field 3); utime is field 14, stime 15, cutime 16, cstime 17.
    return int(fields[1]), int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])


def tree(root):
    """The root pid and all its descendants alive now."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_stat(entry)
            if stat:
                parents[int(entry)] = stat[0]
    members = {root}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in members and pid not in members:
                members.add(pid)
                changed = True
    return [pid for pid in members if pid in parents]


def cpu_seconds(root):
    total = 0
    for pid in tree(root):
        stat = read_stat(pid)
        if stat:
            total += stat[1]
    return total / CLOCK_TICKS


def memory_kb(root):
    pss = rss = 0
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return pss, rss


class MemorySampler(threading.Thread):
    def __init__(self, root, interval=1.0):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_pss = self.peak_rss = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            pss, rss = memory_kb(self.root)
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()
        pss, rss = memory_kb(self.root)
        self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)


def sink_count(counter_file):
    """The last message count smtp-sink -c printed ("sess=N quit=N mesg=N", separated by carriage returns)."""
    try:
        with open(counter_file, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 512))
            tail = f.read().decode("ascii", "replace")
    except OSError:
        return 0
    found = re.findall(r"mesg=(\d+)", tail)
    return int(found[-1]) if found else 0


def await_sink(counter_file, target, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if sink_count(counter_file) >= target:
            return time.monotonic()
        time.sleep(0.01)
    return None


def run_child(command, limit):
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    CHILDREN.append(child)
    try:
        output, _ = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        child.kill()
        output, _ = child.communicate()
        return 124, output
    return child.returncode, output


def root_pid(spec):
    """'pid:N' or 'pidfile:PATH' (Postfix's master.pid has the pid padded with spaces)."""
    kind, _, value = spec.partition(":")
    if kind == "pidfile":
        with open(value) as f:
            return int(f.read().strip())
    return int(value)


def run(args):
    signal.signal(signal.SIGTERM, terminate_children)
    root = root_pid(args.server_pid)
    host, port = args.target.rsplit(":", 1)
    notes = []
    sampler = MemorySampler(root)
    sampler.start()

    baseline = sink_count(args.sink_counter)
    cpu_before = cpu_seconds(root)
    started = time.monotonic()
    source_rc, output = run_child([args.smtp_source, "-4", "-d", "-s", str(args.sessions), "-m", str(args.count),
                            "-l", str(args.size), "-M", "client.bench.test", "-f", "source@client.bench.test",
                            "-t", "user@dest.bench.test", args.target], args.limit)
    accepted_at = time.monotonic()
    if source_rc != 0:
        notes.append(f"smtp-source exit {source_rc}: {output.strip()[-200:]}")
    reached = await_sink(args.sink_counter, baseline + args.count, args.limit)
    cpu_after = cpu_seconds(root)
    if reached is None:
        got = sink_count(args.sink_counter) - baseline
        notes.append(f"only {got} of {args.count} reached the sink within {args.limit}s")

    p50 = p99 = float("nan")
    if args.latency_count > 0:
        latency_baseline = sink_count(args.sink_counter)
        rc, output = run_child([args.java, "-cp", args.latency_classes, "LatencyClient", host, port,
                                str(args.sessions), str(args.latency_count), str(args.size)], args.limit)
        found = dict(re.findall(r"(\w+)=([\d.NaN]+)", output))
        if rc != 0 or "p50_ms" not in found:
            notes.append(f"latency client exit {rc}: {output.strip()[-200:]}")
        if "p50_ms" in found:
            p50, p99 = float(found["p50_ms"]), float(found["p99_ms"])
        # Let the server empty its queue before the next run measures anything.
        if await_sink(args.sink_counter, latency_baseline + args.latency_count, args.limit) is None:
            notes.append("latency messages did not all reach the sink")
    sampler.stop()

    accepted_seconds = accepted_at - started
    row = {
        "round": args.round, "server": args.server, "size_kb": args.size // 1024, "sessions": args.sessions,
        "count": args.count,
        "accepted_per_s": f"{args.count / accepted_seconds:.1f}" if source_rc == 0 else "",
        "end_to_end_per_s": f"{args.count / (reached - started):.1f}" if reached else "",
        "p50_ms": f"{p50:.2f}", "p99_ms": f"{p99:.2f}",
        "peak_pss_mb": f"{sampler.peak_pss / 1024:.1f}", "peak_rss_mb": f"{sampler.peak_rss / 1024:.1f}",
        "cpu_s_per_1000": f"{(cpu_after - cpu_before) * 1000 / args.count:.3f}",
        "latency_count": args.latency_count, "note": "; ".join(notes),
    }
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
    writer.writerow(row)
    return 0 if not notes else 1


def number(text):
    try:
        value = float(text)
        return None if value != value else value
    except (TypeError, ValueError):
        return None


METRICS = [("accepted_per_s", "accepted msg/s"), ("end_to_end_per_s", "end-to-end msg/s"), ("p50_ms", "p50 ms"),
           ("p99_ms", "p99 ms"), ("peak_pss_mb", "peak MB (PSS)"), ("cpu_s_per_1000", "CPU s/1000 msg")]


def report(args):
    with open(args.rows) as f:
        rows = list(csv.DictReader(f, fieldnames=FIELDS))
    with open(args.csv, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)

    lines = [f"# Herald and Postfix, side by side ({args.stamp})", ""]
    if args.header:
        with open(args.header) as f:
            lines += [f.read().rstrip(), ""]
    lines += ["## Every run", "",
              "| round | size | sessions | messages | server | " + " | ".join(label for _, label in METRICS) + " | note |",
              "|---:|---:|---:|---:|---|" + "---:|" * len(METRICS) + "---|"]
    for row in rows:
        lines.append(f"| {row['round']} | {row['size_kb']} KB | {row['sessions']} | {row['count']} | {row['server']} | "
                     + " | ".join(row[key] or "–" for key, _ in METRICS) + f" | {row['note']} |")

    if not rows:
        lines.append("| – | – | – | – | no complete run (see the log) |" + " – |" * len(METRICS))
    pairs = {}
    for row in rows:
        pairs.setdefault((row["size_kb"], row["sessions"]), {}).setdefault(row["round"], {})[row["server"]] = row
    ratio_lines = []
    for (size, sessions), rounds in sorted(pairs.items(), key=lambda item: (int(item[0][0]), int(item[0][1]))):
        cells = []
        for key, _ in METRICS:
            ratios = []
            for servers in rounds.values():
                herald, postfix = servers.get("herald"), servers.get("postfix")
                if herald and postfix:
                    h, p = number(herald[key]), number(postfix[key])
                    if h is not None and p:
                        ratios.append(h / p)
            cells.append(f"{statistics.median(ratios):.2f} ({', '.join(f'{r:.2f}' for r in ratios)})" if ratios else "–")
        if any(cell != "–" for cell in cells):
            ratio_lines.append(f"| {size} KB | {sessions} | " + " | ".join(cells) + " |")
    if ratio_lines:
        lines += ["", "## Herald / Postfix: median of the pairs (each round's ratio in brackets)", "",
                  "Above 1 is better for Herald in the two msg/s columns, below 1 is better in the others.", "",
                  "| size | sessions | " + " | ".join(label for _, label in METRICS) + " |",
                  "|---:|---:|" + "---|" * len(METRICS)] + ratio_lines
    text = "\n".join(lines) + "\n"
    with open(args.md, "w") as f:
        f.write(text)
    print(text)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("run")
    one.add_argument("--round", required=True)
    one.add_argument("--server", required=True)
    one.add_argument("--server-pid", required=True, help="pid:N or pidfile:PATH of the server's root process")
    one.add_argument("--target", required=True, help="IP:PORT of the server's SMTP listener")
    one.add_argument("--sessions", type=int, required=True)
    one.add_argument("--count", type=int, required=True)
    one.add_argument("--size", type=int, required=True, help="payload bytes per message")
    one.add_argument("--latency-count", type=int, default=0)
    one.add_argument("--sink-counter", required=True, help="file where smtp-sink -c writes its counters")
    one.add_argument("--smtp-source", default="/usr/sbin/smtp-source")
    one.add_argument("--java", default="java")
    one.add_argument("--latency-classes", required=True)
    one.add_argument("--limit", type=float, default=300, help="seconds any one step may take")
    whole = commands.add_parser("report")
    whole.add_argument("--rows", required=True)
    whole.add_argument("--md", required=True)
    whole.add_argument("--csv", required=True)
    whole.add_argument("--stamp", required=True)
    whole.add_argument("--header")
    args = parser.parse_args()
    return run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    sys.exit(main())
