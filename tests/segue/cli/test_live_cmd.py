"""`segue live continue` against a stand-in Live running AbletonOSC.

The stand-in (tests/support/abletonosc_standin.py) is a real UDP server on loopback that
answers as AbletonOSC's source does, "Message too long" on big replies included."""

from __future__ import annotations

import subprocess
import time

from abletonosc_standin import AbletonOSCStandin, FakeClip, reply_port_taken
from live_sets import (
    WRITES,
    expected_notes,
    in_live,
    keys_set,
    live_cli,
    riff,
    source_seed,
    writes_to,
)
from ports import retry_taken, silent_port

from segue.bridge.abletonosc.transport import SEND_LIMIT


def test_continue_writes_each_variation_into_the_next_empty_slots(
    segue_cli, models_dir, tiny, reply_port, held_ports
) -> None:
    source = FakeClip("riff", 4.0, riff())
    keep = FakeClip("keep", 8.0, [(40, 0.0, 1.0, 100.0, False)])
    live_set = keys_set([source, None, keep, None, None])
    before = list(source.notes)

    def start(reply_port: int) -> subprocess.CompletedProcess:
        standin.answer_on(reply_port)
        return segue_cli(
            "live",
            "continue",
            "-n",
            "2",
            "--bars",
            "2",
            "--rng-seed",
            "7",
            "--model",
            "tiny",
            "--models-dir",
            models_dir,
            "--port",
            standin.port,
            "--reply-port",
            reply_port,
            timeout=120,
        )

    with AbletonOSCStandin(live_set, reply_port) as standin:
        # the subprocess binds the reply port itself, after it starts: tried again on a
        # fresh port if another socket took it meanwhile
        result, _ = retry_taken(
            held_ports, reply_port, start, lambda r, port: reply_port_taken(r.stderr, port)
        )
    assert result.returncode == 0, result.stderr
    slots = live_set.tracks[0].slots
    first, second = slots[1], slots[3]
    assert isinstance(first, FakeClip) and isinstance(second, FakeClip)
    assert (first.name, second.name) == ("riff segue 1", "riff segue 2")
    assert first.length == second.length == 8.0  # 2 bars of 4/4
    assert [in_live(first), in_live(second)] == [
        sorted(v) for v in expected_notes(tiny, source_seed(), bars=2, variations=2, rng_seed=7)
    ]
    assert slots[0] is source and source.notes == before and source.name == "riff"
    assert slots[2] is keep and keep.name == "keep" and len(keep.notes) == 1
    assert slots[4] is None and live_set.num_scenes == 5
    assert writes_to(standin, 0, 0) == [] and writes_to(standin, 0, 2) == []
    assert max(size for _, size in standin.sizes) <= SEND_LIMIT
    assert "track 1, scene 2: 'riff segue 1'" in result.stdout
    assert "track 1, scene 4: 'riff segue 2'" in result.stdout
    assert "16 notes, 4 beats of 4/4\n" in result.stdout
    assert "model tiny (rng seed 7)\n" in result.stdout  # as `segue generate` says it


def test_track_and_scene_options_count_from_one_and_a_missing_track_is_named(
    capsys, models_dir, reply_port
) -> None:
    live_set = keys_set([None, None, None])
    live_set.tracks[1].slots[1] = FakeClip("bassline", 4.0, riff())
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--track", 2, "--scene", 2, "--beats", 3
        )
        assert code == 0, err
        written = live_set.tracks[1].slots[2]
        assert isinstance(written, FakeClip) and written.name == "bassline segue 1"
        assert written.length == 3.0
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--track", 5, "--scene", 1
        )
    assert code == 1 and err.strip() == "segue: error: there is no track 5: the set has 2 track(s)"


