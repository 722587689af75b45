"""Names from a musician's files and Live set, quoted in messages as they show there."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from segue.shown_names import JOINERS, shown_name


@given(st.text().filter(lambda name: not JOINERS & set(name)))
def test_a_name_without_joiners_is_quoted_as_repr_quotes_it(name: str) -> None:
    assert shown_name(name) == repr(name)


def test_an_emoji_keeps_its_joiners_and_what_could_drive_a_terminal_is_escaped() -> None:
    """'Vox 👩\\u200d🎤' was what a clip named "Vox 👩‍🎤" was said as (helper-327)."""
    assert shown_name("Vox 👩\u200d🎤") == "'Vox 👩\u200d🎤'"
    assert shown_name("Zoë’s \u202eriff\x1b[2J") == "'Zoë’s \\u202eriff\\x1b[2J'"
    assert shown_name("it's \u200d") == '"it\'s \u200d"'


@given(st.text())
def test_a_bare_name_escapes_what_a_quoted_one_does_and_keeps_the_rest(name: str) -> None:
    """One rule, quoted or bare (a table's column): nothing unprintable but a joiner is left
    in either, and a printable name (backslashes and quotes too) is as it is."""
    from segue.shown_names import bare_name

    for shown in (bare_name(name), shown_name(name)):
        assert all(c.isprintable() or c in JOINERS for c in shown)
    if name.isprintable():
        assert bare_name(name) == name
    assert bare_name("Zoë’s \u202eriff\x1b[2J \\ 'x'") == "Zoë’s \\u202eriff\\x1b[2J \\ 'x'"
