"""Product answers: accuracy on both question sets, then the full webhook under gunicorn.

Accuracy is scored in process on the sample catalogue (bot.search.evaluation): the tuning set
and the held-out set, which is only ever scored.

A catalogue of 2,000 products (the test catalogue plus generated ones) is imported, then each
request asks "大额存单利率多少" from a fresh openid: segmentation, search, the offer gates,
the suitability log and the interaction with its evidence. Each question carries its own tag,
so every search is done anew. The plain text message
("我的客户经理", benchmarks/webhook.py) is loaded in the same run for the ratio. Throughput is
measured with 8 connections; latency with 2 connections (one per core), so the p99 measures
the answer rather than the queue in front of it.
"""

import csv
import io
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import webhook
from benchmarks.support import forked_workers, serving
from bot.search import evaluation
from bot.wechat.crypto import sign

PRODUCTS = 2000
# Each request asks in its own words (a tag that changes nothing in the answer), so no
# request is answered from another's remembered decision.
QUESTION = "大额存单利率多少（问题编号%s）"
LATENCY_CONNECTIONS = 2
# wrk's --latency table stops at p99; the rarest stalls (a full garbage collection, a lock held
# across a slow build) show in p99.9 and the maximum.
TAIL = """
done = function(summary, latency, requests)
  io.write(string.format("tail p99.9 %.2f max %.2f\\n", latency:percentile(99.9) / 1000,
                         latency.max / 1000))
end
"""
SAMPLE = evaluation.SETS / "catalogue.csv"
WORDS = ("稳", "盈", "安", "享", "鑫", "福", "瑞", "丰", "悦", "和", "泰", "嘉", "宁", "益")
KINDS = (("理财", "R2", "2.50%-3.20%", "90天"), ("存款", "R1", "1.50%", "1年"),
         ("贷款", "R1", "3.60%起", "3年"), ("信用卡", "R1", "日利率万分之五", ""),
         ("基金", "R3", "—", ""), ("保险", "R2", "—", "终身"))


def catalogue() -> str:
    """Return the sample catalogue plus generated products, 2,000 in all, as CSV."""
    sample = SAMPLE.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(sample)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    for n in range(PRODUCTS - len(rows)):
        category, risk, rate, term = KINDS[n % len(KINDS)]
        name = f"{WORDS[n % 14]}{WORDS[n // 14 % 14]}{category}{n}号"
        writer.writerow({**dict.fromkeys(rows[0], ""), "code": f"G{n:05d}", "name": name,
                         "category": category, "risk": risk, "rate": rate, "term": term,
                         "summary": f"{name}，{category}产品第{n}期。", "private": "false"})
    return out.getvalue()


def accuracy() -> None:
    """Print top-1 accuracy on the tuning and the held-out question sets (in process)."""
    print("product answers: top-1 on the sample catalogue (goal >= 95% on both sets)")
    for name, score in evaluation.score_sets(SAMPLE.parent).items():
        kinds = " ".join(f"{kind} {rate:.0%}" for kind, rate in score.by_kind().items())
        print(f"  {name:<8}{score.rate:>7.1%} of {score.total:>3}  ({kinds})")


def main() -> None:
    """Score the question sets, then load the text and product scenarios on each database."""
    accuracy()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "products.csv").write_text(catalogue(), encoding="utf-8")
        databases = {"sqlite": f"sqlite:///{folder}/bench.db"}
        if webhook._fresh_postgres():
            databases["postgresql"] = webhook.PG_BENCH
        print(f"products benchmark: {PRODUCTS} products, gunicorn {webhook.WORKERS} workers x "
              f"{webhook.THREADS} threads; req/s at {webhook.CONNECTIONS} connections, "
              f"latency at {LATENCY_CONNECTIONS}")
        print(f"{'database':<12}{'text req/s':>11}{'product req/s':>14}{'ratio':>7}"
              f"{'p50 ms':>8}{'p99 ms':>8}{'p99.9 ms':>9}{'max ms':>8}")
        for db, url in databases.items():
            _run(folder, db, url)


def _run(folder: Path, db: str, url: str) -> None:
    config = webhook._config(folder, db, url)
    webhook._branchlink(config, "db", "upgrade")
    webhook._branchlink(config, "demo", "seed")
    webhook._branchlink(config, "products", "import", str(folder / "products.csv"))
    product = webhook.SCENARIOS["text"].replace("我的客户经理", QUESTION)
    with serving([sys.executable, "-m", "bot.cli", "--config", str(config), "serve",
                  "--bind", "127.0.0.1:18003"], "http://127.0.0.1:18003/healthz") as server:
        workers = forked_workers(server)
        text_rate = webhook._load(folder, 18003, webhook.SCENARIOS["text"], workers)[0]
        product_rate = webhook._load(folder, 18003, product, workers)[0]
        p50, p99, p999, most = _latency(folder, 18003, product)
    print(f"{db:<12}{text_rate:>11.0f}{product_rate:>14.0f}{product_rate / text_rate:>7.2f}"
          f"{p50:>8.2f}{p99:>8.2f}{p999:>9.2f}{most:>8.2f}")


def _latency(folder: Path, port: int, template: str) -> tuple[float, float, float, float]:
    ts, nonce = str(int(time.time())), "4343"
    path = f"/wechat?timestamp={ts}&nonce={nonce}&signature={sign(webhook.TOKEN, ts, nonce)}"
    script = folder / "latency.lua"
    script.write_text(webhook.LUA % (template, path) + TAIL)
    out = subprocess.run(["wrk", "-t1", f"-c{LATENCY_CONNECTIONS}", f"-d{webhook.DURATION}",
                          "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    if "Non-2xx" in out or not re.search(r"99%", out):
        sys.exit(f"errors under load:\n{out}")
    tail = re.search(r"tail p99.9 ([\d.]+) max ([\d.]+)", out)
    if tail is None:
        sys.exit(f"no tail figures:\n{out}")
    return (webhook._percentile(out, "50%"), webhook._percentile(out, "99%"),
            float(tail.group(1)), float(tail.group(2)))