def test_no_clip_selected_an_audio_clip_and_the_master_track_say_so(
    capsys, models_dir, reply_port
) -> None:
    audio = FakeClip("drums.wav", 4.0, is_midi_clip=False)
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None, audio], selected=(0, 1))
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, "selected")
        assert code == 1 and err.count("\n") == 1
        assert err.startswith(
            "segue: error: no clip in the selected slot (track 1, scene 2): click a MIDI clip"
        )
        live_set.selected = (0, 2)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir)
        assert code == 1 and "the clip at track 1, scene 3 is an audio clip" in err
        live_set.selected = (None, 0)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir)
        assert code == 1 and "selected track holds no clips (the master or a return" in err
        live_set.tracks[0].slots[0].is_recording = True  # Live records into the riff
        live_set.selected = (0, 0)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir)
        assert code == 1 and err.strip() == (
            "segue: error: the clip at track 1, scene 1 is being recorded: stop the "
            "recording, then continue"
        ), err
        live_set.tracks[0].slots[0].is_recording = False
        for scene, said in ((2, "no clip in the slot (track 1, scene 2)"), (3, "audio clip")):
            named = ("--track", 1, "--scene", scene)  # a slot named: nothing is "selected"
            code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *named)
            assert code == 1 and said in err and "select" not in err, err
            assert err.rstrip().endswith("name a slot that holds a MIDI clip"), err
    assert [s.name if s else None for s in live_set.tracks[0].slots] == ["riff", None, "drums.wav"]
    assert not [a for a, _ in standin.handled if a in WRITES]


def test_no_empty_slot_fails_before_generating_or_adds_scenes(
    capsys, models_dir, reply_port
) -> None:
    full = [FakeClip("riff", 4.0, riff()), FakeClip("a"), FakeClip("b")]
    live_set = keys_set(full)
    args = ("-n", 2, "--bars", 1)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "--no-new-scenes", *args
        )
        assert code == 1
        assert "track 1 has 0 empty clip slot(s) after scene 1 and 2 are needed" in err
        assert live_set.num_scenes == 3 and not [a for a, _ in standin.handled if a in WRITES]
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    assert live_set.num_scenes == 5 and "added 2 scene(s) at the end of the set" in out
    assert [s.name for s in live_set.tracks[0].slots] == [
        "riff",
        "a",
        "b",
        "riff segue 1",
        "riff segue 2",
    ]
    assert live_set.tracks[1].slots == [None] * 5  # other tracks get empty slots


def test_live_not_answering_is_one_clear_line(
    segue_cli, models_dir, reply_port, held_ports
) -> None:
    def start(reply_port: int) -> subprocess.CompletedProcess:
        return segue_cli(
            "live",
            "continue",
            "--model",
            "tiny",
            "--models-dir",
            models_dir,
            "--port",
            silent,
            "--reply-port",
            reply_port,
            "--timeout",
            "0.5",
        )

    started = time.monotonic()
    with silent_port() as silent:  # held and read by no one: Live does not answer there
        # the subprocess binds the reply port itself: tried again if another socket took it
        result, _ = retry_taken(
            held_ports, reply_port, start, lambda r, port: reply_port_taken(r.stderr, port)
        )
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(
        f"segue: error: Ableton Live did not answer on udp 127.0.0.1:{silent} within 0.5 s"
    )
    for words in (
        "AbletonOSC listens on UDP 11000 and answers on 11001; segue reads answers on",
        "Remote Scripts",
        "Control Surface",
        "github.com/ideoforms/AbletonOSC",
    ):
        assert words in line
    assert time.monotonic() - started < 60


