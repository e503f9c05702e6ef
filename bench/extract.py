"""The smart-minutes extractor's speed and memory, on one core.

Builds N sentences (default 5,000) from templates that mix Chinese and English, owners, tasks, due phrases,
decisions and talk, then reads each one as `closeloop extract` does. Prints the mean and percentiles in ms
per sentence, the first (cold) call, and the memory the extractor adds to the process: resident memory
before importing it vs after the run, and Python's own peak allocation during the run (tracemalloc).

    .venv/bin/python bench/extract.py [--sentences 5000] [--seed 16]

No database and no Django set-up are needed: the extractor is pure functions over text and the calendar.
Targets (issue 16): mean ≤ 5 ms a sentence, ≤ 50 MB added.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 5.0
TARGET_MB = 50.0

OWNERS = ["李娜", "张伟", "欧阳娜娜", "王经理", "财务部", "市场部", "人力资源部", "PMO", "IT部", "测试负责人",
          "Emma", "David", "Kevin", "研发中心", "法务"]
TASKS = ["提交Q3推广预算明细表", "完成竞品价格调研报告", "把演示环境部署好", "整理客户投诉清单",
         "输出新版会员体系方案", "审核完经销商合同并反馈意见", "加强渠道管理", "跟进一下客户回款情况",
         "把首页体验优化一下", "起草数据安全管理制度初稿"]
EN_TASKS = ["send the updated pricing sheet", "draft the API integration plan", "look into the churn numbers",
            "circulate the revised timeline", "prepare the investor deck"]
DUES = ["明天", "下周三前", "本周五前", "下下周一前", "3个工作日内", "两周内", "10天内", "24小时内", "月底前",
        "季度末前", "节后", "节前", "5月8日前", "5/9前", "5.8前", "5月6日下午3点前", "端午节前", "本周末", "", "尽快"]
EN_DUES = ["by Friday", "by next Monday", "within 3 working days", "within two weeks", "by end of month", "by May 12",
           "on the first working day after the holiday", "within 24 hours", "ASAP", ""]
SHAPES = [
    "请{o}{d}{t}。", "{o}负责{d}{t}。", "由{o}牵头，{d}{t}。", "{o}{d}{t}。", "会议决定由{o}在{d}{t}。",
    "{o}：{d}{t}。", "@{o} {d}{t}", "{t}，{d}提交，这件事{o}负责。",
]
EN_SHAPES = ["{o} to {t} {d}.", "{o} will {t} {d}.", "Action: {o} to {t} {d}.", "{o}, please {t} {d}."]
OTHERS = [
    "会议决定暂停A项目的外包采购。", "一致同意采用方案B。", "经讨论确定客户回款周期统一为30天。",
    "项目代号定为「启明」。", "We agreed to drop the loyalty-card feature from this release.",
    "The committee approved the revised travel policy.",
    "{o}认为目前的报销流程过于繁琐。", "{o}介绍了Q1销售数据，同比增长12%。", "市场部和销售部对预算分配仍有分歧。",
    "上次会议在4月20日召开。", "Question from David: do we have budget for Q3?", "去年同期的转化率为3.2%。",
]


def sentences(count, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        roll = rng.random()
        owner = rng.choice(OWNERS)
        if roll < 0.55:
            text = rng.choice(SHAPES).format(o=owner, d=rng.choice(DUES), t=rng.choice(TASKS))
        elif roll < 0.75:
            text = rng.choice(EN_SHAPES).format(o=owner, d=rng.choice(EN_DUES), t=rng.choice(EN_TASKS))
        else:
            text = rng.choice(OTHERS).format(o=owner)
        out.append(text.replace("  ", " "))
    return out


def rss_mb():
    """Resident memory of this process now, from /proc (Linux)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def one_core():
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    if args.sentences < 1000:
        parser.error("--sentences: measure over at least 1,000 sentences")

    core = one_core()
    texts = sentences(args.sentences, args.seed)  # built before measuring: not the extractor's memory
    before = rss_mb()
    from closeloop.smartminutes.rules import DueContext, extract
    from closeloop.workcal.rules import WorkingCalendar

    context = DueContext(dt.datetime(2026, 4, 28, 15), WorkingCalendar("CN"))
    started = time.perf_counter()
    extract(texts[0], context)
    cold_ms = (time.perf_counter() - started) * 1000

    timings = []
    kinds = {}
    for text in texts:
        started = time.perf_counter()
        result = extract(text, context)
        timings.append((time.perf_counter() - started) * 1000)
        kinds[result.kind] = kinds.get(result.kind, 0) + 1
    after = rss_mb()
    # Python's own allocations, in a second pass: tracing slows every call, so it stays out of the timing.
    tracemalloc.start()
    fresh = DueContext(dt.datetime(2026, 4, 28, 15), WorkingCalendar("CN"))
    for text in texts:
        extract(text, fresh)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    mean = statistics.fmean(timings)
    quantiles = statistics.quantiles(timings, n=100)
    added = after - before
    print(f"smart-minutes extractor benchmark: {len(texts)} sentences, {core}, Python {sys.version.split()[0]}")
    print("  kinds read: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"  first call (imports done, caches cold): {cold_ms:.2f} ms")
    print(f"  mean {mean:.3f} ms/sentence   median {quantiles[49]:.3f}   p95 {quantiles[94]:.3f}   "
          f"p99 {quantiles[98]:.3f}   max {max(timings):.3f}")
    print(f"  throughput {1000 / mean:,.0f} sentences/s")
    print(f"  memory: resident {before:.1f} MB before importing the extractor, {after:.1f} MB after the run "
          f"(+{added:.1f} MB); Python allocations peak {peak / 2**10:,.0f} kB")
    verdict = "within" if mean <= TARGET_MS and added <= TARGET_MB else "OVER"
    print(f"  targets: mean ≤ {TARGET_MS:g} ms, ≤ {TARGET_MB:g} MB added → {verdict} target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
