"""The key profiles: the major or minor key whose profile best matches a clip's notes."""

from __future__ import annotations

from segue.model.key_profiles import detect_key
from segue.model.keys import Key
from segue.notes import Note


def test_detect_key_on_scales() -> None:
    a_minor = [57, 59, 60, 62, 64, 65, 67, 69, 64, 60, 57]
    assert detect_key([Note(p, i, 1) for i, p in enumerate(a_minor)]) == Key(9, "minor")
    assert detect_key([]) is None
