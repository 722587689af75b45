"""Learn in the bridge: clips uploaded, a tuning in the background while the bridge answers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from tuning_material import own_home, riff  # noqa: F401 (own_home: a fixture)

from segue.bridge import protocol as P
from segue.bridge.client import BridgeClient, BridgeReplyError, LearnResult
from segue.bridge.errors import ProtocolError
from segue.bridge.learning import Learning
from segue.bridge.testing import running_server
from segue.notes import Clip, Note, TimeSignature

CLIENT = ("127.0.0.1", 5000)


class FakeTuning:
    """Stands in for a BackgroundTuning: says what it is given to say."""

    def __init__(self, request) -> None:
        self.request = request
        self.said: list[tuple] = []
        self.cancelled = self.ended = False

    def events(self):
        said, self.said = self.said, []
        return said

    def cancel(self) -> None:
        self.cancelled = True

    def end(self, seconds: float = 2.0) -> list[tuple]:
        self.ended, self.waited = True, seconds
        return self.events()  # its last words, as the process says them before it ends


def _learning() -> tuple[Learning, list[FakeTuning]]:
    started: list[FakeTuning] = []

    def start(request):
        started.append(FakeTuning(request))
        return started[-1]

    return Learning(None, start), started


def _upload(
    learning: Learning, rid: int = 1, clips: int = 2, name: str = "mine", notes: int = 40
) -> None:
    learning.begin(CLIENT, rid, name, clips, 5.0, None, 0.0)
    for i in range(clips):
        learning.clip(CLIENT, rid, notes, 16.0, TimeSignature(), i == 1, 0.0)
        for n in range(notes):
            learning.note(CLIENT, rid, Note(60 + n % 5, n * 0.25, 0.25, 90), 0.0)


def test_too_few_notes_are_refused_before_a_tuning_starts():
    """Two empty clips started a tuning process, which said "0 clips with 0 notes" after 6 s."""
    learning, started = _learning()
    _upload(learning, notes=0)
    with pytest.raises(ProtocolError) as refused:
        learning.end(CLIENT, 1, 0.0)
    assert refused.value.code == "too_little" and not started
    assert "2 clips with 0 notes" in refused.value.message
    assert learning.upload is None and not learning.holds(CLIENT)
    _upload(learning, rid=2, notes=20)  # a new learn may begin; 40 notes are still too few
    with pytest.raises(ProtocolError, match="needs at least 64 notes"):
        learning.end(CLIENT, 2, 0.0)
    _upload(learning, rid=3, notes=32)
    learning.end(CLIENT, 3, 0.0)
    assert len(started) == 1 and learning.holds(CLIENT)


def test_an_upload_becomes_a_tuning_whose_events_are_passed_on():
    learning, started = _learning()
    _upload(learning)
    learning.end(CLIENT, 1, 0.0)
    request = started[0].request
    assert request.name == "mine" and request.seconds == 5.0
    assert [(len(c), d) for _, c, d in request.clips] == [(40, False), (40, True)]
    sent, failed = [], []
    started[0].said = [("progress", 0.5, 3.0, 2.5), ("fitting",), ("done", "mine", 4.0, 2.5, 5.0)]
    learning.tick(1.0, lambda *a: sent.append(a), lambda *a: failed.append(a))
    assert [a[1] for a in sent] == [P.LEARN_STATUS, P.LEARN_STATUS, P.LEARN_DONE]
    assert sent[0][2] == (1, "tuning", 50.0, 3.0) and sent[1][2] == (1, "fitting", 100.0, 3.0)
    assert sent[2][2] == (1, "mine", 4.0, 2.5, 5.0) and not failed
    assert learning.running is None


def test_a_tuning_that_says_nothing_for_a_while_has_its_status_said_again():
    """A long round (an 8th of a 600 s budget) or the clip memory's fit said nothing for
    minutes: a client could not tell a busy bridge from a gone one."""
    learning, started = _learning()
    _upload(learning)
    learning.end(CLIENT, 1, 100.0)
    sent: list[tuple] = []

    def tick(now: float) -> None:
        learning.tick(now, lambda *a: sent.append(a), lambda *a: None)

    tick(100.0 + P.LEARN_STATUS_EVERY - 0.5)
    assert sent == []  # said "starting" at the end of the upload: not yet again
    tick(100.0 + P.LEARN_STATUS_EVERY)
    assert [a[2] for a in sent] == [(1, "starting", 0.0, -1.0)]
    started[0].said = [("progress", 0.25, 3.0, 2.5)]
    tick(115.0)
    tick(115.0 + P.LEARN_STATUS_EVERY / 2)  # heard just now: nothing
    started[0].said = [("fitting",)]
    tick(116.0)
    tick(116.0 + P.LEARN_STATUS_EVERY)  # the fit goes on: said again
    assert [a[2] for a in sent[1:]] == [
        (1, "tuning", 25.0, 3.0),
        (1, "fitting", 100.0, 3.0),
        (1, "fitting", 100.0, 3.0),
    ]
    started[0].said = [("done", "mine", 4.0, 2.5, 5.0)]
    tick(200.0)
    tick(300.0)  # done: nothing more
    assert [a[1] for a in sent[4:]] == [P.LEARN_DONE]


def test_the_rest_of_a_dropped_upload_is_ignored_after_one_error():
    """A note past its clip's count dropped the upload, and each of the 160 messages after it
    got its own no_upload error: the real cause scrolled away."""
    learning, started = _learning()
    learning.begin(CLIENT, 1, "mine", 2, 5.0, None, 0.0)
    learning.clip(CLIENT, 1, 1, 4.0, TimeSignature(), False, 0.0)
    learning.note(CLIENT, 1, Note(60, 0, 1), 0.0)
    with pytest.raises(ProtocolError) as dropped:
        learning.note(CLIENT, 1, Note(62, 1, 1), 0.0)
    assert dropped.value.code == "count_mismatch"
    for i in range(40):  # the rest of the upload: no error each
        learning.note(CLIENT, 1, Note(60 + i % 5, i, 1), 0.0)
    learning.clip(CLIENT, 1, 40, 16.0, TimeSignature(), False, 0.0)
    with pytest.raises(ProtocolError) as end:
        learning.end(CLIENT, 1, 0.0)  # its end is answered with why: the client learns it is
    assert (end.value.code, end.value.message) == (  # over (it was told "no learn upload was
        "count_mismatch",  # begun", where docs/protocol.md promises the reason)
        "learn end for request 1, whose upload was dropped: more notes than the 1 announced "
        "for clip 1",
    )
    assert not started
    with pytest.raises(ProtocolError, match="request 7") as other:
        learning.note(CLIENT, 7, Note(60, 0, 1), 0.0)  # another id is still told
    assert other.value.code == "no_upload"
    _upload(learning)  # the same id begun again is a new upload
    learning.end(CLIENT, 1, 0.0)
    assert len(started) == 1


def test_the_clips_after_a_refused_begin_are_ignored_after_one_error():
    """A begin refused (name_taken, learning, bad_value) drew one error, and then a no_upload
    for each of the clips and notes that the client streamed after it (517 for a 20-clip
    upload)."""
    learning, started = _learning()
    for name, code in (("melody", "name_taken"), ("../x", "bad_value")):
        with pytest.raises(ProtocolError) as refused:
            learning.begin(CLIENT, 4, name, 2, 5.0, None, 0.0)
        learning.clip(CLIENT, 4, 40, 16.0, TimeSignature(), False, 0.0)  # no error
        for n in range(40):
            learning.note(CLIENT, 4, Note(60, n * 0.25, 0.25, 90), 0.0)
        with pytest.raises(ProtocolError) as end:  # its end is answered once, with why
            learning.end(CLIENT, 4, 0.0)
        assert end.value.code == code == refused.value.code and not started
        assert end.value.message == (
            f"learn end for request 4, whose begin was refused: {refused.value.message}"
        )
        with pytest.raises(ProtocolError) as again:  # and then it is over
            learning.end(CLIENT, 4, 0.0)
        assert again.value.code == "no_upload"
    _upload(learning, rid=4)  # the same id begun again with a good name is an upload
    learning.end(CLIENT, 4, 0.0)
    assert len(started) == 1 and learning.tuning(CLIENT, 4)
    other = ("127.0.0.1", 5001)  # refused as one is running: its clips are ignored too
    with pytest.raises(ProtocolError, match="'mine' is being learnt"):
        learning.begin(other, 4, "theirs", 1, 5.0, None, 0.0)
    learning.clip(other, 4, 40, 16.0, TimeSignature(), False, 0.0)
    with pytest.raises(ProtocolError) as again:  # the running learn's own id: still told
        learning.begin(CLIENT, 4, "again", 1, 5.0, None, 0.0)
    assert again.value.code == "learning" and learning.tuning(CLIENT, 4)


def test_one_learn_at_a_time_and_names_checked():
    learning, started = _learning()
    _upload(learning)
    with pytest.raises(ProtocolError) as busy:
        learning.begin(("127.0.0.1", 5001), 9, "other", 1, 5.0, None, 0.0)
    assert busy.value.code == "learning"
    with pytest.raises(ProtocolError, match="upload 1 is still open.*/segue/cancel 1"):
        learning.begin(CLIENT, 2, "other", 1, 5.0, None, 0.0)  # the same client's
    assert busy.value.message == "'mine' is being sent to the bridge to learn; learn again after it"
    learning.end(CLIENT, 1, 0.0)
    with pytest.raises(ProtocolError) as still:
        learning.begin(CLIENT, 2, "other", 1, 5.0, None, 1.0)
    assert still.value.code == "learning"
    # the model and its time left, not protocol words (helper-64), its start included: "about
    # 18 s left" when 29 s remained (helper-122), the tuning's ~10 s start left out
    assert still.value.message == "'mine' is being learnt (about 14 s left); learn again after it"

    def left(now: float) -> str:
        with pytest.raises(ProtocolError) as busy:
            learning.begin(CLIENT, 2, "other", 1, 5.0, None, now)
        return busy.value.message.split("(")[1].split(")")[0]

    assert left(9.0) == "about 6 s left"  # starting still: its whole budget at least
    assert left(30.0) == "about 5 s left"  # a slow start (a busy computer)
    started[0].said = [("progress", 0.5, 3.0, 2.5)]  # then where its progress says it is
    learning.tick(31.0, lambda *a: None, lambda *a: None)
    assert left(32.0) == "about 2 s left" and left(34.0) == "finishing"
    started[0].said = [("fitting",)]
    learning.tick(35.0, lambda *a: None, lambda *a: None)
    assert left(35.0) == "finishing"
    fresh, _ = _learning()
    for name, code in (("melody", "name_taken"), ("../x", "bad_value"), ("x\n", "bad_value")):
        with pytest.raises(ProtocolError) as refused:
            fresh.begin(CLIENT, 3, name, 1, 5.0, None, 0.0)
        assert refused.value.code == code


def test_counts_are_checked_and_a_bad_upload_dropped():
    learning, started = _learning()
    learning.begin(CLIENT, 1, "mine", 1, 5.0, None, 0.0)
    learning.clip(CLIENT, 1, 1, 4.0, TimeSignature(), False, 0.0)
    with pytest.raises(ProtocolError) as short:
        learning.end(CLIENT, 1, 0.0)
    assert short.value.code == "count_mismatch" and learning.upload is None
    with pytest.raises(ProtocolError) as none:
        learning.note(CLIENT, 1, Note(60, 0.0, 1.0, 90), 0.0)
    assert none.value.code == "no_upload"
    learning.begin(CLIENT, 1, "mine", 1, 5.0, None, 0.0)
    with pytest.raises(ProtocolError) as many:
        learning.clip(CLIENT, 1, P.MAX_LEARN_NOTES + 1, 4.0, TimeSignature(), False, 0.0)
    assert many.value.code == "too_many_notes" and not started


def test_a_quiet_upload_is_dropped_and_a_cancel_keeps_the_best():
    learning, started = _learning()
    learning.begin(CLIENT, 1, "mine", 2, 5.0, None, 0.0)
    failed = []
    learning.tick(P.LEARN_UPLOAD_TIMEOUT + 1, lambda *a: None, lambda c, e: failed.append(e))
    assert failed[0].code == "upload_timeout" and learning.upload is None
    with pytest.raises(ProtocolError) as end:  # its end, when it comes, says why
        learning.end(CLIENT, 1, P.LEARN_UPLOAD_TIMEOUT + 2)
    assert end.value.code == "upload_timeout" and end.value.message.endswith(
        f"whose upload was dropped: it went {P.LEARN_UPLOAD_TIMEOUT:g} s without a message"
    )
    _upload(learning)
    assert learning.cancel(CLIENT, 1) == "upload" and learning.upload is None
    _upload(learning)
    learning.end(CLIENT, 1, 0.0)
    assert learning.cancel(("127.0.0.1", 9), 1) is None
    assert learning.cancel(CLIENT, 1) == "running" and started[0].cancelled
    assert learning.stop(1.0, lambda *a: None, lambda *a: None) == [(CLIENT, 1)]
    assert started[0].ended  # no last word: the client is told the bridge is stopping


def test_a_tuning_stopped_with_the_bridge_says_it_installed_its_best():
    """Ctrl-C on `segue serve` during a learn told the client "cancelled: the bridge is
    stopping", while the tuning installed its best so far a second before."""
    learning, started = _learning()
    _upload(learning)
    learning.end(CLIENT, 1, 0.0)
    started[0].said = [("fitting",), ("done", "mine", 4.0, 3.1, 12.0)]
    sent: list[tuple] = []
    failed: list[tuple] = []
    unanswered = learning.stop(2.0, lambda *a: sent.append(a), lambda *a: failed.append(a))
    assert unanswered == [] and not failed and learning.running is None
    assert [(a[1], a[2]) for a in sent] == [
        (P.LEARN_STATUS, (1, "fitting", 100.0, -1.0)),
        (P.LEARN_DONE, (1, "mine", 4.0, 3.1, 12.0)),
    ]
    learning, started = _learning()  # stopped before its first step: nothing installed
    _upload(learning)
    learning.end(CLIENT, 1, 0.0)
    started[0].said = [("failed", "cancelled", "stopped before the first tuning step; ...")]
    assert learning.stop(2.0, lambda *a: sent.append(a), lambda *a: failed.append(a)) == []
    assert [(c, e.code) for c, e in failed] == [(CLIENT, "cancelled")]


