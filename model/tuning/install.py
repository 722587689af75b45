"""A tuned model installed as a user model: its name checked, its weights and its card written.

A tuned model goes into the user models folder (:func:`segue.home.user_models_dir`), where
``segue models``, ``generate``, ``serve`` and the device's Model menu find it. A bundled
model's name, or ``auto``, is never taken; a user model of the same name is replaced only
when asked to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue.errors import SegueError
from segue.files import check_writable, replace_file, temporary_beside
from segue.home import user_models_dir
from segue.leftovers import leftovers
from segue.model.architecture import Network
from segue.model.checkpoint import LoadedModel, save_checkpoint
from segue.model.choice import is_drum_model
from segue.model.registry import bundled_name, case_twin, check_new_name, twin_taken
from segue.model.training.signals import stops_held

KEPT_LOOP = (
    "the base's, kept: its rates of keeping a clip's loop were counted on thousands of "
    "{parts}, and a few songs' own rates say less about the next song"
)
"""The card's line on the loop of a base that has one (``segue.model.tuning.tune.refit``)."""
UNREFITTED = (
    "its base's, not refitted: the tuning stopped before the refit on the held-out pieces "
    "was done (the network's confidence and the keys it hears are its base's too)"
)
"""The card's line on the clip memory of a model installed before its refit
(``segue.model.tuning.tune``): its best weights are installed first, then refitted."""


class NameTaken(SegueError):
    """The name is a bundled model's, or a user model's not to be replaced."""


def tuned_paths(
    name: str, replace: bool = False, models_dir: str | os.PathLike[str] | None = None
) -> tuple[Path, Path]:
    """Where model ``name`` and its card go; one line when the name cannot be taken (a
    bundled name, one installed unless ``replace``, or one in ``models_dir``, the other
    folder searched, where it would hide the new model)."""
    check_new_name(name)
    if bundled_name(name):
        raise NameTaken(f"{name!r} is a model bundled with segue; choose another name")
    if models_dir is not None and (Path(models_dir) / f"{name}.pt").exists():
        raise NameTaken(
            f"a model named {name!r} is in {models_dir} (--models-dir), where it would hide "
            "the new one; choose another name"
        )
    folder = user_models_dir()
    out = folder / f"{name}.pt"
    twin = case_twin(folder, name)
    if twin is not None:  # one file on macOS and Windows, two on Linux
        raise NameTaken(twin_taken(name, twin, f"-o {twin} --replace" if replace else ""))
    if out.exists() and not replace:
        raise NameTaken(
            f"a model named {name!r} is already installed ({out}); choose another name "
            "or replace it (--replace)"
        )
    if not replace and out.with_suffix(".md").exists():  # a file of the musician's own: kept
        raise NameTaken(
            f"{name}.md is in your models folder without a model beside it (your own file?); "
            "choose another name, or move it away (or replace it: --replace)"
        )
    check_writable([out])  # before the tuning, not after it
    return out, out.with_suffix(".md")


def installed(name: str) -> bool:
    """Whether a user model ``name`` is installed in segue's home."""
    return (user_models_dir() / f"{name}.pt").exists()


