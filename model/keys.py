"""Keys and scales: detect a clip's key, read a key lock, and build its pitch mask.

A key is a tonic and a scale. segue knows every scale Ableton Live 12 offers, under Live's
own names (``LIVE_SCALES``); a key can also name its scale by the semitones above the
tonic (``"D 0,2,3,5,7,9,10"``), which is how the Max for Live device passes on whatever
scale Live reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from segue.errors import SegueError
from segue.model.spelling import MAJOR_TONICS, MINOR_TONICS, SIGNED, class_name
from segue.notes import Note

_NAMES = {
    "c": 0,
    "b#": 0,
    "c#": 1,
    "db": 1,
    "d": 2,
    "d#": 3,
    "eb": 3,
    "e": 4,
    "fb": 4,
    "f": 5,
    "e#": 5,
    "f#": 6,
    "gb": 6,
    "g": 7,
    "g#": 8,
    "ab": 8,
    "a": 9,
    "a#": 10,
    "bb": 10,
    "b": 11,
    "cb": 11,
    # a minor key's leading tone on its 7th's letter (spelling.LEADING_TONE): G# minor's F##
    "c##": 2,
    "d##": 4,
    "e##": 6,
    "f##": 7,
    "g##": 9,
    "a##": 11,
    "b##": 1,
}

# Live 12's scales (Song.scale_name) in Live's order, with their semitones above the root
# (Song.scale_intervals). Live's own table is compiled into Live (its scripts read it from
# Live.Song.get_all_scales_ordered()). Sources: the names and their order from
# adamjmurray/producer-pal (src/tools/update-song.js, VALID_SCALE_NAMES, "the 35 valid
# scale names"); the semitones of the first 30 from Ableton's Launchkey MK4 script for
# Live 12 (Launchkey_MK4/scale.py, FIRMWARE_SCALES, which it looks up by semitones in
# Live's table; as reconstructed in mihasm/novation-launchkey-mini-mk4-source), in the
# same order, each matching its name's usual definition. Messiaen 3-7 are the standard
# modes of limited transposition, unconfirmed against Live. The device sends Live's own
# semitones, so this table decides only where a scale goes by its name.
LIVE_SCALES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Major", (0, 2, 4, 5, 7, 9, 11)),
    ("Minor", (0, 2, 3, 5, 7, 8, 10)),
    ("Dorian", (0, 2, 3, 5, 7, 9, 10)),
    ("Mixolydian", (0, 2, 4, 5, 7, 9, 10)),
    ("Lydian", (0, 2, 4, 6, 7, 9, 11)),
    ("Phrygian", (0, 1, 3, 5, 7, 8, 10)),
    ("Locrian", (0, 1, 3, 5, 6, 8, 10)),
    ("Whole Tone", (0, 2, 4, 6, 8, 10)),
    ("Half-whole Dim.", (0, 1, 3, 4, 6, 7, 9, 10)),
    ("Whole-half Dim.", (0, 2, 3, 5, 6, 8, 9, 11)),
    ("Minor Blues", (0, 3, 5, 6, 7, 10)),
    ("Minor Pentatonic", (0, 3, 5, 7, 10)),
    ("Major Pentatonic", (0, 2, 4, 7, 9)),
    ("Harmonic Minor", (0, 2, 3, 5, 7, 8, 11)),
    ("Harmonic Major", (0, 2, 4, 5, 7, 8, 11)),
    ("Dorian #4", (0, 2, 3, 6, 7, 9, 10)),
    ("Phrygian Dominant", (0, 1, 4, 5, 7, 8, 10)),
    ("Melodic Minor", (0, 2, 3, 5, 7, 9, 11)),
    ("Lydian Augmented", (0, 2, 4, 6, 8, 9, 11)),
    ("Lydian Dominant", (0, 2, 4, 6, 7, 9, 10)),
    ("Super Locrian", (0, 1, 3, 4, 6, 8, 10)),
    ("8-Tone Spanish", (0, 1, 3, 4, 5, 6, 8, 10)),
    ("Bhairav", (0, 1, 4, 5, 7, 8, 11)),
    ("Hungarian Minor", (0, 2, 3, 6, 7, 8, 11)),
    ("Hirajoshi", (0, 2, 3, 7, 8)),
    ("In-Sen", (0, 1, 5, 7, 10)),
    ("Iwato", (0, 1, 5, 6, 10)),
    ("Kumoi", (0, 2, 3, 7, 9)),
    ("Pelog Selisir", (0, 1, 3, 7, 8)),
    ("Pelog Tembung", (0, 1, 5, 7, 8)),
    ("Messiaen 3", (0, 2, 3, 4, 6, 7, 8, 10, 11)),
    ("Messiaen 4", (0, 1, 2, 5, 6, 7, 8, 11)),
    ("Messiaen 5", (0, 1, 5, 6, 7, 11)),
    ("Messiaen 6", (0, 2, 4, 5, 6, 8, 10, 11)),
    ("Messiaen 7", (0, 1, 2, 3, 5, 6, 7, 8, 9, 11)),
)


def scale_name(text: str) -> str:
    """segue's spelling of a scale's name: lower case, each run of spaces and of the marks
    that part the words of Live's and segue's names ('-', '_', '.', '(', ')') one '-'
    ("Half-whole Dim." -> "half-whole-dim", "(no third)" -> "no-third"). Every other
    character stays in its word, so a word segue does not know stays unknown: "C 日本
    major" was read as C major, its letters (not a-z) taken for a separator."""
    return re.sub(r"[\s\-_.()]+", "-", text.lower()).strip("-")


