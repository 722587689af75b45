"""Options that several commands share, declared once, and what their values become.

Each ``*_option(s)`` function returns a decorator that adds its options to a
command in the order they appear in its help: the model (``segue generate``,
``segue live continue``, ``segue eval``, ``segue serve``, ``segue models``),
the generation settings (``segue generate``, ``segue send``, ``segue live
continue``, and some in ``segue eval``), read from the settings table
``segue.model.settings``, and the seed file and MIDI output (``segue generate``,
``segue send``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from segue.bridge.values import counted
from segue.cores import usable_cores
from segue.errors import NoteError, SegueError
from segue.midi_io import (
    MAX_TEMPO,
    MIDI_SUFFIXES,
    MIN_TEMPO,
    TrackInfo,
    is_midi_path,
    is_track,
    list_tracks,
    part_program,
    read_part,
    read_tempo,
    time_signature_notice,
    track_choice,
    unread_notice,
)
from segue.model.pickups import DOWNBEAT_HINT, downbeat_problem
from segue.model.registry import AUTO, DEFAULT_MODEL
from segue.model.settings import ONE_OF, SETTINGS, SETTINGS_BY_NAME, GenerationParams, api_values
from segue.notes import Clip, TimeSignature
from segue.shell import suggested
from segue.shown_names import bare_name, shown_name
from segue.take_notices import cut_notice as cut_notice  # said by segue send too

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]


class Finite(click.FloatRange):
    """click's FloatRange, refusing "nan" too (a NaN passes every comparison with a bound)."""

    name = "finite float range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class ExtraArgumentNamed(click.Command):
    """A command that, missing a required option and given arguments too many, says to give
    them as the option: `segue models add runs/folk folk` (the name without --name) said
    only "Missing option '--name'", and nothing of 'folk' (helper-323); so did `segue models
    add runs/folk my model`, a name with a space unquoted, which comes as two arguments."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter as exc:
            extra = self.make_parser(ctx).parse_args(args=given)[1]
            if not isinstance(exc.param, click.Option) or not extra:
                raise
            if len(extra) > 1 and not one_value_split(extra):  # several files: click's line
                raise
            raise click.UsageError(extra_for_option(extra, exc.param), ctx) from None


def extra_for_option(extra: list[str], option: click.Option) -> str:
    """What to say of the ``extra`` arguments a command got with no ``option``, a required
    one: to give the one as the option, or the several, quoted, as one value (a name or a
    path with a space the shell split)."""
    flag = option.opts[0]
    if len(extra) == 1:
        given_as = suggested(flag, ((option.name or "value").upper(), extra[0]))
        return f"got an extra argument {extra[0]!r} and no {flag}: give it as {given_as}"
    listed = ", ".join(map(repr, extra))
    return f"got extra arguments {listed} and no {flag}: {as_one_value(option, extra)}"


def one_value_split(words: list[str]) -> bool:
    """Whether ``words`` may be one value the shell split at its spaces: not where a word
    before the last is a file's name (``out.mid other.mid``, ``a.mid b.mid``: files of
    their own, which quoted together would name no file)."""
    return not any(_file_name(word) for word in words[:-1])


def _file_name(word: str) -> bool:
    """Whether ``word`` ends as a file's name does: a suffix of a letter and more after a
    dot (``.mid``, ``.png``), not a version's (``v1.2``)."""
    suffix = Path(word).suffix
    return len(suffix) > 1 and suffix[1].isalpha()


def as_one_value(option: click.Option, words: list[str]) -> str:
    """What to do with ``words`` the shell split at their spaces, meant as one value of
    ``option``: give them quoted, as this computer's shell reads them (``shell.suggested``)."""
    given_as = suggested(option.opts[0], ((option.name or "value").upper(), " ".join(words)))
    return f"a value with a space is one argument only in quotes: give it as {given_as}"


def threads_type() -> click.IntRange:
    """CPU threads: 1 up to this computer's cores (more only make each step wait)."""
    return click.IntRange(1, usable_cores())


