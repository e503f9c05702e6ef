"""`make bench`: every benchmark of issue 17 on generated data, then one table of figure, baseline, ratio, target.

    .venv/bin/python bench/all.py                 # the small size: a few minutes on 2 cores, SQLite
    .venv/bin/python bench/all.py --big           # a 5,000-person company: 100,000 items, a million for the scan
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cl_bench .venv/bin/python bench/all.py   # PostgreSQL too

With DATABASE_URL (PostgreSQL) each part also runs there: the lists in databases of their own
(<name>_<size>, made and dropped by bench/lists.py), the scan and delivery in <name> itself, which must be
an empty database made for the purpose. The figures are ratios so that the load of a shared machine,
which moves every absolute time, moves both sides of each ratio alike.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SIZES = {
    "small": {"lists": ["--large", "20000", "--people", "500", "--repeat", "9"],
              "scan": ["--small", "10000", "--large", "100000", "--repeat", "3", "--messages", "300"],
              "delivery": ["--messages", "300", "--batches", "20"],
              "record": ["--sizes", "100,1000", "--repeat", "3"],
              "archive": ["--sizes", "100,2000", "--repeat", "3"]},
    "big": {"lists": ["--large", "100000", "--people", "5000", "--repeat", "15"],
            "scan": ["--small", "10000", "--large", "1000000", "--repeat", "5", "--messages", "1000"],
            "delivery": ["--messages", "1000", "--batches", "1,20"],
            "record": ["--sizes", "100,1000", "--repeat", "5"],
            "archive": ["--sizes", "100,10000", "--repeat", "5"]},
}


def run(script, args, env, out=None):
    print(f"$ {script} {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, str(BENCH / script), *args], env=env, cwd=ROOT, text=True,
                          capture_output=True)
    sys.stdout.write(done.stdout)
    if done.returncode:
        sys.stdout.write(done.stderr[-3000:])
        print(f"  ({script} failed: exit {done.returncode})")
        return None
    if out is not None:
        return json.loads(Path(out).read_text())
    return done.stdout


def rows_for(vendor, env, size, folder):
    rows = []
    lists_json = Path(folder) / f"lists-{vendor}.json"
    lists = run("lists.py", [*SIZES[size]["lists"], "--json", str(lists_json)], env, lists_json)
    for row in lists["rows"] if lists else ():
        rows.append((f"{vendor}: {row['name']}, p50 ms over {int(SIZES[size]['lists'][1]):,} items",
                     row["large"], row["small"], row["ratio"], "≤ 1.3 (vs 1,000 items)"))
    scan_json = Path(folder) / f"scan-{vendor}.json"
    scan = run("run.py", [*SIZES[size]["scan"], "--json", str(scan_json)], env, scan_json)
    if scan:
        sizes = sorted(scan["scans"], key=int)
        small, large = scan["scans"][sizes[0]], scan["scans"][sizes[-1]]
        rows.append((f"{vendor}: reminder scan ms, {large['queued']} messages, {int(sizes[-1]):,} items",
                     large["best_ms"], large["query_ms"], large["best_ms"] / large["query_ms"],
                     "≤ 10 × the item query"))
        rows.append((f"{vendor}: reminder scan ms, {int(sizes[-1]):,} vs {int(sizes[0]):,} items", large["best_ms"],
                     small["best_ms"], large["best_ms"] / small["best_ms"], "≈ 1"))
    delivery = run("delivery.py", SIZES[size]["delivery"], env)
    if delivery:
        bare = re.search(r"bare smtplib.*?:\s*(\d+) mails/s", delivery)
        batched = re.findall(r"--batch (\d+)\s*:\s*(\d+) mails/s", delivery)
        if bare and batched:
            batch, rate = batched[-1]
            rows.append((f"{vendor}: one worker (--batch {batch}), mails/s", float(rate), float(bare.group(1)),
                         float(rate) / float(bare.group(1)), "≥ 0.8 × bare smtplib, one connection"))
        peaks = re.findall(r"peak RSS ([\d.]+) MB", delivery)
        if peaks:
            rows.append((f"{vendor}: one worker's peak memory (VmHWM), MB", float(peaks[-1]), 80.0,
                         float(peaks[-1]) / 80, "≤ 80 MB"))
    for script, unit in (("record.py", "rows"), ("archive.py", "meetings")):
        rows += page_rows(vendor, script, unit, env, size, folder)
    return rows


def page_rows(vendor, script, unit, env, size, folder):
    """Pages with unbounded content: time and queries at the largest size against the smallest, and bytes."""
    out = Path(folder) / f"{script}-{vendor}.json"
    found = run(script, [*SIZES[size][script.removesuffix(".py")], "--json", str(out)], env, out)
    by_name = {}
    for row in found or ():
        by_name.setdefault(row["name"], []).append(row)
    rows = []
    for name, sizes in by_name.items():
        small, large = min(sizes, key=lambda r: r["size"]), max(sizes, key=lambda r: r["size"])
        if small is large:
            continue
        label = f"{vendor}: {name}, {large['size']:,} vs {small['size']:,} {unit}"
        if large["ms"]:
            rows.append((f"{label}, p50 ms", large["ms"], small["ms"], large["ms"] / small["ms"], "≤ 1.3"))
        rows.append((f"{label}, queries", large["queries"], small["queries"], large["queries"] / small["queries"],
                     "1 (constant)"))
        rows.append((f"{vendor}: {name}, KB at {large['size']:,} {unit}", large["bytes"] / 1024, 300.0,
                     large["bytes"] / 1024 / 300, "≤ 300 KB"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", action="store_true", help="the size of a 5,000-person company (long)")
    args = parser.parse_args()
    size = "big" if args.big else "small"
    url = os.environ.get("DATABASE_URL")
    rows = []
    with tempfile.TemporaryDirectory(prefix="closeloop-bench-") as folder:
        sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        rows += rows_for("SQLite", sqlite_env, size, folder)
        if url:
            rows += rows_for("PostgreSQL", dict(os.environ), size, folder)
    print(f"\nIssue 17 benchmarks ({size} size; load average {os.getloadavg()[0]:.1f} at the end)\n")
    print("| figure | value | baseline | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for name, value, baseline, ratio, target in rows:
        print(f"| {name} | {value:.1f} | {baseline:.1f} | {ratio:.2f} | {target} |")
    run("extract.py", [], dict(os.environ))


if __name__ == "__main__":
    main()