def test_a_stopping_bridge_waits_for_a_tuning_with_steps_behind_it_to_keep_its_best():
    """The bridge gave a tuning 2 s to refit and install its best, then ended it: a Learn
    that had improved (6.4 -> 5.6) installed nothing (helper-43). One that has learnt
    nothing yet is still ended at once."""
    from segue.bridge.learning import END_WAIT, KEEP_BEST_WAIT

    for said, wait in (([("progress", 0.4, 5.6, 5.6)], KEEP_BEST_WAIT), ([], END_WAIT)):
        learning, started = _learning()
        _upload(learning)
        learning.end(CLIENT, 1, 0.0)
        started[0].said = list(said)
        lines: list[str] = []
        learning.stop(2.0, lambda *a: None, lambda *a: None, lines.append)
        assert started[0].waited == wait
        assert bool(lines) == bool(said) and all("keeping the Learn's best" in x for x in lines)


def _refitting() -> tuple[Learning, list[FakeTuning], list[tuple]]:
    """A learn uploaded and tuning (a stand-in), and what its bridge is told is installed."""
    installed: list[tuple] = []
    started: list[FakeTuning] = []

    def start(request):
        started.append(FakeTuning(request))
        return started[-1]

    learning = Learning(None, start, lambda client, done: installed.append(done))
    _upload(learning)
    learning.end(CLIENT, 1, 0.0)
    return learning, started, installed