SCALES: dict[str, tuple[int, ...]] = {scale_name(live): steps for live, steps in LIVE_SCALES}
"""segue's scale names (Live's, respelt) -> semitones above the tonic."""
OPEN_THIRD = "no-third"
"""The name of the key whose third is left open (:func:`open_third`): "A no-third" (also
read as "A (no third)"), its notes :data:`OPEN_STEPS` above the tonic."""
OPEN_STEPS = (0, 2, 5, 7)
"""The notes the plain major and the plain minor on a tonic share but the 6th and the 7th:
its 1, 2, 4 and 5 (A B D E on A), the scale of a riff or a bass that never sounds its
tonic's third (:func:`open_third`)."""
OWN_SCALES: dict[str, tuple[int, ...]] = {OPEN_THIRD: OPEN_STEPS}
"""segue's scales that are none of Live's: their names -> semitones above the tonic."""
_ALIASES = {
    "m": "minor",
    "min": "minor",
    "aeolian": "minor",
    "maj": "major",
    "ionian": "major",
    "blues": "minor-blues",
    "no-3rd": OPEN_THIRD,
}
_SIGNS = str.maketrans({"\u266f": "#", "\u266d": "b"})
"""A sharp or flat sign as typed from a chart (C\u266f, B\u266d): the '#' and 'b' segue reads."""
_BY_STEPS = {steps: name for name, steps in (SCALES | OWN_SCALES).items()}
_INTERVALS = re.compile(r"\d+(\s*,\s*\d+)*")
# Krumhansl-Kessler key profiles
_MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True, slots=True)
class Key:
    tonic: int  # pitch class 0-11
    mode: (
        str  # a name in SCALES or OWN_SCALES, or the semitones of a scale without one: "0,1,4,6,8"
    )
    extra: frozenset[int] = frozenset()
    """Pitch classes held besides the scale's: a clip's own notes out of the scale that
    ``--key auto`` chose (:func:`lock_key`)."""
    spelt: str = field(default="", compare=False)
    """The tonic as the musician wrote it ("C#"; "" for segue's choice): the key's name
    keeps it, but for the plain major and minor, spelt by their key signatures
    (:data:`MAJOR_TONICS`): "C# Half-whole Dim." was said back as "Db half-whole-dim"."""

    def steps(self) -> tuple[int, ...]:
        """The scale's semitones above the tonic."""
        named = SCALES.get(self.mode) or OWN_SCALES.get(self.mode)
        return named if named is not None else tuple(int(s) for s in self.mode.split(","))

    def pitch_classes(self) -> frozenset[int]:
        return frozenset((self.tonic + step) % 12 for step in self.steps()) | self.extra

    def __str__(self) -> str:
        names = MAJOR_TONICS if 4 in self.steps() else MINOR_TONICS
        tonic = self.spelt if self.spelt and self.mode not in SIGNED else names[self.tonic]
        also = "".join(f" + {class_name(c, self)}" for c in sorted(self.extra, key=self._above))
        return f"{tonic} {self.mode}{also}"

    def _above(self, pitch_class: int) -> int:
        return (pitch_class - self.tonic) % 12


def moved_key(key: Key, semitones: int) -> Key:
    """``key`` moved by ``semitones``: its tonic and the pitch classes it holds besides its
    scale (a clip moved for a model to hear it in another key keeps to its key there),
    spelt as segue spells it (moved by octaves: the key as it is)."""
    if semitones % 12 == 0:
        return key
    tonic = (key.tonic + semitones) % 12
    extra = frozenset((c + semitones) % 12 for c in key.extra)
    return replace(key, tonic=tonic, extra=extra, spelt="")


