"""Each address's handler through a real bridge on loopback: requests, parameters, buttons."""

from __future__ import annotations

import numpy as np
import pytest
from bridge_requests import expected, got, phrase, upload
from riffs import power_riff

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient, BridgeReplyError
from segue.bridge.testing import RawClient, running_server
from segue.grid import clip_rows, snap, to_ticks
from segue.notes import Clip, Note, TimeSignature


def test_ping_version_models_and_model_choice(server, raw) -> None:
    with BridgeClient(*server.address) as client:
        pong = client.ping()
        assert (pong.model, pong.protocol) == ("tiny", P.PROTOCOL_VERSION)
        assert client.version()[1] == P.PROTOCOL_VERSION
        listed = client.models()
        assert {("other", "user", "test"), ("tiny", "user", "test")} <= set(listed)
    # the model is each client's own choice
    raw.send(P.MODEL, "other")
    assert raw.until(P.MODEL)[-1].args == ("other",)
    raw.send(P.PING, 1)
    assert raw.until(P.PONG)[-1].args[2] == "other"
    for bad in ("../tiny", "/etc/passwd", "tiny.pt/..", "missing"):
        raw.send(P.MODEL, bad)
        assert raw.error()[1] == "unknown_model"
    raw.send(P.PING, 2)
    assert raw.until(P.PONG)[-1].args[2] == "other"


def test_a_model_name_beyond_ascii_is_refused_in_words_that_say_so(raw) -> None:
    """A device or TouchOSC sending "Zoë" was told "a model is chosen by name (letters,
    digits, '.', '_' and '-'), never by path": no path was sent, and ë is a letter to a
    musician (helper-327)."""
    for name in ("Zoë", "ベース 🎸"):
        raw.send(P.MODEL, name)
        _, code, sentence = raw.error()
        assert code == "unknown_model" and sentence == (
            f"{name!r} is not a model name (ASCII letters (a-z, A-Z), digits, '.', '_' and "
            "'-'): a model is chosen by its name, never by path"
        )


def test_a_request_through_the_bridge_equals_generation_in_process(server, tiny) -> None:
    seed = phrase()
    with BridgeClient(*server.address) as client:
        result = client.generate(seed, {"bars": 2.0, "variations": 3, "rng_seed": 11})
    assert len(result.variations) == 3 and result.rng_seed == 11
    assert got(result) == expected(tiny, seed, bars=2, variations=3, rng_seed=11)
    assert all(v.start == seed.length for v in result.variations)


def test_done_says_the_model_and_the_key_the_notes_were_locked_to(server, tiny) -> None:
    from segue.model.key_lock import lock_key
    from segue.model.small_scales import small_key

    seed = phrase()
    with BridgeClient(*server.address) as client:
        plain = client.generate(seed, {"bars": 1.0, "rng_seed": 2})
        heard = client.generate(seed, {"bars": 1.0, "rng_seed": 2, "key": "auto"})
        named = client.generate(seed, {"bars": 1.0, "key": "F# dorian", "model": "other"})
    assert (plain.model, plain.key) == ("tiny", "")
    said = small_key(seed.notes, lock_key(seed.notes))  # a pentatonic clip's, its scale
    assert (heard.model, heard.key) == ("tiny", str(said))
    assert heard.key and got(heard) == expected(tiny, seed, bars=1, rng_seed=2, key="auto")
    assert (named.model, named.key) == ("other", "F# dorian")


def test_done_names_a_power_chord_riff_s_open_third_and_the_key_reads_back(server) -> None:
    """A riff of power chords A5 D5 E5 E5 (no third) was locked to "A major" at key auto:
    done names its open third, "A no-third", the name a musician reads on the device's
    status line, and the key set to it (or "A (no third)") is that key."""
    riff = power_riff()  # A5 D5 E5 E5
    with BridgeClient(*server.address) as client:
        heard = client.generate(riff, {"bars": 1.0, "rng_seed": 2, "key": "auto"})
        assert heard.key == "A no-third"
        assert client.set("key", "A (no third)") == "A no-third"
        named = client.generate(riff, {"bars": 1.0, "rng_seed": 2})
    assert named.key == "A no-third"
    assert {n.pitch % 12 for v in named.variations for n in v.clip.notes} <= {9, 11, 2, 4}


