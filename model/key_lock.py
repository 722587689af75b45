"""The key ``--key auto`` locks a clip to (:func:`lock_key`): of the seven-note scales on every
tonic, the one that holds the most of the clip's notes, on the tonic the clip says, told apart
by the loop chords its bars open and end on, its tonic triad, and the 3rd and 7th it plays on
strong beats (:func:`metric_weight`), its chromatic passing notes aside
(:func:`chromatic_passing`); the clip's own notes out of the scale are held too."""

from __future__ import annotations

import numpy as np

from segue.model.home_keys import lydian_at_home, plain_at_home, relative_at_home
from segue.model.key_profiles import pitch_class_histogram, profile_matches
from segue.model.keys import SCALES, Key, charted
from segue.model.lock_scales import LOCK_SCALES, LOOP_CHORDS
from segue.model.pickups import first_downbeat
from segue.model.tonic_votes import bar_tonics, votes_of
from segue.notes import Note


def metric_weight(notes: list[Note] | tuple[Note, ...], downbeat: float = 0.0) -> list[float]:
    """How strongly each note's onset is heard (:data:`METRIC_WEIGHTS`): on a beat, on an
    eighth's off-beat, elsewhere (a 16th's or a triplet's), the beats counted from the
    clip's first ``downbeat`` (after a pickup of half a beat, its beats fall on the clip's
    half beats: counted from the clip's start, every beat read as an off-beat)."""
    on_beat, on_eighth, off = METRIC_WEIGHTS
    out = []
    for n in notes:
        at = (n.start - downbeat) % 1.0
        near = min(at, 1.0 - at)
        out.append(on_beat if near < 1e-6 else on_eighth if abs(at - 0.5) < 1e-6 else off)
    return out


def chromatic_passing(notes: list[Note] | tuple[Note, ...]) -> list[bool]:
    """Whether each note passes by a semitone between its neighbours: struck alone, after a
    note a semitone below it and before one a semitone above it (or the other way round),
    each struck alone too (G G# A, A Bb B, D D# E in an E minor funk bass). A note leapt
    to or from (the G after its E) is the line's own. The notes are a loop's: the first
    note's neighbour before it is the last (a loop has no start, and its key is read the
    same from whichever bar it starts: :func:`tonic_votes`)."""
    onsets = sorted({n.start for n in notes})
    alone: dict[float, int] = {}
    for n in notes:
        alone[n.start] = -1 if n.start in alone else n.pitch
    out = []
    count = len(onsets)
    for n in notes:
        i = onsets.index(n.start)
        if alone[n.start] < 0 or count < 3:
            out.append(False)
            continue
        before, after = alone[onsets[i - 1]], alone[onsets[(i + 1) % count]]
        step = n.pitch - before
        out.append(before >= 0 and after >= 0 and abs(step) == 1 and after - n.pitch == step)
    return out


METRIC_WEIGHTS = (1.0, 0.5, 0.25)
"""What a note on a beat, on an eighth's off-beat and elsewhere weighs (:func:`metric_weight`),
halved at each level of the beat's division as a meter's strong and weak places are: a
funk bass's chromatic passing notes (G G# A, D D# E) come on weak 16ths."""


LOCK_MARGIN = 0.05
"""Share of a clip's notes (by duration) that a scale other than the plain major or minor
must hold beyond the best of those to be chosen: a C Ab F G arp (Ab's notes out of C
major) went to C melodic minor, which held one note more of 64, and its C major chords
played as C minor (helper-51)."""


def _modal_tonics(places: list[tuple[int | None, int | None, int]], votes: np.ndarray) -> set[int]:
    """The tonics on which :func:`lock_key` may say a mode, of a clip's bars' ``places``
    (:func:`bar_tonics`) and ``votes`` (:func:`tonic_votes`): those with the most votes on
    which at least half the bars that open on a harmony open (an E phrygian bass on an E
    pedal, a D dorian Dm7-G vamp, a G mixolydian G F C G loop: each was said to be in C
    major, whose tonic it never dwells on); of a tune, whose bars open on no harmony, the
    one tonic with the most votes, half of them or more (an E phrygian lead whose bars end
    on E and go no lower). A C G Am F loop's G, voted as often as its C and opening a bar
    in four, is no mode's; an arp of C major's notes that opens on E and ends on G, no
    lower than D, is C major's."""
    top = int(votes.max())
    if top == 0:
        return set()
    opened = [opens for opens, _, _ in places if opens is not None]
    leads = np.flatnonzero(votes == top)
    if not opened:
        return {int(leads[0])} if len(leads) == 1 and 2 * top >= int(votes.sum()) else set()
    return {int(tonic) for tonic in leads if 2 * opened.count(int(tonic)) >= len(opened)}