def scale_steps(steps: Sequence[str], where: str) -> tuple[int, ...]:
    """Semitones above a tonic, checked: whole numbers from 0, rising, below 12."""
    numbers = []
    for step in steps:
        try:
            numbers.append(float(step))
        except ValueError:
            numbers.append(-1.0)
    rising = all(a < b for a, b in zip(numbers, numbers[1:], strict=False))
    if not (
        numbers
        and numbers[0] == 0
        and numbers[-1] < 12
        and rising
        and all(n == int(n) for n in numbers)
    ):
        listed = ",".join(str(s) for s in steps)
        raise SegueError(
            f"the scale {listed!r} of {where} is not semitones above the tonic: write whole "
            "numbers 0-11 from 0, rising, separated by commas (Dorian is 0,2,3,5,7,9,10)"
        )
    return tuple(int(n) for n in numbers)


def key_of_steps(tonic: int, steps: tuple[int, ...]) -> Key:
    """The key with these semitones, under its scale's name when it has one."""
    return Key(tonic, _BY_STEPS.get(steps) or ",".join(map(str, steps)))


def parse_key(text: str) -> Key:
    """'C major', 'a minor', 'F# dorian', 'Bb' (major), 'Am' (minor), any of Live 12's scale
    names ('C# Half-whole Dim.', 'D dorian-#4'), a key with its third left open ('A
    no-third', 'A (no third)': :data:`OPEN_THIRD`), or semitones: 'D 0,2,3,5,7,9,10'; with
    notes held besides the scale as ``--key auto`` says them: 'C major + Eb + Ab'. A word
    that names none of these is refused with the names segue reads (:func:`scale_name`)."""
    text = text.translate(_SIGNS)
    base, *added = text.split("+")
    if added:
        extra = set()
        for name in added:
            if name.strip().lower() not in _NAMES:
                raise SegueError(
                    f"cannot read {name.strip()!r} in key {text!r}: after '+' name a note "
                    "the key holds besides its scale, as 'C major + Eb + Ab'"
                )
            extra.add(_NAMES[name.strip().lower()])
        key = parse_key(base)
        return Key(key.tonic, key.mode, frozenset(extra) - key.pitch_classes(), key.spelt)
    match = re.fullmatch(r"\s*([A-Ga-g][#b]?)\s*(.*?)\s*", text)
    if not match:
        raise SegueError(
            f"cannot read key {text!r}; write it like 'C major', 'A minor', 'F# dorian' or "
            "'D 0,2,3,5,7,9,10' (the tonic and the scale's semitones)"
        )
    tonic = _NAMES[match.group(1).lower()]
    spelt = match.group(1)[0].upper() + match.group(1)[1:]
    written = match.group(2) or "major"
    if _INTERVALS.fullmatch(written):
        key = key_of_steps(tonic, scale_steps(written.split(","), f"key {text!r}"))
        return Key(key.tonic, key.mode, spelt=spelt)
    mode = scale_name(written)
    mode = _ALIASES.get(mode, mode)
    if mode not in SCALES and mode not in OWN_SCALES:
        raise SegueError(
            f"unknown scale {written!r} in key {text!r}: name one of Live 12's 35 scales "
            f"as Live spells them ({', '.join(live for live, _ in LIVE_SCALES)}), "
            f"{OPEN_THIRD} (1 2 4 5: a key whose third is left open), or give its "
            "semitones, e.g. 'D 0,2,3,5,7,9,10'"
        )
    return Key(tonic, mode, spelt=spelt)


def pitch_class_histogram(
    notes: list[Note] | tuple[Note, ...], weights: Sequence[float] | None = None
) -> np.ndarray:
    """Total duration (beats) per pitch class, each note's times its ``weights`` if given."""
    hist = np.zeros(12)
    for i, n in enumerate(notes):
        hist[n.pitch % 12] += n.duration * (1.0 if weights is None else weights[i])
    return hist


def detect_key(notes: list[Note] | tuple[Note, ...]) -> Key | None:
    """The major or minor key whose profile best matches the notes (None for no notes)."""
    hist = pitch_class_histogram(notes)
    if hist.sum() == 0:
        return None
    best: tuple[float, Key] | None = None
    for mode, profile in (("major", _MAJOR_PROFILE), ("minor", _MINOR_PROFILE)):
        for tonic in range(12):
            with np.errstate(divide="ignore", invalid="ignore"):  # a flat histogram: nan
                r = float(np.corrcoef(hist, np.roll(profile, tonic))[0, 1])
            if np.isnan(r):
                r = -1.0
            if best is None or r > best[0]:
                best = (r, Key(tonic, mode))
    return best[1] if best else None


LOCK_SCALES = (
    "major",
    "minor",
    "harmonic-minor",
    "dorian",
    "mixolydian",
    "phrygian",
    "lydian",
    "melodic-minor",
)
"""The scales ``--key auto`` chooses among (:func:`lock_key`): the seven-note scales of
producers' and players' parts, the plain major and minor first, melodic minor last: where
its notes are a mode's as much (a Dm G triad vamp plays D F G A B, no C or C#), the loop is
in the mode (D dorian), and D melodic minor let its takes play a C# the clip never plays."""