def test_a_key_with_a_word_segue_does_not_know_is_refused_and_the_bridge_serves_on(raw) -> None:
    """/segue/set key "C 日本 major" was taken as C major without a word (helper-263): it is
    refused with bad_value naming the word and Live's scales, and the next messages are
    served, the key left as it was."""
    raw.send(P.SET, "key", "A minor")
    assert raw.until(P.PARAM)[-1].args == ("key", "A minor")
    raw.send(P.SET, "key", "C 日本 major")
    rid, code, message = raw.error()
    assert (rid, code) == (-1, "bad_value")
    assert message.startswith("key: unknown scale '日本 major' in key 'C 日本 major': name one")
    assert "(Major, Minor, Dorian," in message and len(message) <= P.MAX_TEXT
    raw.send(P.GET, "key")
    assert raw.until(P.PARAM)[-1].args == ("key", "A minor")
    raw.send(P.SET, "key", "C major")
    assert raw.until(P.PARAM)[-1].args == ("key", "C major")


def test_touchosc_floats_and_float32_triplets_give_the_exact_request(server, raw, tiny) -> None:
    seed = Clip(
        tuple(Note(62 + i % 5, i / 3, 1 / 3, 90) for i in range(12)), 4.0, TimeSignature(3, 4)
    )
    upload(raw, 5, seed, floats=True)
    assert raw.until(P.SEED_STORED)[-1].args == (5, 12)
    raw.send(P.GENERATE, 5.0, "beats", 6.0, "variations", 2.0, "rng_seed", 3.0)
    replies = raw.until(P.DONE)
    notes = [m.args for m in replies if m.address == P.VARIATION_NOTE]
    want = expected(tiny, seed, beats=6, variations=2, rng_seed=3)
    assert len(notes) == sum(len(v[1]) for v in want)

    assert [(a[2], snap(a[3]), snap(a[4]), a[5]) for a in notes if a[1] == 0] == [
        (n.pitch, n.start, n.duration, n.velocity) for n in want[0][1]
    ]
    statuses = [m.args[1] for m in replies if m.address == P.STATUS]
    assert statuses == ["queued", "running"]