def test_live_learn_tunes_on_the_sets_clips_and_installs_the_model(
    segue_main, models_dir, reply_port, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("SEGUE_HOME", str(tmp_path / "home"))  # its model stays its own
    from abletonosc_standin import FakeTrack, LiveSet
    from tuning_material import riff as riff_clip

    def fake(index: int) -> FakeClip:
        clip = riff_clip(index, bars=4)
        notes = [(n.pitch, n.start, n.duration, float(n.velocity), False) for n in clip.notes]
        return FakeClip(f"riff {index}", clip.length, notes)

    empty = FakeClip("empty", 4.0, [])  # counted apart: it was one of the clips learnt
    taking = FakeClip("take", 4.0, riff(), is_recording=True)  # half a take: passed over
    slots = [fake(i) for i in range(10)] + [empty, taking]
    keys = FakeTrack("Keys", slots, arrangement=("intro",))
    with AbletonOSCStandin(LiveSet([keys]), reply_port) as standin:
        result = segue_main(
            "live",
            "learn",
            "-o",
            "from-live",
            "--from",
            "tiny",
            "--models-dir",
            models_dir,
            "--seconds",
            "1",
            "--quiet",
            "--port",
            standin.port,
            "--reply-port",
            reply_port,
            "--timeout",
            "2",
        )
    assert result.returncode == 0, result.stderr
    assert "10 MIDI clips in the Session View (0 on drum tracks), 320 notes" in result.stdout
    assert "; 1 clip without notes passed over" in result.stdout
    assert "; 1 clip being recorded passed over" in result.stdout
    assert "1 Arrangement clip passed over" in result.stdout
    assert "installed from-live (from tiny)" in result.stdout
    assert not [a for a, _ in standin.handled if a in WRITES]  # the set is only read


def test_live_learn_refuses_a_name_before_it_reads_live(segue_main, reply_port) -> None:
    """No Live answers on this port: a name that cannot be taken is told first, at once."""
    started = time.monotonic()
    for name, said in (("../x", "is not a model name"), ("melody", "bundled with segue")):
        result = segue_main("live", "learn", "-o", name, "--port", "9", "--reply-port", reply_port)
        assert result.returncode == 1 and said in result.stderr
        assert "AbletonOSC" not in result.stderr
    nosuch = segue_main(  # and a base that is not installed (it was told after reading Live)
        "live", "learn", "-o", "mine", "--from", "nosuch", "--port", "9", "--reply-port", reply_port
    )
    assert nosuch.returncode == 1 and "no model named 'nosuch'" in nosuch.stderr
    assert "AbletonOSC" not in nosuch.stderr and "did not answer" not in nosuch.stderr
    assert time.monotonic() - started < 8


def test_a_clip_in_another_meter_than_the_set_is_continued_in_it_and_the_new_clips_said(
    capsys, models_dir, reply_port
) -> None:
    seven = FakeClip("seven", 3.5, riff()[:14], signature_numerator=7, signature_denominator=8)
    live_set = keys_set([seven, None, None])  # a 4/4 set
    with AbletonOSCStandin(live_set, reply_port, clip_signature=True) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, "-n", "1")
    assert code == 0, err
    written = live_set.tracks[0].slots[1]
    assert isinstance(written, FakeClip) and written.length == 4 * 3.5  # 4 bars of 7/8
    assert "3.5 beats of 7/8" in out
    assert (
        "note: the new clips are in the set's 4/4, as AbletonOSC makes a clip; their notes "
        "are in 7/8, the source clip's: set the clips' signature in Live"
    ) in out.splitlines()
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None])  # the same meter: nothing said
    with AbletonOSCStandin(live_set, reply_port, clip_signature=True) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, "-n", "1")
    assert code == 0 and "note:" not in out, err


def test_an_empty_clip_is_continued_from_silence_and_says_so(
    capsys, models_dir, reply_port
) -> None:
    """An empty clip said "0 notes" and went on, as if something had been read."""
    live_set = keys_set([FakeClip("empty", 4.0, []), None])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, "--bars", 1)
    assert code == 0, err
    assert "clip 'empty', 0 notes, 4 beats of 4/4; continued from silence" in out, out


def test_identical_takes_and_drum_options_on_a_melodic_clip_are_said(
    capsys, models_dir, reply_port
) -> None:
    """-t 0 -n 3 wrote 3 identical clips, and --fills on a melodic clip did nothing, without
    a word, where generate and send say both (helper-44)."""
    live_set = keys_set([FakeClip("riff", 4.0, riff()), None, None, None])
    args = ("-t", 0, "-n", 3, "--fills", "phrase", "--bars", 1)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    assert "at temperature 0 all 3 takes are the same" in err
    assert "--fills has no effect: a melodic model continues the clip" in err


def _house_continued(capsys, models_dir, reply_port, *length) -> str:
    """`segue live continue` of a one-bar beat of 16th hats alone on a Drum Rack's track (3
    takes, kept note for note by the loop: no pad free for a touch; a house beat's takes of
    half a bar have a touch each since d3efb05), ``length`` its length's options: its last
    line on stderr."""
    from abletonosc_standin import FakeTrack, LiveSet

    from segue.bridge.abletonosc.track import DRUM_RACK

    hats = [(42, i / 4, 0.125, 90.0, False) for i in range(16)]  # no pad free for a touch
    house = FakeClip("house", 4.0, hats)
    live_set = LiveSet([FakeTrack("Beat", [house, None, None, None], devices=(DRUM_RACK,))])
    args = ("--model", "drums", "-n", 3, *length, "--rng-seed", 5)
    with AbletonOSCStandin(live_set, reply_port) as standin:
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    written = live_set.tracks[0].slots[1:]
    assert all(isinstance(c, FakeClip) for c in written)
    hits = [sorted((p, t, v) for p, t, _, v, _ in c.notes) for c in written]  # type: ignore[union-attr]
    assert hits[0] == hits[1] == hits[2]  # a one-shot's length aside
    return err.strip().splitlines()[-1]


