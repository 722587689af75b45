"""Independent OSC implementations as clients: liblo (oscsend/oscdump) and osc.js under node."""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from ports import HeldPorts, bound_udp, retry_taken

from segue.bridge import protocol as P
from segue.bridge.testing import running_server
from segue.grid import snap
from segue.notes import Clip, Note

SEED = Clip(tuple(Note(60 + (i * 7) % 12, i / 3, 1 / 3, 70 + i) for i in range(9)), 4.0)


@pytest.fixture(scope="module")
def server(models_dir):
    with running_server(models_dir) as srv:
        yield srv


def expected_notes(models_dir: Path, **kwargs) -> list[tuple[int, int, float, float, int]]:
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.settings import GenerationParams

    model = load_checkpoint(models_dir / "tiny.pt").model
    result = generate(model, SEED, GenerationParams(**kwargs), threads=1)
    return [
        (i, n.pitch, n.start, n.duration, n.velocity)
        for i, v in enumerate(result.variations)
        for n in v.clip.notes
    ]


def received_notes(messages: list[tuple[str, list]]) -> list[tuple[int, int, float, float, int]]:
    return [
        (int(a[1]), int(a[2]), snap(float(a[3])), snap(float(a[4])), int(a[5]))
        for address, a in messages
        if address == P.VARIATION_NOTE
    ]


# -- liblo ------------------------------------------------------------------------------------

needs_liblo = pytest.mark.skipif(
    not (shutil.which("oscsend") and shutil.which("oscdump")),
    reason="liblo's oscsend/oscdump are not installed (apt-get install liblo-tools)",
)


def liblo(address: str, types: str, *values: object) -> bytes:
    """The message exactly as liblo encodes it (`oscsend -` writes it to stdout)."""
    result = subprocess.run(
        ["oscsend", "-", address, types, *map(str, values)], capture_output=True, check=True
    )
    return result.stdout


def parse_oscdump(line: str) -> tuple[str, list] | None:
    found = re.match(r"^\S+ (/\S*) (\S*) ?(.*)$", line.strip())
    if not found:
        return None
    address, types, rest = found.groups()
    values = shlex.split(rest)
    cast = {"i": int, "h": int, "f": float, "d": float, "s": str}
    return address, [cast[t](v) for t, v in zip(types, values, strict=True)]


READY = "/segue-test/ready"
"""What the test sends oscdump until it prints it: oscdump listens (on the port it was
given), and nothing else took that port."""