def _profile_matches(hist: np.ndarray) -> np.ndarray:
    """(2, 12) the correlation of ``hist`` with the major (row 0) and the minor (row 1) key
    profile on each tonic (nan for a flat histogram), in one pass: :func:`lock_key` asked
    np.corrcoef 96 times, 8 ms of a producer's request for the same 24 numbers."""
    rolled = np.stack(
        [
            np.roll(profile, tonic)
            for profile in (_MAJOR_PROFILE, _MINOR_PROFILE)
            for tonic in range(12)
        ]
    )
    with np.errstate(divide="ignore", invalid="ignore"):  # a flat histogram: nan
        return np.corrcoef(hist[None], rolled)[0, 1:].reshape(2, 12)


OPENING_VOTES = 2
"""What the harmony each bar of a loop opens on counts towards its tonic, against 1 for the
harmony the bar ends on and 1 for its lowest note (:func:`tonic_votes`): a loop begins its
bars on its home chord (I-V-vi-IV, i-VI-III-VII, i-iv: its bass's first note is the tonic),
a hook's phrase ends on its tonic, often its lowest note too, after opening on its third or
fifth (E G A G E D C). Each bar counts, not the clip's first and last alone: a loop has no
start, and a 4-bar loop of E phrygian read from its 3rd bar was D minor."""
BASS_BELOW = 52
"""The median pitch (MIDI) under which a part is a bass line, whose single notes are the
harmony's (an A F C G bass opens on A minor): below E3, where no melody or chorale part of
the bundled models' validation splits lies (``segue.model.choice`` tells a bass by it too)."""
LOOP_CHORDS = {
    "major": (0, 5, 7, 9),
    "minor": (0, 5, 7, 8, 10),
    "harmonic-minor": (0, 5, 7, 8),
    "melodic-minor": (0, 5, 7),
    "dorian": (0, 5, 7, 10),
    "mixolydian": (0, 5, 7, 10),
    "phrygian": (0, 1, 10),
    "lydian": (0, 2, 7),
}
"""The degrees (semitones above the tonic) of the roots of each :data:`LOCK_SCALES` key's
chords that loops are made of: I IV V vi; i iv v VI VII; dorian's i IV and VII, mixolydian's
I bVII IV, phrygian's i bII, lydian's I II. Where a loop's bars open and end on such roots
(:func:`lock_key`), the key is heard from whichever bar it starts: a bass of A F C G, a bar
each, is C major's vi IV I V, and was F major's iii I V ii (Bb, not B) read from its 2nd
bar; an Am G arp is A minor's i VII, not G major's I ii (F#, which it never plays)."""
SONORITY = 2.0
"""Beats from a clip's first onset (and up to its last) whose notes are heard as one
harmony (:func:`tonic_votes`): half a bar of 4/4, a chord's usual length in a loop, the
notes of an arp's chord in 8ths or 16ths."""


def chord_root(pitch_classes: set[int]) -> int | None:
    """The root of the triad or seventh chord these pitch classes spell in any inversion
    (the note from which the others stack in thirds: a fifth above it, a third, and a
    seventh, if any), or None where they spell none or more than one."""
    roots = [
        root
        for root in pitch_classes
        if (root + 7) % 12 in pitch_classes
        and ((root + 3) % 12 in pitch_classes or (root + 4) % 12 in pitch_classes)
        and all((p - root) % 12 in (0, 3, 4, 7, 10, 11) for p in pitch_classes)
    ]
    return roots[0] if len(roots) == 1 else None


def _harmony(notes: list[Note], at: float, line: bool) -> int | None:
    """The pitch class a musician hears as the harmony of ``notes`` (those of a clip's
    first or last :data:`SONORITY` beats): the root of the chord they spell
    (:func:`chord_root`), else the lowest of those that start ``at`` its first or last onset
    (a bass's first note, a chord's bass); None where that is one note of a ``line`` above
    the bass's register (:func:`_melodic`), which opens where its tune does, often on its
    third or fifth: a melody's first note is no harmony."""
    root = chord_root({n.pitch % 12 for n in notes})
    if root is not None:
        return root
    struck = [n.pitch for n in notes if abs(n.start - at) < 1e-6]
    return None if line and len(struck) == 1 else min(struck) % 12


def _melodic(notes: list[Note] | tuple[Note, ...]) -> bool:
    """Whether ``notes`` are a tune's: above a bass's register (median pitch at or above
    :data:`BASS_BELOW`), where a single note is melody, not the harmony under it."""
    return float(np.median([n.pitch for n in notes])) >= BASS_BELOW


