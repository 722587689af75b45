"""The settings table: every setting fully declared, one validation, the length group."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest
from fresh_python import fresh_python

from segue.model.settings import (
    LENGTH,
    ONE_OF,
    SETTINGS,
    SETTINGS_BY_NAME,
    GenerationError,
    GenerationParams,
    api_values,
)

NAMES = (
    "temperature",
    "top_p",
    "bars",
    "beats",
    "notes",
    "variations",
    "key",
    "low",
    "high",
    "polyphony",
    "memory",
    "rng_seed",
    "include_seed",
)


def test_the_table_is_the_fields_of_generation_params() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in fields(GenerationParams)]
    assert set(NAMES) <= set(SETTINGS_BY_NAME)
    assert [s.name for s in SETTINGS if s.name in NAMES] == list(NAMES)  # the table's order


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_help_a_range_and_a_default_inside_it(setting) -> None:
    assert setting.help and "\n" not in setting.help and not setting.help[0].isupper()
    assert not setting.help.endswith("."), "help is a phrase; each face adds its own stop"
    assert setting.value_type in (int, float, str, bool)
    assert GenerationParams().__getattribute__(setting.name) == setting.default
    if setting.value_type in (int, float):
        assert setting.low is not None and setting.high is not None
        assert setting.low <= setting.high
        if setting.default is not None:
            assert setting.low <= setting.default <= setting.high
            setting.check(setting.default)
        if setting.value_type is int:
            assert float(setting.low).is_integer() and float(setting.high).is_integer()
    else:
        assert setting.low is None and setting.high is None and setting.fader is None
    if setting.fader is not None:
        low, high, step = setting.fader
        assert setting.low <= low < high <= setting.high and step > 0
        assert (high - low) / step == round((high - low) / step), "whole steps only"
    if setting.off is not None:
        assert setting.off_label
        assert setting.default is None or setting.default == setting.off


def test_error_codes_of_the_table_are_the_bridges() -> None:
    from segue.bridge.protocol import ERROR_CODES

    assert {s.over for s in SETTINGS} <= ERROR_CODES


def test_command_line_spellings_are_unique() -> None:
    spellings = [o for s in SETTINGS for o in (*s.flags, s.option, *s.aliases)]
    assert len(spellings) == len(set(spellings))
    assert SETTINGS_BY_NAME["top_p"].option == "--top-p"
    assert SETTINGS_BY_NAME["temperature"].flags == ("-t",)
    assert SETTINGS_BY_NAME["variations"].flags == ("-n",)
    assert SETTINGS_BY_NAME["polyphony"].aliases == ("--max-polyphony",)
    assert SETTINGS_BY_NAME["rng_seed"].aliases == ("--seed-rng",)
    assert all(a.startswith("--") for s in SETTINGS for a in s.aliases)


def test_the_generators_own_limits_are_the_tables() -> None:
    from segue.model.voices import HARD_POLYPHONY

    assert SETTINGS_BY_NAME["polyphony"].high == HARD_POLYPHONY


def _imported(modules: str) -> list[str]:
    """Which of torch and numpy a fresh interpreter holds after importing ``modules``."""
    code = f"import sys, {modules}; print(*(m for m in ('torch', 'numpy') if m in sys.modules))"
    return fresh_python(code).split()


def test_the_table_imports_neither_torch_nor_numpy_and_keeps_the_bridge_torch_free() -> None:
    assert _imported("segue.model.settings") == []
    assert "torch" not in _imported("segue.bridge.params, segue.bridge.docgen")


# -- validation ---------------------------------------------------------------------------------


def test_the_length_is_one_of_bars_beats_notes_and_four_bars_by_default() -> None:
    assert LENGTH in ONE_OF and LENGTH.members == ("bars", "beats", "notes")
    assert GenerationParams().validated().bars == 4.0
    assert GenerationParams(notes=10).validated().bars is None
    assert GenerationParams(beats=6).validated() == GenerationParams(beats=6)
    with pytest.raises(GenerationError, match="give the length in bars, beats or notes, not sev"):
        GenerationParams(bars=2, notes=3).validated()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (GenerationParams(temperature=-1), "temperature must be between 0 and 5, got -1"),
        (GenerationParams(top_p=0), "top_p must be between 0.01 and 1, got 0"),
        (GenerationParams(variations=17), "variations must be between 1 and 16, got 17"),
        (GenerationParams(bars=math.nan), "bars must be a finite number, got nan"),
        (GenerationParams(notes=2.5), "notes must be a whole number, got 2.5"),  # type: ignore[arg-type]
        (GenerationParams(polyphony=17), "polyphony must be between 0 and 16"),
        (GenerationParams(memory=4.5), "memory must be between 0 and 4, got 4.5"),
        (GenerationParams(rng_seed=-1), "rng_seed must be between 0 and 9223372036854775807"),
        (GenerationParams(rng_seed=2**63), "rng_seed must be between 0"),
        (GenerationParams(low=80, high=60), "the pitch range must have low <= high, got 80-60"),
        (GenerationParams(high=128), "high must be between 0 and 127, got 128"),
        (GenerationParams(key=5), "key must be text, got 5"),  # type: ignore[arg-type]
        (GenerationParams(variations="2"), "variations must be a number"),  # type: ignore[arg-type]
    ],
)
def test_validation_names_the_bad_setting(params, message) -> None:
    with pytest.raises(GenerationError, match=message.replace("(", r"\(")):
        params.validated()


def test_the_edges_of_every_range_are_valid() -> None:
    for s in SETTINGS:
        if s.low is not None and s.high is not None:
            for value in (s.low, s.high):
                s.check(s.value_type(value))


# -- what the bridge and the command line hold -----------------------------------------------


def test_api_values_leave_out_what_means_none() -> None:
    given = {
        "bars": None,
        "beats": 6.0,
        "notes": 0,
        "key": "off",
        "rng_seed": -1,
        "polyphony": 0,
        "temperature": 0.5,
        "include_seed": True,
    }
    assert api_values(given) == {
        "beats": 6.0,
        "polyphony": 0,
        "temperature": 0.5,
        "include_seed": True,
    }
    assert api_values({"key": "auto", "rng_seed": 0}) == {"key": "auto", "rng_seed": 0}
    with pytest.raises(KeyError):
        api_values({"seed": 1})
    params = GenerationParams(**api_values({"bars": 0, "beats": 0, "notes": 0})).validated()
    assert params.bars == 4.0


def test_description_says_what_off_means() -> None:
    assert SETTINGS_BY_NAME["polyphony"].description == (
        "most notes sounding at once (a note cuts the oldest, as a mono synth's legato; fewer "
        "than a chord part sounds: its chords reduced as an arranger does, 1 the top line, 2 "
        "bass and top, more bass, top and inner voices from the top down, a held bass held on; "
        "unset, as many as the clip sounds at once: a line goes on one note at a time, a "
        "4-voice chorale in 4); 0 = as the clip"
    )
    assert SETTINGS_BY_NAME["rng_seed"].description.endswith("; -1 = a new one each time")
    assert SETTINGS_BY_NAME["key"].description.endswith("; off = no lock")
    assert SETTINGS_BY_NAME["memory"].description == SETTINGS_BY_NAME["memory"].help


def test_one_length_rule_for_the_bridge_and_the_command_line() -> None:
    """Bars are held to the beats' limit in the seed's signature, notes to their share of a
    request: the rule the bridge keeps (segue.bridge.lengths), declared once here."""
    from segue.model.settings import MAX_REQUEST_NOTES, check_length, notes_per_variation
    from segue.notes import TimeSignature

    check_length(GenerationParams(bars=64).validated(), TimeSignature(4, 4))  # 256 beats
    check_length(GenerationParams(bars=36).validated(), TimeSignature(7, 4))  # 252 beats
    with pytest.raises(GenerationError, match=r"^64 bars of 7/4 are 448 beats; .* at most 256"):
        check_length(GenerationParams(bars=64).validated(), TimeSignature(7, 4))
    assert notes_per_variation(16) == MAX_REQUEST_NOTES // 16 == 512
    check_length(GenerationParams(notes=512, variations=16).validated(), TimeSignature())
    with pytest.raises(GenerationError, match="so at most 512 per variation"):
        check_length(GenerationParams(notes=513, variations=16).validated(), TimeSignature())


def test_a_seed_too_long_says_where_it_runs_past_the_limit_in_bars_as_live_counts_them() -> None:
    """A seed past the bridge's 4096 beats is refused in one line that says where the notes
    past the limit begin, in the clip's own bars and Live's beats (an eighth in 6/8): the
    musician finds a stray note to cut. Too many notes, none past the limit, says nothing more."""
    from segue.model.settings import SEED_BEATS, check_seed
    from segue.notes import Clip, Note, TimeSignature

    part = [Note(50, beat, 0.5) for beat in range(6)]
    strays = [Note(62, 5001.0, 1.0), Note(64, 9000.0, 1.0)]
    waltz = Clip(part + strays, time_signature=TimeSignature(6, 8))  # bars of 3 quarter notes
    with pytest.raises(GenerationError) as refused:
        check_seed(waltz, "stray.mid")
    assert str(refused.value) == (
        "stray.mid: 8 notes over 9003 beats; the bridge takes at most 2048 notes and 4096 "
        "beats, and 2 notes run past beat 4096, the first at bar 1668 beat 1 (choose a track "
        "with --track, or cut the file)"
    )
    held = Clip([Note(50, SEED_BEATS - 1.5, 4.0)])  # starts inside, held into a bar past it
    with pytest.raises(
        GenerationError, match="1 note runs past beat 4096, the first at bar 1024 beat 3.5 "
    ):
        check_seed(held, "held.mid")
    crowded = Clip([Note(60 + i % 12, i / 8, 0.1) for i in range(3000)])
    with pytest.raises(GenerationError) as refused:
        check_seed(crowded, "crowded.mid")
    assert "beats (choose a track" in str(refused.value)
    assert _imported("segue.model.settings") == []  # the place is worked out only when refusing