def test_takes_that_came_out_the_same_are_said(capsys, models_dir, reply_port) -> None:
    """A one-bar house beat on a Drum Rack's track, continued for half a bar (a take of a
    whole bar has a touch of its own), wrote 3 clips of the same notes without a word, where
    `segue generate` says so and what to give."""
    assert _house_continued(capsys, models_dir, reply_port, "--bars", 0.5) == (
        "segue: all 3 takes are the same notes: the loop is kept note for note, the beat has no "
        "pad free for a touch at its end; give --memory 0, or --bars 2 or more with --fills often"
    )


def test_the_same_takes_advice_names_notes_where_notes_were_given(
    capsys, models_dir, reply_port
) -> None:
    """Continued for 5 notes (half a bar of the beat), the takes that came out the same were
    told to give --bars 4, an option the musician had not given: --notes is named (a bar's
    worth: a take of a bar has a touch of its own)."""
    assert _house_continued(capsys, models_dir, reply_port, "--notes", 5) == (
        "segue: all 3 takes are the same notes: the loop is kept note for note, the beat has no "
        "pad free for a touch at its end; give --memory 0, or more --notes (2 bars' worth) with "
        "--fills often"
    )


def test_a_range_with_no_room_for_a_part_s_octaves_is_said(capsys, models_dir, reply_port) -> None:
    """An octave bass in Live continued under --low 40 --high 50: `segue generate` said the
    takes could not keep the octaves, `segue live continue` wrote them without a word."""
    bass = (36, 36, 36, 39, 41, 41, 43, 46) * 2
    notes = [(r + s, 0.5 * i, 0.4, 96.0, False) for i, r in enumerate(bass) for s in (0, 12)]
    live_set = keys_set([FakeClip("octaves", 8.0, notes), None, None])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        args = ("-n", 2, "--low", 40, "--high", 50, "--rng-seed", 1)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    assert (
        "segue: the range 40-50 is narrower than the clip's octaves (12 semitones): its takes "
        "cannot keep that shape; widen the range to keep it"
    ) in err.splitlines(), err


def walk_up() -> list[tuple[int, float, float, float, bool]]:
    """A 4-bar E bass after its B1 C2 D2 walk-up, a beat and a half before bar 1 (the clip's
    beat 0): the notes as Live holds them, the walk-up at -1.5, -1 and -0.5."""
    pickup = [(35, -1.5, 0.45, 96.0, False), (36, -1.0, 0.45, 96.0, False)]
    pickup.append((38, -0.5, 0.45, 96.0, False))
    return pickup + [(40 + 3 * (b % 4 == 3), float(b), 0.9, 96.0, False) for b in range(16)]


def test_a_clip_whose_start_marker_is_before_bar_1_is_continued_from_bar_1(
    capsys, models_dir, tiny, reply_port
) -> None:
    """The start marker (and the loop) moved back a beat and a half to hold the walk-up:
    `segue live continue` read the 17.5 beats and looped them whole, the walk-up again at
    every take's start and its bars 1.5 beats off Live's, where the device tells the bridge
    bar 1 lies at 1.5 (helper-141). It now tells it by the device's rule; --downbeat, given,
    wins."""
    from segue.notes import Clip, Note

    seed = Clip(tuple(Note(p, s + 1.5, d, int(v)) for p, s, d, v, _ in walk_up()), 17.5)
    runs = {}
    for told in ((), ("--downbeat", "0")):
        source = FakeClip("walk", 17.5, walk_up(), loop_start=-1.5, start_marker=-1.5)
        live_set = keys_set([source, None, None])
        with AbletonOSCStandin(live_set, reply_port) as standin:
            code, out, err = live_cli(
                capsys, standin.port, reply_port, models_dir, "-n", 2, "--rng-seed", 4, *told
            )
        assert code == 0, err
        runs[told] = (out, [in_live(live_set.tracks[0].slots[i]) for i in (1, 2)])
    out, takes = runs[()]
    assert "19 notes, 17.5 beats of 4/4, a pickup of 1.5 beats before bar 1" in out, out
    same = {"variations": 2, "rng_seed": 4}
    assert takes == [sorted(v) for v in expected_notes(tiny, seed, downbeat=1.5, **same)]
    assert takes != [sorted(v) for v in expected_notes(tiny, seed, **same)]
    out, takes = runs[("--downbeat", "0")]
    assert "pickup" not in out, out
    assert takes == [sorted(v) for v in expected_notes(tiny, seed, downbeat=0.0, **same)]