def test_a_tuning_ended_during_its_refit_is_done_with_the_model_installed_before_it():
    """A refit longer than the bridge waits (a load of 13.8) ended the tuning, and the
    client was told "cancelled: the bridge is stopping": the model was lost. The tuning
    installs its best before the refit and says so (``fitting`` with what done would say):
    ended during the refit, it is done, and the console says the memory was not refitted."""
    learning, started, installed = _refitting()
    done = ("mine", 4.0, 3.1, 12.0, 0, 0)
    started[0].said = [("progress", 1.0, 3.1, 3.1), ("fitting", *done)]
    sent: list[tuple] = []
    failed: list[tuple] = []
    lines: list[str] = []
    unanswered = learning.stop(
        2.0, lambda *a: sent.append(a), lambda *a: failed.append(a), lines.append
    )
    assert unanswered == [] and not failed and installed == [done]
    assert sent[-1] == (CLIENT, P.LEARN_DONE, (1, *done))
    assert lines == [
        "mine is installed: its tuning refits its clip memory (up to 30 s)",
        "mine is installed with its clip memory not refitted: the bridge stopped before the "
        "refit was done",
    ]


def test_a_refit_that_fails_leaves_the_learn_done_with_the_model_installed_before_it():
    """A tuning whose refit failed (out of memory, say) after it installed its best was
    answered "failed", though its model was installed and listed: the device offered no
    model, and the bridge's models were not renewed for it."""
    learning, started, installed = _refitting()
    done = ("mine", 4.0, 3.1, 12.0, 0, 0)
    started[0].said = [("fitting", *done), ("failed", "tune_failed", "out of memory")]
    sent: list[tuple] = []
    failed: list[tuple] = []
    learning.tick(1.0, lambda *a: sent.append(a), lambda *a: failed.append(a))
    assert not failed and installed == [done] and learning.running is None
    assert sent[-1] == (CLIENT, P.LEARN_DONE, (1, *done))
    started2 = len(started)
    _upload(learning, rid=2)  # and a new learn may begin
    learning.end(CLIENT, 2, 2.0)
    assert len(started) == started2 + 1


