"""The Pure Data example runs headless in a real `pd` against a real bridge.

Pd is started with ``-nogui`` and the patch examples/puredata/segue.pd; the
test "clicks" the patch's own message boxes by passing their text to ``-send``
(the connect box with the ports of this test), and reads what the patch
prints on stderr. It skips when ``pd`` (Debian's puredata-core) is missing.
"""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ports import HeldPorts, release_before, retry_taken

from segue import __version__
from segue.bridge.testing import running_server

PATCH = Path(__file__).resolve().parents[1] / "examples" / "puredata" / "segue.pd"
PD = shutil.which("pd")

pytestmark = pytest.mark.skipif(
    PD is None, reason="Pure Data is not installed (`pd`; on Debian: apt-get install puredata-core)"
)


def message_box(start: str) -> str:
    """The text of the patch's message box that begins with ``start``, as Pd would send it."""
    boxes = []
    for line in re.split(r"(?<!\\);\n", PATCH.read_text(encoding="utf-8")):
        match = re.match(r"#X msg -?\d+ -?\d+ (.*)", line, re.S)
        if match:
            text = match.group(1).replace("\n", " ")
            boxes.append(text.replace(r"\;", ";").replace(r"\$", "$").strip())
    found = [b for b in boxes if b.lstrip("; ").startswith(start)]
    assert len(found) == 1, f"one message box starting {start!r}, found {found}"
    return found[0].lstrip("; ")


def run_patch(
    bridge_port: int,
    clicks: list[str],
    done: Callable[[list[str]], bool],
    timeout: float = 60,
    also: tuple[Path, ...] = (),
    step: Callable[[list[str]], None] = lambda seen: None,
) -> list[str]:
    """Run the patch headless, connected to the bridge, clicking ``clicks`` in order (and
    opening the patches ``also`` beside it); ``step(lines)`` after each line printed.

    Returns the lines Pd printed, once ``done(lines)`` holds (or fails after ``timeout``).
    The patch's [netreceive] binds the listen port it is given by itself, once Pd runs: Pd
    is started again on a fresh port if another socket took that one meanwhile.
    """
    held = HeldPorts()
    try:
        seen, _ = retry_taken(
            held,
            held.take(),
            lambda listen: _run_patch_once(bridge_port, listen, clicks, done, timeout, also, step),
            lambda seen, listen: seen is LOST,
        )
    finally:
        held.close()
    assert seen is not LOST, "another socket took Pd's listen port three times"
    assert not [line for line in seen if line.startswith("segue: error")], seen
    return seen


LOST: list[str] = ["netreceive: listen failed"]
"""What :func:`_run_patch_once` returns when the listen port was taken (Pd says so)."""


def _run_patch_once(
    bridge_port: int,
    listen: int,
    clicks: list[str],
    done: Callable[[list[str]], bool],
    timeout: float,
    also: tuple[Path, ...],
    step: Callable[[list[str]], None],
) -> list[str]:
    connect = message_box("segue-connect").replace("9123 9124", f"{bridge_port} {listen}")
    assert connect != message_box("segue-connect"), "the connect box names other ports"
    command = [PD, "-nogui", "-nosound", "-nomidi", "-noprefs", "-stderr", "-open", str(PATCH)]
    for patch in also:
        command += ["-open", str(patch)]
    for click in [connect, *clicks]:
        command += ["-send", click]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while not done(seen):
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"Pd printed no end within {timeout} s; it printed: {seen[-20:]}")
            if line is None:
                pytest.fail(f"Pd exited with {proc.wait()}; it printed: {seen[-20:]}")
            if LOST[0] in line:
                return LOST
            seen.append(line)
            step(seen)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return seen


def printed(lines: list[str], name: str) -> list[list[str]]:
    """The atoms of each line a [print NAME] in the patch printed."""
    return [line.split(": ", 1)[1].split() for line in lines if line.startswith(f"{name}: ")]


def test_the_patch_pings_the_bridge_and_prints_the_pong(models_dir) -> None:
    with running_server(models_dir) as server:
        lines = run_patch(
            server.address[1],
            ["segue-send ping 7"],
            lambda seen: any(line.startswith("segue: pong 7 ") for line in seen),
            timeout=30,
        )
    assert printed(lines, "segue-connected") == [["1"]]
    [confirm] = printed(lines, "segue")[:1]
    assert confirm[0] == "reply_to" and 1024 <= int(confirm[1]) <= 65535
    pongs = [words for words in printed(lines, "segue") if words[:2] == ["pong", "7"]]
    assert pongs and pongs[0][:5] == ["pong", "7", __version__, "tiny", "1"]
    assert pongs[0][5].isdigit()  # the bridge's instance, printed whole