@dataclass(frozen=True)
class Card:
    """What a tuned model's card says."""

    name: str
    base: str
    sources: tuple[str, ...]
    counts: dict[str, int]  # pieces and notes tuned on and held out, left out...
    before: float
    after: float
    seconds: float
    steps: int
    status: str
    memory: str = ""  # the clip memory's fit, in a line
    loop: str = ""  # what became of the base's loop, in a line (none without one)
    toward_base: float = 0.0  # the share of the way back to the base's weights kept
    held_out_songs: tuple[str, ...] = ()  # the songs (folders) held out whole, if any
    lineage: tuple[dict[str, Any], ...] = ()
    """The base's own tunings, when it was tuned (:func:`lineage_of`): their records,
    oldest first, the first's base the model at the root (a bundled one)."""
    date: str = ""  # the day of the tuning (ISO 8601); none in a record written before it
    budget: float = 0.0
    """The time budget (seconds); 0 in a record written before it was recorded."""
    keys: str = ""
    """Whether the model hears the song's key (the mixture over transpositions, chosen on
    the held-out pieces: :func:`keys_line`), in a line; none before it was chosen."""
    refitted: bool = True
    """Whether the clip memory, the confidence and the keys were fitted on the held-out
    pieces; False for the model installed before its refit, kept when the tuning was
    stopped during it (:data:`UNREFITTED`)."""

    @property
    def root(self) -> str:
        """The model first tuned: the base of the oldest tuning (``mine`` tuned again into
        ``mine`` is still ``producer`` tuned)."""
        return str(self.lineage[0].get("base") or self.base) if self.lineage else self.base

    def summary(self) -> str:
        """ "melody tuned on 12 pieces of your own": those tuned on and those held out
        (of the last tuning: "melody tuned twice, last on 12 pieces of your own")."""
        pieces = self.counts.get("pieces", 0) + self.counts.get("held_out_pieces", 0)
        own = f"{pieces} piece{'' if pieces == 1 else 's'} of your own"
        if not self.lineage:
            return f"{self.base} tuned on {own}"
        return f"{self.root} tuned {_times(len(self.lineage) + 1)}, last on {own}"

    def line(self) -> str:
        """What ``segue models`` and the bridge's list say of the model: its summary, where
        the pieces came from and what it gained ("producer tuned on 25 pieces of your own
        from basslines/, held-out loss 10.89 -> 2.33"), so that two tunings tell apart."""
        where = Path(self.sources[0]).name or self.sources[0] if self.sources else ""
        more = f" and {len(self.sources) - 1} more" if len(self.sources) > 1 else ""
        return (
            f"{self.summary()}"
            + (f" from {where}{more}" if where else "")
            + f", held-out loss {self.before:.2f} -> {self.after:.2f}"
            + ("" if self.refitted else " (clip memory not refitted)")
        )

    def markdown(self) -> str:
        stopped = {
            "time": self._spent(),
            "steps": "its steps were taken",
            "early-stopped": "the held-out loss stopped improving",
            "stopped": "it was stopped",
        }.get(self.status, self.status)
        labels = {
            "pieces": "pieces tuned on",
            "notes": "notes tuned on",
            "time_scaled_pieces": "the same at double or half their note values",
            "held_out_pieces": "pieces held out",
            "held_out_notes": "notes held out",
            "held_out_notes_scored": "of them scored (drawn from each piece in turn)",
            "drums_left_out": "drum pieces left out",
            "melodic_left_out": "melodic pieces left out (a drum model tuned)",
            "pads": "pieces on a melodic channel learnt as drum pads",
            "duplicates": "duplicates counted once",
            "unreadable": "files not read",
        }
        rows = [f"| {labels.get(k, k)} | {v:,} |" for k, v in self.counts.items()]
        lines = [
            f"# {self.name}",
            "",
            f"{self.summary()} with `segue tune`.",
            "",
            "## Sources",
            "",
            *[f"- `{s}`" for s in self.sources],
            "",
            "## Material",
            "",
            "| | |",
            "|---|---:|",
            *rows,
            *(
                ["", f"Held out whole (a folder per song): {', '.join(self.held_out_songs)}."]
                if self.held_out_songs
                else []
            ),
            "",
            "## Tuning",
            "",
            f"From `{self.base}`: {self.steps} step{'' if self.steps == 1 else 's'} in "
            f"{self.seconds:.0f} s, until {stopped}.",
            "Held-out loss (nats per note, the network alone): "
            f"{self.before:.3f} before, {self.after:.3f} after"
            + (
                f", with the weights moved {self.toward_base:.0%} of the way back to the base's."
                if self.toward_base
                else "."
            ),
        ]
        if not self.refitted:
            lines += ["", f"Clip memory: {UNREFITTED}."]
        elif self.memory:
            lines += ["", f"Clip memory refitted on the held-out pieces: {self.memory}."]
        if self.loop:
            lines += ["", f"Loop: {self.loop}."]
        if self.keys:
            lines += ["", f"Keys: {self.keys}."]
        if self.lineage:
            lines += ["", *self.lineage_section()]
        return "\n".join(lines) + "\n"

    def _spent(self) -> str:
        """How a tuning that ran out of time ended, as it happened: its budget, and when the
        steps ran past it (a busy computer's few slow steps: "2 steps in 3 s, until the time
        budget was spent" said nothing of a 1 s budget overrun)."""
        if not self.budget:
            return "the time budget was spent"
        spent = f"its time budget of {self.budget:g} s was spent"
        if self.seconds >= self.budget + 1:  # past it by a second or more: the steps were slow
            spent += (
                f", the steps running {self.seconds - self.budget:.0f} s past it (a busy computer)"
            )
        return spent

    def lineage_section(self) -> list[str]:
        """The card's table of every tuning from the root model to this one, oldest first."""
        rows = []
        for i, record in enumerate([*self.lineage, self.to_info()], 1):
            counts = record.get("counts") or {}
            sources = ", ".join(f"`{s}`" for s in record.get("sources", ())) or "-"
            loss = (
                f"{float(record.get('held_out_before', float('nan'))):.3f} -> "
                f"{float(record.get('held_out_after', float('nan'))):.3f}"
            )
            rows.append(
                f"| {i} | `{record.get('base', '?')}` | {sources} | "
                f"{int(counts.get('pieces', 0)):,} ({int(counts.get('held_out_pieces', 0)):,}) | "
                f"{int(counts.get('notes', 0)):,} | {loss} | {record.get('date') or '-'} |"
            )
        return [
            "## Lineage",
            "",
            f"`{self.root}` tuned {_times(len(rows))}, oldest first (the last is this card's):",
            "",
            "| | from | sources | pieces (held out) | notes tuned on | held-out loss | date |",
            "|---:|---|---|---:|---:|---|---|",
            *rows,
        ]

    @classmethod
    def from_info(
        cls, name: str, record: dict[str, Any], memory: str = "", loop: str = "", keys: str = ""
    ) -> Card:
        """The card whose :meth:`to_info` is ``record`` (a tuned checkpoint's ``tuned``),
        named ``name``, with the lines on its ``memory``, ``loop`` and ``keys``."""
        nan = float("nan")
        return cls(
            name,
            str(record.get("base", "")),
            tuple(str(s) for s in record.get("sources", ())),
            {str(k): int(v) for k, v in (record.get("counts") or {}).items()},
            float(record.get("held_out_before", nan)),
            float(record.get("held_out_after", nan)),
            float(record.get("seconds", 0.0)),
            int(record.get("steps", 0)),
            str(record.get("status", "")),
            memory,
            loop,
            float(record.get("toward_base", 0.0)),
            tuple(str(s) for s in record.get("held_out_songs", ())),
            lineage_of(record, own=False),
            str(record.get("date", "")),
            float(record.get("budget", 0.0)),
            keys,
            record.get("refitted", True) is not False,
        )

    def to_info(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "sources": list(self.sources),
            "counts": dict(self.counts),
            "held_out_before": round(self.before, 6),  # (at 4 digits, 2.0005 read 2.001
            "held_out_after": round(self.after, 6),  # on the card, 2.000 in its text)
            "seconds": round(self.seconds, 1),
            "steps": self.steps,
            "status": self.status,
            "toward_base": self.toward_base,
            "held_out_songs": list(self.held_out_songs),
            "date": self.date,
            "budget": self.budget,
            "lineage": [dict(r) for r in self.lineage],
            **({} if self.refitted else {"refitted": False}),  # a record before it: refitted
        }


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def lineage_of(record: Any, own: bool = True) -> tuple[dict[str, Any], ...]:
    """The tunings a model tuned from a model with the ``tuned`` ``record`` descends from,
    oldest first: the record's own lineage, and with ``own`` the record itself (without
    its lineage). A record written before lineages has none; a model not tuned (no record)
    starts one. Tuning ``mine`` into ``mine`` lost the bundled base and the earlier
    material: the new record's base was ``mine``, and the earlier record was dropped."""
    if not isinstance(record, dict):
        return ()
    earlier = record.get("lineage")
    kept = (
        tuple(dict(r) for r in earlier if isinstance(r, dict)) if isinstance(earlier, list) else ()
    )
    if own:
        kept += ({k: v for k, v in record.items() if k != "lineage"},)
    return kept