def test_a_request_for_notes_of_a_reduced_chord_part_gets_them(server) -> None:
    """A request for 8 notes in 1 voice on a pad of 4-note chords got 2 back from the bridge,
    as from `segue generate`: the notes were counted before the chords were reduced."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    chords = [(48, 52, 55, 60), (45, 52, 57, 60)] * 2
    pad = Clip(tuple(Note(p, i * 2.0, 1.9, 90) for i, c in enumerate(chords) for p in c))
    asked = {"notes": 8, "polyphony": 1, "variations": 2, "rng_seed": 4}
    with BridgeClient(*server.address) as client:
        result = client.generate(pad, {**asked, "model": "producer"})
    assert [len(v.clip.notes) for v in result.variations] == [8, 8]
    producer = load_checkpoint(find_model("producer")).model
    for (_, notes, _), v in zip(expected(producer, pad, **asked), result.variations, strict=True):
        assert [(n.pitch, n.start) for n in v.clip.notes] == [(n.pitch, n.start) for n in notes]


def _played_take() -> Clip:
    """Two bars of eighths played a few ms off the grid (5 to 30 ms at 120 BPM), as float32
    (what arrives over OSC), with lengths of all sorts."""
    generator = np.random.default_rng(3)
    early_or_late = generator.choice([-1, 1], 16) * generator.uniform(0.01, 0.06, 16)
    starts = np.abs(np.arange(16) / 2 + early_or_late).astype(np.float32)
    lengths = generator.uniform(0.1, 0.45, 16).astype(np.float32)
    notes = (
        Note(60 + (5 * i) % 12, float(s), float(d), 70 + 3 * i)
        for i, (s, d) in enumerate(zip(starts, lengths, strict=True))
    )
    return Clip(tuple(notes), 8.0)


def test_a_played_seed_in_raw_times_gives_what_generate_gives(server, raw) -> None:
    """An OSC client that sends a played take's times as they are (a script, Pure Data) gets
    what `segue generate` gives for the same clip: the bridge snaps each note's end, as
    grid_rows does, not its duration (which put notes of a take a tick away, and the
    producer model, which keeps the clip's loop, played other lengths than generate)."""
    from segue.model.checkpoint import load_checkpoint
    from segue.model.registry import find_model

    seed = _played_take()
    apart = [to_ticks(n.start) + to_ticks(n.duration) != to_ticks(n.end) for n in seed.notes]
    assert sum(apart) >= 3  # notes whose duration rounded by itself ends elsewhere
    upload(raw, 8, seed)
    assert raw.until(P.SEED_STORED)[-1].args == (8, 16)
    stored = server.bridge.sessions.peek(("127.0.0.1", raw.port)).seeds[8]
    assert clip_rows(stored).tolist() == clip_rows(seed).tolist()
    raw.send(P.GENERATE, 8, "bars", 2, "variations", 2, "rng_seed", 5, "model", "producer")
    notes = [m.args for m in raw.until(P.DONE) if m.address == P.VARIATION_NOTE]
    producer = load_checkpoint(find_model("producer")).model
    want = expected(producer, seed, bars=2, variations=2, rng_seed=5)
    off = 0
    for index, (_, variation, _) in enumerate(want):
        got = [(a[2], a[3], a[4], a[5]) for a in notes if a[1] == index]
        assert [(p, v) for p, _, _, v in got] == [(n.pitch, n.velocity) for n in variation]
        for (_, start, duration, _), n in zip(got, variation, strict=True):
            assert start == pytest.approx(n.start, abs=1e-5)  # float32 on the way back
            assert duration == pytest.approx(n.duration, abs=1e-5)
            off += to_ticks(n.start) != n.start * 24  # a repeat played as the take was
    assert off  # (segue.model.feel), from the bridge as from `segue generate`


def test_seed_of_no_notes_starts_from_nothing(server, raw) -> None:
    raw.send(P.SEED_BEGIN, 1, 0, 4.0, 6, 8)
    raw.send(P.SEED_END, 1)
    raw.send(P.GENERATE, 1, "notes", 5)
    replies = raw.until(P.DONE)
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert begin.args[2] == 5 and begin.args[4] == 0.0


def test_parameters_set_get_and_pairs_override_for_one_request(server) -> None:
    with BridgeClient(*server.address) as client:
        assert client.set("temperature", 0.5) == 0.5
        assert client.set("notes", 8.0) == 8
        assert client.set("key", "auto") == "auto"
        values = client.get()
        assert (values["bars"], values["beats"], values["notes"]) == (0.0, 0.0, 8)
        result = client.generate(phrase(), {"variations": 2})
        assert [len(v.clip) for v in result.variations] == [8, 8]
        assert client.get()["variations"] == 1
        with pytest.raises(BridgeReplyError) as info:
            client.set("variations", 17)
        assert info.value.code == "too_many_variations"


def test_fader_maps_to_the_range_and_feeds_back(server, raw) -> None:
    raw.send("/segue/fader/temperature", 0.25)
    fader, label = raw.until("/segue/label/temperature")[-2:]
    assert fader.address == "/segue/fader/temperature" and fader.args[0] == pytest.approx(0.25)
    assert label.args == ("0.5",)
    raw.send("/segue/fader/bars", 0.512)  # 1 + 0.512 * 31 = 16.87 -> 17 bars
    fader, label = raw.until("/segue/label/bars")[-2:]
    assert label.args == ("17 bars",) and fader.args[0] == pytest.approx(16 / 31)
    raw.send("/segue/fader/variations", 1.0)
    assert raw.until("/segue/label/variations")[-1].args == ("16",)
    raw.send(P.GET, "bars")
    assert raw.until(P.PARAM)[-1].args == ("bars", 17.0)
    raw.send("/segue/fader/temperature", 1.5)
    assert raw.error()[1] == "bad_value"
    raw.send("/segue/fader/key", 0.5)
    assert raw.error()[1] == "unknown_address"


def test_continue_button_uses_the_last_seed_and_ignores_release(server, raw) -> None:
    raw.send("/segue/fader/notes", 0.0)  # 1 note per variation
    raw.until("/segue/label/notes")
    raw.send(P.CONTINUE, 0.0)
    raw.send(P.PING, 1)
    assert raw.next().address == P.PONG  # the release was ignored
    upload(raw, 3, phrase(n=4))
    raw.until(P.SEED_STORED)
    raw.send(P.CONTINUE, 1.0)
    replies = raw.until(P.LABEL_STATUS)
    done = next(m for m in replies if m.address == P.DONE)
    assert done.args[0] == P.BUTTON_REQUEST and done.args[1] == 1
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert begin.args[4] == phrase(n=4).length  # continued the uploaded seed
    assert "1 variation, 1 note," in replies[-1].args[0]


def test_start_button_generates_from_nothing_and_keeps_the_seed_for_continue(
    server, raw, tiny
) -> None:
    raw.send(P.SET, "rng_seed", 5)
    raw.until(P.PARAM)
    seed = Clip(tuple(Note(62 + i, i * 1.0, 1.0, 96) for i in range(3)), 6.0, TimeSignature(3, 4))
    upload(raw, 4, seed)
    raw.until(P.SEED_STORED)
    raw.send(P.START, 0.0)
    raw.send(P.PING, 1)
    assert raw.next().address == P.PONG  # the release was ignored
    raw.send(P.START, 1.0)
    replies = raw.until(P.LABEL_STATUS)
    done = next(m for m in replies if m.address == P.DONE)
    assert done.args[:2] == (P.BUTTON_REQUEST, 1)
    begin = next(m for m in replies if m.address == P.VARIATION_BEGIN)
    assert (begin.args[3], begin.args[4]) == (16.0, 0.0)  # 4 bars of 4/4 from nothing

    notes = [
        (a[2], snap(a[3]), snap(a[4]), a[5])
        for a in (m.args for m in replies if m.address == P.VARIATION_NOTE)
    ]
    [(start, want, length)] = expected(
        tiny, Clip((), None, TimeSignature(4, 4)), bars=4, rng_seed=5
    )
    assert (start, length) == (0.0, 16.0)
    assert notes == [(n.pitch, n.start, n.duration, n.velocity) for n in want]
    assert replies[-1].args[0].startswith("1 variation, ")
    raw.send(P.CONTINUE, 1.0)  # the uploaded seed is still the one to continue
    begin = next(m for m in raw.until(P.LABEL_STATUS) if m.address == P.VARIATION_BEGIN)
    assert (begin.args[3], begin.args[4]) == (12.0, 6.0)  # 4 bars of the seed's 3/4


def test_an_id_is_free_again_as_soon_as_its_done_arrives(server, raw) -> None:
    """A client that answers done at once with the same id (a button) is never refused."""
    upload(raw, 9, phrase(n=4))
    raw.until(P.SEED_STORED)
    for _ in range(20):
        raw.send(P.GENERATE, 9, "notes", 1)
        assert raw.until(P.DONE)[-1].args[0] == 9
        upload(raw, 9, phrase(n=4))  # at once: the same id again
        assert raw.until([P.SEED_STORED, P.ERROR])[-1].address == P.SEED_STORED
    for _ in range(20):
        raw.send(P.CONTINUE, 1.0)
        replies = raw.until([P.DONE, P.ERROR])
        assert replies[-1].address == P.DONE, replies[-1]


def test_reply_port_registration(server) -> None:
    with RawClient(server.address) as sender, RawClient(server.address) as listener:
        sender.send(P.REPLY_TO, float(listener.port))
        assert listener.until(P.REPLY_TO).pop().args == (listener.port,)
        sender.send(P.PING, 7)
        assert listener.until(P.PONG).pop().args[0] == 7
        assert sender.next(0.2) is None
        sender.send(P.REPLY_TO, 80)
        assert listener.error()[1] == "bad_value"
        sender.send(P.REPLY_TO, 0)
        assert sender.until(P.REPLY_TO).pop().args == (0,)
        sender.send(P.PING, 8, listener.port)  # a one-off reply port
        assert listener.until(P.PONG).pop().args[0] == 8


def test_a_bridge_without_abletonosc_says_how_to_start_one(models_dir) -> None:
    with running_server(models_dir) as server, RawClient(server.address) as touchosc:
        touchosc.send(P.LIVE_CONTINUE, 1.0)
        rid, code, text = touchosc.error()
        assert (rid, code) == (0, "no_abletonosc") and "segue serve --abletonosc" in text


def test_a_drum_seed_refuses_a_melodic_model(server, raw) -> None:
    """The device's Model menu on a melodic model, on a Drum Rack's track: that model's notes
    were written into the rack as pads. A seed marked `drums 1` now refuses it."""
    beat = Clip(tuple(Note(36 + 6 * (i % 2), i * 0.5, 0.25, 100) for i in range(8)), 4.0)
    upload(raw, 71, beat)
    raw.until(P.SEED_STORED)
    raw.send(P.GENERATE, 71, "drums", 1, "model", "tiny")
    rid, code, text = raw.error()
    assert (rid, code) == (71, "melodic_model") and "tiny is a melodic model" in text
    upload(raw, 71, beat)  # the seed was used: the bridge keeps serving a new one
    raw.until(P.SEED_STORED)
    raw.send(P.GENERATE, 71, "drums", 0, "model", "tiny", "bars", 1)  # not drums: played
    assert raw.until(P.DONE)[-1].args[0] == 71
    raw.send(P.GENERATE, 72, "drums", 2)
    assert raw.error()[:2] == (72, "bad_value")


def test_a_model_named_with_digits_is_chosen_as_pd_and_max_send_it(models_dir, tmp_path) -> None:
    """Pd and Max send a word of digits as a number: a model named 808 was listed, and
    every way of choosing it was refused ("name must be a string, got 808", helper-49)."""
    import shutil

    folder = tmp_path / "models"
    shutil.copytree(models_dir, folder)
    shutil.copy(folder / "tiny.pt", folder / "808.pt")
    with running_server(folder) as srv, RawClient(srv.address) as pd:
        pd.send(P.MODEL, 808.0)  # Pd's numbers are floats
        assert pd.until(P.MODEL)[-1].args == ("808",)
        pd.send(P.SET, "model", 808)
        assert pd.until(P.PARAM)[-1].args == ("model", "808")
        pd.send(P.MODEL, 808.5)
        assert pd.error()[1] == "bad_arguments"


def test_a_learn_from_an_unknown_model_is_refused_once_not_for_every_clip(models_dir) -> None:
    """A learn begun from a model that is not there drew one error, then no_upload for each
    of its clips and notes (9 for 2 clips of 3 notes, helper-50): its begin is refused, and
    the rest is ignored until its end, which says why."""
    with running_server(models_dir) as srv, RawClient(srv.address) as raw:
        raw.send(P.LEARN_BEGIN, 4242, "fresh", 2, 5.0, "nosuch")
        for _ in range(2):
            raw.send(P.LEARN_CLIP, 4242, 3, 4.0, 4, 4, 0)
            for k in range(3):
                raw.send(P.LEARN_NOTE, 4242, 60 + k, float(k), 1.0, 100)
        raw.send(P.LEARN_END, 4242)
        raw.send(P.PING, 1)
        replies = raw.until(P.PONG)
    errors = [m.args for m in replies if m.address == P.ERROR]
    assert errors[0][:2] == (4242, "unknown_model")
    assert len(errors) == 2 and errors[1][:2] == (4242, "unknown_model")  # the end, with the
    # reason (it was answered no_upload, "no learn upload was begun")
    assert str(errors[1][2]).startswith(
        "learn end for request 4242, whose begin was refused: no model named 'nosuch'"
    ), errors[1]