def test_the_patch_sets_parameters_uploads_a_seed_and_prints_the_notes(models_dir) -> None:
    seed = message_box("segue-send seed/begin")
    assert "generate 1 bars 2 variations 2" in seed
    clicks = [
        message_box("segue-send set temperature"),
        "segue-send set bars 1",
        "segue-send set rng_seed 11",  # the same notes every run
        seed,
        message_box("segue-send continue"),
    ]

    def finished(seen: list[str]) -> bool:
        replies = printed(seen, "segue")
        return ["done", "1"] in [r[:2] for r in replies] and ["label", "status"] in [
            r[:2] for r in replies
        ]

    with running_server(models_dir) as server:
        lines = run_patch(server.address[1], clicks, finished)
    replies = printed(lines, "segue")
    assert ["param", "temperature", "0.8"] in replies
    assert ["param", "bars", "1"] in replies
    assert ["param", "rng_seed", "11"] in replies
    assert ["seed", "stored", "1", "4"] in replies
    done = {r[1]: r for r in replies if r[0] == "done"}
    assert done["1"][2] == "2" and done["0"][2] == "1"  # variations of each request
    [status] = [line for line in lines if line.startswith("segue: label status ")]
    notes_out = len([n for n in printed(lines, "segue-note") if n[0] == "0"])
    # Pd escapes the spaces and commas of a symbol when it prints one
    assert re.fullmatch(
        rf"1 variation, {notes_out} note{'' if notes_out == 1 else 's'}, tiny, \d+ ms",
        status.removeprefix("segue: label status ").replace("\\", ""),
    )

    begins = printed(lines, "segue-begin")  # id index notes length start
    ends = printed(lines, "segue-end")
    notes = printed(lines, "segue-note")  # id index pitch start duration velocity
    # request 1: 2 variations of 2 bars after the 4-beat seed; request 0 (continue):
    # the same seed again, with this client's bars (1) and variations (1)
    expected = {("1", "0"): ("8", "4"), ("1", "1"): ("8", "4"), ("0", "0"): ("4", "4")}
    assert {(b[0], b[1]): (b[3], b[4]) for b in begins} == expected
    assert sorted((e[0], e[1]) for e in ends) == sorted(expected)
    assert len(notes) > 0
    for rid, index, count, length, _ in begins:
        mine = [n for n in notes if n[:2] == [rid, index]]
        assert len(mine) == int(count)
        for _, _, pitch, start, duration, velocity in mine:
            assert 0 <= int(pitch) <= 127 and 1 <= int(velocity) <= 127
            assert 0 <= float(start) < float(length) and float(duration) > 0


def test_the_patch_hears_a_restarted_bridge_that_never_heard_its_reply_port(
    models_dir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held_ports: HeldPorts
) -> None:
    """A bridge restarted (or one that forgot the patch after 30 quiet minutes) answers to
    the port [netsend] sends from, not the patch's listen port: the notes of a generate
    were made and lost without a word (helper-49). The patch now reads that port too."""
    from contextlib import ExitStack

    later = tmp_path / "later.pd"  # a ping 8 s after Pd starts: after the restart below
    later.write_text(
        "#N canvas 0 0 300 200 12;\n#X obj 10 10 loadbang;\n#X obj 10 40 delay 8000;\n"
        "#X msg 10 70 \\; segue-send ping 9;\n#X connect 0 0 1 0;\n#X connect 1 0 2 0;\n",
        encoding="utf-8",
    )
    from segue.bridge.server import BridgeServer

    # the restarted bridge binds the port in this process: held from the moment the first
    # bridge lets it go until the new one binds it (no other socket can take it between)
    release_before(monkeypatch, BridgeServer, "open", held_ports, lambda bridge: bridge.config.port)
    with ExitStack() as stack:
        first = ExitStack()
        port = first.enter_context(running_server(models_dir)).address[1]  # it chose the port
        restarted: list[bool] = []

        def restart(seen: list[str]) -> None:
            if not restarted and any(line.startswith("segue: reply_to") for line in seen):
                first.close()  # the bridge that knew the patch's listen port
                held_ports.hold(port)
                stack.enter_context(running_server(models_dir, port=port))
                restarted.append(True)

        stack.callback(first.close)
        lines = run_patch(
            port,
            [],
            lambda seen: any(line.startswith("segue: pong 9") for line in seen),
            also=(later,),
            step=restart,
        )
    assert restarted and any(line.startswith("segue: pong 9 ") for line in lines)
