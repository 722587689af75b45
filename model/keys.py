"""What a key is: a tonic and a scale, its names as segue reads them (:func:`parse_key`) and
says them (a chart's spelling: :func:`charted`), moved (:func:`moved_key`), the notes it alters
from the plain major or minor (:func:`altered`) and the pitches it allows (:func:`pitch_mask`).

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
