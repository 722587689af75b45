"""Where a clip's first bar begins: on its beat 0, or after a pickup (:func:`first_downbeat`).

A Live clip often opens with a pickup (an anacrusis): a few short notes before the first
downbeat, leading into it (G1 A1 B1 walking up into a C2 bass, an E4 leading a tune into
its A4). It comes to segue in one of two ways. A clip whose start marker lies before bar 1
sends its notes from that marker (the device, ``clipRegion``), so the pickup is at beat 0
and every bar line a pickup's length later, and the clip is that much longer than whole
bars (4 bars and a beat: 17 beats). A clip that begins on a bar line, as a MIDI file with
its pickup written as a short bar does once read (``midi_io``, a signature's lead), has
nothing in its first bar but the pickup in its last beats. Read in bars from beat 0, the
first is read as a bar of its own and every bar of the first kind straddles two harmonies:
an E phrygian bass after B1 C2 D2 was read C major, a C G Am F bass after its walk-up G
mixolydian, an A minor tune after its E4 C major.

A pickup is no bar's harmony: it leads into the bar where the music's first strong note
falls, and the bars are read from there (``tonic_votes.bar_tonics``).
"""

from __future__ import annotations

from segue.notes import Note

PICKUP_MOST = 0.5
"""The longest pickup, in bars: half a bar (a pickup of a beat, two, or a few 8ths). Notes
that begin earlier than that before a bar line are a bar of their own."""
HELD_OVER = 1 / 16
"""Beats a pickup's last note may sound past the downbeat it leads into (a legato 8th into
the downbeat): one held longer is an anticipation, the next bar's own harmony struck early,
and no pickup (its bar is read as it always was)."""
_EPS = 1e-6


def first_downbeat(
    notes: list[Note] | tuple[Note, ...], bar: float, length: float | None = None
) -> float:
    """Where the clip's first bar begins, in beats: after its pickup, 0 where it has none.

    A pickup is a clip's first notes, each beginning at most :data:`PICKUP_MOST` of a bar
    before a bar line and ending by it (or :data:`HELD_OVER` after), where a note is struck
    on that bar line: the music's first downbeat, its first strong note. The bar line is
    the clip's first after its first note (its notes in the last beats of its first bar),
    or, of a clip ``length`` beats long that is no whole number of bars, its end less whole
    bars (its start marker moved back before bar 1: its bars end with it). A loop that
    starts on its downbeat has none: every reading of it is as before."""
    if not notes or bar <= 0:
        return 0.0
    first = min(n.start for n in notes)
    places = []
    if length is not None:
        lead = length % bar
        if _EPS < lead < bar - _EPS:
            places.append(lead)
    places.append((int(first / bar + _EPS) + 1) * bar)
    for at in places:
        if _leads_into(notes, at, bar):
            return at
    return 0.0


def _leads_into(notes: list[Note] | tuple[Note, ...], at: float, bar: float) -> bool:
    """Whether the notes before beat ``at`` are a pickup into a note struck there."""
    before = [n for n in notes if n.start < at - _EPS]
    return (
        bool(before)
        and all(n.start >= at - PICKUP_MOST * bar - _EPS for n in before)
        and all(n.end <= at + HELD_OVER + _EPS for n in before)
        and any(abs(n.start - at) < _EPS for n in notes)
    )


PHRASES = (1, 2)
"""Whole bars that are a phrase besides a multiple of 4 (a one- or two-bar loop; 4, 8, 12,
16 bars): the music a pickup bar leads into."""


def music_start(notes: list[Note] | tuple[Note, ...], bar: float, length: float) -> float:
    """Where the clip's music begins, in beats: its loop, the bars a continuation goes on
    with; before it, a pickup heard once (0 where it has none: the clip loops whole).

    A clip of whole bars whose first holds nothing but a pickup begins its music on its
    second where that bar is one more than a phrase (5 bars: a pickup bar and 4; 3, 9, 13,
    17), as a MIDI file with its pickup bar reads; a clip that is a phrase itself (2, 4, 8
    bars) loops whole, the pickup in its first bar heard on every pass, as Live loops it.

    A clip of no whole number of bars loops whole, at its length, as Live loops it. Its
    notes alone cannot tell a pickup before bar 1 (the start marker moved back: 17.5 beats,
    a pickup and 4 bars) from a phrase that ends mid-bar (a clip trimmed where its notes
    end) or a loop of 4 and a half bars: read as a pickup, the 18-beat reel of
    ``benchmarks/bench_generate.py``, in 8ths from its downbeat, lost its first half bar and
    its takes' bars moved by two beats. Telling them apart needs what only Live knows, the
    clip's start marker against its bar 1 (the key's reading, ``tonic_votes.bar_tonics``, only
    counts bars from there: a wrong guess moves a bar's vote, not a note)."""
    if bar <= 0 or length <= 0:
        return 0.0
    at = first_downbeat(notes, bar, length)
    bars = (length - at) / bar
    whole = round(bars)
    if at <= _EPS or abs(bars - whole) > _EPS or whole < 1:
        return 0.0
    if abs(at - round(at / bar) * bar) > _EPS:  # no whole bars: looped whole, as Live does
        return 0.0
    in_clip = round(length / bar)
    phrase = whole in PHRASES or whole % 4 == 0
    return at if phrase and in_clip & (in_clip - 1) else 0.0


def downbeat_problem(
    downbeat: float, length: float, bar: float, starts: list[float] | None = None
) -> str | None:
    """What keeps ``downbeat`` (where a musician says bar 1 lies, in beats from the start of
    a seed ``length`` beats long, in bars of ``bar`` beats) from being the seed's bar 1, as
    the end of a sentence that begins with it; None where nothing does. Bar 1 lies inside
    the seed with a bar of it or more after it and, where the notes' ``starts`` are given,
    a note struck at or after it: its music. Told the downbeat at a 17.5-beat clip's end, a
    continuation went on from 2.5 beats of nothing (its 4 bars a run on notes the clip never
    plays); at 16, from a beat and a half, looped as a bar of 3 notes and silence."""
    if downbeat >= length - _EPS:
        return f"lies at or past the seed's end ({length:g} beats)"
    if length - downbeat < bar - _EPS:
        left = length - downbeat
        return (
            f"leaves {left:g} beat{'' if left == 1 else 's'} of the seed after it, less than a bar"
        )
    if starts is not None and all(start < downbeat - _EPS for start in starts):
        return "leaves no note of the seed after it"
    return None


DOWNBEAT_HINT = "bar 1 is where the seed's music begins, with a bar of it or more after it"
"""What a refused downbeat is told to be (:func:`downbeat_problem`)."""