def _stack(*options: Decorator) -> Decorator:
    """One decorator applying ``options`` so that they are listed in the order given."""

    def apply(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return apply


# -- the model ---------------------------------------------------------------------------------


def models_dir_option(
    help: str = "Another folder of models (NAME.pt), besides the bundled ones and yours "
    "(see `segue models`).",
) -> Decorator:
    return click.option(
        "--models-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=help,
    )


AUTO_CHOICE = (
    "segue chooses for each clip: for a drum part the drum model it surprises least (drums, "
    "or one you tuned), a model that keeps loops for a loop, else the one the clip surprises "
    "least"
)


def model_options() -> Decorator:
    """--model and --models-dir, for a command that runs the model itself."""
    return _stack(
        click.option(
            "--model",
            "model_name",
            default=None,
            metavar="NAME|PATH",
            help="Installed model name (see `segue models`) or a checkpoint/run folder. "
            f"Default: {DEFAULT_MODEL} ({AUTO_CHOICE}).",
        ),
        models_dir_option(),
    )


# -- generation ------------------------------------------------------------------------------


class AliasedOption(click.Option):
    """An option whose old spellings (``aliases``) still work but are left out of its help."""

    def __init__(self, *args: Any, aliases: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aliases = aliases

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        opts = self.opts
        self.opts = [o for o in opts if o not in self.aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = opts


def model_label(model_name: str | None, path: Path, drums: bool, drum_model: bool) -> str:
    """What a command says continued the clip: the model's name (a run's folder for its
    checkpoint), after "auto: " when auto chose it, and "(as drums)" where a model that is
    not a drum model read a drum part (a drum model tuned on your beats is one)."""
    label = path.parent.name if path.stem in ("best", "last") else path.stem
    if (model_name or DEFAULT_MODEL) != AUTO:
        return label
    return f"{AUTO}: {label}" + (" (as drums)" if drums and not drum_model else "")


def same_takes_notice(temperature: float | None, variations: int | None) -> str | None:
    """What to say when every take will be the same: several asked for at temperature 0."""
    if temperature == 0 and (variations or 1) > 1:
        return (
            f"at temperature 0 all {variations} takes are the same (the likeliest notes); "
            "give -t above 0 for takes that differ"
        )
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def setting_option(
    name: str, *, defaults: bool = True, default: object = None, help: str | None = None
) -> Decorator:
    """The option of one generation setting of ``segue.model.settings``: ``--top-p`` for
    ``top_p``, with the setting's short flags, hidden old spellings, type and help.

    ``default`` and ``help`` replace the table's for a command that means something of
    its own by it (``segue eval``). With ``defaults`` False the option is None unless
    given, and the help still names the default.
    """
    s = SETTINGS_BY_NAME[name]
    decls = (*s.flags, s.option, *s.aliases, s.name)
    text = _sentence(help or s.description)
    group = next((g for g in ONE_OF if name in g.members), None)
    if group is not None and help is None:
        spellings = ", ".join(SETTINGS_BY_NAME[m].option for m in group.members)
        text += f" At most one of {spellings} (default {group.fallback:g} {group.members[0]})."
    value = s.default if default is None else default
    if s.value_type is bool:
        return click.option(*decls, cls=AliasedOption, aliases=s.aliases, is_flag=True, help=text)
    kwargs: dict[str, Any] = dict(
        cls=AliasedOption, aliases=s.aliases, type=s.value_type, metavar=s.metavar, help=text
    )
    if value is None:
        return click.option(*decls, default=None, **kwargs)
    if defaults:
        return click.option(*decls, default=value, show_default=True, **kwargs)
    kwargs["help"] = f"{text}  [default: {value}]"
    return click.option(*decls, default=None, **kwargs)


def generation_options(*, defaults: bool = True, without: tuple[str, ...] = ()) -> Decorator:
    """One option per setting of :class:`segue.model.settings.GenerationParams` (but those
    ``without``), in the table's order; the command receives them by the settings' names
    (read them with :func:`generation_params`).

    With ``defaults`` False every option is None unless given (``segue send`` passes on
    only what is given, and the bridge applies its own defaults, which are the same).
    """
    return _stack(
        *(setting_option(s.name, defaults=defaults) for s in SETTINGS if s.name not in without)
    )


def generation_params(options: dict[str, Any]) -> GenerationParams:
    """The checked GenerationParams that the generation ``options`` of a command give. A
    length of 0 is the bridge's "not in use" (``api_values``); given on the command line,
    it is checked (and refused) as any other value is. A bad value is named by its option,
    and one that stands for "off" (``--rng-seed -1``) is offered beside the range. A
    choice is read in any case (``--fills PHRASE``), as the bridge reads it."""
    options = {name: _choice_case(name, value) for name, value in options.items()}
    for name, value in options.items():
        if name in SETTINGS_BY_NAME:
            SETTINGS_BY_NAME[name].check_option(value)  # named as typed: --top-p, not top_p
    lengths = {
        name: value
        for name, value in options.items()
        if value is not None and any(name in group.members for group in ONE_OF)
    }
    return GenerationParams(**{**api_values(options), **lengths}).validated()


def _choice_case(name: str, value: Any) -> Any:
    setting = SETTINGS_BY_NAME.get(name)
    if setting is not None and setting.choices and isinstance(value, str):
        return value.lower()
    return value


# -- the seed file and the MIDI output -------------------------------------------------------


def output_option() -> Decorator:
    return click.option(
        "-o",
        "--output",
        "output",
        required=True,
        type=click.Path(path_type=Path),
        help="MIDI file to write (.mid is added to a name without it); with several variations "
        "NAME-1.mid, NAME-2.mid, ...",
    )


def track_option() -> Decorator:
    return click.option(
        "--track",
        default=None,
        metavar="INDEX|NAME|most",
        help="Seed track: index, name or 'most'. Default: all non-drum tracks.",
    )


def seed_file_options() -> Decorator:
    """--time-signature and --tempo."""
    return _stack(
        click.option(
            "--time-signature",
            "time_sig",
            default=None,
            help="Time signature: without a seed file, of the new clip (default 4/4); with "
            "one, instead of the one the file states (a file that states none, or one "
            "segue cannot use, is read in 4/4).",
        ),
        click.option(
            "--tempo",
            type=click.FloatRange(MIN_TEMPO, MAX_TEMPO),
            default=None,
            help="Tempo of the output in BPM (default: the one the seed ends in, else 120).",
        ),
    )


def force_option() -> Decorator:
    return click.option("-f", "--force", is_flag=True, help="Replace output files that exist.")


def read_seed(
    seed: Path | None,
    track: str | None,
    time_sig: str | None,
    notice: Callable[[str], None] = lambda line: click.echo(f"segue: {line}", err=True),
    downbeat: float | None = None,
) -> tuple[Clip, bool]:
    """The clip to continue, SEED's notes (of --track) or none, in --time-signature (for a
    seed, when given, instead of the file's), and whether it is a drum part (a drum track,
    or a file of drums alone). A seed that states a time signature segue cannot use (read
    in 4/4), or several (read in the one it keeps longest), has ``notice`` hear a line that
    says so. Told where bar 1 lies (``--downbeat``, in beats from the file's start), the
    seed is read whole, its empty bars too (:func:`check_downbeat`)."""
    signature = given_signature(time_sig)
    if seed is None:
        return Clip((), None, signature or TimeSignature()), False
    clip, drums = read_part(seed, track=track_choice(track), time_signature=signature)
    said = time_signature_notice(seed) if signature is None else None
    if said:
        notice(f"{seed} {said}")
    merged = None
    if not drums:
        merged = merged_tracks_notice(seed) if track is None else shared_drums_notice(seed, track)
    if merged:
        notice(f"{seed}: {merged}")
    unread = unread_notice(seed, track=track_choice(track), drums=drums)
    if unread:
        notice(f"{seed} {unread}")
    clip, empty = late_entry(clip) if downbeat is None else (in_bars_from(clip, downbeat), 0)
    if empty:
        notice(
            f"{seed}: the part comes in at bar {empty + 1}; the {counted(empty, 'empty bars')} "
            f"before it {'is' if empty == 1 else 'are'} left out (the continuation would loop "
            f"{'it' if empty == 1 else 'them'} as silence)"
        )
    return clip, drums


def in_bars_from(clip: Clip, downbeat: float) -> Clip:
    """``clip`` (a file's, its length whole bars from its beat 0) ending on a bar line of the
    bars that begin at ``downbeat``: as many whole bars from there as fit in its length, at
    least those its notes start in. A file of a pickup of a beat and a half and 4 bars reads
    20 beats long, and its 4 bars went on with 2.5 beats of silence after them; it ends after
    the 4 bars, at 17.5. A ``downbeat`` past the clip is left to :func:`check_downbeat`."""
    bar = clip.time_signature.beats_per_bar
    if not clip.notes or downbeat >= clip.length:
        return clip
    last = max(n.start for n in clip.notes)
    need = math.floor(max(0.0, last - downbeat) / bar + 1e-9) + 1
    fits = math.floor((clip.length - downbeat) / bar + 1e-9)
    length = downbeat + bar * max(need, fits)
    return Clip(clip.notes, length, clip.time_signature) if length < clip.length else clip


def check_seedless(seed: Path | None, track: str | None) -> None:
    """Refuse, in one line, a ``--track`` where no seed is given: with the seed file left
    out, ``--track bass`` started a part from nothing without a word. (``--include-seed``
    without a seed writes the take alone, as asked: there is no seed to put first.)"""
    if seed is None and track is not None:
        raise SegueError(
            "--track picks a track of a seed: give a seed file (without one, segue starts a "
            "part from nothing)"
        )


def check_downbeat(downbeat: float | None, seed: Path | None, clip: Clip) -> None:
    """Refuse, in one line, a ``--downbeat`` (where bar 1 lies, in beats from the seed's
    start) without a seed or not bar 1 of its music (``pickups.downbeat_problem``)."""
    if downbeat is None:
        return
    if seed is None:
        raise SegueError("--downbeat says where bar 1 lies in a seed: give a seed file")
    bar = clip.time_signature.beats_per_bar
    problem = downbeat_problem(downbeat, clip.length, bar, [n.start for n in clip.notes] or None)
    if problem is not None:
        raise SegueError(f"--downbeat {downbeat:g} {problem} ({seed}): {DOWNBEAT_HINT}")


def seed_program(seed: Path | None, track: str | None, drums: bool) -> int:
    """The General MIDI program to write a continuation of SEED's part with: the part's
    own (a bassline was written, and played by --wav, on piano), 0 where it sets none."""
    if seed is None:
        return 0
    found = part_program(seed, track=track_choice(track), drums=drums)
    return 0 if found is None else found


LATE_BARS = 4
"""Empty bars before a part's first note from which it came in late, whatever their share."""


def late_entry(clip: Clip) -> tuple[Clip, int]:
    """``clip`` without the empty bars before its first note, and how many, where they are
    more than half of it, or :data:`LATE_BARS` or more: a part that comes in late, as a
    song's track exported from its first bar (8 empty bars and a waltz were continued as a
    bar's note and silence). Fewer are kept: a loop's silent first bar is the loop's."""
    if not clip.notes:
        return clip, 0
    bar = clip.time_signature.beats_per_bar
    empty = math.floor(min(n.start for n in clip.notes) / bar + 1e-9)
    if empty < LATE_BARS and 2 * empty * bar <= clip.length:
        return clip, 0  # a call and its answer (a bar of rest, a bar of riff) is the loop's
    cut = empty * bar
    notes = tuple(n.shifted(-cut) for n in clip.notes)
    return Clip(notes, clip.length - cut, clip.time_signature), empty


def merged_tracks_notice(seed: Path) -> str | None:
    """What a seed's tracks come to when none is chosen, where that is not one track: its
    melodic tracks read as one part, and a drum track beside them left out, or drum notes
    in a track of other notes, as a type-0 file has them (None for a file of one part)."""
    tracks = list_tracks(seed)
    melodic = [t for t in tracks if t.notes]
    drums = [t for t in tracks if t.drum_notes and not t.notes]

    def named(found: list[TrackInfo]) -> str:
        return ", ".join(track_named(t) for t in found)

    parts = []
    if len(melodic) > 1:
        parts.append(
            f"its {len(melodic)} tracks ({named(melodic)}) are read as one part "
            "(--track NAME continues one)"
        )
    if drums and melodic:
        first = shown_name(drums[0].name) if drums[0].name else str(drums[0].index)
        what = "track" if len(drums) == 1 else "tracks"
        parts.append(
            f"its drum {what} ({named(drums)}) {'is' if len(drums) == 1 else 'are'} left out "
            f"(--track {first} continues {'it' if len(drums) == 1 else 'one'})"
        )
    melodic_channels = [c for t in melodic for c in t.channels if c != 10]
    if len(melodic) == 1 and len(melodic_channels) > 1:  # a type-0 file's parts, one track
        parts.append(
            f"its parts on MIDI channels {', '.join(map(str, melodic_channels))} share one "
            "track and are read as one part (save the file as type 1, a track a part, to "
            "choose one with --track)"
        )
    mixed = [t for t in tracks if t.drum_notes and t.notes]
    if mixed:  # a type-0 file's beat: no track to choose it by
        parts.append(
            f"the drum notes (channel 10) in {named(mixed)} are left out (segue continues a "
            "beat from a track of drums alone: give the beat a track of its own)"
        )
    return "; ".join(parts) or None


def shared_drums_notice(seed: Path, track: str) -> str | None:
    """What to say of drum notes (channel 10) in the chosen track beside its other notes (a
    type-0 file's beat, with ``--track 0``): left out, as without a track chosen."""
    tracks = list_tracks(seed)
    choice = track_choice(track)
    if choice == "most":
        chosen = [max(tracks, key=lambda t: (t.notes, -t.index))] if tracks else []
    else:
        chosen = [t for t in tracks if is_track(t, choice)]
    mixed = [t for t in chosen if t.drum_notes and t.notes]
    if not mixed:
        return None
    return (
        f"the drum notes (channel 10) in {track_named(mixed[0])} are left "
        "out (segue continues a beat from a track of drums alone: give the beat a track of "
        "its own)"
    )


def track_named(track: TrackInfo) -> str:
    """A track as a notice names it: its name (its unprintables escaped), else its index."""
    return bare_name(track.name) or f"track {track.index}"


def time_signature(text: str) -> TimeSignature:
    """--time-signature's value: 4/4, 6/8, 7/8, ..."""
    try:
        num, den = text.split("/")
        return TimeSignature(int(num), int(den))
    except NoteError as exc:  # it says which number is wrong, as a musician writes it
        raise SegueError(str(exc)) from None
    except ValueError:
        raise SegueError(f"time signature {text!r}: it must look like 4/4 or 6/8") from None


def given_signature(time_sig: str | None) -> TimeSignature | None:
    """--time-signature's value, None where it is not given (the seed file's own)."""
    return time_signature(time_sig) if time_sig is not None else None


def output_tempo(seed: Path | None, tempo: float | None) -> float:
    """--tempo, else the tempo the seed file ends in, else 120 BPM."""
    return tempo if tempo is not None else (read_tempo(seed) if seed else 120.0)


def midi_name(output: Path) -> Path:
    """OUTPUT as a MIDI file's name: ``.mid`` is added to a name that does not end in
    ``.mid`` or ``.midi`` (``-o groove`` writes ``groove.mid``, which Live and a file
    browser know), so one variation and several are named alike. A name of nothing but
    spaces (``-o " "``, which wrote `` .mid``) is refused, so is one of nothing but the
    suffix (``-o out/.mid``, which wrote a hidden file, and ``.mid-1`` for two takes), and
    so is ``-o -`` (which wrote
    ``-.mid``): standard output carries the command's summary, and several takes, a --wav
    or a --plot are files beside the name, so the MIDI goes to a file, never to a pipe."""
    if output.name == "-":
        raise SegueError(
            "'-' is no file name: segue writes its takes to MIDI files, not to standard output "
            "(which carries its summary); give one, such as next.mid"
        )
    if output.name and not output.name.strip(" .") and not output.is_dir():
        raise SegueError(f"{str(output)!r} is no file name; give one, such as next.mid")
    if output.name.lower() in MIDI_SUFFIXES:  # -o out/.mid: a hidden file, the name left out
        raise SegueError(
            f"{str(output)!r} has no name before {output.name}; give one, such as "
            f"{output.with_name('next' + output.name)}"
        )
    if is_midi_path(output) or not output.name or output.is_dir():
        return output  # a folder: refuse_existing says so
    return output.with_name(output.name + ".mid")


def output_paths(output: Path, count: int) -> list[Path]:
    """The MIDI file of each of ``count`` variations: OUTPUT, or NAME-1.mid, NAME-2.mid, ...
    (:func:`midi_name` gives OUTPUT its suffix)."""
    output = midi_name(output)
    if count == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{i}{output.suffix}") for i in range(1, count + 1)]


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Stop before any work if a file to write exists, unless --force; a folder there is
    never replaced (--force would not help)."""
    for p in paths:
        if p.is_dir():
            raise SegueError(f"{p} is a folder; give a file name, such as {p / 'next.mid'}")
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise SegueError(f"{existing[0]} already exists; choose another name or use --force")
