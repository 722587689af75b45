"""`segue serve`, `segue send` and `segue ping` as real processes, MIDI file to MIDI file."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from serving import Serve

ROOT = Path(__file__).resolve().parents[1]
REEL = ROOT / "examples" / "seeds" / "reel.mid"


@pytest.fixture(scope="module")
def serve(models_dir):
    server = Serve("--host", "0.0.0.0", "--allow", "127.0.0.1", "--port", "0", "--model",
                   "tiny", "--models-dir", str(models_dir))
    server.port = int(server.wait_for(r"listening on udp [\d.]+:(\d+)").group(1))
    yield server
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_says_where_it_listens_and_warns_about_an_open_host(serve) -> None:
    serve.wait_for(r"model tiny")
    serve.wait_for(r"warning: listening on 0\.0\.0\.0: anyone on your network can")
    serve.wait_for(r"answering only 127\.0\.0\.1/32")


def test_ping_prints_version_model_and_round_trip(serve, segue_cli) -> None:
    result = segue_cli("ping", "--port", serve.port)
    assert result.returncode == 0, result.stderr
    assert re.search(r"segue bridge \S+ at 127\.0\.0\.1:\d+: model tiny, protocol 1, "
                     r"[\d.]+ ms round trip", result.stdout)


def test_send_continues_a_midi_file_through_the_bridge(serve, segue_cli, models_dir,
                                                       tmp_path) -> None:
    from segue.midi_io import read_midi
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import GenerationParams, generate

    out = tmp_path / "next.mid"
    result = segue_cli("send", REEL, "--port", serve.port, "-n", "2", "--notes", "6",
                       "-t", "0.9", "--seed-rng", "7", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "2 variation(s)" in result.stdout and "rng seed 7" in result.stdout
    model = load_checkpoint(models_dir / "tiny.pt").model
    want = generate(model, read_midi(REEL), GenerationParams(notes=6, variations=2, seed=7,
                                                                temperature=0.9))
    for i, variation in enumerate(want.variations, 1):
        written = read_midi(tmp_path / f"next-{i}.mid")
        assert written.notes == variation.clip.notes
    line = serve.wait_for(r"127\.0\.0\.1:\d+ request (\d+): (\d+) notes in, (\d+) notes out "
                          r"\(2 variations\), \d+ ms")
    assert int(line.group(2)) == len(read_midi(REEL)) and int(line.group(3)) == 12

    again = segue_cli("send", REEL, "--port", serve.port, "-n", "2", "-o", out)
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr


def test_send_prints_the_bridges_error(serve, segue_cli, tmp_path) -> None:
    result = segue_cli("send", REEL, "--port", serve.port, "--bars", "100", "-o",
                       tmp_path / "x.mid")
    assert result.returncode == 1
    assert "too_long" in result.stderr and "bars must be at most 64" in result.stderr
    assert not (tmp_path / "x.mid").exists()


def test_no_bridge_says_how_to_start_one(segue_cli, tmp_path) -> None:
    result = segue_cli("send", REEL, "--port", free_port(), "--timeout", "0.5", "-o",
                       tmp_path / "x.mid")
    assert result.returncode == 1
    assert "no answer from a segue bridge" in result.stderr and "segue serve" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_the_bridge_cleanly(serve) -> None:
    assert serve.stop() == 0
    serve.wait_for(r"segue bridge stopped")
    assert not any("Traceback" in line for line in serve.err)


def test_serve_refuses_an_unknown_model(models_dir) -> None:
    server = Serve("--port", "0", "--model", "nope", "--models-dir", str(models_dir))
    assert server.proc.wait(60) == 1
    server.wait_for(r"no model named 'nope' \(installed: [^)]*\btiny\b")
