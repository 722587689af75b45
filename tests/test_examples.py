"""The examples run as a user would run them, against a real bridge."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from segue.bridge.testing import running_server
from segue.notes import Note

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_python_client_example_continues_a_phrase(models_dir) -> None:
    with running_server(models_dir) as server:
        result = subprocess.run(
            [
                sys.executable,
                EXAMPLES / "client.py",
                "--port",
                str(server.address[1]),
                "--bars",
                "2",
                "--variations",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            encoding="utf-8",
        )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^model tiny: 2 variations in \d+ ms \(rng seed \d+\)$", result.stdout, re.M)
    # every variation is listed, even one the untrained test model left empty
    assert "variation 1:" in result.stdout and "variation 2:" in result.stdout
    starts = [float(s) for s in re.findall(r"start\s+([\d.]+)", result.stdout)]
    assert all(0 <= s < 8 for s in starts)  # two bars of 4/4


def test_python_client_example_says_when_no_bridge_runs(tmp_path) -> None:
    from ports import silent_port

    script = (
        (EXAMPLES / "client.py")
        .read_text(encoding="utf-8")
        .replace("sock.settimeout(10.0)", "sock.settimeout(0.5)")
    )
    quick = tmp_path / "client.py"
    quick.write_text(script, encoding="utf-8")
    with silent_port() as port:  # held and read by no one: no bridge answers there
        result = subprocess.run(
            [sys.executable, quick, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            encoding="utf-8",
        )
    assert result.returncode == 1
    assert result.stderr.strip() == "no answer from the bridge: is `segue serve` running?"


def test_python_client_example_says_no_bridge_where_the_system_reports_it(
    monkeypatch, capsys
) -> None:
    """Issue 19, row 4: Windows reports a send to a closed port (WSAECONNRESET) at the next
    receive; the example answered with a ConnectionResetError traceback."""
    import importlib.util
    import socket

    spec = importlib.util.spec_from_file_location("segue_client_example", EXAMPLES / "client.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)

    def reset(self, *args):
        raise ConnectionResetError(10054, "An existing connection was forcibly closed")

    monkeypatch.setattr(socket.socket, "recv", reset)
    monkeypatch.setattr(sys, "argv", ["client.py", "--host", "localhost", "--port", "9"])
    assert example.main() == 1
    assert capsys.readouterr().err == ("no bridge on 127.0.0.1:9: start one with `segue serve`\n")


def test_the_seed_clips_are_what_make_seeds_writes() -> None:
    """Every clip in examples/seeds/ comes from make_seeds.py, and the script lists them all."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_seeds
    finally:
        sys.path.remove(str(EXAMPLES))
    from segue.grid import TICK
    from segue.midi_io import read_midi

    names = [name for name, _, _ in make_seeds.SEEDS]
    assert sorted(names) == sorted(p.stem for p in (EXAMPLES / "seeds").glob("*.mid"))
    for name, make, options in make_seeds.SEEDS:
        clip = make()
        written = read_midi(EXAMPLES / "seeds" / f"{name}.mid", drums="channel" in options)
        assert written.length == clip.length and written.time_signature == clip.time_signature
        assert len(written) == len(clip), name

        def order(n: Note) -> tuple[float, int]:
            return (n.start, n.pitch)

        for a, b in zip(
            sorted(written.notes, key=order), sorted(clip.notes, key=order), strict=True
        ):
            assert (a.pitch, a.velocity) == (b.pitch, b.velocity), name
            assert abs(a.start - b.start) <= TICK and abs(a.duration - b.duration) <= TICK, name
