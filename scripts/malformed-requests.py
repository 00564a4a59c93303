#!/usr/bin/env python3
"""Sends N malformed requests to a running `dyad serve` over real sockets (bad JSON, huge
bodies, bad query values, path traversal on assets, wrong methods and media types) and
checks that every answer is a 4xx with a JSON error; reports the server's memory (VmRSS,
VmHWM from /proc) before and after. Usage: malformed-requests.py BASE_URL SERVER_PID [N]"""

import http.client
import json
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
import socket
from urllib.parse import quote, urlparse

BODY_LIMIT = 256 * 1024
BAD_FILTER = [
    "quad=9", "quad=x", "from=2025-13-45", "to=yesterday", "min_sources=abc", "actor=R%FFS",
    "actor=%27%3B+DROP+TABLE+events", "country=..%2F..", "nope=1", "text=%22open", "text=NEAR(",
    "member_of=Atlantis", "type=%00", "from=2025-01-01&from=2025-01-02", "actor=" + "A" * 5000,
    "quad=" + ",".join(["1"] * 100), "%ZZ=1", "actor=%",
]
OWN = [
    "/api/events?limit=0", "/api/events?limit=100000", "/api/events?offset=-1",
    "/api/events?offset=99999999999999999999", "/api/series?period=year", "/api/series?by=colour",
    "/api/dyads?n=0", "/api/actors?n=x", "/api/events?limit=1e3",
]
TRAVERSAL = [
    "/assets/../Cargo.toml", "/assets/..%2F..%2Fetc%2Fpasswd", "/assets/vendor/../../x",
    "/assets/%2e%2e/lib.rs", "/assets/./app.js", "/assets/nope.js", "/assets/..\\..\\x",
    "/assets/vendor/%00", "/../../etc/passwd", "/assets//etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fCargo.toml",
]
READS = ["/api/events", "/api/series", "/api/dyads", "/api/actors", "/api/countries"]


def junk(rng, n):
    return "".join(chr(rng.randrange(33, 127)) for _ in range(n))


def request(k):
    """(method, path, body bytes or None, content type) of the k-th malformed request."""
    rng = random.Random(k)
    kind = k % 11
    if kind == 0:
        return "POST", "/api/code", ('{"text": ' + junk(rng, rng.randrange(60))).encode(), "application/json"
    if kind == 1:
        size = rng.choice([BODY_LIMIT + 1, 1 << 20, 8 << 20])
        return "POST", rng.choice(["/api/code", "/api/explain"]), b"x" * size, "application/json"
    if kind == 2:
        return "GET", f"{rng.choice(READS)}?{rng.choice(BAD_FILTER)}", None, None
    if kind == 3:
        return "GET", rng.choice(OWN), None, None
    if kind == 4:
        return "GET", rng.choice(TRAVERSAL), None, None
    if kind == 5:
        return "POST", "/api/explain", junk(rng, 40).encode(), "text/plain"
    if kind == 6:
        body = rng.choice(['{"text": ""}', '{"text": 5}', '[]', 'null', '{"text": "a", "date": "2025-99-99"}',
                           '{"text": "a", "extra": 1}', '{"text": "' + "x" * (100_001) + '"}'])
        return "POST", "/api/code", body.encode(), "application/json"
    if kind == 7:
        return rng.choice(["DELETE", "PUT", "PATCH"]), rng.choice(READS + ["/api/code"]), None, None
    if kind == 8:
        return "GET", "/api/articles/" + rng.choice(["no-such-article", "%FF%FE", "a" * 2000]), None, None
    if kind == 9:
        return "GET", "/api/" + quote(junk(rng, 10), safe=""), None, None
    return "POST", "/api/code", json.dumps({"text": "x", "date": junk(rng, 8)}).encode(), "application/json"


def exchange(host, port, method, path, body, ctype):
    """One request on its own connection, the body sent in pieces: a server that refuses a
    huge body answers before reading it, then closes, so the answer is read whatever
    happens to the rest of the body. Returns (status, body bytes) or (None, reason)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
    if ctype:
        head += f"Content-Type: {ctype}\r\n"
    if body is not None:
        head += f"Content-Length: {len(body)}\r\n"
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall((head + "\r\n").encode())
        try:
            for i in range(0, len(body or b""), 1 << 16):
                s.sendall(body[i:i + (1 << 16)])
        except (ConnectionResetError, BrokenPipeError):
            pass
        data = b""
        try:
            while chunk := s.recv(1 << 16):
                data += chunk
        except ConnectionResetError:
            pass
    if not data:
        return None, "no answer"
    header, _, payload = data.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in header.lower():
        payload = unchunk(payload)
    return status, payload


def unchunk(data):
    out = b""
    while data:
        size, _, rest = data.partition(b"\r\n")
        n = int(size.split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out += rest[:n]
        data = rest[n + 2:]
    return out


def send(host, port, k):
    method, path, body, ctype = request(k)
    status, data = exchange(host, port, method, path, body, ctype)
    if status is None:
        return k, None, f"{method} {path[:60]}: {data}"
    try:
        err = json.loads(data)["error"]
        ok = 400 <= status < 500 and bool(err)
    except (ValueError, KeyError, TypeError):
        ok = False
    return k, status, None if ok else f"{method} {path[:60]} -> {status} {data[:120]!r}"


def memory(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def main():
    base, pid = sys.argv[1], int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    url = urlparse(base)
    before = memory(pid)
    started = time.time()
    statuses, problems, closed = {}, [], 0
    with ThreadPoolExecutor(8) as pool:
        for k, status, problem in pool.map(lambda k: send(url.hostname, url.port, k), range(n)):
            if status is None:
                closed += 1
                problems.append(problem)
            else:
                statuses[status] = statuses.get(status, 0) + 1
                if problem:
                    problems.append(problem)
    after = memory(pid)
    alive = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    alive.request("GET", "/api/health")
    health = alive.getresponse().status
    print(json.dumps({
        "requests": n, "seconds": round(time.time() - started, 1),
        "statuses": dict(sorted(statuses.items())), "unanswered": closed,
        "not_4xx_json": len(problems), "rss_mb_before": before.get("VmRSS"), "rss_mb_after": after.get("VmRSS"),
        "peak_rss_mb": after.get("VmHWM"), "health_after": health,
    }))
    for p in problems[:20]:
        print("  ", p)
    sys.exit(1 if problems or health != 200 else 0)


if __name__ == "__main__":
    main()
