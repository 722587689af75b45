"""The bridge under sustained mixed traffic: good clients while others send garbage.

A real `segue serve` process answers, for a fixed time (default 20 s):

* several good clients (real ``BridgeClient``\\ s, each its own socket), each asking one
  small request after another (an 8-note seed, 1 bar) and pinging in between;
* a flood of garbage from another process (``segue.bridge.testing.flood``): random
  bytes, truncated and oversized datagrams, unknown addresses, out-of-range notes,
  stray seed notes, a reply port that is the bridge's own, at ``--flood-rate``
  datagrams a second from 8 ports.

It prints what the good clients got (answered, lost, wrong: every answer is checked
against in-process generation of the same request afterwards), their p50/p95 round
trips during the flood, the server's resident memory (RSS) before and after, and
how many log lines the server wrote. Prints figures; it is a script, not a timed test.

    python benchmarks/bench_soak.py [--seconds 20] [--clients 4] [--flood-rate 50000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_bridge import notes_of, pct, pick_model, rss_mb, small_seed  # noqa: E402

from segue.bridge.client import BridgeClient, BridgeReplyError, BridgeTimeout  # noqa: E402
from segue.bridge.testing import FLOOD_COMMAND  # noqa: E402
from segue.errors import SegueError  # noqa: E402


class Lines:
    """The lines a process writes to one stream, counted (and the last few kept)."""

    def __init__(self, stream: IO[str]) -> None:
        self.count, self.last = 0, list[str]()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.count += 1
            self.last = [*self.last[-4:], line.rstrip("\n")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="melody")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long (default 20)")
    parser.add_argument("--clients", type=int, default=4, help="good clients (default 4)")
    parser.add_argument(
        "--flood-rate", type=int, default=50_000, help="garbage datagrams a second (50,000)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="segue-soak-", ignore_cleanup_errors=True) as scratch:
        serve(args, Path(scratch))


def serve(args: argparse.Namespace, scratch: Path) -> None:
    name, models_dir = pick_model(args.model, scratch)
    command = [sys.executable, "-m", "segue", "serve", "--port", "0", "--model", name]
    if models_dir is not None:
        command += ["--models-dir", str(models_dir)]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    assert server.stdout is not None and server.stderr is not None
    try:
        listening = re.search(r"listening on udp [\d.]+:(\d+)", server.stdout.readline())
        if listening is None:
            raise SystemExit("segue serve did not start")
        port = int(listening.group(1))
        out, err = Lines(server.stdout), Lines(server.stderr)
        soak(args, name, models_dir, server.pid, port, out, err)
    finally:
        server.terminate()
        server.wait(20)


def soak(
    args: argparse.Namespace,
    name: str,
    models_dir: Path | None,
    pid: int,
    port: int,
    out: Lines,
    err: Lines,
) -> None:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import find_model
    from segue.model.settings import GenerationParams

    with BridgeClient("127.0.0.1", port, timeout=30) as warm:
        warm.generate(small_seed(0), {"bars": 1.0, "rng_seed": 0})
    rss_before = rss_mb(pid)
    info_before, warnings_before = out.count, err.count
    print(
        f"model {name}: {args.clients} good clients (8-note seed, 1 bar, then a ping, again "
        f"and again) and a flood of {args.flood_rate:,} garbage datagrams a second from "
        f"another process, for {args.seconds:g} s"
    )
    flood = subprocess.Popen(
        [sys.executable, "-c", FLOOD_COMMAND, str(port), str(args.seconds), str(args.flood_rate)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    stop = time.monotonic() + args.seconds
    results: dict[int, list] = {k: [] for k in range(args.clients)}
    round_trips: list[float] = []
    pings: list[float] = []
    failures: list[str] = []

    def good(k: int) -> None:
        with BridgeClient("127.0.0.1", port, timeout=2) as client:
            i = 0
            while time.monotonic() < stop:
                request = {"bars": 1.0, "variations": 1, "rng_seed": k * 100_000 + i}
                try:
                    result = client.generate(small_seed(k), request, patience=10)
                    results[k].append((i, notes_of(result.variations)))
                    round_trips.append(result.round_trip_ms)
                    pings.append(client.ping().ms)
                except (BridgeTimeout, BridgeReplyError, SegueError) as exc:
                    failures.append(f"client {k} request {i}: {exc}")
                i += 1

    threads = [threading.Thread(target=good, args=(k,)) for k in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    flooded = int(flood.communicate(timeout=60)[0])
    time.sleep(0.5)
    rss_after = rss_mb(pid)
    info, warnings = out.count - info_before, err.count - warnings_before

    model = load_checkpoint(find_model(name, models_dir)).model
    wrong = 0
    for k, got in results.items():
        for i, variations in got:
            params = GenerationParams(bars=1, variations=1, rng_seed=k * 100_000 + i)
            want = generate(model, small_seed(k), params, threads=1)
            wrong += variations != notes_of(want.variations)
    answered = sum(len(v) for v in results.values())
    asked = answered + len(failures)

    print()
    print(f"| good requests | {asked} asked in {wall:.1f} s ({asked / wall:.0f} a second) |")
    print("|---|---|")
    print(f"| answered | {answered} |")
    print(f"| lost (no answer, or notes missing) | {len(failures)} |")
    print(f"| wrong (not the in-process notes) | {wrong} |")
    if round_trips:
        print(
            f"| round trip of a request, p50 / p95 | {statistics.median(round_trips):.1f} / "
            f"{pct(round_trips, 0.95):.1f} ms |"
        )
    if pings:
        print(
            f"| round trip of a ping, p50 / p95 | {statistics.median(pings):.1f} / "
            f"{pct(pings, 0.95):.1f} ms |"
        )
    print(f"| garbage sent | {flooded:,} datagrams ({flooded / args.seconds:,.0f} a second) |")
    print(f"| server RSS before / after | {rss_before:.1f} / {rss_after:.1f} MB |")
    print(
        f"| log lines the server wrote | {info + warnings} ({info} a line per request, "
        f"{warnings} warnings) |"
    )
    for failure in failures[:5]:
        print("  " + failure)
    if err.last:
        print("last warnings:")
        for line in err.last:
            print("  " + line)


if __name__ == "__main__":
    main()
