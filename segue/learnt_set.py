"""What ``segue live learn`` says of the Live set it read through AbletonOSC before it
tunes (:func:`set_lines`): the MIDI clips it learns from, their notes, and what it passed
over (muted notes, clips without notes, audio clips, clips being recorded, and the
Arrangement's clips, which AbletonOSC cannot read)."""

from __future__ import annotations

from segue.bridge.live_learn import SetClips
from segue.bridge.values import counted


def set_lines(found: SetClips) -> list[str]:
    """The clips of ``found`` learnt from (those with notes; how many on drum tracks, their
    notes) and each kind passed over, in one line; then the Arrangement's clips, where
    there are any."""
    played = [(c, d) for _, c, d in found.clips if len(c)]
    empty = len(found.clips) - len(played)  # no notes, or all of them muted
    passed = [
        f"{counted(empty, 'clips')} without notes passed over" if empty else "",
        f"{counted(found.audio_clips, 'audio clips')} passed over" if found.audio_clips else "",
        f"{counted(found.recording, 'clips')} being recorded passed over"
        if found.recording
        else "",
    ]
    lines = [
        f"{counted(len(played), 'MIDI clips')} in the Session View "
        f"({sum(d for _, d in played)} on drum tracks), "
        f"{sum(len(c) for c, _ in played):,} notes; {found.muted_left_out} muted "
        "notes left out" + "".join(f"; {said}" for said in passed if said)
    ]
    if found.arrangement_clips:
        lines.append(
            f"{counted(found.arrangement_clips, 'Arrangement clips')} passed over: AbletonOSC "
            "reads Session View clips only (drag them into Session View, or use the device's "
            "Learn)"
        )
    return lines