def oscdump_listening(port: int) -> subprocess.Popen:
    """`oscdump -L PORT`, once it prints what comes to ``port`` (or once it has stopped)."""
    dump = subprocess.Popen(
        ["oscdump", "-L", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert dump.stdout is not None
    ready = liblo(READY, "i", 1)
    deadline = time.monotonic() + 15
    with bound_udp() as probe:
        while dump.poll() is None and time.monotonic() < deadline:
            probe.sendto(ready, ("127.0.0.1", port))
            if select.select([dump.stdout], [], [], 0.1)[0]:
                if READY in dump.stdout.readline():
                    break
    return dump


def oscdump_lost_its_port(dump: subprocess.Popen, port: int) -> bool:
    """Whether oscdump stopped because another socket had taken ``port``."""
    if dump.poll() is None:
        return False
    assert dump.stderr is not None
    return f"Could not start a server with port {port}" in dump.stderr.read()


@needs_liblo
def test_liblo_client_full_round_trip(server, models_dir, held_ports: HeldPorts) -> None:
    # oscdump binds the port it is given by itself, and cannot say which port it got from
    # port 0: it is started again on a fresh port if another socket took this one meanwhile
    dump, dump_port = retry_taken(
        held_ports, held_ports.take(), oscdump_listening, oscdump_lost_its_port
    )
    assert dump.poll() is None, dump.stderr.read() if dump.stderr else dump.returncode
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            send = lambda data: sock.sendto(data, server.address)  # noqa: E731
            send(liblo(P.REPLY_TO, "i", dump_port))
            send(liblo(P.PING, "h", 7))  # a 64-bit int
            send(liblo(P.SEED_BEGIN, "ifdif", 12, len(SEED), SEED.length, 4, 4.0))
            for n in SEED.notes:  # floats, as TouchOSC and Max send them
                send(liblo(P.SEED_NOTE, "fffff", 12, n.pitch, n.start, n.duration, n.velocity))
            send(liblo(P.SEED_END, "i", 12))
            send(liblo(P.GENERATE, "isfsisi", 12, "notes", 5.0, "variations", 2, "rng_seed", 9))
            messages = []
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                line = dump.stdout.readline()
                parsed = parse_oscdump(line) if line else None
                if parsed and parsed[0] != READY:
                    messages.append(parsed)
                    if parsed[0] in (P.DONE, P.ERROR):
                        break
    finally:
        dump.kill()
        dump.wait()
    addresses = [m[0] for m in messages]
    assert addresses[:2] == [P.REPLY_TO, P.PONG], addresses
    assert messages[1][1][0] == 7
    assert P.ERROR not in addresses, messages[-1]
    done = [12, 2, pytest.approx(messages[-1][1][2]), 9, "tiny", "", ""]  # nothing said
    assert messages[-1] == (P.DONE, done)
    assert received_notes(messages) == expected_notes(models_dir, notes=5, variations=2, rng_seed=9)


# -- osc.js under node ------------------------------------------------------------------------

NODE_CLIENT = r"""
const osc = require("osc");
const [port, seed] = [Number(process.argv[2]), JSON.parse(process.argv[3])];
const udp = new osc.UDPPort({localAddress: "127.0.0.1", localPort: 0,
                             remoteAddress: "127.0.0.1", remotePort: port, metadata: true});
const f = (v) => ({type: "f", value: v}), s = (v) => ({type: "s", value: v});
const got = [];
udp.on("message", (m) => {
  got.push([m.address, m.args.map((a) => a.value)]);
  if (m.address === "/segue/done" || m.address === "/segue/error") {
    console.log(JSON.stringify(got));
    process.exit(0);
  }
});
udp.on("ready", () => {
  udp.send({address: "/segue/ping", args: [f(3)]});
  udp.send({address: "/segue/seed/begin", args: [f(12), f(seed.notes.length), f(seed.length),
                                                 f(4), f(4)]});
  for (const n of seed.notes) udp.send({address: "/segue/seed/note", args: n.map(f)});
  udp.send({address: "/segue/seed/end", args: [f(12)]});
  udp.send({address: "/segue/generate", args: [f(12), s("notes"), f(5), s("variations"), f(2),
                                               s("rng_seed"), f(9)]});
});
setTimeout(() => { console.log(JSON.stringify(got)); process.exit(2); }, 15000);
udp.open();
"""


@pytest.fixture(scope="module")
def osc_js() -> Path:
    """npm's `osc` package installed into a cache folder (skip when it cannot be)."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed")
    folder = Path(tempfile.gettempdir()) / "segue-test-osc-js"
    if not (folder / "node_modules" / "osc").is_dir():
        folder.mkdir(exist_ok=True)
        try:
            result = subprocess.run(
                [
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    "--omit=optional",
                    "--prefix",
                    str(folder),
                    "osc@2",
                ],
                capture_output=True,
                text=True,
                timeout=180,
                encoding="utf-8",
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm install osc timed out (no network?)")
        if result.returncode != 0 or not (folder / "node_modules" / "osc").is_dir():
            pytest.skip(f"npm cannot install osc: {result.stderr.strip()[-200:]}")
    return folder


def test_osc_js_client_full_round_trip(server, models_dir, osc_js, tmp_path) -> None:
    script = tmp_path / "client.js"
    script.write_text(NODE_CLIENT, encoding="utf-8")
    seed = {
        "length": SEED.length,
        "notes": [[12, n.pitch, n.start, n.duration, n.velocity] for n in SEED.notes],
    }
    result = subprocess.run(
        ["node", str(script), str(server.address[1]), json.dumps(seed)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_PATH": str(osc_js / "node_modules")},
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout[-500:] + result.stderr[-500:]
    messages = json.loads(result.stdout.strip().splitlines()[-1])
    assert messages[0][0] == P.PONG and messages[0][1][0] == 3
    assert messages[-1][0] == P.DONE, messages[-1]
    assert received_notes(messages) == expected_notes(models_dir, notes=5, variations=2, rng_seed=9)