def tonic_votes(
    notes: list[Note] | tuple[Note, ...], bar: float = 4.0, downbeat: float = 0.0
) -> np.ndarray:
    """(12,) how strongly the clip says each pitch class is its tonic, where a musician hears
    a tonic, in each of its bars (``bar`` beats long, counted from its first ``downbeat``,
    a pickup before it no bar's: ``segue.model.pickups``; a loop's, so the votes are the
    same from whichever bar it is started): :data:`OPENING_VOTES` for the
    harmony a bar opens on (the notes of its first :data:`SONORITY` beats), 1 for the one it
    ends on (its last), 1 for its lowest note. A harmony is the root of the chord its notes
    spell (an arp of a G chord that opens on its B, B D G, opens on G), else its lowest note
    at the bar's first or last onset (a bass's first note, a hook's final: :func:`_harmony`);
    a tune's single first note opens no harmony (a C major hook that opens on its E and
    never goes below it was locked to E minor and its takes played F#; a G pickup into a C
    pentatonic hook, G major), and its last note is heard as the harmony it ends on."""
    return _votes(bar_tonics(notes, bar, downbeat))


def _votes(places: list[tuple[int | None, int | None, int]]) -> np.ndarray:
    """(12,) :func:`tonic_votes` of a clip's bars' places (:func:`bar_tonics`)."""
    votes = np.zeros(12, dtype=np.int64)
    for opens, ends, lowest in places:
        if opens is not None:
            votes[opens] += OPENING_VOTES
        if ends is not None:  # always: a last harmony is read as a bass's (_harmony)
            votes[ends] += 1
        votes[lowest] += 1
    return votes


def bar_tonics(
    notes: list[Note] | tuple[Note, ...], bar: float = 4.0, downbeat: float = 0.0
) -> list[tuple[int | None, int | None, int]]:
    """For each bar (``bar`` beats from the clip's first ``downbeat``) with notes, in order:
    the harmony it opens on (None for a tune's single first note), the one it ends on, and
    its lowest note's pitch class (:func:`tonic_votes`). The notes of a pickup before the
    first downbeat (``segue.model.pickups``) lead into a bar and are none of their own."""
    if not notes:
        return []
    melodic = _melodic(notes)
    bars: dict[int, list[Note]] = {}
    for n in notes:
        if n.start >= downbeat - 1e-9:
            bars.setdefault(int(np.floor((n.start - downbeat) / bar + 1e-9)), []).append(n)
    out: list[tuple[int | None, int | None, int]] = []
    for index in sorted(bars):
        inside = bars[index]
        first = min(n.start for n in inside)
        last = max(n.start for n in inside)
        opening = [n for n in inside if n.start - first < SONORITY - 1e-6]
        ending = [n for n in inside if last - n.start < SONORITY - 1e-6]
        opens = _harmony(opening, first, melodic)
        ends = _harmony(ending, last, False)  # a tune's final note is its tonic as often as not
        out.append((opens, ends, min(n.pitch for n in inside) % 12))
    return out


CHARTED = {"harmonic-minor": ("minor", 10)}
"""A scale whose key a chart writes as a plain key with an accidental where the clip plays
the plain key's note as well (:func:`charted`): harmonic minor with its b7 (semitones
above the tonic) is the minor key with its raised 7th."""


def charted(key: Key) -> Key:
    """``key``, or the same notes as a chart writes them (:data:`CHARTED`): a minor clip that
    plays both its 7ths (Am G F E: G and G#) was "A harmonic-minor + G" as a lead and "A
    minor + G#" as a pad; it is A minor + G# (A minor, G# written where it is played),
    both ways. Am Dm E7 Am, which plays G# and no G, stays A harmonic-minor (Live's A
    Harmonic Minor, the notes its lock holds: no G over its E7)."""
    plain, step = CHARTED.get(key.mode, ("", 0))
    if not plain or (key.tonic + step) % 12 not in key.extra:
        return key
    other = Key(key.tonic, plain)
    return Key(key.tonic, plain, key.pitch_classes() - other.pitch_classes())


HOME_VOTES = OPENING_VOTES
"""What the loop's home counts towards its tonic on top of its :func:`tonic_votes`, between a
major key and its relative minor (:func:`relative_at_home`): as much as one more bar opening
on it, for the bar each pass of the loop begins on (heard once as a bar, once as the place
the loop comes back to), or for the harmony its phrase ends on after its dominant."""
FIFTH_ABOVE = 7
"""A perfect fifth (semitones): a dominant's root above its tonic's."""
RELATIVE = {"major": (9, "minor"), "minor": (3, "major")}
"""A plain key's relative (the same seven notes): its tonic above this key's, and its scale."""


