"""Renders the JSON results of benchmarks/run.sh as Markdown: promlet against client_java, with ratios and targets.

usage: /usr/bin/python3 render.py RESULTS_DIR [BENCHMARKS.md]

Writes RESULTS_DIR/results.md and, if given, replaces the part of BENCHMARKS.md between the results markers.
"""
import json
import math
import os
import re
import statistics
import sys

BEGIN = "<!-- results:begin (written by benchmarks/run.sh) -->"
END = "<!-- results:end -->"

# operation -> (description, minimum ratio promlet / client_java (or one per thread count), promlet must allocate
# nothing, threads the target is set for: the native histogram targets are set for 2 threads, the others for both)
HOT = {
    "CounterBenchmark.incNoLabels": ("counter `inc()`, no labels", 1.0, True, (1, 2)),
    "CounterBenchmark.incCachedChild": ("counter `inc()` on a cached labelled child", 1.0, True, (1, 2)),
    "CounterBenchmark.incLabelsLookup": ("counter `labels(a, b, c).inc()`, 100 children cycled", 1.5, False, (1, 2)),
    "GaugeBenchmark.set": ("gauge `set(v)`", 1.0, True, (1, 2)),
    "HistogramBenchmark.observe": ("histogram `observe(v)`, 11 classic buckets", 1.0, True, (1, 2)),
    "NativeHistogramBenchmark.observeNative": ("native-only histogram `observe(v)`, schema 5, at most 160 buckets", 2.0, True, (2,)),
    "NativeHistogramBenchmark.observeDefault": ("histogram `observe(v)`, 11 classic and native buckets (the default)", 2.0, True, (2,)),
    "SummaryBenchmark.observe": ("summary `observe(v)`, quantiles 0.5, 0.9, 0.99", {1: 5.0, 2: 20.0}, False, (1, 2)),
}
# operation -> (description, scraping threads, minimum ratio promlet / client_java)
EXPOSITION = {
    "ExpositionBenchmark.text": ("text 0.0.4", 1, 1.5),
    "ExpositionBenchmark.openMetrics": ("OpenMetrics 1.0.0", 1, 1.5),
    "ProtobufBenchmark.protobuf": ("protobuf (delimited)", 2, 2.0),
    # A third each counters, gauges and histograms (buckets .1, 1, 10): ThirdsRegistry.
    "ExpositionBenchmark.textClassicHistograms": ("text 0.0.4, thirds, classic-only histograms", 1, 3.0),
    "ExpositionBenchmark.textDefaultHistograms": ("text 0.0.4, thirds, default histograms (classic + native)", 1, 2.0),
    "ExpositionBenchmark.openMetricsDefaultHistograms": ("OpenMetrics 1.0.0, thirds, default histograms", 1, 2.0),
    "ProtobufBenchmark.protobufDefaultHistograms": ("protobuf (delimited), thirds, default histograms", 2, 2.0),
}
MULTIPROCESS_SUFFIXES = ("_memory", "_multiprocess")


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)


def key(result):
    """('CounterBenchmark.incNoLabels', 'promlet') from the JMH benchmark name."""
    name = result["benchmark"].rsplit(".", 2)
    op, _, who = name[2].rpartition("_")
    return name[1] + "." + op, who


def score(result):
    m = result["primaryMetric"]
    return m["score"], m["scoreError"]


def alloc(result):
    m = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return (m["score"], m["scoreError"]) if m else (float("nan"), float("nan"))


def err(e):
    return e if isinstance(e, (int, float)) and not math.isnan(e) else None


def fmt(value, error=None, digits=1):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    s = f"{value:,.{digits}f}"
    if err(error) is not None:
        s += f" ± {error:,.{digits}f}"
    return s


def ratio(a, ea, b, eb):
    """a / b with the error of the quotient from both relative errors."""
    r = a / b
    if err(ea) is None or err(eb) is None:
        return r, None
    return r, r * math.sqrt((ea / a) ** 2 + (eb / b) ** 2)


def bytes_per_op(value):
    if math.isnan(value):
        return "–"
    return "0" if value < 0.5 else f"{value:,.0f}"