def test_the_bridge_keeps_answering_while_it_tunes_and_then_lists_the_model(models_dir, caplog):
    caplog.set_level(logging.INFO, logger="segue.bridge")
    clips = [(riff(i), False) for i in range(10)]
    with running_server(models_dir, "tiny") as server:
        port = server.address[1]
        with BridgeClient(port=port, timeout=10) as learner, BridgeClient(port=port) as other:
            heard: list[tuple[str, float, float]] = []
            outcome: dict = {}

            def learn() -> None:
                try:
                    outcome["result"] = learner.learn(
                        clips, "learned", 4.0, "tiny", on_status=lambda *a: heard.append(a)
                    )
                except Exception as exc:  # reported below
                    outcome["error"] = exc

            thread = threading.Thread(target=learn)
            thread.start()
            times = []
            while thread.is_alive():
                began = time.perf_counter()
                other.generate(riff(50), {"bars": 1, "model": "tiny"})
                times.append(time.perf_counter() - began)
                time.sleep(0.05)
            thread.join()
            assert "error" not in outcome, outcome
            result = outcome["result"]
            assert result.name == "learned" and result.after < result.before
            assert heard[0][0] == "starting" and any(s == "tuning" for s, _, _ in heard)
            assert len(times) >= 5 and np.percentile(times, 95) < 2.0, times
            assert "learned" in [name for name, _, _ in other.models()]
            said = [r.getMessage() for r in caplog.records]  # the console tells the learn
            assert any(": learning learned from 10 clips (" in m for m in said), said
            assert any(": learned learned (held-out loss " in m for m in said), said
            made = other.generate(riff(51), {"bars": 1, "model": "learned"})
            assert made.variations
            with pytest.raises(BridgeReplyError) as taken:
                learner.learn(clips, "learned", 1.0, "tiny")
            assert taken.value.code == "name_taken"
            # said without this computer's folders (a client may be a phone on the network)
            assert "/" not in str(taken.value) and "\\" not in str(taken.value), taken.value
            assert "'learned' (or one its name differs from only in case) is already" in str(
                taken.value
            )


