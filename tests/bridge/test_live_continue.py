"""Continuing a clip of Live through AbletonOSC: names of the new clips, the seed read from Live."""

from __future__ import annotations

from segue.bridge.abletonosc.clip import ClipInfo, LiveNote
from segue.bridge.live_continue import clip_name, seed_from_notes
from segue.notes import Note, TimeSignature


def test_clip_names() -> None:
    assert clip_name("  my   riff ", 2) == "my riff segue 2"
    assert clip_name("", 1) == "clip segue 1"
    assert len(clip_name("x" * 100, 12)) == 64
    assert clip_name("Bass A segue 1", 2) == "Bass A segue 2"  # names do not grow


def test_a_long_clip_name_is_cut_between_letters_as_shown_not_inside_one() -> None:
    """A 64-character name was cut by characters: a continuation of a clip named with a flag,
    a singer (👩, a joiner, 🎤) or a Mac's decomposed é at the cut kept half of it, shown in
    Live as a stray letter or a box (helper-327)."""
    import unicodedata

    for letters in (["🇯🇵", "🇫🇷"], ["👩\u200d🎤"] * 2, [unicodedata.normalize("NFD", "é")] * 4):
        whole = {"".join(letters[:n]) for n in range(len(letters) + 1)}
        for length in range(50, 62):
            name = clip_name("x" * length + "".join(letters), 1)
            assert len(name) <= 64 and name.endswith(" segue 1")
            assert name.removesuffix(" segue 1")[length:] in whole, (length, name)


def test_a_note_ringing_past_the_clip_s_end_ends_there_as_the_device_reads_it() -> None:
    info = ClipInfo(0, 0, "riff", 4.0, 0.0, TimeSignature(4, 4), "clip")
    seed, _ = seed_from_notes(info, [LiveNote(45, 3.0, 3.0, 100.0)])
    assert seed.notes == (Note(45, 3.0, 1.0, 100),)


def test_the_seed_is_the_played_region_on_the_grid_without_muted_notes() -> None:
    info = ClipInfo(0, 0, "riff", 2.0, 4.0, TimeSignature(2, 4), "clip")
    notes = [
        LiveNote(60, 4.0, 0.33333334, 99.6),
        LiveNote(62, 4.33333334, 0.001, 80.0),
        LiveNote(64, 5.0, 1.0, 90.0, mute=True),
        LiveNote(65, 3.0, 1.0, 90.0),
        LiveNote(67, 6.0, 1.0, 90.0),
        LiveNote(60, 4.0, 1 / 3, 100.0),
    ]
    seed, left_out = seed_from_notes(info, notes)
    assert seed.notes == (Note(60, 0.0, 1 / 3, 100), Note(62, 1 / 3, 1 / 24, 80))
    assert (seed.length, seed.time_signature, left_out) == (2.0, TimeSignature(2, 4), 3)


def test_a_clip_on_a_drum_rack_track_is_continued_as_drums(reply_port) -> None:
    from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet

    from segue.bridge.abletonosc.track import DRUM_RACK
    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.bridge.live_continue import continue_in_live
    from segue.model.generate import GenerationResult, Variation
    from segue.notes import Clip

    beat = [(36, 0.0, 0.25, 110.0, False), (38, 1.0, 0.25, 100.0, False)]
    asked: list[tuple[int, bool]] = []

    def generate(seed, drums: bool, downbeat: float | None) -> GenerationResult:
        asked.append((len(seed), drums))
        clip = Clip(tuple(Note(36, i * 1.0, 0.25, 100) for i in range(4)), 4.0)
        return GenerationResult((Variation(clip, 4.0),), seed, None, 1)

    for devices, drums in (((DRUM_RACK,), True), (("InstrumentGroupDevice",), False)):
        live_set = LiveSet(
            [FakeTrack("Beat", [FakeClip("Groove", 4.0, list(beat)), None], devices=devices)]
        )
        with AbletonOSCStandin(live_set, reply_port) as standin:
            with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
                continue_in_live(live, generate, 1, track=0, scene=0)
        assert asked[-1] == (2, drums)
        assert live_set.tracks[0].slots[1] is not None


def test_a_track_inserted_above_while_generating_gets_nothing_written(reply_port) -> None:
    """AbletonOSC counts tracks by position: a track inserted above the source while the
    model ran sent the new clips to the track that was then at the source's index."""
    import pytest
    from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet

    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.bridge.live_continue import continue_in_live
    from segue.errors import LiveError
    from segue.model.generate import GenerationResult, Variation
    from segue.notes import Clip

    riff = [(45, 0.0, 0.5, 100.0, False), (52, 0.5, 0.5, 90.0, False)]
    keys = FakeTrack("Keys", [FakeClip("Riff", 4.0, list(riff)), None])
    live_set = LiveSet([FakeTrack("Pad", [FakeClip("Pad", 4.0, list(riff)), None]), keys])

    def generate(seed, drums: bool, downbeat: float | None) -> GenerationResult:
        live_set.tracks.insert(1, FakeTrack("New", [None, None]))  # the producer adds one
        clip = Clip(tuple(Note(45, i * 0.5, 0.5, 100) for i in range(8)), 4.0)
        return GenerationResult((Variation(clip, 4.0),), seed, None, 1)

    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(LiveError, match="'Riff' changed or moved while segue was gen"):
                continue_in_live(live, generate, 1, track=1, scene=0)
    assert [t.slots[1] for t in live_set.tracks] == [None, None, None]  # nothing written


def test_live_gone_silent_part_way_says_what_was_written(reply_port, monkeypatch) -> None:
    """Live stopped answering after the first of two clips: the error said only that Live
    did not answer (is it running?), while a clip had been written."""
    import pytest
    from abletonosc_standin import AbletonOSCStandin, FakeClip, FakeTrack, LiveSet

    from segue.bridge import live_continue
    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.errors import LiveTimeout
    from segue.model.generate import GenerationResult, Variation
    from segue.notes import Clip

    riff = [(45, 0.0, 0.5, 100.0, False), (52, 0.5, 0.5, 90.0, False)]
    live_set = LiveSet([FakeTrack("Bass", [FakeClip("Riff", 4.0, list(riff)), None, None])])
    real = live_continue.write_clip
    calls: list[int] = []

    def write(live, track, scene, clip, name):
        calls.append(scene)
        if len(calls) == 2:
            raise LiveTimeout("Ableton Live did not answer")
        return real(live, track, scene, clip, name)

    def generate(seed, drums: bool, downbeat: float | None) -> GenerationResult:
        clip = Clip(tuple(Note(45, i * 0.5, 0.5, 100) for i in range(8)), 4.0)
        return GenerationResult((Variation(clip, 4.0), Variation(clip, 4.0)), seed, None, 1)

    monkeypatch.setattr(live_continue, "write_clip", write)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        with AbletonOSC("127.0.0.1", standin.port, reply_port, timeout=2.0) as live:
            with pytest.raises(LiveTimeout) as stopped:
                live_continue.continue_in_live(live, generate, 2, track=0, scene=0)
    assert str(stopped.value) == (
        "wrote 1 of 2 clips (track 1, scene 2), then: Ableton Live did not answer"
    )
    assert live_set.tracks[0].slots[1] is not None and live_set.tracks[0].slots[2] is None