def hot_table(results, verdicts):
    by = {}
    for r in results:
        op, who = key(r)
        by.setdefault((op, r["threads"]), {})[who] = r
    lines = [
        "| Operation | Threads | promlet (ops/µs) | client_java (ops/µs) | promlet ÷ client_java | Target | promlet B/op | client_java B/op |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for op, (desc, target, zero_alloc, judged) in HOT.items():
        for threads in (1, 2):
            pair = by.get((op, threads), {})
            p, c = pair.get("promlet"), pair.get("clientJava")
            if not p or not c:
                continue
            (ps, pe), (cs, ce) = score(p), score(c)
            r, re_ = ratio(ps, pe, cs, ce)
            pa, ca = alloc(p)[0], alloc(c)[0]
            if threads in judged:
                minimum = target[threads] if isinstance(target, dict) else target
                met = r >= minimum and (not zero_alloc or pa < 0.5)
                want = f"≥ {minimum:g}×" + (", 0 B/op" if zero_alloc else "")
                verdicts.append((f"{desc}, {threads} thread{'s' if threads > 1 else ''}", met))
                verdict = f"{want}: {'met' if met else '**missed**'}"
            else:
                verdict = "(set for 2 threads)"
            lines.append(f"| {desc} | {threads} | {fmt(ps, pe)} | {fmt(cs, ce)} | **{fmt(r, re_, 2)}×** | "
                         f"{verdict} | {bytes_per_op(pa)} | {bytes_per_op(ca)} |")
    return "\n".join(lines)


def exposition_table(results, verdicts):
    by = {}
    for r in results:
        op, who = key(r)
        by.setdefault(op, {})[who] = r
    lines = [
        "| Format | Threads | promlet (scrapes/s) | client_java (scrapes/s) | promlet ÷ client_java | promlet MB allocated/scrape | client_java MB allocated/scrape | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for op, (desc, threads, target) in EXPOSITION.items():
        pair = by.get(op, {})
        p, c = pair.get("promlet"), pair.get("clientJava")
        if not p or not c:
            continue
        (ps, pe), (cs, ce) = score(p), score(c)
        r, re_ = ratio(ps, pe, cs, ce)
        pa, ca = alloc(p)[0], alloc(c)[0]
        fast, lean = r >= target, pa <= ca
        verdicts.append((f"exposition {desc}, ≥ {target:g}×", fast))
        verdicts.append((f"exposition {desc}, allocation ≤ client_java", lean))
        lines.append(f"| {desc} | {threads} | {fmt(ps, pe, 2)} | {fmt(cs, ce, 2)} | **{fmt(r, re_, 2)}×** | {pa / 1e6:,.2f} | "
                     f"{ca / 1e6:,.2f} | ≥ {target:g}×: {'met' if fast else '**missed**'}; "
                     f"allocation ≤ client_java: {'met' if lean else '**missed**'} |")
    return "\n".join(lines)


def multiprocess_table(results):
    by = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        for suffix in MULTIPROCESS_SUFFIXES:
            if name[2].endswith(suffix):
                op = name[1] + "." + name[2][: -len(suffix)]
                by.setdefault((op, r["threads"]), {})[suffix[1:]] = r
    if not by:
        return None
    lines = [
        "| Operation | Threads | in memory (ops/µs) | multi-process (ops/µs) | multi-process ÷ in memory | multi-process B/op |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for (op, threads), pair in sorted(by.items()):
        m, f = pair.get("memory"), pair.get("multiprocess")
        if not m or not f:
            continue
        (ms, me), (fs, fe) = score(m), score(f)
        r, re_ = ratio(fs, fe, ms, me)
        lines.append(f"| `{op.split('.')[1]}` | {threads} | {fmt(ms, me)} | {fmt(fs, fe)} | {fmt(r, re_, 3)}× | "
                     f"{bytes_per_op(alloc(f)[0])} |")
    return "\n".join(lines)


def memory_table(data, verdicts):
    """Retained heap per series from MemoryPerSeries; the target is at most client_java's for every kind."""
    if not data:
        return ""
    out = ["| series kind | promlet (B/series) | client_java (B/series) | promlet ÷ client_java | Target |",
           "|---|---|---|---|---|"]
    for row in data["rows"]:
        r = row["promlet"] / row["clientJava"]
        ok = r <= 1.0
        verdicts.append((f"memory per series, {row['kind']}: at most client_java's", ok))
        out.append(f"| {row['description']} | {row['promlet']:,.0f} | {row['clientJava']:,.0f} | **{r:.2f}×** | "
                   f"≤ 1×: {'met' if ok else '**missed**'} |")
    return "\n".join(out)


def scaling_table(results, verdicts):
    """ScalingBenchmark: a scrape's time and allocation per series at each registry size, and how flat they stay."""
    by = {}
    for r in results:
        op, who = key(r)
        by.setdefault(op, {}).setdefault(who, {})[int(r["params"]["series"])] = r
    out = []
    # The target is on the evicted rows, which start every size from memory as a production scrape does; back to
    # back, 10,000 series stay in the caches, which shows the machine's caches rather than how the work grows.
    for op, label, targeted in (("ScalingBenchmark.textEvicted", "text 0.0.4, caches evicted before each scrape", True),
                                ("ScalingBenchmark.text", "text 0.0.4, back to back", False)):
        libs = by.get(op, {})
        sizes = sorted(set().union(*[set(v) for v in libs.values()])) if libs else []
        if not sizes:
            continue
        out += [f"| {label}, counter series | " + " | ".join(f"{n:,}" for n in sizes) + " | largest ÷ smallest | Target |",
                "|---|" + "---:|" * len(sizes) + "---:|---|"]
        for who in ("promlet", "clientJava"):
            runs = libs.get(who, {})
            if not runs:
                continue
            # AverageTime in ms per scrape: ns per series is ms × 10^6 / series.
            ns = [score(runs[n])[0] * 1e6 / n for n in sizes if n in runs]
            b = [alloc(runs[n])[0] / n for n in sizes if n in runs]
            for what, vals, unit in (("ns", ns, "ns"), ("B allocated", b, "B")):
                spread = max(vals) / min(vals)
                if who == "promlet" and targeted:
                    ok = spread <= 1.25
                    verdicts.append((f"text 0.0.4 scrape, caches evicted, {what} per series flat from {sizes[0]:,} to {sizes[-1]:,}", ok))
                    target = f"≤ 1.25: {'met' if ok else '**missed**'}"
                else:
                    target = ""
                out.append(f"| {who} {what} per series | " + " | ".join(f"{v:,.1f}" for v in vals)
                           + f" | {spread:.2f} | {target} |")
    return "\n".join(out)


def steal_text(leg):
    steal = leg.get("stealPercent")
    return "" if steal is None else f"{steal:.1f}%"


def filter_section(data, verdicts):
    if not data:
        return None
    rounds = data["rounds"]
    plain = [r for r in rounds if r["path"].startswith("/nofilter")]
    filtered = [r for r in rounds if r["path"].startswith("/filtered")]
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    # Paired: each round's two legs ran back to back, so their ratio cancels what the machine did meanwhile.
    paired = lambda k: [f[k] / p[k] for p, f in zip(plain, filtered)]
    quartiles = lambda xs: statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    rps_q, p99_q, p50_q, cpu_q = (quartiles(paired(k)) for k in
                                  ("requestsPerSecond", "p99Micros", "p50Micros", "cpuMicrosPerRequest"))
    rps_ok = rps_q[1] >= 0.97
    p99_ok = p99_q[1] <= 1.05
    verdicts.append(("filter requests/s ≥ 97% of no filter", rps_ok))
    verdicts.append(("filter p99 within 5% of no filter", p99_ok))
    # The noise floor: the same paired ratio between two no-filter legs that also ran back to back (the last leg
    # of an odd round and the first of the next round).
    aa = [(plain[i + 1], plain[i]) for i in range(1, len(plain) - 1, 2)]
    aa_rps = quartiles([b["requestsPerSecond"] / a["requestsPerSecond"] for b, a in aa]) if aa else None
    aa_p99 = quartiles([b["p99Micros"] / a["p99Micros"] for b, a in aa]) if aa else None
    a_p, a_f = med(plain, "allocatedBytesPerRequest"), med(filtered, "allocatedBytesPerRequest")
    iqr = lambda q: f"{q[0]:.3f}–{q[2]:.3f}"
    out = [
        f"wrk: 1 thread, {data['connections']} connections; {len(plain)} rounds, each a {data['seconds']} s leg "
        f"without and a {data['seconds']} s leg with the filter, back to back, the order flipping every round. "
        f"The ratio of a round compares two legs that saw the same machine; the table gives the median over the "
        f"rounds and, in brackets, the middle half of the rounds. The filter counted "
        f"{data['filterCountedRequests']:,} requests (warm-up included), so it was in the path.",
        "",
        "| | no filter (median) | MetricsFilter (median) | with ÷ without, per round | Target |",
        "|---|---:|---:|---:|---|",
        f"| requests/s | {med(plain, 'requestsPerSecond'):,.0f} | {med(filtered, 'requestsPerSecond'):,.0f} | "
        f"**{rps_q[1]:.3f}** ({iqr(rps_q)}) | ≥ 0.97: {'met' if rps_ok else '**missed**'} |",
        f"| p50 latency (µs) | {med(plain, 'p50Micros'):,.0f} | {med(filtered, 'p50Micros'):,.0f} | "
        f"{p50_q[1]:.3f} ({iqr(p50_q)}) | |",
        f"| p99 latency (µs) | {med(plain, 'p99Micros'):,.0f} | {med(filtered, 'p99Micros'):,.0f} | "
        f"**{p99_q[1]:.3f}** ({iqr(p99_q)}) | ≤ 1.05: {'met' if p99_ok else '**missed**'} |",
        f"| bytes allocated per request (whole JVM) | {a_p:,.0f} | {a_f:,.0f} | filter: **{round(a_f - a_p) + 0:+,} B** | |",
        f"| JVM CPU time per request (µs, all threads, wrk excluded) | {med(plain, 'cpuMicrosPerRequest'):,.2f} | "
        f"{med(filtered, 'cpuMicrosPerRequest'):,.2f} | {cpu_q[1]:.3f} ({iqr(cpu_q)}) | |",
        "",
    ]
    out += [f"The same legs compared as the ratio of the two medians instead of per round: requests/s "
            f"{med(filtered, 'requestsPerSecond') / med(plain, 'requestsPerSecond'):.3f}, p99 "
            f"{med(filtered, 'p99Micros') / med(plain, 'p99Micros'):.3f}.", ""]
    steals = [r["stealPercent"] for r in rounds if r.get("stealPercent") is not None]
    if steals:
        out += [f"CPU time stolen by the hypervisor while the legs ran (other guests on the host, the noise that "
                f"alternating cannot remove): median {statistics.median(steals):.1f}%, at most {max(steals):.1f}%.", ""]
    if aa:
        out += [f"Noise floor of this setup: two no-filter legs run back to back differ by {aa_rps[1]:.3f} "
                f"({iqr(aa_rps)}) in requests/s and {aa_p99[1]:.3f} ({iqr(aa_p99)}) in p99 ({len(aa)} pairs).", ""]
    out += [
        "<details><summary>Every leg</summary>",
        "",
        "| Round | Path | requests/s | p50 (µs) | p99 (µs) | B/request | CPU µs/request | steal |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(rounds):
        out.append(f"| {i // 2 + 1} | `{r['path']}` | {r['requestsPerSecond']:,.0f} | {r['p50Micros']:,.0f} | "
                   f"{r['p99Micros']:,.0f} | {r['allocatedBytesPerRequest']:,.0f} | "
                   f"{r['cpuMicrosPerRequest']:.1f} | {steal_text(r)} |")
    out += ["", "</details>"]
    return "\n".join(out)


def scrape_shapes(exposition_log, protobuf_log):
    """The sizes ExpositionBenchmark and ProtobufBenchmark print, proof that both libraries wrote the same scrape."""
    shapes = []
    if os.path.exists(exposition_log):
        text = open(exposition_log).read()
        for fmt in ("text 0.0.4", "OpenMetrics"):
            m = re.search(re.escape(fmt) + r": promlet (\d+) bytes, (\d+) lines, client_java (\d+) bytes, (\d+) lines", text)
            if m:
                shapes.append(f"{fmt}: promlet {int(m[1]):,} bytes in {int(m[2]):,} lines, "
                              f"client_java {int(m[3]):,} bytes in {int(m[4]):,} lines")
    if os.path.exists(protobuf_log):
        m = re.search(r"protobuf: promlet (\d+) bytes, client_java (\d+) bytes", open(protobuf_log).read())
        if m:
            shapes.append(f"protobuf: promlet {int(m[1]):,} bytes, client_java {int(m[2]):,} bytes")
    return shapes


def load_summary(path):
    if not os.path.exists(path):
        return ""
    values = [float(v) for v in open(path).read().split() if re.match(r"^[\d.]+$", v)]
    if not values:
        return ""
    return f"; 1-minute load average during the run: mean {statistics.mean(values):.2f}, max {max(values):.2f}"


# operation -> description; the modes are ExemplarBenchmark's and FilterExemplarBenchmark's
EXEMPLARS = {
    "ExemplarBenchmark.counterInc": "counter `inc()`, no labels",
    "ExemplarBenchmark.classicObserve": "histogram `observe(v)`, 11 classic buckets",
    "ExemplarBenchmark.defaultObserve": "histogram `observe(v)`, classic and native (the default)",
    "FilterExemplarBenchmark.finished": "the filter's recording of a request (counter, classic latency histogram)",
}


def exemplar_table(plain, agent, verdicts):
    """Automatic exemplars: off, on without OpenTelemetry, on with the agent's API but no span, a span current."""
    def by_mode(results):
        out = {}
        for r in results:
            op = ".".join(r["benchmark"].rsplit(".", 2)[1:])
            out[(op, r["params"]["mode"])] = r
        return out
    p, a = by_mode(plain), by_mode(agent)
    if not p and not a:
        return None
    columns = [("off", p, "off"), ("on, no OpenTelemetry", p, "noSpan"), ("on, agent's API, no span", a, "noSpan"),
               ("on, a sampled span", a, "span"), ("on, sampled `traceparent`", p, "traceparent")]
    lines = ["| Operation (1 thread) | " + " | ".join(f"{c} (ops/µs, B/op)" for c, _, _ in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for op, desc in EXEMPLARS.items():
        cells = []
        for column, results, mode in columns:
            r = results.get((op, mode))
            if r is None or (mode == "traceparent" and not op.startswith("Filter")):
                cells.append("–")
                continue
            (sc, e), (b, _) = score(r), alloc(r)
            cells.append(f"{fmt(sc, e)}, {bytes_per_op(b)}")
            if mode in ("off", "noSpan"):
                verdicts.append((f"{desc}, exemplars {column}: 0 B/op", b < 0.5))
        lines.append(f"| {desc} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(directory):
    meta = json.load(open(os.path.join(directory, "meta.json")))
    hot = load(os.path.join(directory, "hot-t1.json")) + load(os.path.join(directory, "hot-t2.json"))
    exposition = load(os.path.join(directory, "exposition.json")) + load(os.path.join(directory, "protobuf.json"))
    filter_path = os.path.join(directory, "filter.json")
    filter_data = json.load(open(filter_path)) if os.path.exists(filter_path) else None
    verdicts = []
    parts = [
        f"Run of {meta['date']} (commit {meta['commit']}): {meta['nproc']} cores, {meta['cpu']}, JDK {meta['jdk']}, "
        f"client_java {meta['clientJava']}, JMH `{meta['jmhOptions']}`. Load average before: {meta['loadBefore']}, "
        f"after: {meta['loadAfter']}{load_summary(os.path.join(directory, 'load.txt'))}. "
        "Errors are JMH's 99.9% confidence intervals; the ratio's error combines both.",
        "",
        "### Recording",
        "",
        hot_table(hot, verdicts),
        "",
        "### Exposition (1,000 families × 10 children, one scrape into a reused byte stream per thread)",
        "",
        exposition_table(exposition, verdicts),
    ]
    shapes = scrape_shapes(os.path.join(directory, "exposition.log"), os.path.join(directory, "protobuf.log"))
    if shapes:
        parts += ["", "One scrape's output: " + "; ".join(shapes) + "."]
    mp = multiprocess_table(hot)
    if mp:
        parts += ["", "### Multi-process mode against in-memory values", "", mp]
    scaling = scaling_table(load(os.path.join(directory, "scaling.json")), verdicts)
    if scaling:
        parts += ["", "### How a scrape grows (families of 1,000 counter children, text into a stream that only counts)",
                  "", scaling]
    memory_path = os.path.join(directory, "memory.json")
    mem = memory_table(json.load(open(memory_path)) if os.path.exists(memory_path) else None, verdicts)
    if mem:
        parts += ["", f"### Retained heap per series (one labelled metric of "
                  f"{json.load(open(memory_path))['series']:,} children, after one text scrape; label strings not counted)",
                  "", mem]
    fs = filter_section(filter_data, verdicts)
    if fs:
        parts += ["", "### MetricsFilter end to end (embedded Jetty 12, wrk over loopback)", "", fs]
    ex = exemplar_table(load(os.path.join(directory, "exemplars.json")),
                        load(os.path.join(directory, "exemplars-agent.json")), verdicts)
    if ex:
        parts += ["", "### Automatic exemplars (off, on with no span current, on with a sampled span current)", "", ex]
    met = sum(1 for _, ok in verdicts if ok)
    parts += ["", f"Targets met: {met} of {len(verdicts)}."]
    missed = [name for name, ok in verdicts if not ok]
    if missed:
        parts += ["Missed: " + "; ".join(missed) + "."]
    return "\n".join(parts) + "\n"


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    directory = sys.argv[1]
    text = render(directory)
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write(text)
    if len(sys.argv) == 3:
        path = sys.argv[2]
        doc = open(path).read() if os.path.exists(path) else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
        if BEGIN not in doc or END not in doc:
            doc += f"\n{BEGIN}\n{END}\n"
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        with open(path, "w") as f:
            f.write(head + BEGIN + "\n" + text + END + tail)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