_ON_EVERY_TONIC = {
    mode: (np.arange(12)[:, None] + np.asarray(SCALES[mode])) % 12 for mode in LOCK_SCALES
}
"""Each :data:`LOCK_SCALES` scale's pitch classes on every tonic (12 tonics, its degrees): made
once, not for each clip :func:`lock_key` reads."""
_ROOTS_ON_EVERY_TONIC = {
    mode: (np.arange(12)[:, None] + np.asarray(LOOP_CHORDS[mode])) % 12 for mode in LOCK_SCALES
}
"""The same of each scale's :data:`LOOP_CHORDS` roots: ``chorded[...]`` counts, per tonic, the
roots a clip's bars open or end on, as a loop over them counted each."""


def lock_key(
    notes: list[Note] | tuple[Note, ...],
    bar: float = 4.0,
    length: float | None = None,
    downbeat: float | None = None,
) -> Key | None:
    """The key ``--key auto`` locks a continuation to: of the :data:`LOCK_SCALES` on every
    tonic, the one that holds the most of the notes (by duration; the plain major or minor
    unless another holds :data:`LOCK_MARGIN` more); the clip's own pitch classes out of it
    are held too (``Key.extra``), so a lock never folds the clip's own notes. A Dm A Bb A
    loop, whose profile says A major, had its F and Bb folded to F# and B, a D major loop;
    it is now in D harmonic minor (helper-47).

    Among scales that hold as much (a clip of five or six pitch classes fits several keys,
    a major key and its relative minor hold the same notes, and so do the modes of one
    scale), a clip that fills a pentatonic is on its tonic or its relative minor's
    (:func:`_pentatonic_tonics`); the tonic is the one the clip says (:func:`tonic_votes`:
    the harmony each of its ``bar``-beat bars opens on, the one it ends on, its lowest
    note); then the one whose
    key's loop chords (:data:`LOOP_CHORDS`) its bars open and end on; then the key whose
    tonic triad (1, 3, 5) the clip plays more of (a hook of C D E G A that opens on E and
    ends on C: C major's C E G, not E minor's E G B, whose B it never plays); then the key
    whose 3rd and 7th the clip plays longer and on stronger beats (:func:`metric_weight`, the
    beats counted from its first downbeat),
    its chromatic passing notes aside (:func:`chromatic_passing`), of the keys on one tonic
    (a major key and its relative minor are left to its profile): an E funk bass of E G A B
    D whose G# Bb D# pass between them (G G# A, D D# E) holds as much of E major as of E
    minor, and was locked to E major, whose G# its takes put on a downbeat (helper-89);
    then the plain major or minor before a mode of the same tonic, and a mode only on a
    tonic the clip says most (:func:`_modal_tonics`), dorian and mixolydian before phrygian
    and lydian; then the key profile that matches best (:func:`detect_key`'s measure, which
    alone chose before). The profile locked a C major hook of C D E G A whose E is held
    longest to E minor, and its takes played F#; an F major lead of F G A C D to C major,
    and they played B natural (helper-73). A D dorian bass, which was said to be in C
    major, is in D dorian (the same notes), and so are an E phrygian bass on its E pedal, a
    Dm7-G vamp and a G mixolydian G F C G loop, which the clip's first and last notes alone
    left in C major. Every reading is the same from whichever bar a loop starts: the bars
    are counted alike, and a line's last note passes into its first
    (:func:`chromatic_passing`). The bars are the music's, counted from its first downbeat
    after a pickup (``segue.model.pickups.first_downbeat``, of a clip ``length`` beats long
    where given): an E phrygian bass whose clip starts on its B1 C2 D2 pickup, a beat and a
    half before bar 1, was read C major, every bar read across two of its harmonies. Told
    where bar 1 lies (``downbeat``: Live's clip, its start marker before bar 1), the bars
    are counted from there. Of a major key and its relative minor (the same notes), the
    one the clip comes home to (:func:`relative_at_home`): an Am F C G loop, which opens on
    Am each pass, is in A minor; C G Am F is in C major. A mode whose tonic is a passing
    chord of a loop that opens on another (:func:`plain_at_home`) is that loop's plain
    major or minor: Am G F G, whose G opens two bars of four, is in A minor, not G
    mixolydian, from whichever of its chords it starts (F G Am G, G Am G F), and so is Am
    Dm G G, whose bVII rises to its i. A vamp of two major chords a whole step apart that
    opens on the lower is lydian (:func:`lydian_at_home`): Cmaj7 D is C lydian."""
    hist = pitch_class_histogram(notes)
    total = float(hist.sum())
    if total == 0:
        return None
    played = hist > 0
    at = first_downbeat(notes, bar, length) if downbeat is None else downbeat
    places = bar_tonics(notes, bar, at)
    votes = votes_of(places)
    modal = _modal_tonics(places, votes)
    passing = chromatic_passing(notes)
    weight = [0.0 if by else w for by, w in zip(passing, metric_weight(notes, at), strict=True)]
    heard = pitch_class_histogram(notes, weight)  # its notes but the passing ones, by beat
    match = profile_matches(hist)  # (2, 12): the major and the minor profile on each tonic
    harmonies = {h for place in places for h in place[:2] if h is not None}  # bars' chords
    chorded = np.isin(np.arange(12), list(harmonies))  # (12,) the classes the bars strike
    fits: list[tuple[float, int, int, int, float, bool, int, float, int, int]] = []
    for order, mode in enumerate(LOCK_SCALES):  # ... -order, tonic
        steps = SCALES[mode]
        scale = _ON_EVERY_TONIC[mode]  # (12 tonics, 7 degrees)
        held = np.round(hist[scale].sum(axis=1) / total, 9)
        triad = played[scale[:, [0, 2, 4]]].sum(axis=1)  # the tonic triad's notes played
        colour = np.round(heard[scale[:, [2, 6]]].sum(axis=1), 9)  # its 3rd and 7th, heard
        r = np.round(match[int(3 in steps and 4 not in steps)], 9)  # the minor profile's
        r[np.isnan(r)] = -1.0
        roots = chorded[_ROOTS_ON_EVERY_TONIC[mode]].sum(axis=1)  # its loop chords' roots heard
        for tonic in range(12):
            fits.append(
                (
                    float(held[tonic]),
                    int(votes[tonic]),
                    int(roots[tonic]),
                    int(triad[tonic]),
                    float(colour[tonic]),
                    order < 2,
                    0 if order < 2 else -order,  # the modes loops are in most first
                    float(r[tonic]),
                    -order,
                    tonic,
                )
            )
    plain = max(fit[0] for fit in fits if fit[5])
    most = max(fit[0] for fit in fits)
    if most >= plain + LOCK_MARGIN:
        tied = [fit for fit in fits if fit[0] == most]
    else:  # a mode as plain as major or minor is heard only on a tonic the clip insists on
        tied = [fit for fit in fits if fit[0] == plain and (fit[5] or fit[9] in modal)]
    pentatonic = _pentatonic_tonics({int(c) for c in np.flatnonzero(played)})
    tied = [fit for fit in tied if fit[9] in pentatonic] or tied
    # a tonic's loop chords and colour: its best key's (the keys on one tonic are told
    # apart by what they add, the plain first)
    chords = {fit[9]: max(other[2] for other in tied if other[9] == fit[9]) for fit in tied}
    top = {fit[9]: max(other[4] for other in tied if other[9] == fit[9]) for fit in tied}
    ranked = sorted(
        tied,
        key=lambda fit: (fit[1], chords[fit[9]], fit[3], fit[4] == top[fit[9]], *fit[5:9]),
        reverse=True,
    )
    read = [Key(fit[9], LOCK_SCALES[-fit[8]]) for fit in ranked]
    key = lydian_at_home(read[0], read, places, votes)
    key = relative_at_home(plain_at_home(key, read, places), places, votes)
    extra = frozenset(int(c) for c in np.flatnonzero(played))
    return charted(Key(key.tonic, key.mode, extra - key.pitch_classes()))


def _pentatonic_tonics(classes: set[int]) -> set[int]:
    """The tonics of the major pentatonic and of its relative minor pentatonic whose five
    notes are exactly ``classes`` (none where they are no pentatonic's): the keys that
    :func:`lock_key` reads a clip that fills a pentatonic in. A hook of C D E G A (E G A G
    E D, E D C A C) whose first bar ends on D, its lowest note, was read D minor, a key
    whose F the hook never plays, and its takes played F (40 of 383 notes, helper-114);
    it is in C major pentatonic (or A minor's), the scale it fills."""
    steps = SCALES["major-pentatonic"]
    return {
        (tonic + relative) % 12
        for tonic in range(12)
        if {(tonic + step) % 12 for step in steps} == classes
        for relative in (0, 9)
    }