def home_tonics(places: list[tuple[int | None, int | None, int]]) -> tuple[int | None, int | None]:
    """Where a clip's bars (``places``, :func:`bar_tonics`) say it is at home: the harmony its
    first bar opens on, the one each pass of a loop begins on and comes back to (Am F C G:
    A; C G Am F: C), and the harmony it cadences on, its last, where the one before it is
    its fifth (Am F G C: G then C, a perfect cadence; None where it ends otherwise); of a
    tune, whose first bar opens on no harmony, its last note and no cadence (a melody's
    notes a fifth apart are no dominant and tonic)."""
    if not places:
        return None, None
    opens = places[0][0]
    if opens is None:
        return places[-1][1], None
    harmonies = [h for place in places for h in place[:2] if h is not None]
    heard = [h for i, h in enumerate(harmonies) if i == 0 or h != harmonies[i - 1]]
    last = heard[-1]
    cadence = last if len(heard) > 1 and (heard[-2] - FIFTH_ABOVE) % 12 == last else None
    return opens, cadence


def relative_at_home(
    key: Key, places: list[tuple[int | None, int | None, int]], votes: np.ndarray
) -> Key:
    """``key`` (a plain major or minor read from every bar alike), or its relative minor or
    major (the same notes) where the clip says that is home: the tonic whose votes
    (:func:`tonic_votes`) with :data:`HOME_VOTES` for each of :func:`home_tonics` are more,
    the cadence's on equal, then the opening's. An A minor pad loop Am F C G (the commonest
    minor loop, i-VI-III-VII), whose bass plays A1 F1 C2 G1, votes for A as much as for C,
    and was said to be C major: each pass opens on Am, and it is in A minor. Started from its
    C (C G Am F, I-V-vi-IV) it is in C major; Am F G C, which ends on its V-I, in C major
    too. Every other reading keeps the key read from every bar alike, and so do modes: the
    seven notes are the same either way (a take's differ only where the clip fills a small
    scale on one of the two tonics: :func:`small_key`, an A blues lead's A minor blues)."""
    if key.mode not in RELATIVE:
        return key
    step, mode = RELATIVE[key.mode]
    other = Key((key.tonic + step) % 12, mode)
    opening, cadence = home_tonics(places)

    def said(tonic: int) -> tuple[int, bool, bool]:
        homes = (tonic == opening) + (tonic == cadence)
        return int(votes[tonic]) + HOME_VOTES * homes, tonic == cadence, tonic == opening

    return other if said(other.tonic) > said(key.tonic) else key


STEPS = (1, 2)
"""A step (semitones): the roots of a passing or neighbour chord and the chords it lies
between (:func:`passing_chord`), Am G F: i bVII bVI."""


def chord_runs(places: list[tuple[int | None, int | None, int]]) -> list[tuple[int, int]]:
    """The harmonies a loop's bars (``places``, :func:`bar_tonics`) open on, in runs round the
    loop (harmony, bars), the first the run that holds bar 1 (with the bars at the loop's
    end that lead into it on the same harmony): Am G F G -> (A, 1) (G, 1) (F, 1) (G, 1); G
    F C G -> (G, 2) (F, 1) (C, 1); none where a bar opens on no harmony (a tune's)."""
    opened = [opens for opens, _, _ in places if opens is not None]
    if not opened or len(opened) < len(places):
        return []
    back = 0
    while back < len(opened) - 1 and opened[-1 - back] == opened[0]:
        back += 1
    runs: list[list[int]] = []
    for harmony in opened[len(opened) - back :] + opened[: len(opened) - back]:
        if runs and runs[-1][0] == harmony:
            runs[-1][1] += 1
        else:
            runs.append([harmony, 1])
    return [(harmony, bars) for harmony, bars in runs]


def passing_chord(tonic: int, runs: list[tuple[int, int]]) -> bool:
    """Whether each run of a loop's bars (:func:`chord_runs`) on ``tonic``'s harmony comes
    from and goes to a harmony a step (:data:`STEPS`) away, round the loop: a passing or
    neighbour chord, as the G of Am G F G (i bVII bVI bVII) and of Am F G G, between Am and
    F, F and Am; not of G F C G or C G G F, where G comes from C (a fourth or fifth)."""
    around = [
        (runs[i - 1][0], runs[(i + 1) % len(runs)][0])
        for i, (harmony, _) in enumerate(runs)
        if harmony == tonic and len(runs) > 1
    ]

    def step(other: int) -> bool:
        return min((other - tonic) % 12, (tonic - other) % 12) in STEPS

    return bool(around) and all(step(before) and step(after) for before, after in around)


