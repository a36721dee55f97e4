"""List-page and API latency over the full demo population, as ratios against a trivial page.

Starts `renkei serve` (waitress) on a fresh data directory, loads the demo, signs in as the demo
national officer (who reads everything, so lists are at their largest) and times sequential
requests from this process. The baseline is /healthz on the same server (one SELECT 1), so the
ratio shows what the page itself costs above the server's fixed overhead.

    python benchmarks/web_latency.py                                  # SQLite
    python benchmarks/web_latency.py --database-url postgres://postgres@127.0.0.1:5432/renkei_bench
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENKEI = str(ROOT / ".venv" / "bin" / "renkei")

PAGES = [
    ("dashboard", "/en/"),
    ("organisations, page 1", "/en/directory/organisations/"),
    ("organisations, search", "/en/directory/organisations/?q=%E7%B2%BE%E5%AF%86"),
    ("organisations, filter+sort+page 20", "/en/directory/organisations/?kind=sme&sort=-employees&page=20"),
    ("people, page 1", "/en/directory/people/"),
    ("clusters", "/en/programmes/clusters/"),
]
API = [
    ("API organisations", "/api/organisations/"),
    ("API organisations, search", "/api/organisations/?q=%E7%B2%BE%E5%AF%86"),
    ("API people", "/api/people/"),
    ("API clusters", "/api/clusters/"),
]


def run(env: dict, *args: str) -> str:
    return subprocess.run([RENKEI, *args], env=env, check=True, capture_output=True, text=True).stdout


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_requests(opener, url: str, n: int, headers: dict | None = None) -> list[float]:
    times = []
    for i in range(n + 5):
        request = urllib.request.Request(url, headers=headers or {})
        start = time.perf_counter()
        with opener.open(request) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
        if i >= 5:  # the first requests warm caches and connections
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="RENKEI_DATABASE_URL (default: SQLite in the data dir)")
    parser.add_argument("--scale", default="1.0", help="demo population scale (1.0 = the seeds' ~10,000 organisations)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per URL")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="renkei-bench-")
    env = {**os.environ, "RENKEI_DATA_DIR": data_dir, "RENKEI_INSECURE_HTTP": "1", "RENKEI_LOG_LEVEL": "WARNING"}
    if args.database_url:
        env["RENKEI_DATABASE_URL"] = args.database_url
        if "postgres" in args.database_url:
            name = urllib.parse.urlparse(args.database_url).path.lstrip("/")
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    print(f"loading the demo (scale {args.scale}) into {args.database_url or 'SQLite'} …", file=sys.stderr)
    run(env, "migrate", "-v0")
    run(env, "load_reference")
    run(env, "load_demo", "--scale", args.scale)
    from_demo = json.loads(run(env, "shell", "--no-imports", "-c", LOGIN_LOOKUP))
    token = run(env, "drf_create_token", from_demo["username"]).strip().split()[2]

    server = subprocess.Popen([RENKEI, "serve", "--port", str(args.port)], env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except OSError:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = opener.open(base + "/en/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = urllib.parse.urlencode(
            {"username": from_demo["username"], "password": from_demo["password"], "csrfmiddlewaretoken": csrf}
        ).encode()
        opener.open(urllib.request.Request(base + "/en/login/", data=form, headers={"Referer": base + "/en/login/"}))

        results = []
        baseline = time_requests(opener, base + "/healthz", args.requests)
        b50, b95 = percentile(baseline, 0.5), percentile(baseline, 0.95)
        results.append(("trivial page (/healthz)", b50, b95))
        for label, path in PAGES:
            t = time_requests(opener, base + path, args.requests)
            results.append((label, percentile(t, 0.5), percentile(t, 0.95)))
        api_opener = urllib.request.build_opener()
        for label, path in API:
            t = time_requests(api_opener, base + path, args.requests, {"Authorization": f"Token {token}"})
            results.append((label, percentile(t, 0.5), percentile(t, 0.95)))
    finally:
        server.terminate()
        server.wait(timeout=10)

    rows = [
        {
            "what": label,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "p50_ratio": round(p50 / b50, 1),
            "p95_ratio": round(p95 / b95, 1),
        }
        for label, p50, p95 in results
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    db = "PostgreSQL" if "postgres" in args.database_url else "SQLite"
    print(f"\n{db}, demo scale {args.scale}, {args.requests} sequential requests per URL\n")
    print("| what | p50 ms | p95 ms | p50 × trivial | p95 × trivial |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['p50_ms']} | {r['p95_ms']} | {r['p50_ratio']} | {r['p95_ratio']} |")


LOGIN_LOOKUP = """
import json
from renkei.accounts.models import RoleKind
from renkei.demo.users import demo_login
national = demo_login(RoleKind.NATIONAL_OFFICER)
print(json.dumps({"username": national.username, "password": national.password}))
"""

if __name__ == "__main__":
    main()