def test_a_slip_kept_by_key_auto_is_said_in_live_s_bars(capsys, models_dir, reply_port) -> None:
    """`segue live continue --key auto` of a bass with a Bb2 for A2 (bar 3, beat 3.5) after a
    G1 A1 B1 walk-up held before bar 1: generate and the bridge's label say the slip, and
    `live continue` said nothing; it now says it, in Live's bars."""
    bass = [[36, 36, 43, 36] * 2, [41, 41, 48, 41] * 2, [45, 45, 52, 45] * 2, [43, 43, 50, 43] * 2]
    bass[2][5] = 46
    notes = [(p, at, 0.4, 96.0, False) for p, at in ((31, -1.5), (33, -1.0), (35, -0.5))]
    notes += [
        (p, 4 * b + 0.5 * i, 0.4, 96.0, False)
        for b, bar in enumerate(bass)
        for i, p in enumerate(bar)
    ]
    source = FakeClip("walk", 17.5, notes, loop_start=-1.5, start_marker=-1.5)
    with AbletonOSCStandin(keys_set([source, None]), reply_port) as standin:
        code, out, err = live_cli(
            capsys, standin.port, reply_port, models_dir, "-n", 1, "--key", "auto"
        )
    assert code == 0, err
    assert "segue: A#2 at bar 3 beat 3.5 is played once and off C major, a slip?" in err, err


def test_a_loop_from_beat_2_is_continued_from_its_bar_line_as_the_device_does(
    capsys, models_dir, reply_port
) -> None:
    """A 2-bar house beat looped from beat 2 (loop 1-9, start marker 0) on a Drum Rack's
    track: launched, Live plays it from the marker on a bar line, so its kicks at 4 and 8
    fall on downbeats and its claps on 2 and 4. The device turns the loop to begin on that
    bar line (beats 8-9, then 1-8: helper-48); `segue live continue` sent it from beat 1,
    and its takes (the loop kept note for note) put the kicks on beat 4 and the claps on 1
    and 3, a beat off the device's for the same clip. It now reads it turned."""
    from abletonosc_standin import FakeTrack, LiveSet

    from segue.bridge.abletonosc.track import DRUM_RACK

    kicks = [(36, float(b), 0.125, 110.0, False) for b in (0, 4, 8)]
    claps = [(39, float(b), 0.125, 100.0, False) for b in (1, 3, 5, 7, 9)]
    hats = [(42, b + 0.5, 0.125, 90.0, False) for b in range(10)]
    beat = FakeClip("house", 8.0, kicks + claps + hats, loop_start=1.0)
    live_set = LiveSet([FakeTrack("Beat", [beat, None, None], devices=(DRUM_RACK,))])
    with AbletonOSCStandin(live_set, reply_port) as standin:
        args = ("--model", "drums", "-n", 2, "--bars", 4, "--rng-seed", 5)
        code, out, err = live_cli(capsys, standin.port, reply_port, models_dir, *args)
    assert code == 0, err
    for slot in live_set.tracks[0].slots[1:]:
        assert isinstance(slot, FakeClip)
        hits = [h for h in in_live(slot) if h[1] < 12]  # bars 1-3: the 4th may hold a fill
        assert {t for p, t, _, _ in hits if p == 36} == {0.0, 4.0, 8.0}, hits
        assert {t for p, t, _, _ in hits if p == 39} == {1.0, 3.0, 5.0, 7.0, 9.0, 11.0}, hits
