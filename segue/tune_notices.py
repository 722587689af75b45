"""What ``segue tune`` and ``segue live learn`` say of a tuning, one line each: the files
left out of its material (:func:`left_out`), drum beats on a melodic channel with no model
named (:func:`beats_on_a_melodic_channel`), and how it went (:func:`tuned_lines`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the tuning's modules (torch): loaded by the commands that tune
    from segue.model.tuning.material import Material
    from segue.model.tuning.tune import TuneResult


def left_out(skipped: dict[str, list[str]], shown: int = 3) -> str:
    """Files left out, by reason, naming the first few of each: "1 empty file (a.mid), 4
    truncated (b.mid, c.mid, d.mid and 1 more)"."""
    parts = []
    for reason, names in skipped.items():
        named = ", ".join(names[:shown])
        more = f" and {len(names) - shown} more" if len(names) > shown else ""
        said = reason if len(names) == 1 else reason.replace(" file", " files")
        parts.append(f"{len(names)} {said} ({named}{more})")
    return ", ".join(parts)


def beats_on_a_melodic_channel(material: Material, base: str | None) -> str | None:
    """What to say when most pieces look like drum beats on a melodic MIDI channel (a Drum
    Rack's clips exported from Live) and no model is named: they were tuned into the
    producer model as melodies, without a word."""
    from segue.beat_reading import looks_like_drums
    from segue.grid import to_beats
    from segue.model.registry import AUTO

    if base not in (None, AUTO) or any(p.drums for p in material.pieces):
        return None
    beats = sum(  # the rows' onsets in grid ticks, read in beats: a beat keeps time in beats
        looks_like_drums((to_beats(int(row[0])), int(row[1])) for row in p.rows)
        for p in material.pieces
    )
    if not beats or 2 * beats < len(material.pieces):
        return None
    return (
        f"{beats} of {len(material.pieces)} pieces look like drum beats on a melodic MIDI "
        "channel (a Drum Rack's clips exported from Live): give --from drums to tune the "
        "drum model on them as beats"
    )


def tuned_lines(name: str, result: TuneResult) -> list[str]:
    """How the tuning into ``name`` went: the installed model of that name kept (it did
    better: nothing replaced), or the tuning installed (stopped early with the best so far,
    its held-out loss before and after, its files), and a loss it did not lower."""
    card = result.card
    if result.kept:
        return [result.kept]
    lines = ["stopped: keeping the best so far"] if card.status == "stopped" else []
    lines.append(
        f"installed {name} (from {card.base}): held-out loss {card.before:.3f} -> "
        f"{card.after:.3f} nats/note in {card.seconds:.0f} s; {result.path}, card "
        f"{result.card_path}"
    )
    if card.after >= card.before:
        lines.append("the tuning did not lower the held-out loss: more material, or more --seconds")
    return lines
