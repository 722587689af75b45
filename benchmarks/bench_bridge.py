"""The bridge's cost: round trips against in-process generation, many clients, memory.

1. The standard request (32-note seed, 4 variations, 8 bars) through a real
   `segue serve` process and the real client, against the same request
   in-process in this process, alternating, same model, same random seeds.
2. 8 concurrent clients x 50 requests each (small requests): every answer
   arrives and equals the in-process result for its own seed, so none is
   lost or mixed up.
3. The server's resident memory (RSS) over 1,000 requests: start/middle/end.

Prints timings; it is a script, not a timed test.

    python benchmarks/bench_bridge.py [--model melody] [--repeats 20]
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
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_generate import standard_seed  # noqa: E402

from segue.bridge.client import BridgeClient, BridgeVariation  # noqa: E402
from segue.model.checkpoint import load_checkpoint  # noqa: E402
from segue.model.generate import Variation, generate  # noqa: E402
from segue.model.registry import find_model, list_models  # noqa: E402
from segue.model.settings import GenerationParams  # noqa: E402
from segue.notes import Clip, Note  # noqa: E402


def pick_model(name: str, scratch: Path) -> tuple[str, Path | None]:
    """(model name, models dir): the named model, another bundled one, or an untrained one."""
    try:
        find_model(name)
        return name, None
    except Exception:
        pass
    bundled = list_models()
    if bundled:
        print(f"(no model {name!r}; using bundled {bundled[0].name!r})")
        return bundled[0].name, None
    from segue.model.architecture import ModelConfig
    from segue.model.checkpoint import save_checkpoint
    from segue.model.lstm import SegueLSTM

    print(f"(no model {name!r}; timing an untrained default-size model)")
    save_checkpoint(scratch / "untrained.pt", SegueLSTM(ModelConfig()), {"summary": "bench"})
    return "untrained", scratch


def rss_mb(pid: int, proc: Path = Path("/proc")) -> float | None:
    """A process's resident memory in MB, from Linux's /proc; None where there is none."""
    try:
        status = (proc / str(pid) / "status").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def small_seed(k: int) -> Clip:
    return Clip(tuple(Note(55 + (k * 3 + i * 5) % 24, i * 0.5, 0.5, 90) for i in range(8)))


def notes_of(
    variations: Iterable[Variation | BridgeVariation],
) -> list[tuple[float, tuple[Note, ...]]]:
    return [(v.start, tuple(v.clip.notes)) for v in variations]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="melody")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=50)
    parser.add_argument("--memory-requests", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="segue-bench-", ignore_cleanup_errors=True) as scratch:
        serve(args, Path(scratch))


def serve(args: argparse.Namespace, scratch: Path) -> None:
    name, models_dir = pick_model(args.model, scratch)
    command = [sys.executable, "-m", "segue", "serve", "--port", "0", "--model", name, "-q"]
    if models_dir is not None:
        command += ["--models-dir", str(models_dir)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert server.stdout is not None  # stdout=PIPE
    try:
        said = server.stdout.readline()
        listening = re.search(r"listening on udp [\d.]+:(\d+)", said)
        if listening is None:
            raise SystemExit(f"the bridge did not say where it listens: {said!r}")
        port = int(listening.group(1))
        run(args, name, models_dir, server.pid, port)
    finally:
        server.terminate()
        server.wait(20)


def run(args: argparse.Namespace, name: str, models_dir: Path | None, pid: int, port: int) -> None:
    model = load_checkpoint(find_model(name, models_dir)).model
    seed = standard_seed()
    standard = {"bars": 8.0, "variations": 4}

    # 1. round trip against in-process
    with BridgeClient("127.0.0.1", port, timeout=30) as client:
        client.generate(seed, {**standard, "rng_seed": 0})  # warm up both sides
        generate(model, seed, GenerationParams(bars=8, variations=4, rng_seed=0), threads=1)
        local, bridge, server_ms = [], [], []
        for r in range(1, args.repeats + 1):
            started = time.perf_counter()
            want = generate(
                model, seed, GenerationParams(bars=8, variations=4, rng_seed=r), threads=1
            )
            local.append((time.perf_counter() - started) * 1000)
            result = client.generate(seed, {**standard, "rng_seed": r})
            bridge.append(result.round_trip_ms)
            server_ms.append(result.server_ms)
            assert notes_of(result.variations) == notes_of(want.variations), "results differ"
    notes_out = sum(len(v.clip) for v in want.variations)
    print(
        f"model: {name}; standard request: 32-note seed, 4 variations x 8 bars "
        f"(~{notes_out} notes back); {args.repeats} runs each, alternating"
    )
    print()
    print("| way | p50 ms | p95 ms |")
    print("|---|---|---|")
    print(f"| in-process generate() | {statistics.median(local):.1f} | {pct(local, 0.95):.1f} |")
    print(
        f"| through the bridge (round trip) | {statistics.median(bridge):.1f} | "
        f"{pct(bridge, 0.95):.1f} |"
    )
    print(
        f"| inside the bridge (request to done) | {statistics.median(server_ms):.1f} | "
        f"{pct(server_ms, 0.95):.1f} |"
    )
    overhead = statistics.median(b - loc for b, loc in zip(bridge, local, strict=True))
    print()
    print(
        f"bridge overhead at p50: {statistics.median(bridge) - statistics.median(local):.1f} ms"
        f" (median of per-pair differences {overhead:.1f} ms; goal < 10 ms)"
    )

    # 2. concurrent clients
    small = {"bars": 1.0, "variations": 1}
    answers: dict[int, list] = {}
    failures: list[str] = []

    def client_loop(k: int) -> None:
        try:
            with BridgeClient("127.0.0.1", port, timeout=60) as c:
                answers[k] = [
                    notes_of(
                        c.generate(
                            small_seed(k), {**small, "rng_seed": i}, request_id=i + 1
                        ).variations
                    )
                    for i in range(args.per_client)
                ]
        except Exception as exc:  # counted below
            failures.append(f"client {k}: {exc}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    wrong = 0
    for k, got in answers.items():
        for i, variations in enumerate(got):
            want = generate(
                model, small_seed(k), GenerationParams(bars=1, variations=1, rng_seed=i), threads=1
            )
            wrong += variations != notes_of(want.variations)
    total = args.clients * args.per_client
    answered = sum(len(v) for v in answers.values())
    print()
    print(
        f"{args.clients} concurrent clients x {args.per_client} requests (8-note seed, 1 bar, "
        f"same request ids in every client): {answered}/{total} answered, {wrong} wrong or "
        f"mixed up, {len(failures)} failed, {wall:.1f} s ({total / wall:.0f} requests/s)"
    )
    for failure in failures[:5]:
        print("  " + failure)

    # 3. memory over many requests
    print()
    marks = {0, args.memory_requests // 2, args.memory_requests}
    with BridgeClient("127.0.0.1", port, timeout=30) as c:
        for i in range(args.memory_requests + 1):
            if i in marks:
                rss = rss_mb(pid)
                shown = f"{rss:7.1f} MB" if rss is not None else "not measured (Linux only)"
                print(f"server RSS after {i:>5} requests: {shown}")
            if i < args.memory_requests:
                c.generate(small_seed(i % 16), {**small, "rng_seed": i})


if __name__ == "__main__":
    main()