@dataclass(frozen=True)
class StoppedLearn:
    """What the client of :func:`stopped_learn` heard: the learn's result, its states, the
    clips it uploaded (played, and two of drums) and the riffs they were played from."""

    result: LearnResult
    heard: list[str]
    clips: list[tuple[Clip, bool]]
    twins: list[Clip]


@pytest.fixture(scope="module")
def stopped_learn(models_dir) -> Iterator[StoppedLearn]:
    """One Learn in a real bridge, shared by the tests below (a tuning process takes 10-20 s
    to start on a busy 2-core computer): played riffs and two drum clips uploaded as learn
    50; a stray end and generate naming 50 sent once it is under way; then the bridge
    stopped (Ctrl-C) while the tuning refits its clip memory, a refit that never ends
    (tests/support/slow_refit.py), as one at a load of 13.8 outlasted the bridge's wait."""
    from slow_refit import tuning_whose_refit_never_ends
    from tuning_material import played

    from segue.bridge import dispatch
    from segue.bridge import learning as bridge_learning
    from segue.model.tuning.background import BackgroundTuning

    twins = [riff(i) for i in range(10)]
    clips = [(played(clip, seed=i, late=0.02), False) for i, clip in enumerate(twins)]
    clips += [(riff(20), True), (riff(21), True)]
    heard: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bridge_learning, "KEEP_BEST_WAIT", 1.0)  # the refit never ends
        patch.setattr(
            dispatch,
            "start_tuning",
            lambda request: BackgroundTuning(request, tuning_whose_refit_never_ends),
        )
        with running_server(models_dir, "tiny") as server:
            with BridgeClient(port=server.address[1], timeout=20) as learner:

                def on_status(state: str, percent: float, loss: float) -> None:
                    heard.append(state)
                    if len(heard) == 1:  # strays: the learn is under way
                        learner.send(P.LEARN_END, 50)
                        learner.send(P.GENERATE, 50)
                    if state == "fitting" and heard.count("fitting") == 1:
                        server.shutdown()  # Ctrl-C on `segue serve`
                        server.close()

                result = learner.learn(clips, "kept", 1.0, "tiny", 50, on_status)
    yield StoppedLearn(result, heard, clips, twins)