def leads_home(tonic: int, runs: list[tuple[int, int]]) -> bool:
    """Whether each run of a loop's bars (:func:`chord_runs`) on ``tonic``'s harmony rises a
    whole step into the harmony each pass opens on, and holds no more than half the loop's
    bars: a minor loop's bVII leading back to its i, the aeolian cadence (Am Dm G G: i iv
    bVII, as in Am F G G). Not C G G F, whose G falls to F, nor Am G G G, whose G holds
    three bars of four (either C major or G mixolydian is heard there, and A minor or G)."""
    bars = sum(count for _, count in runs)
    after = [runs[(i + 1) % len(runs)][0] for i, (h, _) in enumerate(runs) if h == tonic]
    held = sum(count for harmony, count in runs if harmony == tonic)
    home = runs[0][0] if runs else None
    return bool(after) and home == (tonic + 2) % 12 and set(after) == {home} and 2 * held <= bars


FOURTH_ABOVE = 5
"""A perfect fourth (semitones): a subdominant's root above its tonic's."""


def subdominant_or_dominant(tonic: int, runs: list[tuple[int, int]]) -> bool:
    """Whether ``tonic``'s harmony is the IV or the V of the harmony a loop (its bars' runs,
    :func:`chord_runs`) opens each pass on, whose IV and V it plays both, and goes to that
    harmony (IV-I, V-I): the three chords of a rock, blues or folk loop, I IV V or i iv v
    (A D E E, A D E D, A A D E), home on the I they open on. A root-only bass or power-chord
    riff of A D E E, whose E opens two bars, was read E minor (A D E D: D major). C G G F,
    whose G goes on to F, is G mixolydian's IV I I bVII as much, and keeps its reading."""
    home = runs[0][0]
    serving = {(home + FOURTH_ABOVE) % 12, (home + FIFTH_ABOVE) % 12}
    after = {runs[(i + 1) % len(runs)][0] for i, (h, _) in enumerate(runs) if h == tonic}
    return tonic in serving and serving <= {h for h, _ in runs} and home in after


def plain_at_home(
    key: Key, keys: list[Key], places: list[tuple[int | None, int | None, int]]
) -> Key:
    """``key`` (read from every bar alike), or the plain major or minor of the same notes
    (the first of ``keys``, the keys that hold as much of the clip, best first) on a
    harmony the loop plays, that it opens each pass on where it can, where the mode's tonic
    is only a passing or neighbour chord (:func:`passing_chord`), held no longer than the
    harmony the loop opens on (:func:`chord_runs`), or the bVII that leads back to the
    loop's minor i (:func:`leads_home`). An Am G F G pad (i bVII bVI bVII, among the
    commonest minor loops), whose G opens two bars of four and so voted for G twice as
    often as for A, was said to be G mixolydian: it is in A minor, and so are Em D C D, Dm
    C Bb C, Gm F Eb F and Am F G G; started from its F or its G (F G Am G, G Am G F, G F G
    Am) it is the same loop, its G between Am and F, in A minor; so is Am Dm G G, whose G
    rises to Am (i iv bVII). C G F G (I V IV V), whose G opens two bars, is in C major. A
    loop that opens on its mode's tonic and does not pass through it (G F C G, Dm7 G, Em
    F) keeps its mode, and so does one that comes to it by a fourth and holds it longer (C
    G G F, G F C G from its 3rd bar), or where no plain key's tonic is a harmony of the
    loop (Em F: phrygian's i bII). The notes are the same either way, where the clip's
    notes say them: a riff of power chords (A5 G5 F5 G5, root and fifth, no third) leaves
    the mode open (G dorian's Bb or G mixolydian's B), and was said to be F major (Bb, the
    notes of the G dorian it read first); of the plain keys that hold the clip's notes as
    the mode's tonic's keys do (``keys``, on that tonic), the one whose loop chords
    (:data:`LOOP_CHORDS`) the loop's harmonies are the more of, then the one it opens on,
    is home: A minor's i bVII bVI, not F major's iii ii I. Where no plain key's tonic is a
    harmony of a loop of three or more (:data:`VAMP_BEYOND`), the mode of the same notes
    on the harmony it opens on (on the one it lands on, where it opens on the passing
    chord) is: Em F G F (i bII bIII bII, a metal and flamenco vamp, its F between Em and
    G) was said to be F lydian; it is E phrygian, and so is F G F Em; G F Em F, which opens
    on its G, and F Em F G, which lands on it, are G mixolydian. A plain key gives way too
    where its tonic passes in a loop of three or more harmonies, or is the IV or V that
    goes home to the I the loop opens on (:func:`subdominant_or_dominant`): a root-only
    bass A2 G2 F2 G2 was read G minor, A Bb C Bb Bb major, A D E E E minor; they are A
    minor, A phrygian (the mode on A of the notes a key on Bb holds them with) and A."""
    runs = chord_runs(places)
    if not runs:
        return key
    passing = passing_chord(key.tonic, runs)
    if runs[0][0] == key.tonic and not passing:
        return key
    held = max((bars for harmony, bars in runs if harmony == key.tonic), default=0)
    roots = {harmony for harmony, _ in runs}
    gives_way = passing or subdominant_or_dominant(key.tonic, runs)
    if key.mode in SIGNED:  # a plain key's tonic gives way only where it passes or serves
        if len(roots) < VAMP_BEYOND or not gives_way:
            return key
    elif not (gives_way or held <= runs[0][1] or leads_home(key.tonic, runs)):
        return key
    modes = {key.pitch_classes()} | {k.pitch_classes() for k in keys if k.tonic == key.tonic}
    plain = [
        other
        for other in keys
        if other.tonic in roots - {key.tonic}
        and other.mode in SIGNED
        and other.pitch_classes() in modes
    ]

    def heard(other: Key) -> tuple[int, bool]:
        chords = sum((other.tonic + degree) % 12 in roots for degree in LOOP_CHORDS[other.mode])
        return chords, other.tonic == runs[0][0]

    if plain:
        return max(plain, key=heard)  # the first of the best: keys is best first
    if len(roots) < VAMP_BEYOND:  # a vamp: its two chords are each other's neighbours
        return key
    lands = [harmony for harmony, _ in reversed(runs) if harmony != key.tonic]
    return _mode_on(key, runs[0][0] if runs[0][0] != key.tonic else lands[0], modes)


