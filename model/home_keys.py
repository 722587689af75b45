"""Of the keys that hold a loop's notes alike (a major key and its relative minor, the modes of
one scale), the one the loop is at home in, from the harmonies its bars open on: the relative
it opens each pass on and cadences to (:func:`relative_at_home`), the plain major or minor
where a mode's tonic only passes or serves (:func:`plain_at_home`), lydian where a vamp opens
on the lower of two major chords a whole step apart (:func:`lydian_at_home`)."""

from __future__ import annotations

import numpy as np

from segue.model.keys import Key
from segue.model.lock_scales import LOCK_SCALES, LOOP_CHORDS
from segue.model.spelling import SIGNED
from segue.model.tonic_votes import OPENING_VOTES

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
