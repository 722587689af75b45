"""Learn: a client uploads clips, and the bridge tunes a new model on them in the background.

One learn at a time in the whole bridge (:class:`Learning`): an upload of clips (each
announced with its note count, then its notes), then a tuning in a process of its own
(:class:`segue.model.tuning.background.BackgroundTuning`), so the receiving thread and the
generation workers keep answering. Its progress is polled on the receiving thread
(:meth:`Learning.tick`, from the bridge's tick) and sent as /segue/learn/status; it ends
with /segue/learn/done or /segue/error. A cancel during the upload drops it; during the
tuning it stops with the best so far, which is installed. Limits: clips and notes of an
upload (the address table), its quiet time, and the time budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from segue.bridge import protocol as P
from segue.bridge.errors import ProtocolError
from segue.bridge.session import ClientAddr
from segue.bridge.values import counted
from segue.errors import NoteError, SegueError
from segue.notes import Clip, Note, TimeSignature

if TYPE_CHECKING:
    from segue.model.tuning.background import BackgroundTuning, LearnRequest

Start = Callable[["LearnRequest"], "BackgroundTuning"]


def start_tuning(request: LearnRequest) -> BackgroundTuning:
    from segue.model.tuning.background import BackgroundTuning

    return BackgroundTuning(request)


@dataclass
class _Clip:
    expected: int
    length: float
    time_signature: TimeSignature
    drums: bool
    notes: list[Note] = field(default_factory=list)


@dataclass
class _Upload:
    client: ClientAddr
    rid: int
    name: str
    clips: int
    seconds: float
    base: str | None
    heard: float
    done: list[tuple[str, Clip, bool]] = field(default_factory=list)
    current: _Clip | None = None
    notes: int = 0


@dataclass(frozen=True)
class _Dropped:
    """A learn upload refused at its begin or dropped: its clips and notes are ignored, and
    its end is answered with why (``what`` happened: "begin was refused", "upload was
    dropped")."""

    client: ClientAddr
    rid: int
    what: str
    code: str
    reason: str


@dataclass
class _Running:
    client: ClientAddr
    rid: int
    tuning: BackgroundTuning
    said: float  # when the client last heard of it (see LEARN_STATUS_EVERY)
    loss: float = -1.0
    state: tuple[str, float] = ("starting", 0.0)  # what it last said, and the percent
    name: str = ""
    began: float = 0.0  # when its upload ended and the tuning process started
    seconds: float = 0.0  # its time budget
    ends: float = 0.0  # when its time budget is spent, by its last progress (then it fits
    # its clip memory)
    installed: tuple[Any, ...] = ()  # what its done would say, once its best is installed
    # before the refit (``fitting``): said as done if the bridge stops during the refit


LEARN_START = 10.0
"""Seconds a Learn's tuning takes before its time budget starts: a fresh Python and torch,
the base model read (chosen, when none is named) and scored on the held-out clips. About 10 s
(helper-122: a refusal said "about 18 s left" when 29 s remained); 26-53 s on a 2-core machine
under a load of 9 (helper-125). An estimate, said only until the tuning's first progress
says where it is."""
END_WAIT = 2.0
"""Seconds a stopping bridge waits for a tuning that has learnt nothing yet to end."""
KEEP_BEST_WAIT = 30.0
"""Seconds it waits for one with steps behind it to install its best and refit its clip
memory (at low priority, beside Live: more than the 2 s it had, which threw the best away).
The best is installed first, within seconds of the stop; a refit still running after this
is ended, and the model stays installed as it was before the refit (at a load of 13.8 a
refit took longer, and the Learn was thrown away: session 58)."""


def _taken(name: str) -> str:
    """Why a learn cannot take ``name``, for a client (no path of this computer in it, and
    no --replace, which a client cannot give)."""
    from segue.model.registry import bundled_name

    if bundled_name(name):
        return f"{name!r} is a model bundled with segue; choose another name"
    return (
        f"a model named {name!r} (or one its name differs from only in case) is already "
        "installed; choose another name"
    )


class Learning:
    """The bridge's one learn: its upload, then its tuning. Only the receiving thread
    touches it."""

    def __init__(
        self,
        models_dir: Any = None,
        start: Start = start_tuning,
        installed: Callable[[ClientAddr, tuple[Any, ...]], None] = lambda client, done: None,
    ) -> None:
        self.models_dir = models_dir
        self._start = start
        self._installed = installed  # told when a tuned model is installed: (name, before,
        # after, seconds)
        self.upload: _Upload | None = None
        self.running: _Running | None = None
        self.dropped: _Dropped | None = None  # the last upload refused or dropped, whose
        # remaining clips and notes are ignored (one error says why, not one per message),
        # and whose end is answered with why

    def holds(self, client: ClientAddr) -> bool:
        """Whether ``client``'s learn is being uploaded or tuned (its replies are still due)."""
        return any(
            work is not None and work.client == client for work in (self.upload, self.running)
        )

    def tuning(self, client: ClientAddr, rid: int) -> bool:
        """Whether ``client``'s learn ``rid`` is being tuned (its upload has ended)."""
        running = self.running
        return running is not None and (running.client, running.rid) == (client, rid)

    def _busy(self, client: ClientAddr, rid: int, now: float) -> None:
        upload = self.upload
        same = upload is not None and (upload.client, upload.rid) == (client, rid)
        if upload is not None and upload.client == client and not same:
            raise ProtocolError(
                "learning",
                f"this client's learn upload {upload.rid} is still open (one at a time); "
                f"finish it with {P.LEARN_END} {upload.rid} or drop it with {P.CANCEL} "
                f"{upload.rid}",
                rid,
            )
        if self.running is not None or (upload is not None and not same):
            raise ProtocolError("learning", self._busy_text(now), rid)

    def _busy_text(self, now: float) -> str:
        """Which model is being learnt, and about how long it has left (helper-64: the
        device showed "a tuning is already being uploaded or running ...")."""
        running = self.running
        if running is None:
            name = self.upload.name if self.upload is not None else ""
            return f"{name!r} is being sent to the bridge to learn; learn again after it"
        state = running.state[0]
        if state == "starting":  # its start, then its whole budget
            left = round(max(running.seconds, running.began + LEARN_START + running.seconds - now))
        else:  # where its last progress said it was
            left = round(running.ends - now) if state == "tuning" else 0
        when = f"about {left} s left" if left > 0 else "finishing"
        return f"{running.name!r} is being learnt ({when}); learn again after it"

    def begin(
        self,
        client: ClientAddr,
        rid: int,
        name: str,
        clips: int,
        seconds: float,
        base: str | None,
        now: float,
    ) -> None:
        from segue.model.tuning.install import NameTaken, tuned_paths

        try:
            self._busy(client, rid, now)
            try:
                tuned_paths(name, models_dir=self.models_dir)
            except NameTaken:  # said without the folder's path: a client may be a phone
                raise ProtocolError("name_taken", _taken(name), rid) from None
            except SegueError as exc:
                raise ProtocolError("bad_value", str(exc), rid) from None
        except ProtocolError as exc:
            self.refuse(client, rid, exc)
            raise
        self.upload = _Upload(client, rid, name, clips, seconds, base, now)

    def refuse(self, client: ClientAddr, rid: int, error: ProtocolError) -> None:
        """A begin refused (its name, its base model: ``error``, answered already): the clips
        and notes that follow it are ignored, as a dropped upload's are (a client streams
        them without waiting, and each drew an error: an unknown base model drew 9 for 2
        clips, helper-50), and its end is answered with ``error``'s reason."""
        if not self._open(client, rid) and not self.tuning(client, rid):
            self.dropped = _Dropped(client, rid, "begin was refused", error.code, error.message)

    def _ignored(self, client: ClientAddr, rid: int) -> _Dropped | None:
        """What refused or dropped ``client``'s learn ``rid``, whose messages are ignored
        (None: it was not, or it has begun again)."""
        dropped = self.dropped
        if dropped is None or (dropped.client, dropped.rid) != (client, rid):
            return None
        return None if self._open(client, rid) else dropped

    def _upload(self, client: ClientAddr, rid: int, what: str, now: float) -> _Upload:
        upload = self.upload
        if upload is None or (upload.client, upload.rid) != (client, rid):
            raise ProtocolError(
                "no_upload",
                f"a learn {what} for request {rid}, but no learn upload was begun with "
                f"{P.LEARN_BEGIN} (or it was dropped)",
                rid,
            )
        upload.heard = now
        return upload

    def _open(self, client: ClientAddr, rid: int) -> bool:
        upload = self.upload
        return upload is not None and (upload.client, upload.rid) == (client, rid)

    def _drop(self, rid: int, code: str, message: str) -> ProtocolError:
        if self.upload is not None:
            self.dropped = _Dropped(self.upload.client, rid, "upload was dropped", code, message)
        self.upload = None
        return ProtocolError(code, f"request {rid}: {message}; the learn upload is dropped", rid)

    def _close_clip(self, upload: _Upload) -> None:
        clip = upload.current
        if clip is None:
            return
        upload.current = None
        if len(clip.notes) != clip.expected:
            raise self._drop(
                upload.rid,
                "count_mismatch",
                f"clip {len(upload.done) + 1} has {counted(len(clip.notes), 'notes')}, "
                f"{clip.expected} {'was' if clip.expected == 1 else 'were'} announced",
            )
        try:
            made = Clip(tuple(clip.notes), clip.length, clip.time_signature)
        except NoteError as exc:
            raise self._drop(
                upload.rid, "bad_seed", f"clip {len(upload.done) + 1}: {exc}"
            ) from None
        upload.done.append((f"clip {len(upload.done) + 1}", made, clip.drums))

    def clip(
        self,
        client: ClientAddr,
        rid: int,
        notes: int,
        length: float,
        signature: TimeSignature,
        drums: bool,
        now: float,
    ) -> None:
        if self._ignored(client, rid):
            return  # the rest of a dropped upload: its error was said
        upload = self._upload(client, rid, "clip", now)
        self._close_clip(upload)
        if len(upload.done) >= upload.clips:
            raise self._drop(rid, "count_mismatch", f"more than the {upload.clips} clips announced")
        if upload.notes + notes > P.MAX_LEARN_NOTES:
            raise self._drop(
                rid, "too_many_notes", f"more than {P.MAX_LEARN_NOTES} notes in all the clips"
            )
        upload.notes += notes
        upload.current = _Clip(notes, length, signature, drums)

    def note(self, client: ClientAddr, rid: int, note: Note, now: float) -> None:
        if self._ignored(client, rid):
            return  # the rest of a dropped upload: its error was said
        upload = self._upload(client, rid, "note", now)
        clip = upload.current
        if clip is None:
            raise self._drop(rid, "no_upload", f"a note before any {P.LEARN_CLIP}")
        if len(clip.notes) >= clip.expected:
            raise self._drop(
                rid,
                "count_mismatch",
                f"more notes than the {clip.expected} announced for clip {len(upload.done) + 1}",
            )
        clip.notes.append(note)

    def end(self, client: ClientAddr, rid: int, now: float) -> str:
        """The upload is complete: the tuning starts in its own process (what it learns, for
        the console). The end of one refused or dropped is answered with why (it was
        answered "no learn upload was begun", where the protocol promises the reason)."""
        dropped = self._ignored(client, rid)
        self.dropped = None  # after an upload's end (or a dropped one's), nothing of it is
        if dropped is not None:  # ignored: a stray message is told
            raise ProtocolError(
                dropped.code,
                f"learn end for request {rid}, whose {dropped.what}: {dropped.reason}",
                rid,
            )
        upload = self._upload(client, rid, "end", now)
        try:
            return self._finish(upload, now)
        except ProtocolError:
            self.dropped = None
            raise

    def _finish(self, upload: _Upload, now: float) -> str:
        from segue.model.tuning.background import LearnRequest
        from segue.model.tuning.material import MIN_NOTES, too_little

        rid = upload.rid
        self._close_clip(upload)
        if len(upload.done) != upload.clips:
            raise self._drop(
                rid,
                "count_mismatch",
                f"{counted(len(upload.done), 'clips')} arrived, {upload.clips} "
                f"{'was' if upload.clips == 1 else 'were'} announced",
            )
        if upload.notes < MIN_NOTES:  # refused here, before a tuning process starts
            self.upload = None
            raise ProtocolError("too_little", str(too_little(upload.clips, upload.notes)), rid)
        self.upload = None
        request = LearnRequest(
            tuple(upload.done),
            upload.name,
            upload.base,
            upload.seconds,
            f"{len(upload.done)} clips uploaded to the bridge",
            None if self.models_dir is None else str(self.models_dir),
        )
        self.running = _Running(
            upload.client,
            rid,
            self._start(request),
            now,
            name=upload.name,
            began=now,
            seconds=upload.seconds,
            ends=now + LEARN_START + upload.seconds,
        )
        clips = counted(len(upload.done), "clips")
        return f"{upload.name} from {clips} ({upload.notes} notes), up to {upload.seconds:g} s"

    def cancel(self, client: ClientAddr, rid: int) -> str | None:
        """``"upload"`` (dropped), ``"running"`` (asked to stop with the best so far), or
        None when this client has no learn with this id."""
        upload, running = self.upload, self.running
        if upload is not None and (upload.client, upload.rid) == (client, rid):
            self.upload = None
            return "upload"
        if running is not None and (running.client, running.rid) == (client, rid):
            running.tuning.cancel()
            return "running"
        return None

    def tick(
        self,
        now: float,
        send: Callable[[ClientAddr, str, tuple[Any, ...]], None],
        fail: Callable[[ClientAddr, ProtocolError], None],
    ) -> None:
        """Drop an upload gone quiet; pass on what the tuning said (``send(client, address,
        args)``, ``fail(client, error)``), and say its status again when it has said nothing
        for :data:`~segue.bridge.protocol.LEARN_STATUS_EVERY`."""
        upload = self.upload
        if upload is not None and now - upload.heard > P.LEARN_UPLOAD_TIMEOUT:
            quiet = f"it went {P.LEARN_UPLOAD_TIMEOUT:g} s without a message"
            self.upload = None
            self.dropped = _Dropped(
                upload.client, upload.rid, "upload was dropped", "upload_timeout", quiet
            )
            fail(
                upload.client,
                ProtocolError(
                    "upload_timeout",
                    f"the learn upload of request {upload.rid} went "
                    f"{P.LEARN_UPLOAD_TIMEOUT:g} s without a message and was dropped",
                    upload.rid,
                ),
            )
        running = self.running
        if running is None:
            return
        self._relay(running, running.tuning.events(), now, send, fail)
        if self.running is running and now - running.said >= P.LEARN_STATUS_EVERY:
            running.said = now  # still at it: said again, so the client knows the bridge is
            send(running.client, P.LEARN_STATUS, (running.rid, *running.state, running.loss))

    def _relay(
        self,
        running: _Running,
        events: list[Any],
        now: float,
        send: Callable[[ClientAddr, str, tuple[Any, ...]], None],
        fail: Callable[[ClientAddr, ProtocolError], None],
    ) -> None:
        """Pass what the tuning said on to its client; its last word ends the learn."""
        rid = running.rid
        for event in events:
            kind = event[0]
            if kind == "progress":
                running.loss = float(event[2])
                running.ends = now + (1 - float(event[1])) * running.seconds
                running.state, running.said = ("tuning", 100 * event[1]), now
                send(running.client, P.LEARN_STATUS, (rid, *running.state, running.loss))
            elif kind == "fitting":
                running.installed = tuple(event[1:])
                running.state, running.said = ("fitting", 100.0), now
                send(running.client, P.LEARN_STATUS, (rid, *running.state, running.loss))
            elif kind == "done":
                self.running = None
                self._installed(running.client, event[1:])
                send(running.client, P.LEARN_DONE, (rid, *event[1:]))
            elif kind == "failed" and running.installed:  # its refit failed: the model
                self.running = None  # installed before it is the Learn's, and listed
                self._installed(running.client, running.installed)
                send(running.client, P.LEARN_DONE, (rid, *running.installed))
            elif kind == "failed":
                self.running = None
                fail(running.client, ProtocolError(event[1], event[2], rid))

    def stop(
        self,
        now: float,
        send: Callable[[ClientAddr, str, tuple[Any, ...]], None],
        fail: Callable[[ClientAddr, ProtocolError], None],
        say: Callable[[str], None] = lambda line: None,
    ) -> list[tuple[ClientAddr, int]]:
        """The bridge is stopping: the upload is dropped, and the tuning stops with the best
        so far, which it installs and says (``done``, passed on), or ends without a word;
        the (client, id) of each learn left unanswered, to be told. ``say`` hears a line
        when the stop waits for a tuning to keep its best."""
        dropped = []
        if self.upload is not None:
            dropped.append((self.upload.client, self.upload.rid))
            self.upload = None
        running = self.running
        if running is not None:
            self._relay(running, running.tuning.events(), now, send, fail)  # said so far
        running = self.running
        if running is not None:
            learnt = running.state[0] in ("tuning", "fitting")  # steps behind it: keep them
            wait = KEEP_BEST_WAIT if learnt else END_WAIT
            if learnt:
                say(self._keeping(running, wait))
            self._relay(running, running.tuning.end(wait), now, send, fail)
            if self.running is running and running.installed:  # ended during its refit
                say(
                    f"{running.name} is installed with its clip memory not refitted: the "
                    "bridge stopped before the refit was done"
                )
                self._relay(running, [("done", *running.installed)], now, send, fail)
            if self.running is running:  # no last word: ended from outside
                dropped.append((running.client, running.rid))
            self.running = None
        return dropped

    @staticmethod
    def _keeping(running: _Running, wait: float) -> str:
        """What a stopping bridge says while it waits up to ``wait`` s for ``running``'s
        tuning to keep its best."""
        if running.installed:
            return (
                f"{running.name} is installed: its tuning refits its clip memory (up to {wait:g} s)"
            )
        return (
            "keeping the Learn's best so far: its tuning installs it and refits its clip "
            f"memory (up to {wait:g} s)"
        )