def kept_loop(loaded: LoadedModel) -> str:
    """:data:`KEPT_LOOP` for a model tuned from ``loaded`` (or tuned: the loop is its
    base's), none when it keeps no loop."""
    parts = "drum grooves" if is_drum_model(loaded) else "producers' parts"
    return KEPT_LOOP.format(parts=parts) if loaded.config.loop else ""


def tuned_card(name: str, loaded: LoadedModel) -> Card:
    """The card of the tuned model ``loaded``, named ``name``, rebuilt from what its
    checkpoint records (``info["tuned"]``, its clip memory's fit and its loop): installing
    a tuned model again (`segue models add`) wrote a trained run's card, full of "None"."""
    from segue.model.likelihood import MemoryFit

    memory = loaded.info.get("memory")
    keys = loaded.info.get("transpositions")
    return Card.from_info(
        name,
        loaded.info["tuned"],
        MemoryFit.from_info(memory).summary() if isinstance(memory, dict) and memory else "",
        kept_loop(loaded),
        keys_line(keys) if isinstance(keys, dict) and keys else "",
    )


def keys_line(record: dict[str, Any]) -> str:
    """The card's line on the mixture over transpositions (a tuned checkpoint's info
    ``transpositions``, ``segue.model.tuning.tune.hear_keys``): on or off, and why."""
    shifts = [int(s) for s in record.get("shifts", ())]
    span = f"{min(shifts):+d} to {max(shifts):+d} semitones" if shifts else "no moves"
    without, with_ = float(record.get("nats_without", 0.0)), float(record.get("nats_with", 0.0))
    if record.get("on"):
        return (
            f"hears the song's key: the mixture over {len(shifts)} transpositions ({span}), "
            f"its held-out pieces {without:.3f} -> {with_:.3f} nats per note with it"
        )
    return (
        f"plays as the network hears it: the mixture over {len(shifts)} transpositions "
        f"({span}) scored its held-out pieces no better ({with_:.3f} against {without:.3f} "
        "nats per note)"
    )