def test_a_stray_message_naming_a_running_learn_is_answered_without_its_id(stopped_learn):
    """While learn 50 tuned, a second /segue/learn/end 50 (or generate 50) from its client
    drew an error with id 50: the client took its learn for failed (here: BridgeReplyError),
    and the model was installed all the same. The done says what was not learnt from."""
    result = stopped_learn.result  # no BridgeReplyError: the strays drew errors with id -1
    assert result.name == "kept"
    left_out = result.drums_left_out, result.melodic_left_out
    assert left_out == (2, 0)  # a melodic model was tuned: the drum clips are not


def test_a_learn_keeps_its_best_when_the_bridge_stops_during_a_slow_refit(
    stopped_learn, models_dir
):
    """At a load of 13.8 a Learn's refit of its clip memory took longer than the 30 s a
    stopping bridge waits for it: the bridge ended the tuning and said "cancelled: the
    bridge is stopping", and the model tuned (its steps done) was thrown away. Its best is
    installed before the refit: the Learn is done, the model listed, loaded and playing, its
    card saying its memory was not refitted."""
    from segue.home import user_models_dir
    from segue.model.checkpoint import load_checkpoint
    from segue.model.generate import generate
    from segue.model.registry import list_models
    from segue.model.settings import GenerationParams

    result = stopped_learn.result
    assert "fitting" in stopped_learn.heard and result.after < result.before
    path = user_models_dir() / "kept.pt"
    assert "kept" in [e.name for e in list_models(models_dir)]
    card = path.with_suffix(".md").read_text(encoding="utf-8")
    assert "Clip memory: its base's, not refitted" in card
    loaded = load_checkpoint(path)
    assert loaded.info["tuned"]["refitted"] is False
    assert loaded.info["summary"].endswith("(clip memory not refitted)")
    made = generate(loaded.model, riff(60), GenerationParams(bars=2, rng_seed=1))
    assert made.variations[0].clip.notes
    assert not [p.name for p in user_models_dir().iterdir() if p.name.startswith(".")]


def test_a_learn_reads_played_clips_as_generation_reads_them(stopped_learn, models_dir):
    """Clips played into Live (ends where the player let go) were learnt as they lay, 8ths
    of 10-11 ticks, where generation reads them as written (12): the tuned model was
    surprised by its own clips as generation fed them, and ``auto`` passed it over
    (helper-122). The tuning scores the base on the held-out clips before its first step:
    on the played clips, what it scores on their quantized twins."""
    import torch

    from segue.model.checkpoint import load_checkpoint
    from segue.model.tuning.fit import HELD_OUT_BATCH, TuneSettings, held_out_loss
    from segue.model.tuning.material import clips_material, hold_out, learnable
    from segue.model.tuning.tune import encode

    named = [(f"clip {i + 1}", clip, False) for i, clip in enumerate(stopped_learn.twins)]
    held = hold_out(learnable(clips_material(named, "twins")).pieces).held  # drums left out
    tiny = load_checkpoint(models_dir / "tiny.pt")
    window = TuneSettings().window
    encoded = encode(held, tiny.config.vocab)
    twins_loss = held_out_loss(tiny.model, encoded, window, HELD_OUT_BATCH, torch.device("cpu"))
    assert stopped_learn.result.before == pytest.approx(twins_loss, abs=1e-3)


def test_learn_messages_are_declared_with_their_limits():
    begin = P.inbound_paths()[P.LEARN_BEGIN]
    assert [a.name for a in begin.args] == ["id", "name", "clips", "seconds", "from"]
    assert begin.args[3].high == P.MAX_LEARN_SECONDS and begin.args[2].high == P.MAX_LEARN_CLIPS
    assert {"learning", "name_taken", "too_little", "cannot_learn"} <= P.ERROR_CODES
