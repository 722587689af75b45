"""Casting OSC values: whole numbers arrive as floats too."""

from __future__ import annotations

import math

import pytest

from segue.bridge import protocol as P
from segue.bridge.errors import ProtocolError
from segue.bridge.values import whole


def test_whole_numbers_accept_floats_without_a_fraction() -> None:
    assert whole("pitch", 60.0, 0, 127) == 60
    assert whole("pitch", 60, 0, 127) == 60
    for bad, code in (
        (60.5, "bad_value"),
        (math.nan, "bad_value"),
        (math.inf, "bad_value"),
        (128, "bad_value"),
        ("60", "bad_arguments"),
        (b"x", "bad_arguments"),
    ):
        with pytest.raises(ProtocolError) as info:
            whole("pitch", bad, 0, 127)
        assert info.value.code == code


def test_a_long_sentence_is_cut_between_words_within_its_length() -> None:
    from segue.bridge.values import clip_text

    sentence = "Ableton Live did not answer: install it from github.com/ideoforms/AbletonOSC now"
    assert clip_text(sentence, 200) == sentence
    cut = clip_text(sentence, 50)
    assert cut == "Ableton Live did not answer: install it from..." and len(cut) <= 50
    assert clip_text("x" * 300, 200) == "x" * 197 + "..."  # no space to cut at


def test_a_text_is_cut_between_letters_as_shown_not_inside_one() -> None:
    """A name in a reply, cut at its length, kept half a family (👨, a joiner, 👩, ...) or a
    flag before the ellipsis (helper-327)."""
    from segue.bridge.values import clip_text

    for letter in ("👨\u200d👩\u200d👧", "🇯🇵", "🎹\ufe0f"):
        for length in range(20, 30):
            cut = clip_text("x" * length + letter * 20, 40).removesuffix("...")
            assert len(cut) <= 37 and cut[length:] == letter * (len(cut[length:]) // len(letter))


def test_a_decomposed_korean_syllable_is_not_cut_between_its_jamo() -> None:
    """A clip named after a file a Mac wrote ("베이스" decomposed, as macOS writes a Korean
    file name: each syllable a consonant, a vowel and maybe a final consonant) was cut
    between them, its name in Live ending in a lone "ᄉ" before the ellipsis."""
    import unicodedata

    from segue.bridge.values import clip_text

    for syllable in ("베", "한", "국"):
        letter = unicodedata.normalize("NFD", syllable)
        for length in range(20, 30):
            cut = clip_text("x" * length + letter * 20, 40).removesuffix("...")
            assert len(cut) <= 37 and cut[length:] == letter * (len(cut[length:]) // len(letter))


def test_live_silence_names_the_install_within_what_osc_carries() -> None:
    """The reply over OSC is cut at 200 characters: the install hint was cut off."""
    from segue.bridge.abletonosc.transport import AbletonOSC
    from segue.bridge.values import clip_text

    for ports in ((11000, 11001), (12000, 12001)):
        sentence = AbletonOSC("127.0.0.1", *ports)._silence(2.0)
        assert "github.com/ideoforms/AbletonOSC" in clip_text(sentence, P.MAX_TEXT)


def test_bounds_read_as_sentences() -> None:
    from segue.bridge.values import num, real

    with pytest.raises(ProtocolError, match=r"clips must be at least 1 clip, got 0$"):
        whole("clips", 0, 1, 1024, units="clips")
    with pytest.raises(ProtocolError, match=r"seconds must be at most 600 s, got 900$"):
        real("seconds", 900, 1, 600, units="s")
    assert (num(2147483647), num(1e30), num(0.95)) == ("2147483647", "1e+30", "0.95")


def test_a_received_float_is_said_as_sent_and_a_long_model_name_says_what_to_send() -> None:
    """A float32 echoed as "got 1.0000000150474662e+30"; an 8,000-character model name got
    "longer than 64 characters" and nothing on what to send (helper-41)."""
    import struct

    from segue.bridge import params, values
    from segue.bridge.errors import ProtocolError

    sent = struct.unpack(">f", struct.pack(">f", 1e30))[0]
    assert values.describe(sent) == "1e+30" and values.describe(0.5) == "0.5"
    try:
        params.apply(params.defaults(), "model", "x" * 8000)
    except ProtocolError as exc:
        assert exc.message.endswith("send an installed model's name (/segue/models lists them)")
    else:
        raise AssertionError("an 8,000-character model name was taken")
