"""The generation settings, declared once: :class:`GenerationParams` is the table.

Each field of :class:`GenerationParams` is declared with :func:`setting`: its default, its
range, a one-line help, and what the other faces of segue need to show it (units, a
TouchOSC fader's span and step, the bridge's error code for a value over the top, the
wire value meaning "none", command-line short flags and old spellings). :data:`SETTINGS`
reads those declarations back, and everything else derives from it: validation here, the
bridge's parameters, faders and docs/protocol.md (``segue.bridge.params``), the command
line's options (``segue.cli.options``), the TouchOSC layout and the device's checks.
One name per setting everywhere: the Python API, the OSC protocol and the command line
(``top_p`` is ``--top-p``).

Nothing here imports torch or numpy, so the bridge, its client and the docs stay cheap.
A new setting is one field here; a new sampling control is one field here and one in
``segue.model.sampling.Sampler``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar, get_args, get_type_hints

from segue.errors import SegueError
from segue.notes import Clip, TimeSignature

T = TypeVar("T")
Value = int | float | str
_SETTING = "segue.setting"  # the metadata key of a field declared with setting()


class GenerationError(SegueError):
    """Generation settings that cannot be met."""


def setting(
    default: T,
    *,
    help: str,
    low: float | None = None,
    high: float | None = None,
    units: str = "",
    fader: tuple[float, float, float] | None = None,
    over: str = "bad_value",
    off: Value | None = None,
    off_label: str = "",
    flags: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    metavar: str | None = None,
    protocol: bool = True,
    choices: tuple[str, ...] = (),
) -> T:
    """A field of :class:`GenerationParams` with its declaration (see :class:`Setting`)."""
    declared = dict(
        help=help,
        low=low,
        high=high,
        units=units,
        fader=fader,
        over=over,
        off=off,
        off_label=off_label,
        flags=flags,
        aliases=aliases,
        metavar=metavar,
        protocol=protocol,
        choices=choices,
    )
    made: T = field(default=default, metadata={_SETTING: declared})
    return made


@dataclass(frozen=True)
class Setting:
    """One generation setting, as declared on its field of :class:`GenerationParams`.

    ``default`` is the Python API's (None: not set). ``low``/``high`` bound a number.
    ``fader`` is a TouchOSC fader's (value at 0, value at 1, step); ``over`` the bridge's
    error code for a value above ``high``. ``off`` is the value a client or the command
    line sends for "none" (``-1`` for a new random seed, ``"off"`` for no key lock),
    ``off_label`` what it means. ``flags`` are short command-line flags (``-t``);
    ``aliases`` old spellings that still work but are not shown (``--seed-rng``).
    ``protocol`` False keeps a setting out of the bridge (``include_seed``). ``choices``
    are the words a text setting takes (none: any text its own parser reads).
    """

    name: str
    value_type: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    units: str = ""
    fader: tuple[float, float, float] | None = None
    over: str = "bad_value"
    off: Value | None = None
    off_label: str = ""
    flags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    metavar: str | None = None
    protocol: bool = True
    choices: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``float``, ``int``, ``string`` or ``flag``."""
        return {float: "float", int: "int", str: "string", bool: "flag"}[self.value_type]

    @property
    def option(self) -> str:
        """The command-line option: ``--top-p`` for ``top_p``."""
        return "--" + self.name.replace("_", "-")

    @property
    def description(self) -> str:
        """The one-line help, with what the ``off`` value means."""
        if self.off is None or not self.off_label:
            return self.help
        return f"{self.help}; {_num(self.off)} = {self.off_label}"

    def check(self, value: object, label: str = "") -> None:
        """Raise GenerationError naming this setting (or ``label``) when ``value`` is not
        one of its values."""
        if value is None:
            return
        name = label or self.name
        if self.value_type is str:
            if not isinstance(value, str):
                raise GenerationError(f"{name} must be text, got {value!r}")
            if self.choices and value not in self.choices:
                raise GenerationError(
                    f"{name} must be one of {', '.join(self.choices)}, got {value!r}"
                )
            return
        if self.low is None or self.high is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GenerationError(f"{name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise GenerationError(f"{name} must be a finite number, got {value}")
        if not self.low <= value <= self.high:
            raise GenerationError(
                f"{name} must be between {_num(self.low)} and {_num(self.high)}, got {_num(value)}"
            )
        if self.value_type is int and value != int(value):
            raise GenerationError(f"{name} must be a whole number, got {value}")

    def check_option(self, value: object) -> None:
        """:meth:`check` a value as the command line gives it: named by its option, and an
        ``off`` value (``--rng-seed -1``) taken for what it stands for and offered in the
        message when the range leaves it out."""
        if self.off_label and value == self.off:
            return
        try:
            self.check(value, self.option)
        except GenerationError as exc:
            off, low, high = self.off, self.low, self.high
            if not (
                self.off_label
                and isinstance(off, int | float)
                and low is not None
                and high is not None
                and not low <= off <= high
            ):
                raise
            raise GenerationError(f"{exc} (or {_num(off)}: {self.off_label})") from None


@dataclass(frozen=True)
class OneOf:
    """Settings of which at most one may be given; with none, the first is ``fallback``.

    The bridge reports the members not in use as ``unused``.
    """

    name: str
    members: tuple[str, ...]
    fallback: float
    unused: int = 0

    def check(self, values: Mapping[str, object]) -> None:
        """Raise GenerationError when ``values`` give more than one member."""
        if sum(values.get(m) is not None for m in self.members) > 1:
            listed = ", ".join(self.members[:-1]) + f" or {self.members[-1]}"
            raise GenerationError(f"give the {self.name} in {listed}, not several")


SEED_BEATS = 4096.0
"""The longest seed the bridge takes (``segue.bridge.protocol.MAX_SEED_BEATS``): the
``downbeat`` setting's top."""
SEED_NOTES = 2048
"""The most notes a seed the bridge takes holds (``segue.bridge.protocol.MAX_SEED_NOTES``)."""
LENGTH = OneOf("length", ("bars", "beats", "notes"), fallback=4.0)
ONE_OF: tuple[OneOf, ...] = (LENGTH,)
DRAWN_SEEDS = 2**31
"""A random seed segue draws (none given) is below this: any seed segue reports can be
sent back, and an OSC message carries 32-bit integers (``segue send``, the device)."""


@dataclass(frozen=True)
class GenerationParams:
    """What to generate: the settings table (each field's help says what it does).

    ``key`` is None (no lock), "auto" (detect from the seed) or a key such as "A minor".
    ``rng_seed`` None draws a new one (the result reports it). ``memory``: 1 as much as
    in the music the model learnt from, 0 never beyond what the network itself recalls,
    up to 4 for loops (a model without a fitted memory ignores it); below 1 a staccato
    or legato part keeps its articulation (``segue.model.articulation``), at 0 a part its
    rests (``segue.model.rests``) and its steady pulse (``segue.model.pulse``). At most one
    of ``bars``, ``beats`` and ``notes`` sets the length (default 4 bars).
    """

    temperature: float = setting(
        1.0,
        low=0.0,
        high=5.0,
        fader=(0.0, 2.0, 0.01),
        flags=("-t",),
        help="0 = always the likeliest note; higher = more adventurous (on a loop, each take "
        "keeps the loop but in its turn at every phrase's end, as long as the temperature asks: "
        "a 16th at 0.8 and below, an 8th at 1, a beat at 1.3, half a bar at 1.6, the whole bar "
        "at 2; of a chord, one voice at 0.8 and below, two at 1, three from 1.3; the network "
        "freer in it, a turned note within a fifth of the loop's up to 1.1, an octave above; "
        "below 0.72 the loop firmer around the turn, one note a take, and that note within a "
        "fourth of the loop's, within a step below 0.46)",
    )
    top_p: float = setting(
        0.95,
        low=0.01,
        high=1.0,
        fader=(0.01, 1.0, 0.01),
        help="sample only from the likeliest choices that add up to this probability",
    )
    top_k: int = setting(
        0,
        low=0,
        high=128,
        off=0,
        off_label="off",
        fader=(0.0, 64.0, 1.0),
        help="sample only from the k likeliest choices",
    )
    bars: float | None = setting(
        None,
        low=0.25,
        high=64.0,
        units="bars",
        fader=(1.0, 32.0, 1.0),
        over="too_long",
        help="length of each variation in bars of the seed's time signature",
    )
    beats: float | None = setting(
        None,
        low=0.25,
        high=256.0,
        units="beats",
        fader=(1.0, 128.0, 1.0),
        over="too_long",
        help="length of each variation in beats",
    )
    notes: int | None = setting(
        None,
        low=1,
        high=2048,
        units="notes",
        fader=(1.0, 256.0, 1.0),
        over="too_long",
        help="length of each variation in notes, at most: a chord that would pass it is left "
        "out whole, so no take ends on part of a chord (a first chord of more is kept whole)",
    )
    variations: int = setting(
        1,
        low=1,
        high=16,
        fader=(1.0, 16.0, 1.0),
        over="too_many_variations",
        flags=("-n",),
        aliases=("--takes",),  # what the README, the messages and musicians call them
        help="how many different continuations",
    )
    key: str | None = setting(
        None,
        off="off",
        off_label="no lock",
        metavar="auto|KEY",
        help="key lock: auto (detect from the seed) or a key such as 'A minor', 'F# dorian' or "
        "'C# Half-whole Dim.' (any of Live 12's 35 scales, by Live's name), or a tonic "
        "and its scale's semitones, 'D 0,2,3,5,7,9,10'",
    )
    low: int = setting(
        0,
        low=0,
        high=127,
        fader=(0.0, 127.0, 1.0),
        help="lowest pitch allowed (a clip below the range goes on in it, whole octaves up)",
    )
    high: int = setting(
        127,
        low=0,
        high=127,
        fader=(0.0, 127.0, 1.0),
        help="highest pitch allowed (a clip above the range goes on in it, whole octaves down)",
    )
    polyphony: int = setting(
        0,
        low=0,
        high=16,
        off=0,
        off_label="as the clip",
        fader=(0.0, 16.0, 1.0),
        aliases=("--max-polyphony",),
        help="most notes sounding at once (a note cuts the oldest, as a mono synth's legato; "
        "fewer than a chord part sounds: its chords reduced as an arranger does, 1 the top "
        "line, 2 bass and top, more bass, top and inner voices from the top down, a held bass "
        "held on; unset, as many as the clip sounds at once: a line goes on one note at a "
        "time, a 4-voice chorale in 4)",
    )
    memory: float = setting(
        1.0,
        low=0.0,
        high=4.0,
        fader=(0.0, 2.0, 0.05),
        help="how strongly the seed's own phrases and pitch classes come back: 1 as often as "
        "in the music the model learnt from (a clip that loops keeps its loop), 0 only when "
        "the network recalls them (a beat keeps its kick's downbeats and its backbeat), up "
        "to 4 to loop what repeats less (a tune, a played take); below 1 the network's own "
        "notes keep the clip's articulation, pulse and density and lean to the gaps between "
        "its notes",
    )
    rng_seed: int | None = setting(
        None,
        low=0,
        high=2**63 - 1,
        off=-1,
        off_label="a new one each time",
        aliases=("--seed-rng",),
        help="random seed: the same number gives the same notes",
    )
    fills: str = setting(
        "none",
        choices=("none", "phrase", "often"),
        metavar="none|phrase|often",
        help="drums: fills at the end of each 4-bar phrase (phrase), or at the end of every "
        "2 bars (often)",
    )
    kit: str = setting(
        "clip",
        choices=("clip", "gm"),
        metavar="clip|gm",
        help="drums: play only the pads the clip uses (clip), or any General MIDI drum in "
        "fills, such as toms, and a crash after them (gm)",
    )
    downbeat: float | None = setting(
        None,
        low=0.0,
        high=SEED_BEATS,
        units="beats",
        metavar="BEATS",
        protocol=False,
        help="where bar 1 lies in the seed, in beats from its start (a Live clip's start "
        "marker moved back before bar 1 to hold a pickup: 1.5); the notes before it are a "
        "pickup, heard once, and the continuation goes on from it in its bars; 0: the seed "
        "begins on bar 1 (default: read from the notes, a pickup bar's)",
    )
    include_seed: bool = setting(
        False, protocol=False, help="write the seed before the continuation"
    )

    def validated(self) -> GenerationParams:
        """The same settings, checked, the length filled in; raises GenerationError naming
        the bad one."""
        params = self
        for group in ONE_OF:
            values = {name: getattr(params, name) for name in group.members}
            group.check(values)
            if all(v is None for v in values.values()):
                fallback: dict[str, Any] = {group.members[0]: group.fallback}
                params = replace(params, **fallback)
        for s in SETTINGS:
            s.check(getattr(params, s.name))
        if params.low > params.high:
            raise GenerationError(
                f"the pitch range must have low <= high, got {params.low}-{params.high}"
            )
        return params


def _settings() -> tuple[Setting, ...]:
    types = get_type_hints(GenerationParams)
    out = []
    for f in fields(GenerationParams):
        declared = f.metadata[_SETTING]
        value_type = next(
            t for t in (*get_args(types[f.name]), types[f.name]) if t is not type(None)
        )
        out.append(Setting(f.name, value_type, f.default, **declared))
    return tuple(out)


SETTINGS: tuple[Setting, ...] = _settings()
SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def api_values(values: Mapping[str, object]) -> dict[str, Any]:
    """Keyword arguments of :class:`GenerationParams` for settings as the bridge or the
    command line hold them: a None (not given), a length member not in use and an ``off``
    value that stands for None are left out, so the default applies."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        s = SETTINGS_BY_NAME[name]
        unused = [g.unused for g in ONE_OF if name in g.members]
        if value is None or (unused and value == unused[0]):
            continue
        if s.default is None and s.off is not None and value == s.off:
            continue
        out[name] = value
    return out


MAX_REQUEST_NOTES = 8192
"""Notes of all the variations of one request together (each variation has at most the
``notes`` setting's top, 2,048): what the bridge sends for one request, and what
``segue generate`` makes at once, so that both take the same lengths."""


def notes_per_variation(variations: int) -> int:
    """The most notes a variation may have when ``variations`` are asked together."""
    top = int(SETTINGS_BY_NAME["notes"].high or 0)
    return min(top, MAX_REQUEST_NOTES // max(1, variations))


def check_length(params: GenerationParams, signature: TimeSignature) -> None:
    """Raise GenerationError when the length of checked ``params`` passes a limit in the
    seed's ``signature``, the one rule of the bridge and the command line: a length in bars
    is held to the ``beats`` setting's top in beats (64 bars of 7/4 are 448 beats, over 256),
    and a length in notes to its share of :data:`MAX_REQUEST_NOTES`."""
    most_beats = SETTINGS_BY_NAME["beats"].high or 0
    if params.bars is not None:
        beats = params.bars * signature.beats_per_bar
        if beats > most_beats:
            bars = f"{_num(params.bars)} bar{'' if params.bars == 1 else 's'}"
            raise GenerationError(
                f"{bars} of {signature} {'is' if params.bars == 1 else 'are'} {_num(beats)} "
                f"beats; a variation may be at most {_num(most_beats)} beats (ask for fewer "
                "bars)"
            )
    most = notes_per_variation(params.variations)
    if params.notes is not None and params.notes > most:
        raise GenerationError(
            f"{params.variations} variations of {params.notes} notes are "
            f"{params.variations * params.notes} notes; a request may have at most "
            f"{MAX_REQUEST_NOTES}, so at most {most} per variation (ask for fewer notes or "
            "variations)"
        )


def check_seed(seed: Clip, where: object) -> None:
    """Raise GenerationError when the seed read from ``where`` holds more than
    :data:`SEED_NOTES` notes or lasts more than :data:`SEED_BEATS` beats, the one rule of the
    bridge and the command line (as the device says it): ``segue send`` refused a stray note
    100,000 beats late in one line, and ``segue generate`` went on a 25,003-bar seed and
    played a 1-note take."""
    if len(seed) > SEED_NOTES or seed.length > SEED_BEATS:
        raise GenerationError(
            f"{where}: {len(seed)} notes over {seed.length:g} beats; the bridge takes at most "
            f"{SEED_NOTES} notes and {SEED_BEATS:g} beats{_past_the_limit(seed)} (choose a "
            "track with --track, or cut the file)"
        )


def _past_the_limit(seed: Clip) -> str:
    """Where a seed too long runs past :data:`SEED_BEATS`, as Live shows a place: what runs
    past is often one stray note far after the part (a note dropped at bar 25001 of an
    arrangement), and the musician has to find it to cut it. "" where no note does (too many
    notes, or a clip rounded up to whole bars past the limit)."""
    past = [note for note in seed.notes if note.start + note.duration > SEED_BEATS]
    if not past:
        return ""
    # only when refusing: what the bridge imports stays free of numpy
    from segue.model.wrong_notes import where as place

    signature = seed.time_signature
    first = place(past[0].start, signature.beats_per_bar, beat=4 / signature.denominator)
    notes = "1 note runs" if len(past) == 1 else f"{len(past)} notes run"
    return f", and {notes} past beat {SEED_BEATS:g}, the first {first}"


def _num(value: float | str) -> str:
    """A number for people: 2147483647 stays whole, 0.95 stays 0.95."""
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