def printable(text: str) -> str:
    """A file or folder name as a card shows it: one in no UTF-8 (held as lone surrogates,
    from an old zip or a Linux copy) with its odd bytes as U+FFFD, which UTF-8 can write."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def install_tuned(
    model: Network, card: Card, info: dict[str, Any], replace: bool = False
) -> tuple[Path, Path]:
    """Write ``model`` (float16 weights) and its card as user model ``card.name``. The card
    is written first beside its place, the weights then, and the card moved into its place
    last: a card that cannot be written (a full disk) leaves a model being replaced, weights
    and card, as it was. A stop signal meanwhile (Ctrl-C, SIGTERM, a bridge ending its
    Learn) acts once both are in place (a stop between the weights' rename and the card's
    left a card that said "not refitted" beside the refitted weights); a process killed
    there (``kill -9``, a power cut) leaves its card under its temporary name, which the
    next install puts in its place (:func:`finish_cards`)."""
    out, card_path = tuned_paths(card.name, replace)
    full = {**info, "summary": card.line(), "tuned": card.to_info()}
    existed = out.exists()
    card_path.parent.mkdir(parents=True, exist_ok=True)
    finish_cards(card_path.parent)
    card_tmp = temporary_beside(card_path)
    with stops_held(installed_whole(card.name, out)):
        try:
            card_tmp.write_text(card.markdown(), "utf-8")
            save_checkpoint(out, model, full, half=True)
            try:
                replace_file(card_tmp, card_path)
            except BaseException:
                if not existed:  # no weights without their card
                    out.unlink(missing_ok=True)
                raise
        finally:
            card_tmp.unlink(missing_ok=True)
    return out, card_path


def installed_whole(name: str, path: Path) -> str:
    """What a stop that waited for an install says once the model is in place (its weights
    and card): a bare "stopped" left the musician to think it was not, and a retry of the
    name was refused as taken."""
    return f"model {name} was installed whole first ({path}); 'segue models' lists it"


def finish_cards(folder: Path, now: float | None = None) -> list[Path]:
    """Put in its place each card that an install ended between the weights' rename and its
    own left under its temporary name (``segue.leftovers``: of a process gone), where the
    weights it was written for took theirs (the model's file is newer than it: the card is
    written first) and no later install put its card in place (the card there, if any, is
    older than it: an install killed while its weights were written, and a Learn of the
    same name again, whole, left a card older than both, which took the whole one's place);
    the cards put in place, the newest of a name last. The others are the next write's to
    remove. Each install into the models folder calls it before it writes (this one and
    ``bundle.install_model``, `segue models add`): the sweep of a write removes such a card."""
    done = []
    for leftover in leftovers(folder, now):
        card = folder / leftover.target
        if leftover.kind != "file" or card.suffix != ".md":
            continue
        try:
            written = leftover.path.stat().st_mtime_ns
            newer = card.with_suffix(".pt").stat().st_mtime_ns > written
            if newer and not _written_after(card, written):
                replace_file(leftover.path, card)
                done.append(card)
        except OSError:
            continue
    return done


def _written_after(path: Path, ns: int) -> bool:
    """Whether ``path`` exists, modified after ``ns`` (nanoseconds since the epoch)."""
    try:
        return path.stat().st_mtime_ns > ns
    except FileNotFoundError:
        return False