VAMP_BEYOND = 3
"""The fewest harmonies of a loop whose mode's tonic, a passing chord, gives the loop to the
mode of the same notes on another (:func:`plain_at_home`): in a two-chord vamp (Em F,
Dm7 G, Cmaj7 D) each chord is the other's neighbour, and its votes tell its tonic."""


def _mode_on(key: Key, tonic: int, modes: set[frozenset[int]]) -> Key:
    """The first key of the :data:`LOCK_SCALES` on ``tonic`` with the notes of ``key`` or of
    another of ``modes`` (the notes of the keys on its tonic that hold the clip), else
    ``key``: the mode of the scale that begins there, E phrygian of F lydian's notes; A
    phrygian of a root-only A Bb C Bb bass, read Bb major, whose Bb lydian holds it too."""
    for notes in (key.pitch_classes(), *sorted(modes - {key.pitch_classes()}, key=sorted)):
        for mode in LOCK_SCALES:
            other = Key(tonic, mode)
            if other.pitch_classes() == notes:
                return other
    return key


WHOLE_STEP_BELOW = 10
"""Semitones from a mixolydian tonic up to its bVII's root (C under D), a lydian's tonic
and its II (C D) the same two chords."""


def lydian_at_home(
    key: Key,
    keys: list[Key],
    places: list[tuple[int | None, int | None, int]],
    votes: np.ndarray,
) -> Key:
    """``key``, or of a mixolydian loop that opens each pass on its bVII and says that chord
    as much as its tonic (``votes``, :func:`tonic_votes`), the lydian on the bVII (the
    same notes, the first of ``keys`` so): a vamp of two major chords a whole step apart is
    lydian's I II (Cmaj7 D) or mixolydian's I bVII (D C), and a musician hears home on the
    chord each pass begins on. Cmaj7 D was said to be D mixolydian; it is C lydian, and F
    G F lydian. D C D C stays D mixolydian, and so does a loop that dwells on its tonic
    longer (C D D D)."""
    runs = chord_runs(places)
    if key.mode != "mixolydian" or not runs:
        return key
    opens = runs[0][0]
    lydian = Key(opens, "lydian")
    if (
        (opens - key.tonic) % 12 == WHOLE_STEP_BELOW
        and votes[opens] == votes[key.tonic]
        and lydian in keys
    ):
        return lydian
    return key


RAISED = {"harmonic-minor": (11,), "melodic-minor": (9, 11)}
"""The degrees (semitones over its tonic) a minor key's scale raises over the natural minor's:
its leading tone, and a melodic minor's sixth."""


def altered(key: Key | None) -> frozenset[int]:
    """The pitch classes of ``key`` (a loop's, as :func:`lock_key` reads it) that a plain
    major or minor on its tonic lacks: the clip's own notes out of its scale (``Key.extra``:
    an Andalusian pad's G#, in A minor; a secondary dominant's third, C# in C major) and a
    harmonic or melodic minor's raised degrees (:data:`RAISED`: Am Dm E Am's G#)."""
    if key is None:
        return frozenset()
    return key.extra | {(key.tonic + step) % 12 for step in RAISED.get(key.mode, ())}


def pitch_mask(key: Key | None, low: int = 0, high: int = 127) -> np.ndarray:
    """Allowed pitches 0-127: inside [low, high] and, with a key, in its scale."""
    pitches = np.arange(128)
    allowed = (pitches >= low) & (pitches <= high)
    if key is not None:
        allowed &= np.isin(pitches % 12, sorted(key.pitch_classes()))
    return allowed
