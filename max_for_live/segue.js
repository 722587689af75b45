/*
 * segue.js: the logic of the segue Max for Live device (Max's classic `js` object, ES5).
 *
 * The device reads the clip shown in Live's Clip View, sends its notes to the segue bridge
 * (`segue serve`) over OSC, and writes each continuation the bridge sends back into a new
 * clip in the empty clip slots below the source clip. It never changes the source clip.
 *
 * Patch wiring (max_for_live/src/Segue.maxpat; tests/test_device.py checks it):
 *   inlet 0   <- "init" from [live.thisdevice]; the controls through [prepend NAME];
 *                the bridge's replies from [udpreceive PORT @defer 1]
 *   outlet 0  -> [udpsend 127.0.0.1 9123]: OSC messages (/segue/...), "port N" and
 *                "maxqueuesize N"
 *   outlet 1  -> the status [comment]: "set TEXT"
 *   outlet 2  -> [udpreceive]: "port N" and "maxqueuesize N"
 *   outlet 3  -> the model [live.menu]: "_parameter_range ITEM...", "set INDEX"
 *   outlet 4  -> [pattr] (a hidden blob parameter, varname saved_model): "set model:NAME", the
 *                Model menu's model by name; it answers at load through
 *                [prepend savedmodel] into inlet 0
 *
 * Protocol: docs/protocol.md. Max rules followed here: no LiveAPI in global code (work
 * starts with "init", sent when live.thisdevice bangs); no observers; Live is written from
 * a Task, never from inside a reply's handler; times from OSC are float32 and are snapped
 * to the grid of 24 ticks per beat; a dictionary goes to a Live call as JSON text. Each
 * segue device in Live listens on its own reply port, claimed in a Global that every js
 * object in Max shares. Anything Live or the bridge returns that does not look as
 * expected stops the action with a status line that names it.
 */

autowatch = 1;
inlets = 1;
outlets = 5;

var OUTLET_OSC = 0;
var OUTLET_STATUS = 1;
var OUTLET_RECEIVE = 2;
var OUTLET_MENU = 3;
var OUTLET_SAVED = 4;

var TICKS_PER_BEAT = 24;
var PING_TIMEOUT_MS = 1500;     // no pong by then: no bridge (or replies cannot reach us)
var SILENCE_TIMEOUT_MS = 60000; // a request with no word from the bridge for this long failed
var PROBE_MS = 5000;            // while the bridge works on a request, a ping this often: no
                                // pong, the bridge is gone (a minute's wait was all it had)
var LOST_REPLY_MS = 3000;       // once the notes stream, this long without one: the rest was lost
var RESULT_HOLD_MS = 20000;     // a Continue's outcome stays on the status line this long
                                // before a Learn's progress takes it (the Max window has both)
var RETRY_MS = 5000;            // look for the bridge again while none answers
var HEARTBEAT_MS = 20000;       // check that the bridge is still there while idle
var MAX_SEED_NOTES = 2048;      // the bridge's limits (docs/protocol.md, Limits)
var MAX_SEED_BEATS = 4096;
var MAX_LEARN_CLIPS = 1024;     // a learn upload's limits (docs/protocol.md, /segue/learn/*)
var MAX_LEARN_NOTES = 200000;
var MAX_LEARN_BEATS = 16384;
var MAX_NEW_SCENES = 16;        // never add more scenes than variations can fill
var MAX_RACK_DEPTH = 32;        // racks inside racks: deeper than this is a wrong answer
var MAX_QUEUE = 65536;          // udpsend's and udpreceive's queues (2048 messages by default)
var UPLOAD_CHUNK = 128;         // seed notes sent at once; then a pause, so no queue overflows
var UPLOAD_PAUSE_MS = 5;
var RECENT_TOKENS = 16;         // pongs for this device's last pings are its own
var DEFAULT_MODEL_ITEM = "default";  // also the saved name of that item: no model can be
                                     // named so (model/registry.py, RESERVED_NAMES)
var SAVED_MODEL_BOX = "saved_model";  // the varname of the [pattr] holding the menu's model
// What the [pattr] holds before the name: a name of digits alone ("808") would come back
// from Max as a number, which is no name, and the set would load by the menu's place.
var SAVED_PREFIX = "model:";
var DRUMS_MODEL = "auto";       // a Drum Rack's track on default: auto among the drum models
                                // (with drums 1), a drum model the musician tuned too; not
                                // the bridge's default, which may be melodic
var BRIDGE_HOST = "127.0.0.1";

// Setting name -> [lowest, highest, whole number?]. Each is also the varname of its control
// in the patcher and the message its [prepend] sends.
var SETTING_RANGES = {
    temperature: [0, 5, false],
    bars: [1, 64, true],
    variations: [1, 16, true],
    memory: [0, 4, false],
    top_k: [0, 40, true],
    fills: [0, 2, true],
    model: [0, 999, true],
    key: [0, 2, true],
    bridge_port: [1024, 65535, true],
    reply_port: [1024, 65535, true]
};
var KEY_MODES = ["off", "auto", "live"];
var FILLS_MODES = ["none", "phrase", "often"];  // drums: fills at phrase ends, or every 2 bars
var PITCH_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

var settings = {
    temperature: 1.0,
    bars: 4,
    variations: 2,
    memory: 1.0,
    top_k: 0,
    fills: 0,
    model: 0,
    key: 2,
    bridge_port: 9123,
    reply_port: 9124
};

var started = false;
var link = {state: "unknown", token: 0, waiting: false, version: "", model: ""};
var modelNames = [];        // the bridge's models; menu item i + 1 is modelNames[i]
var modelsIncoming = null;  // names arriving between /segue/models/item and /models/end
var modelsWanted = false;    // a list was asked for and has not come whole
var modelMoved = "";         // the menu's model, gone from the bridge's list
// A Live set stores the Model menu as a place in the list, and the model's name beside it
// in the [pattr]: after a reload the list may hold other models before it, so the name,
// not the place, says which model the set chose.
var restoredModel = "";      // the set's name, restored at load, until the list places it
var modelLost = "";          // the set's name, which the bridge's list did not hold
var savedModel = "";         // the name the [pattr] holds (as restored, or as last set)
var request = null;         // the request in flight (one at a time)
var learning = null;        // the Learn in flight: its upload, then the bridge's tuning
var learnSeconds = 60;      // the bridge's time budget for a Learn (1-600; no control)
var LEARN_STATUS_EVERY_MS = 10000;  // a tuning bridge says its status at least this often
                                    // (docs/protocol.md, /segue/learn/status): silent for
                                    // SILENCE_TIMEOUT_MS, it is gone
// Request ids and ping tokens stay below 2^24: if Max sends them as float32, they stay exact.
var MAX_ID = 16777215;
var lastId = 1 + Math.floor(Math.random() * 1000000);
var lastStatus = "";
// Reply ports in use, shared by every segue device in this Max (all of Live's devices):
// property "pN" holds the key of the device listening on port N ("" once it is free).
var REPLY_PORTS = new Global("segue_reply_ports");
var instanceKey = "segue-" + Math.floor(Math.random() * 1e9) + "-" + new Date().getTime();
var replyPort = 0;          // the port this device's udpreceive listens on
var sentTokens = [];        // ids of this device's latest pings
var sharedPort = 0;         // a reply port found shared with another client

var linkTask = new Task(onLinkTimer, this);
var requestTask = new Task(onRequestTimer, this);
var writeTask = new Task(onWriteTimer, this);
var uploadTask = new Task(onUploadTimer, this);
var learnTask = new Task(onLearnTimer, this);
var learnWatch = new Task(onLearnSilence, this);
var resultHold = new Task(onResultHold, this);
var holdingResult = false;  // a request's outcome is on the status line (RESULT_HOLD_MS)


// -- errors ----------------------------------------------------------------------------------

// Something the musician can fix (no clip selected, an audio clip, too many notes).
function UserError(message) {
    this.message = message;
}

// Live answered something this device did not expect: a guess about Live or Max was wrong.
function LiveError(message) {
    this.message = message;
}

// A failure as the status line says it ("Live: ..." for an unexpected answer from Live,
// which also goes to the Max window, as an internal error does with its stack).
function failureText(e) {
    if (e instanceof UserError) {
        return e.message;
    }
    if (e instanceof LiveError) {
        post("segue: unexpected answer from Live: " + e.message + "\n");
        return "Live: " + e.message;
    }
    post("segue: internal error: " + (e && e.stack ? e.stack : String(e)) + "\n");
    return "internal error: " + (e && e.message ? e.message : String(e));
}

// Runs an action; any failure ends as a status line (and a post to the Max window),
// never as an exception into Max.
function guard(action) {
    try {
        action();
    } catch (e) {
        setStatus(failureText(e));
    }
}


// -- small helpers ---------------------------------------------------------------------------

// The nearest tick to a time in beats, as the bridge rounds it (segue.grid.to_ticks): a
// half tick, to within HALF_TICK_SLACK (or float32's rounding of a late time), rounds up
// (as float32 it may lie just below).
var HALF_TICK_SLACK = 1e-3;
var FLOAT32_SLACK = 2.4e-7;
function toTicks(beats) {
    var ticks = beats * TICKS_PER_BEAT;
    return Math.floor(ticks + 0.5 + Math.max(HALF_TICK_SLACK, Math.abs(ticks) * FLOAT32_SLACK));
}

function snap(beats) {
    return toTicks(beats) / TICKS_PER_BEAT;
}


// A time as it came (from Live, or from the bridge as float32): on the grid where it lies
// within a float's rounding of a tick (1/3 as 0.33333334), else as it is (a swing between
// the ticks, a played take).
function nearGrid(beats) {
    var ticks = beats * TICKS_PER_BEAT;
    var tick = Math.floor(ticks + 0.5);
    var slack = Math.max(1e-3, Math.abs(ticks) * FLOAT32_SLACK);  // ticks: float32's rounding
    return Math.abs(ticks - tick) <= slack ? tick / TICKS_PER_BEAT : beats;
}

// A number as float32 holds it (Math.fround, which Max's ES5 JavaScript lacks): 24 bits of
// mantissa, halves to even.
function float32(x) {
    if (x === 0 || !isFinite(x)) {
        return x;
    }
    var a = Math.abs(x);
    var e = Math.floor(Math.log(a) / Math.LN2);
    if (Math.pow(2, e) > a) {
        e--;
    } else if (Math.pow(2, e + 1) <= a) {
        e++;
    }
    var step = Math.pow(2, Math.max(e, -126) - 23);
    var m = a / step;
    var r = Math.floor(m);
    if (m - r > 0.5 || (m - r === 0.5 && r % 2 === 1)) {
        r++;
    }
    return (x < 0 ? -r : r) * step;
}

// Whether a note's start and length, sent as float32, snap at the bridge to these ticks.
function keepsTicks(start, length, onTick, offTick) {
    var start32 = float32(start);
    return toTicks(start32) === onTick && toTicks(start32 + float32(length)) === offTick;
}

function nextId() {
    lastId = lastId >= MAX_ID ? 1 : lastId + 1;
    return lastId;
}

function isWhole(x) {
    return typeof x === "number" && isFinite(x) && Math.floor(x) === x;
}

function formatTemperature(t) {
    var r = Math.round(t * 100) / 100;
    return Math.floor(r) === r ? r.toFixed(1) : String(r);
}

function setStatus(text) {
    lastStatus = text;
    outlet(OUTLET_STATUS, "set", text);
}

function sendOsc() {
    outlet(OUTLET_OSC, arrayfromargs(arguments));
}

// "1 clip", "2 clips".
function counted(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
}

function noBridgeText() {
    return "no bridge on " + BRIDGE_HOST + ":" + settings.bridge_port +
        ": start it with `segue serve` (replies come back to port " + replyPort + ")";
}

function isRelease(args) {
    // A button's release (0); a bang or 1 is a press.
    return args.length > 0 && typeof args[0] === "number" && args[0] === 0;
}


// -- Live ------------------------------------------------------------------------------------

function liveObject(path) {
    return new LiveAPI(null, path);
}

function idOf(api, what) {
    var id = Number(api.id);
    if (isNaN(id)) {
        throw new LiveError("the id of " + what + " is '" + api.id + "', not a number");
    }
    return id;
}

function pathOf(api) {
    var path = api.unquotedpath;
    if (typeof path !== "string" || path === "") {
        path = String(api.path || "").replace(/"/g, "");
    }
    return path;
}

function values(api, property) {
    var value = api.get(property);
    if (value === undefined || value === null) {
        throw new LiveError("no value for '" + property + "' of " + pathOf(api));
    }
    if (typeof value !== "object" || typeof value.length !== "number") {
        return [value];
    }
    if (value.length === 0) {
        throw new LiveError("an empty answer for '" + property + "' of " + pathOf(api));
    }
    return value;
}

function getNumber(api, property) {
    var value = values(api, property);
    var number = Number(value[0]);
    if (value.length !== 1 || isNaN(number)) {
        throw new LiveError("'" + property + "' of " + pathOf(api) + " is '" +
                            Array.prototype.join.call(value, " ") + "', not a number");
    }
    return number;
}

// A number Live may not report (a property newer than this Live): null when it does not,
// and the Max Console says so ("segue: no scale_mode in live_set (...)"), with what the
// device does instead.
function reportedNumber(api, property, where, instead) {
    try {
        return getNumber(api, property);
    } catch (e) {
        if (!(e instanceof LiveError)) {
            throw e;
        }
        post("segue: no " + property + " in " + where + " (" + e.message + ")" +
             (instead ? "; " + instead : "") + "\n");
        return null;
    }
}

// A boolean property, as Live gives them ([0] or [1]); any other answer stops the action.
function getFlag(api, property) {
    return asFlag(api, property, getNumber(api, property));
}

function asFlag(api, property, value) {
    if (value !== 0 && value !== 1) {
        throw new LiveError("'" + property + "' of " + pathOf(api) + " is " + value +
                            ", not 0 or 1");
    }
    return value === 1;
}

function getText(api, property) {
    var value;
    try {
        value = api.get(property);
    } catch (e) {
        throw new LiveError("cannot read '" + property + "' of " + pathOf(api));
    }
    if (value === undefined || value === null) {
        return "";
    }
    if (typeof value === "object" && typeof value.length === "number") {
        value = Array.prototype.join.call(value, " ");
    }
    return String(value).replace(/^"(.*)"$/, "$1");
}

// The notes of a get_*_notes_extended call: a JSON string {"notes": [...]} in classic js.
function notesOf(answer, call) {
    var parsed = answer;
    if (typeof answer === "string") {
        try {
            parsed = JSON.parse(answer);
        } catch (e) {
            throw new LiveError(call + " returned text that is not JSON: " +
                                answer.slice(0, 60));
        }
    }
    if (!parsed || typeof parsed !== "object" || !parsed.notes ||
            typeof parsed.notes.length !== "number") {
        throw new LiveError(call + " returned " + String(answer).slice(0, 60) +
                            " (this device needs Live 11 or newer)");
    }
    return parsed.notes;
}

// The semitones of Live's scale (Song.scale_intervals), or null when Live's answer is not
// a rising list of whole numbers from 0 below 12 (then the scale's name goes instead).
function scaleSteps(song) {
    var value = null;
    try {
        value = song.get("scale_intervals");
    } catch (e) {
        value = null;
    }
    var steps = [];
    var i;
    for (i = 0; value && typeof value === "object" && i < value.length; i++) {
        steps.push(Number(value[i]));
    }
    var fine = steps.length > 0 && steps[0] === 0 && steps[steps.length - 1] < 12;
    for (i = 0; i < steps.length; i++) {
        fine = fine && isWhole(steps[i]) && (i === 0 || steps[i] > steps[i - 1]);
    }
    if (!fine) {
        post("segue: Live's scale_intervals is '" + String(value) + "'; the scale goes to " +
             "the bridge by its name\n");
        return null;
    }
    return steps;
}

// Key lock "live": the set's scale while its Scale Mode is on (Live 12's Song root_note,
// scale_name, scale_intervals, scale_mode). Returns {key: text for the bridge, label: text
// for the status line}. The bridge gets Live's own semitones ("D 0,2,3,5,7,9,10"), so any
// scale Live offers locks right; without them, the scale's name, which the bridge reads or
// refuses with an error the status line shows.
function liveScale() {
    var song = liveObject("live_set");
    var mode = reportedNumber(song, "scale_mode", "live_set", "");
    if (mode === null) {
        return {key: "off", label: "no key lock (this Live reports no Scale Mode)"};
    }
    if (mode !== 1) {
        return {key: "off", label: ""};
    }
    var root = getNumber(song, "root_note");
    if (!isWhole(root) || root < 0 || root > 11) {
        throw new LiveError("root_note of live_set is " + root + ", not a pitch class 0-11");
    }
    var name = getText(song, "scale_name");
    var tonic = PITCH_NAMES[root];
    var steps = scaleSteps(song);
    if (!steps && !name) {
        throw new LiveError("live_set has Scale Mode on but neither scale_intervals nor " +
                            "scale_name");
    }
    return {key: tonic + " " + (steps ? steps.join(",") : name),
            label: "key " + tonic + " " + (name || steps.join(",")) + " (Live's scale)"};
}

// The key lock of a request: {key, label} as liveScale returns them. A drum part has none:
// the drum model ignores the key (model/generate.py: "its notes are pads: no key").
function keyLock(seed) {
    var mode = KEY_MODES[settings.key] || "off";
    if (seed.drums) {
        return {key: "off", label: ""};
    }
    if (mode === "live") {
        return liveScale();
    }
    // Key lock "auto" detects the key from the seed's notes; with none, it is off.
    return {key: mode === "auto" && seed.notes.length > 0 ? "auto" : "off", label: ""};
}

// Whether a track is frozen: Live writes no clip there (create_clip makes none) until the
// producer unfreezes it. Track.is_frozen is in Cycling '74's LOM reference (1 while frozen);
// the project's reference notes do not mention it, so its answer is a guess: [0] or [1], as
// Live's other booleans (has_clip, looping) come. Anything else stops with "Live: ...".
function isFrozen(track) {
    return getFlag(track, "is_frozen");
}

// What the producer reads when the track to write to is frozen.
function frozenText(trackName) {
    return "track '" + trackName + "' is frozen: unfreeze it to write clips there";
}

// Where a clip lives, from its canonical path.
function clipPlace(path) {
    var session = /^live_set tracks (\d+) clip_slots (\d+) clip$/.exec(path);
    if (session) {
        return {track: Number(session[1]), slot: Number(session[2]), arrangement: false};
    }
    var other = /^live_set tracks (\d+) /.exec(path);
    if (other) {
        return {track: Number(other[1]), slot: -1, arrangement: true};
    }
    throw new LiveError("the selected clip has the path '" + path +
                        "'; this device expects 'live_set tracks N ...'");
}

// The seed: the notes that play (neither muted nor of probability 0) starting inside
// [from, from + length), moved to start at 0, on the grid, each ending by the end of the
// window (the length snapped to the grid), velocity 1..127. Returns {notes, length, muted,
// silent, outside}: silent counts the notes of probability 0.
function seedNotes(raw, from, length, lead) {
    var notes = [];
    var muted = 0;
    var silent = 0;
    var outside = 0;
    var lengthTicks = Math.max(1, toTicks(length));
    var i;
    for (i = 0; i < raw.length; i++) {
        var n = raw[i];
        if (!n || typeof n.pitch !== "number" || typeof n.start_time !== "number" ||
                typeof n.duration !== "number" || typeof n.velocity !== "number") {
            throw new LiveError("a note without numeric pitch, start_time, duration and " +
                                "velocity: " + JSON.stringify(n).slice(0, 80));
        }
        if (n.mute) {
            muted++;
            continue;
        }
        // Live 11's note field probability (0-1; the LOM reference's note dictionaries):
        // 0 never plays. A note without the field (older Live) plays.
        if (typeof n.probability === "number" && n.probability <= 0) {
            silent++;
            continue;
        }
        var start = n.start_time - from;
        if (start < 0 || start >= length) {
            outside++;
            continue;
        }
        var cut = lengthTicks;  // where the note stops: the loop's end, or where it wraps
        if (lead) {  // the loop turned to begin on a bar line (clipRegion)
            if (start >= length - lead) {
                start += lead - length;
                cut = toTicks(lead);
            } else {
                start += lead;
            }
        }
        var onTick = toTicks(start);
        var ticks = Math.min(onTick, lengthTicks - 1);
        var end = start + n.duration;
        var offTick = toTicks(end);
        var endTicks = Math.min(offTick, cut);
        var durationTicks = Math.max(1, endTicks - ticks);
        var note = {
            pitch: Math.round(n.pitch),
            start: ticks / TICKS_PER_BEAT,
            duration: durationTicks / TICKS_PER_BEAT,
            velocity: Math.max(1, Math.min(127, Math.round(n.velocity)))
        };
        // The times as played, sent where, as float32, they snap to the same ticks (the
        // bridge snaps them as this does, and the continuation plays with the swing or
        // the feel); within float32's rounding of half a tick they could snap to the other.
        if (onTick === ticks && offTick === ticks + durationTicks) {
            var playedStart = nearGrid(start);
            var playedEnd = nearGrid(end);
            var playedLength = playedStart === start && playedEnd === end ?
                n.duration : playedEnd - playedStart;  // Live's own if it can
            if ((playedStart !== note.start || playedEnd !== note.start + note.duration) &&
                    keepsTicks(playedStart, playedLength, onTick, offTick)) {
                note.played = [playedStart, playedLength];
            }
        }
        notes.push(note);
    }
    notes.sort(function (a, b) {
        return a.start - b.start || a.pitch - b.pitch;
    });
    return {notes: notes, length: lengthTicks / TICKS_PER_BEAT, muted: muted, silent: silent,
            outside: outside};
}

// The part of a clip that plays (its loop when looping, else from its start marker) and
// its meter: {length, from, lead, looping, numerator, denominator}. A launched clip plays
// from its start marker on a bar line, so a loop of whole bars that starts a beat after it
// (start marker 0, loop 1-9) plays its beat 1 on a beat 2 of every bar after the first:
// its seed is the loop turned to begin on that bar line, its last `lead` beats first
// (beats 8-9, then 1-8), so the continuation keeps the clip's downbeats and its cycle
// (helper-48; padded with silence instead, it came back with holes and a 9-beat cycle,
// helper-52). `downbeat`: where bar 1 (the clip's beat 0, position 1.1.1) lies in the
// seed, where the part that plays begins before it (the start marker, or the loop, moved
// back before bar 1 to hold a pickup) and runs whole bars from it: the bridge hears the
// notes before it as a pickup, heard once, and goes on from bar 1 in its bars. Else null,
// and the bridge reads the notes as before (a clip turned by `lead` is never told one).
// segue live continue (AbletonOSC) turns a loop and tells bar 1 by the same rule
// (bridge/pickup_region.py: turned_by, turn, clip_downbeat; tests/test_device.py runs both).
function clipRegion(clip, what) {
    var length = getNumber(clip, "length");
    var looping = getNumber(clip, "looping") === 1;
    var from = getNumber(clip, looping ? "loop_start" : "start_marker");
    if (!(length > 0)) {
        throw new LiveError(what + "'s length is " + length);
    }
    var numerator = getNumber(clip, "signature_numerator");
    var denominator = getNumber(clip, "signature_denominator");
    var lead = 0;
    var bar = numerator * 4 / denominator;
    if (looping && bar > 0 && Math.abs(length / bar - Math.round(length / bar)) < 1e-6) {
        lead = (from - getNumber(clip, "start_marker")) % bar;
        lead = lead < 0 ? lead + bar : lead;
        lead = lead < 1e-6 || bar - lead < 1e-6 ? 0 : lead;
    }
    return {length: length, from: from, lead: lead, looping: looping,
            numerator: numerator, denominator: denominator,
            downbeat: lead ? null : pickupDownbeat(from, length, bar)};
}

// Where bar 1 (beat 0) lies in the part of a clip that plays from `from` for `length`
// beats, in bars of `bar` beats: -from where it begins before bar 1 and whole bars (one or
// more) follow bar 1 to its end (a 4-bar loop after a pickup of a beat and a half: from
// -1.5, 17.5 beats long, bar 1 at 1.5); null otherwise: a part that begins on or after bar
// 1, or whose end leaves no whole bars after it, says nothing, and is read as before.
// segue live continue (AbletonOSC) tells it by the same rule: bridge/pickup_region.py, its
// twin; tests/test_device.py runs both on the same clips.
function pickupDownbeat(from, length, bar) {
    if (!(bar > 0) || !(from < -1e-6) || -from > length - bar + 1e-6) {
        return null;
    }
    var bars = (length + from) / bar;
    return Math.abs(bars - Math.round(bars)) < 1e-6 ? snap(-from) : null;
}

// The clip in the Clip View, read into a seed (never written to).
function readSeed() {
    var clip = liveObject("live_set view detail_clip");
    if (idOf(clip, "live_set view detail_clip") === 0) {
        throw new UserError("no clip selected: click a MIDI clip so that it shows in the " +
                            "Clip View, then press Continue");
    }
    if (getNumber(clip, "is_midi_clip") !== 1) {
        throw new UserError("the selected clip is an audio clip: select a MIDI clip");
    }
    var place = clipPlace(pathOf(clip));
    var trackPath = "live_set tracks " + place.track;
    var track = liveObject(trackPath);
    if (isFrozen(track)) {  // its clips could be read, but none written: ask nothing
        throw new UserError(frozenText(getText(track, "name")));
    }
    var region = clipRegion(clip, "the selected clip");
    var span = region.looping ? "loop" : "clip's markers";
    var selected = notesOf(clip.call("get_selected_notes_extended"),
                           "get_selected_notes_extended");
    if (selected.length === 0 && region.length > MAX_SEED_BEATS) {
        throw new UserError("the clip's " + span + " is " + region.length + " beats long; " +
                            "the bridge takes at most " + MAX_SEED_BEATS + ": select the " +
                            "notes of a part of it, or shorten the " + span);
    }
    var all = seedNotes(notesOf(clip.call("get_notes_extended", 0, 128, region.from,
                                          region.length), "get_notes_extended"),
                        region.from, region.length, region.lead);
    var read = all;
    var which = "all";
    var bars = null;
    if (selected.length > 0) {
        which = "selected";
        read = seedNotes(selected, region.from, region.length, region.lead);
        if (read.notes.length === 0) {
            // Selected notes, none of which plays inside the loop: no continuation from
            // silence (the clip has notes); say why, and what to do.
            throw new UserError((selected.length === 1 ? "the selected note is" : "all " +
                                 counted(selected.length, "selected note") + " are") +
                                " left out (" + leftOut(read, span) + "): select notes " +
                                "inside the " + span + " that play, or clear the selection " +
                                "to continue the whole clip");
        }
        if (read.notes.length < all.notes.length) {
            bars = selectedBars(read.notes, region);
            read = withinBars(read, bars);
        }
    }
    var length = read.length;
    if (length > MAX_SEED_BEATS) {
        throw new UserError("the selected notes span " + length + " beats; the bridge takes " +
                            "at most " + MAX_SEED_BEATS + ": select fewer bars");
    }
    if (read.notes.length > MAX_SEED_NOTES) {
        throw new UserError("the clip has " + read.notes.length + " notes; the bridge takes " +
                            "at most " + MAX_SEED_NOTES + " (select fewer)");
    }
    return {
        notes: read.notes,
        muted: read.muted,
        silent: read.silent,
        outside: read.outside,
        span: span,         // "loop" or "clip's markers": where the seed's notes come from
        which: which,
        bars: bars,         // part of the clip selected: the bars its notes span, else null
        // where bar 1 lies in the seed (a pickup before it), or null; of a part of the
        // clip selected, where it lies in those bars (selectedBars)
        downbeat: bars ? bars.downbeat : region.downbeat,
        length: length,
        numerator: region.numerator,
        denominator: region.denominator,
        sourceName: getText(clip, "name"),
        // Where the new clips go is found again by these ids when they are written: the
        // set may change while the bridge generates (a track inserted above moves this
        // one's path, not its id).
        trackId: idOf(track, trackPath),
        clipId: idOf(clip, "live_set view detail_clip"),
        trackPath: trackPath,
        drums: trackDrums(trackPath),
        trackName: getText(track, "name"),
        firstSlot: place.arrangement ? 0 : place.slot + 1,
        arrangement: place.arrangement
    };
}

// A selection of part of the clip is continued as the bars its notes start in: notes
// selected in bar 2 of a 4-bar loop are a 1-bar seed, not a bar of notes and 12 beats of
// silence (which the continuation would copy). The bars are Live's, counted from bar 1
// where the region tells one after a pickup (region.downbeat), the pickup before it; else
// from the region's start. A selection of the pickup and the bars after it is a seed from
// the pickup with bar 1 where Live's is (its `downbeat`, by the whole clip's rule,
// pickupDownbeat); a selection from bar 2 begins on Live's bar 2, not 1.5 beats before it.
// {from, length} in beats from the region's start, {first, last, of} Live's bars counted
// from 1 for the status line (last 0: the pickup alone), and `downbeat` or null.
function selectedBars(notes, region) {
    var bar = region.numerator * 4 / region.denominator;
    var shift = region.downbeat || 0;  // where Live's bar 1 lies in the region
    var of = Math.max(1, Math.ceil((region.length - shift) / bar - 1e-9));
    var first = Math.floor((notes[0].start - shift) / bar + 1e-9);
    var last = first;
    var i;
    for (i = 0; i < notes.length; i++) {
        last = Math.max(last, Math.floor((notes[i].start - shift) / bar + 1e-9));
    }
    var from = snap(Math.max(0, shift + first * bar));  // the pickup from where it plays
    var length = snap(Math.min(region.length, shift + (last + 1) * bar)) - from;
    var bar1 = region.downbeat ? pickupDownbeat(region.from + from, length, bar) : null;
    return {from: from, length: length, first: Math.max(1, first + 1), last: last + 1,
            of: of, downbeat: bar1};
}

// A read seed's notes moved to start at the selected bars' start, each ending by their end.
function withinBars(read, bars) {
    var from = Math.round(bars.from * TICKS_PER_BEAT);
    var end = Math.round(bars.length * TICKS_PER_BEAT);
    var notes = [];
    var i;
    for (i = 0; i < read.notes.length; i++) {
        var n = read.notes[i];
        var start = Math.round(n.start * TICKS_PER_BEAT) - from;
        var whole = Math.round((n.start + n.duration) * TICKS_PER_BEAT) - from;
        var stop = Math.min(whole, end);
        var moved = {pitch: n.pitch, start: start / TICKS_PER_BEAT,
                     duration: Math.max(1, stop - start) / TICKS_PER_BEAT,
                     velocity: n.velocity};
        if (n.played && stop === whole && n.played[0] >= bars.from) {  // as played, moved
            moved.played = [n.played[0] - bars.from, n.played[1]];  // with the bars
        }
        notes.push(moved);
    }
    return {notes: notes, length: bars.length, muted: read.muted, silent: read.silent,
            outside: read.outside};
}

// What a seed left out, for the status line: "1 muted, 2 outside the loop".
function leftOut(read, span) {
    var parts = [];
    if (read.muted > 0) {
        parts.push(read.muted + " muted");
    }
    if (read.silent > 0) {
        parts.push(read.silent + " with probability 0");
    }
    if (read.outside > 0) {
        parts.push(read.outside + " outside the " + (span || "loop"));
    }
    return parts.join(", ");
}

// For Generate: the device's own track, from the selected scene down, in the set's meter.
function emptySeed() {
    var device = liveObject("this_device");
    var devicePath = pathOf(device);
    var track = /^live_set tracks (\d+)/.exec(devicePath);
    if (!track) {
        throw new LiveError("this device's path is '" + devicePath +
                            "'; expected 'live_set tracks N ...'");
    }
    var scene = liveObject("live_set view selected_scene");
    var sceneMatch = /^live_set scenes (\d+)$/.exec(pathOf(scene));
    if (!sceneMatch) {  // (unconfirmed: written from the top in the set's meter, silently)
        throw new LiveError("could not tell which scene is selected (its path is '" +
                            pathOf(scene) + "', not 'live_set scenes N'): click a scene's " +
                            "name and press Generate again; if it repeats, report it");
    }
    var song = liveObject("live_set");
    var meter = sceneMeter(scene);
    var numerator = meter ? meter.numerator : getNumber(song, "signature_numerator");
    var denominator = meter ? meter.denominator : getNumber(song, "signature_denominator");
    var trackPath = "live_set tracks " + track[1];
    var trackObject = liveObject(trackPath);
    if (isFrozen(trackObject)) {
        throw new UserError(frozenText(getText(trackObject, "name")));
    }
    return {
        notes: [],
        muted: 0,
        silent: 0,
        outside: 0,
        span: "",
        which: "none",
        sceneMeter: meter !== null,  // the selected scene's own time signature, not the set's
        length: snap(numerator * 4 / denominator),
        numerator: numerator,
        denominator: denominator,
        sourceName: "",
        trackId: idOf(trackObject, trackPath),
        clipId: 0,
        sceneId: idOf(scene, "live_set view selected_scene"),
        trackPath: trackPath,
        drums: trackDrums(trackPath),
        trackName: getText(trackObject, "name"),
        firstSlot: Number(sceneMatch[1]),
        arrangement: false
    };
}

// The selected scene's own time signature ({numerator, denominator}), or null when it has
// none (the set's then): Live 12's Scene time_signature_enabled, time_signature_numerator and
// time_signature_denominator (the LOM reference; -1 while off; producer-pal reads and
// writes them). A Live that reports no such property (Live 11) uses the set's, and the Max
// Console says so.
function sceneMeter(scene) {
    var enabled = reportedNumber(scene, "time_signature_enabled", "the scene",
                                 "Generate uses the set's time signature");
    if (enabled === null || !asFlag(scene, "time_signature_enabled", enabled)) {
        return null;
    }
    var numerator = getNumber(scene, "time_signature_numerator");
    var denominator = getNumber(scene, "time_signature_denominator");
    if (!isWhole(numerator) || numerator < 1 || numerator > 99 ||
            [1, 2, 4, 8, 16, 32].indexOf(denominator) < 0) {
        throw new LiveError(pathOf(scene) + " has its time signature on, but it is " +
                            numerator + "/" + denominator);
    }
    return {numerator: numerator, denominator: denominator};
}

// Where a request's clips go, found again when they are written: the track by the id it had
// when the seed was read (its path now), the first slot below the source clip by the clip's
// id (or the selected scene's, for Generate). Cycling '74's live.path reference: an object's
// id stays the same when a track is inserted before it, while its path changes; that
// "id N" of a deleted object leads nowhere (id 0, or no path) and that its unquotedpath is
// the canonical path now are guesses (public classic-js code reads the path of an
// "id N" that way). The path is checked back: it must lead to the same id, else the
// track counts as gone (a deleted track whose id still answered with its old path would
// otherwise send the clips to the track now there). A path of another kind stops with
// "Live: ...". Either way nothing is written. Returns {trackPath, trackName, firstSlot}.
function currentPlace(seed) {
    var track = liveObject("id " + seed.trackId);
    var path = idOf(track, "id " + seed.trackId) === 0 ? "" : pathOf(track);
    if (path !== "" && /^live_set tracks \d+$/.test(path) &&
            idOf(liveObject(path), path) !== seed.trackId) {
        post("segue: id " + seed.trackId + " answers with the path '" + path + "', which " +
             "leads to id " + liveObject(path).id + ": the track is taken for deleted\n");
        path = "";
    }
    if (path === "") {
        throw new UserError("track '" + seed.trackName + "' was deleted while the bridge " +
                            "generated: nothing was written (press Continue on a clip to " +
                            "try again)");
    }
    if (!/^live_set tracks \d+$/.test(path)) {
        throw new LiveError("track '" + seed.trackName + "' (id " + seed.trackId + ") is now " +
                            "at '" + path + "', not 'live_set tracks N'; nothing was written");
    }
    var firstSlot = seed.firstSlot;
    var ownId = seed.arrangement ? 0 : seed.clipId || seed.sceneId;
    if (ownId) {
        // The source clip (or the scene) may have moved down when scenes were inserted
        // above it; deleted (id 0) or elsewhere, its slot at the press counts.
        var own = liveObject("id " + ownId);
        var ownPath = idOf(own, "id " + ownId) === 0 ? "" : pathOf(own);
        if (ownPath !== "" && idOf(liveObject(ownPath), ownPath) !== ownId) {
            ownPath = "";  // the path leads to another object: taken for deleted
        }
        var slot = seed.clipId ?
            /^live_set tracks (\d+) clip_slots (\d+) clip$/.exec(ownPath) :
            /^live_set scenes (\d+)$/.exec(ownPath);
        if (slot && seed.clipId && "live_set tracks " + slot[1] === path) {
            firstSlot = Number(slot[2]) + 1;
        } else if (slot && !seed.clipId) {
            firstSlot = Number(slot[1]);
        }
    }
    return {trackPath: path, trackName: getText(track, "name"), firstSlot: firstSlot};
}

// Whether a Drum Rack plays the track: a device that can have drum pads, on the track or
// inside a rack at any depth (an Instrument Rack layering a Drum Rack), as producer-pal's
// isDrumRackForTrack searches: a device with can_have_chains 1, its chains, each chain's
// devices. Live sets can_have_drum_pads on a Drum Rack only. The paths inside a rack
// ("... devices I chains J devices K", the LOM's RackDevice.chains and Chain.devices) are a
// guess the reference does not state: a path that leads nowhere stops with "Live: ...".
function trackDrums(trackPath) {
    return devicesHoldDrumRack(trackPath, 0);
}

function countOf(api, child, path) {
    var count = Number(api.getcount(child));
    if (!isWhole(count) || count < 0) {
        throw new LiveError("getcount " + child + " of " + path + " is '" +
                            api.getcount(child) + "'");
    }
    return count;
}

// The devices of a track or chain (at `path`): does one of them hold a Drum Rack?
function devicesHoldDrumRack(path, depth) {
    var owner = liveObject(path);
    if (idOf(owner, path) === 0) {
        throw new LiveError("no object at '" + path + "' (looking for a Drum Rack)");
    }
    if (depth > MAX_RACK_DEPTH) {
        throw new LiveError("racks nested deeper than " + MAX_RACK_DEPTH + " at '" + path + "'");
    }
    var count = countOf(owner, "devices", path);
    var i;
    var j;
    for (i = 0; i < count; i++) {
        var devicePath = path + " devices " + i;
        var device = liveObject(devicePath);
        if (idOf(device, devicePath) === 0) {
            throw new LiveError("no device at '" + devicePath + "' (looking for a Drum Rack)");
        }
        if (getNumber(device, "can_have_drum_pads") === 1) {
            return true;
        }
        if (getNumber(device, "can_have_chains") === 1) {
            var chains = countOf(device, "chains", devicePath);
            for (j = 0; j < chains; j++) {
                if (devicesHoldDrumRack(devicePath + " chains " + j, depth + 1)) {
                    return true;
                }
            }
        }
    }
    return false;
}

function hasClip(trackPath, index) {
    return getNumber(liveObject(trackPath + " clip_slots " + index), "has_clip") === 1;
}

function slotCount(track) {
    var count = Number(track.getcount("clip_slots"));
    if (!isWhole(count) || count < 0) {
        throw new LiveError("getcount clip_slots of " + pathOf(track) + " is '" + count + "'");
    }
    return count;
}

// `needed` empty slots of the track from slot `first` down, adding scenes at the end of the
// set when there are too few. Returns {slots: [index...], scenesAdded: n}.
function findEmptySlots(trackPath, first, needed) {
    var track = liveObject(trackPath);
    if (idOf(track, trackPath) === 0) {
        throw new UserError("the track of the selected clip is gone; nothing was written");
    }
    var count = slotCount(track);
    var slots = [];
    var i;
    for (i = first; i < count && slots.length < needed; i++) {
        if (!hasClip(trackPath, i)) {
            slots.push(i);
        }
    }
    var added = 0;
    var song = null;
    while (slots.length < needed) {
        if (added >= MAX_NEW_SCENES) {
            break;
        }
        song = song || liveObject("live_set");
        song.call("create_scene", -1);
        added++;
        var now = slotCount(track);
        if (now <= count) {
            throw new LiveError("create_scene -1 added no clip slot to " + trackPath +
                                " (" + slots.length + " of " + needed + " empty slots found)");
        }
        for (i = count; i < now && slots.length < needed; i++) {
            if (!hasClip(trackPath, i)) {
                slots.push(i);
            }
        }
        count = now;
    }
    return {slots: slots, scenesAdded: added};
}

// "Riff - segue 2 (t 0.9)" for a continuation of "Riff"; "segue new 1 (t 1.0)" from nothing.
// A continuation of "Riff - segue 1 (t 1.0)" is named after "Riff": the suffixes this
// function writes are taken off first, so names do not grow.
var NAME_SUFFIX = /( - segue \d+ \(t \d+(\.\d+)?(, \d+ of \d+ notes arrived)?\))+$/;

function clipName(job, index, temperature, lost) {
    var label = (job.kind === "generate" ? "segue new " : "segue ") + (index + 1) +
        " (t " + formatTemperature(temperature) + (lost ? ", " + lost + " arrived" : "") + ")";
    var source = job.seed.sourceName.replace(NAME_SUFFIX, "");
    return source ? source + " - " + label : label;
}

// One variation into a new clip in an empty slot of the track at `place` ({trackPath,
// trackName}). Returns a warning, or "".
function writeClip(place, slotIndex, variation, name, meter) {
    var slotPath = place.trackPath + " clip_slots " + slotIndex;
    var slot = liveObject(slotPath);
    slot.call("create_clip", variation.length);
    var clip = liveObject(slotPath + " clip");
    if (idOf(clip, slotPath + " clip") === 0) {
        // The track was checked just before writing; should Live freeze it in between:
        if (isFrozen(liveObject(place.trackPath))) {
            throw new UserError(frozenText(place.trackName));
        }
        throw new LiveError("create_clip made no clip in slot " + (slotIndex + 1) +
                            " (the track is not frozen)");
    }
    clip.set("name", name);
    var meterWarning = setMeter(clip, meter, name);
    var notes = [];
    var i;
    for (i = 0; i < variation.notes.length; i++) {
        var n = variation.notes[i];
        notes.push({pitch: n.pitch, start_time: n.start, duration: n.duration,
                    velocity: n.velocity, mute: 0});
    }
    if (notes.length > 0) {
        // Classic js hands Live a dictionary as JSON text (as public classic-js code does).
        clip.call("add_new_notes", JSON.stringify({notes: notes}));
    }
    var back = notesOf(clip.call("get_notes_extended", 0, 128, 0, variation.length),
                       "get_notes_extended");
    if (back.length !== notes.length) {
        return "Live kept " + back.length + " of " + notes.length + " notes in '" + name + "'" +
            (meterWarning ? "; " + meterWarning : "");
    }
    return meterWarning;
}

// A new clip takes the song's time signature; a continuation is in its seed clip's (a 7/8
// riff in a 4/4 set): the new clip is given that one, and read back, so that a Live that
// keeps the song's says so in the status line. Returns "" or that warning.
function setMeter(clip, meter, name) {
    var wanted = meter.numerator + "/" + meter.denominator;
    var has = function () {
        return getNumber(clip, "signature_numerator") + "/" +
            getNumber(clip, "signature_denominator");
    };
    if (has() === wanted) {
        return "";
    }
    clip.set("signature_numerator", meter.numerator);
    clip.set("signature_denominator", meter.denominator);
    var now = has();
    return now === wanted ? "" : "Live kept " + now + " for '" + name + "' (its notes are in " +
        wanted + ")";
}


// -- the bridge ------------------------------------------------------------------------------

function sendReplyTo() {
    sendOsc("/segue/reply_to", replyPort);
}

// Claims the first reply port from the Reply port setting up that no other segue device
// in this Max listens on.
function claimReplyPort() {
    releaseReplyPort();
    var port;
    for (port = settings.reply_port; port <= 65535; port++) {
        var owner = REPLY_PORTS["p" + port];
        if (!owner || owner === instanceKey) {
            REPLY_PORTS["p" + port] = instanceKey;
            replyPort = port;
            return;
        }
    }
    replyPort = settings.reply_port;
}

function releaseReplyPort() {
    if (replyPort && REPLY_PORTS["p" + replyPort] === instanceKey) {
        REPLY_PORTS["p" + replyPort] = "";
    }
}

function configurePorts() {
    claimReplyPort();
    outlet(OUTLET_OSC, "port", settings.bridge_port);
    outlet(OUTLET_RECEIVE, "port", replyPort);
    outlet(OUTLET_OSC, "maxqueuesize", MAX_QUEUE);
    outlet(OUTLET_RECEIVE, "maxqueuesize", MAX_QUEUE);
}

// A ping's id: remembered, so that a pong for a ping of another client (its replies
// reaching this device's port too) is noticed.
function pingToken(id) {
    sentTokens.push(id);
    if (sentTokens.length > RECENT_TOKENS) {
        sentTokens.shift();
    }
    return id;
}

function isOwnToken(token) {
    var i;
    for (i = 0; i < sentTokens.length; i++) {
        if (sentTokens[i] === token) {
            return true;
        }
    }
    return false;
}

// Another client's replies arrive on this device's reply port (another program, or a
// segue device in another Max, listens there too): say so, once per port.
function warnSharedPort() {
    post("segue: replies for another client arrive on port " + replyPort + "\n");
    if (sharedPort !== replyPort) {
        sharedPort = replyPort;
        setStatus("replies for another program also arrive on port " + replyPort + ": give " +
                  "this device another Reply port");
    }
}

// Ping the bridge to learn whether it is there (while no request is in flight).
function checkLink() {
    if (!started || request) {
        return;
    }
    link.token = pingToken(nextId());
    if (link.state !== "connected") {
        link.state = "checking";
    }
    sendReplyTo();
    sendOsc("/segue/ping", link.token, replyPort);
    linkTask.cancel();
    linkTask.schedule(PING_TIMEOUT_MS);
    link.waiting = true;
}

function onLinkTimer() {
    if (!started) {
        return;
    }
    if (link.waiting) {
        link.waiting = false;
        var was = link.state;
        link.state = "absent";
        if (learning && learning.phase !== "ping") {
            learnLost();
        } else if (!request && (was !== "absent" || lastStatus !== noBridgeText())) {
            setStatus(noBridgeText());
        }
        linkTask.cancel();
        linkTask.schedule(RETRY_MS);
        return;
    }
    checkLink();
}

function connected(version, model) {
    var was = link.state;
    link.state = "connected";
    link.version = String(version);
    link.model = String(model);
    if (modelsWanted || modelNames.length === 0) {  // at each pong until a whole list came
        askModels();
    }
    if (was !== "connected" && !request && sharedPort !== replyPort) {
        setStatus("connected to segue " + link.version + " (default model " + link.model +
                  "), replies on port " + replyPort + ": select a MIDI clip and press Continue");
    }
}

function onPong(args) {
    var token = args[0];
    if (!isOwnToken(token)) {
        warnSharedPort();
        return;
    }
    if (learning && learning.phase === "ping" && token === learning.id) {
        beginLearnUpload(args);
        return;
    }
    learnRestarted(args[4]);
    if (onProbePong(token, args[4])) {
        return;
    }
    if (request && request.phase === "ping" && token === request.id) {
        request.instance = isWhole(args[4]) ? args[4] : 0;  // (a bridge before 0.1: none)
        connected(args[1], args[2]);
        request.phase = "upload";
        uploadSeed(request);
        watchRequest();
        return;
    }
    if (token === link.token && link.waiting) {
        link.waiting = false;
        connected(args[1], args[2]);
        if (!modelsWanted) {  // the list again at each heartbeat: a model tuned or removed
            askModels();      // meanwhile (`segue tune`, `segue models remove`) shows
        }
        linkTask.cancel();
        linkTask.schedule(HEARTBEAT_MS);
    }
}

function askModels() {
    modelsWanted = true;  // until a whole list came (connected() asks again at each pong)
    modelsIncoming = [];
    sendOsc("/segue/models");
}

// The list comes one name a message, each with its index, then the count: a list with a
// name lost on the way is not taken (the next pong asks again), and a list asked twice
// fills the same places.
function onModelsItem(args) {
    if (modelsIncoming !== null && isWhole(args[0]) && args[0] >= 0 && args[0] < 1024 &&
            typeof args[1] === "string") {
        modelsIncoming[args[0]] = args[1];
    }
}

function onModelsEnd(args) {
    if (modelsIncoming === null) {
        return;
    }
    var names = modelsIncoming;
    modelsIncoming = null;
    var i;
    for (i = 0; i < names.length; i++) {
        if (typeof names[i] !== "string") {
            return;
        }
    }
    if (names.length !== args[0]) {
        return;
    }
    modelsWanted = false;
    var was = settings.model > 0 && settings.model <= modelNames.length ?
        modelNames[settings.model - 1] : "";
    var same = names.join("\n") === modelNames.join("\n");
    modelNames = names;
    if (!same) {
        outlet(OUTLET_MENU, ["_parameter_range", DEFAULT_MODEL_ITEM].concat(modelNames));
    }
    followModel(was);
    placeRestoredModel();
    rememberModel();
}

// The menu keeps its item's place, not its name: a model added or gone before it (another
// device's Learn, helper-64) makes the same place another model. The menu follows its model
// to its new place; a model gone from the list is asked again (chosenModel).
function followModel(was) {
    if (!was || modelNames[settings.model - 1] === was) {
        return;
    }
    var place = modelNames.indexOf(was) + 1;
    if (place === 0) {
        modelMoved = was;
        return;
    }
    settings.model = place;
    outlet(OUTLET_MENU, "set", place);
}

// The set's model, by name, decides the menu's place once the bridge's list has come: the
// place Live restored may now hold another model. A name the list lacks is not guessed at.
function placeRestoredModel() {
    if (!restoredModel || modelNames.length === 0) {
        return;
    }
    var name = restoredModel;
    var place = name === DEFAULT_MODEL_ITEM ? 0 : modelNames.indexOf(name) + 1;
    if (place === 0 && name !== DEFAULT_MODEL_ITEM) {
        if (modelLost !== name) {
            modelLost = name;
            if (!request) {
                setStatus(modelLostText());
            }
        }
        return;
    }
    restoredModel = "";
    modelLost = "";
    modelMoved = "";  // the name says where the model is now
    if (place !== settings.model) {
        settings.model = place;
        outlet(OUTLET_MENU, "set", place);
    }
}

function modelLostText() {
    return "this set chose the model '" + modelLost + "', which the bridge does not have: " +
        "choose a model in the Model menu";
}

// The [pattr] names the menu's model, for the set to save; not while the set's own name
// waits for the list or for the musician (that name stays saved until a model is chosen).
function rememberModel() {
    if (!started || modelNames.length === 0 || restoredModel || modelMoved) {
        return;  // (before init, Live may not have restored the [pattr] yet)
    }
    var name = chosenModel();
    if (name === null) {
        return;
    }
    name = name || DEFAULT_MODEL_ITEM;
    if (name !== savedModel) {
        savedModel = name;
        outlet(OUTLET_SAVED, "set", SAVED_PREFIX + name);
    }
}

// The model the Model menu names ("" for the bridge's default), or null while the bridge's
// list, which gives the menu's items their names, has not arrived.
function chosenModel() {
    if (modelMoved || (restoredModel && restoredModel !== DEFAULT_MODEL_ITEM)) {
        return null;
    }
    if (settings.model <= 0) {
        return "";
    }
    if (settings.model <= modelNames.length) {
        return modelNames[settings.model - 1];
    }
    return modelNames.length ? "" : null;
}

function startRequest(job) {
    var lock = keyLock(job.seed);
    if (request) {
        sendOsc("/segue/cancel", request.id);
    }
    writeTask.cancel();
    uploadTask.cancel();
    linkTask.cancel();
    link.waiting = false;
    request = {
        id: pingToken(nextId()),
        job: job,
        phase: "ping",
        params: {
            temperature: settings.temperature,
            bars: settings.bars,
            variations: settings.variations,
            memory: settings.memory,
            top_k: settings.top_k,
            fills: FILLS_MODES[settings.fills] || "none",
            key: lock.key,
            model: "",  // the Model menu's, named when the seed is stored (sendGenerate)
            drums: job.seed.drums ? 1 : 0
        },
        keyLabel: lock.label,
        variations: [],
        done: null,
        heard: 0,    // replies to this request so far
        watched: 0   // ... when its watch last began
    };
    sendReplyTo();
    sendOsc("/segue/ping", request.id, replyPort);
    requestTask.cancel();
    requestTask.schedule(PING_TIMEOUT_MS);
    setStatus(describeSeed(job) + (job.seed.drums ? " as drums (the track has a Drum Rack: " +
              "no key lock)" : " as a melodic part" + (lock.label ? ", " + lock.label : "")) +
              ": asking the bridge...");
}

// "7 notes", "2 selected notes (bar 2 of 4; 1 muted left out)", "from nothing".
function describeSeed(job) {
    var seed = job.seed;
    if (job.kind === "generate") {
        return "from nothing" + (seed.sceneMeter ? " in the scene's " + seed.numerator + "/" +
                                 seed.denominator : "");
    }
    var skipped = leftOut(seed, seed.span);
    var notes = [];
    if (seed.bars && seed.bars.last < 1) {  // the pickup before bar 1, nothing after it
        notes.push("the pickup before bar 1");
    } else if (seed.bars) {  // part of the clip selected: the bars it spans are the seed
        notes.push((seed.bars.first === seed.bars.last ? "bar " + seed.bars.first
                    : "bars " + seed.bars.first + "-" + seed.bars.last) + " of " + seed.bars.of);
    }
    if (skipped) {
        notes.push(skipped + " left out");
    }
    if (seed.downbeat) {  // the start marker before bar 1: a pickup, heard once
        notes.push("a pickup of " + counted(seed.downbeat, "beat") + " before bar 1");
    }
    var text = counted(seed.notes.length, (seed.which === "selected" ? "selected " : "") +
                       "note") + (notes.length ? " (" + notes.join("; ") + ")" : "");
    if (seed.notes.length === 0) {
        text = skipped ? "no notes that play in the clip (" + skipped + " left out): " +
            "continuing from silence" : "no notes in the clip (continuing from silence)";
    }
    // the clip by its name, so a producer sees which clip was read (the Detail View's)
    var name = seed.sourceName ? "'" + seed.sourceName + "': " : "";
    return name + (seed.arrangement ? "arrangement clip, " : "") + text;
}

// The seed, UPLOAD_CHUNK notes at a time with a pause between, then /segue/seed/end.
function uploadSeed(req) {
    var seed = req.job.seed;
    if (seed.downbeat === null || seed.downbeat === undefined) {
        sendOsc("/segue/seed/begin", req.id, seed.notes.length, seed.length, seed.numerator,
                seed.denominator);
    } else {  // bar 1 after a pickup: told, so the bridge goes on from it
        sendOsc("/segue/seed/begin", req.id, seed.notes.length, seed.length, seed.numerator,
                seed.denominator, seed.downbeat);
    }
    req.uploaded = 0;
    uploadChunk(req);
}

function uploadChunk(req) {
    var notes = req.job.seed.notes;
    var end = Math.min(notes.length, req.uploaded + UPLOAD_CHUNK);
    for (; req.uploaded < end; req.uploaded++) {
        var n = notes[req.uploaded];
        var times = n.played || [n.start, n.duration];
        sendOsc("/segue/seed/note", req.id, n.pitch, times[0], times[1], n.velocity);
    }
    if (req.uploaded < notes.length) {
        uploadTask.cancel();
        uploadTask.schedule(UPLOAD_PAUSE_MS);
        return;
    }
    sendOsc("/segue/seed/end", req.id);
}

function onUploadTimer() {
    if (request && request.phase === "upload") {
        uploadChunk(request);
    }
}

// What the status line says when the Model menu names a model the device cannot name yet.
function modelsMissingText(button, undone) {
    if (modelLost) {
        return modelLostText() + ", then press " + button + " (" + undone + ")";
    }
    if (modelMoved) {
        return "the bridge's models changed: '" + modelMoved + "', which the Model menu " +
            "chose, is no longer among them; choose a model again, then press " + button +
            " (" + undone + ")";
    }
    return "the bridge's list of models has not arrived, so the Model menu's choice is not " +
        "known: press " + button + " again (" + undone + ")";
}

function sendGenerate(req) {
    var p = req.params;
    // The menu is read now, not at the press: the bridge's list, asked for when it first
    // answered, has come before the seed was stored (a press right after `segue serve`
    // started sent no model, and the bridge's default continued the clip).
    var model = chosenModel();
    if (model === null) {
        askModels();
        finishRequest(modelsMissingText(req.job.kind === "generate" ? "Generate" : "Continue",
                                        "nothing was generated"));
        return;
    }
    p.model = model || (p.drums ? DRUMS_MODEL : "");
    var message = ["/segue/generate", req.id, "temperature", p.temperature, "bars", p.bars,
                   "variations", p.variations, "memory", p.memory, "top_k", p.top_k,
                   "key", p.key];
    if (p.fills !== "none") {  // the bridge's default; only a drum continuation plays fills
        message.push("fills", p.fills);
    }
    if (p.model) {
        message.push("model", p.model);
    }
    if (p.drums) {  // a Drum Rack's clip: a melodic model named for it is refused
        message.push("drums", 1);
    }
    outlet(OUTLET_OSC, message);
}

// (Re)start the request's watch: while the bridge works, a ping every PROBE_MS (no pong
// within PING_TIMEOUT_MS: it is gone) and a minute without a word about the request in all;
// once its variations stream (they are all made before the first is sent, then paced),
// LOST_REPLY_MS without a reply means the rest was lost on the way (a receive buffer that
// overflowed).
function watchRequest() {
    requestTask.cancel();
    if (request) {
        request.watched = request.heard;
        request.quiet = 0;
        request.probe = 0;
    }
    requestTask.schedule(request && request.phase === "receive" ? LOST_REPLY_MS : PROBE_MS);
}

// A pong for the request's probe: the bridge is there, still working on it; unless it is
// another run of the bridge (its instance, /segue/pong), restarted meanwhile, which never
// heard of the request.
function onProbePong(token, instance) {
    if (!request || !request.probe || token !== request.probe) {
        return false;
    }
    if (request.instance && isWhole(instance) && instance !== request.instance) {
        var id = request.id;
        finishRequest("the bridge restarted while it worked on request " + id + ": press " +
                      "Continue again");
        return true;
    }
    request.probe = 0;
    requestTask.cancel();
    requestTask.schedule(PROBE_MS);
    return true;
}

function onRequestTimer() {
    if (!request || request.phase === "write") {
        return;
    }
    if (request.phase === "receive") {
        if (request.heard !== request.watched) {
            watchRequest();  // notes still coming in (a note does not restart the watch)
            return;
        }
        // The bridge had made every variation; what arrived is written, and what did not is
        // said (its done, which carries the rng seed, may be what was lost).
        request.phase = "write";
        request.done = {count: request.params.variations, ms: -1, rngSeed: null, model: "",
                        key: "", said: ""};
        writeTask.cancel();
        writeTask.schedule(0);
        return;
    }
    if ((request.phase === "upload" || request.phase === "generate") && !request.probe) {
        request.quiet += PROBE_MS;
        if (request.quiet < SILENCE_TIMEOUT_MS) {
            request.probe = pingToken(nextId());
            sendOsc("/segue/ping", request.probe, replyPort);
            requestTask.schedule(PING_TIMEOUT_MS);
            return;
        }
    }
    var phase = request.phase;
    var id = request.id;
    var unanswered = Boolean(request.probe) || phase === "receive";
    request = null;
    uploadTask.cancel();
    if (phase === "ping") {
        link.state = "absent";
        learnLost();
        setStatus(noBridgeText());
    } else if (unanswered) {
        sendOsc("/segue/cancel", id);
        link.state = "absent";  // its next pong says it is back
        learnLost();
        setStatus("the bridge stopped answering (request " + id + "); is `segue serve` " +
                  "still running?");
    } else {  // it answers pings, but has said nothing of the request for a minute
        sendOsc("/segue/cancel", id);
        setStatus("the bridge said nothing of request " + id + " for a minute (it answers " +
                  "pings): press Continue again; its terminal may say why");
    }
    linkTask.cancel();
    linkTask.schedule(RETRY_MS);
}

function onResultHold() {
    holdingResult = false;
}

function finishRequest(text) {
    holdingResult = true;
    resultHold.cancel();
    resultHold.schedule(RESULT_HOLD_MS);
    request = null;
    requestTask.cancel();
    uploadTask.cancel();
    setStatus(text);
    linkTask.cancel();
    linkTask.schedule(HEARTBEAT_MS);
}

function variationOf(args) {
    if (!request || args[0] !== request.id || request.phase !== "receive") {
        return null;
    }
    var v = request.variations[args[1]];
    return v || null;
}

function onReply(address, args) {
    if (address === "/segue/pong") {
        onPong(args);
        return;
    }
    if (address === "/segue/models/item") {
        onModelsItem(args);
        return;
    }
    if (address === "/segue/models/end") {
        onModelsEnd(args);
        return;
    }
    if (address === "/segue/error") {
        onError(args);
        return;
    }
    if (onLearnReply(address, args)) {
        return;
    }
    if (!request || args[0] !== request.id) {
        return; // a reply_to confirmation, or a reply to an earlier request
    }
    request.heard++;
    if (address === "/segue/seed/stored" && request.phase === "upload") {
        request.phase = "generate";
        sendGenerate(request);
        if (request) {  // (sendGenerate ends it when the Model menu cannot be read)
            watchRequest();
        }
    } else if (address === "/segue/status" && request.phase === "generate") {
        setStatus(args[1] !== "queued" ? "generating..." : args[2] <= 1 ?
                  "queued: next in line..." : "queued behind " + (args[2] - 1) + " other " +
                  "request" + (args[2] === 2 ? "" : "s") + "...");
        watchRequest();
    } else if (address === "/segue/variation/begin") {
        onVariationBegin(args);
    } else if (address === "/segue/variation/note") {
        onVariationNote(args);
    } else if (address === "/segue/variation/end") {
        var ended = variationOf(args);
        if (ended) {
            ended.ended = true;
        }
        watchRequest();
    } else if (address === "/segue/done") {
        onDone(args);
    }
}

function onVariationBegin(args) {
    if (request.phase !== "generate" && request.phase !== "receive") {
        return;
    }
    request.phase = "receive";
    var index = args[1];
    if (!isWhole(index) || index < 0 || index > 15) {
        return;
    }
    request.variations[index] = {
        expected: args[2],
        length: snap(args[3]),
        start: snap(args[4]),
        notes: [],
        ended: false
    };
    watchRequest();
}

function onVariationNote(args) {
    var v = variationOf(args);
    if (!v) {
        return;
    }
    var start = nearGrid(args[3]);  // a repeat's swing or feel comes as it was played
    var end = nearGrid(args[3] + args[4]);
    var duration = end - start;
    if (start === snap(start) && end === snap(end)) {
        duration = snap(duration);  // on the grid: exactly (8.333 - 0.333 is 7.999...)
    }
    if (!(duration > 0)) {
        duration = 1 / TICKS_PER_BEAT;
    }
    v.notes.push({pitch: args[2], start: start, duration: duration, velocity: args[5]});
}

function onDone(args) {
    if (request.phase !== "receive" && request.phase !== "generate") {
        return;
    }
    request.phase = "write";
    // model and key: a bridge older than them sends neither; said: how a clip on a track
    // without a Drum Rack that looks like a beat was played (an older bridge: nothing)
    request.done = {count: args[1], ms: args[2], rngSeed: args[3],
                    model: args[4] === undefined ? "" : String(args[4]),
                    key: args[5] === undefined ? "" : String(args[5]),
                    said: args[6] === undefined ? "" : String(args[6])};
    requestTask.cancel();
    writeTask.cancel();
    writeTask.schedule(0);
}

function onError(args) {
    var id = args[0];
    var code = String(args[1]);
    var text = String(args[2] === undefined ? "" : args[2]);
    post("segue: bridge error " + code + " (request " + id + "): " + text + "\n");
    if (learning && id === learning.id) {
        endLearning();
        setStatus("learn: bridge error " + code + ": " + text);
        return;
    }
    if (request && request.phase !== "write" && (id === request.id || id === -1)) {
        finishRequest("bridge error " + code + ": " + text);
        if (code === "cancelled") {
            lookAgainSoon();
        }
    } else if (!request && id === -1) {
        setStatus("bridge error " + code + ": " + text);
    }
}

// The request cancelled without the device asking (a request it cancels is no longer the
// one in flight): the bridge is stopping. The link is taken as gone and looked at again in
// RETRY_MS, so the status says "connected" once it is back, or "no bridge" (helper-64: "the
// bridge is stopping" stayed after it was back).
function lookAgainSoon() {
    link.state = "absent";
    linkTask.cancel();
    linkTask.schedule(RETRY_MS);
}

// The rng seed the bridge reported, or why there is none: its done was lost on the way.
function rngSeedText(done) {
    return done.rngSeed === null ? "the bridge's last replies were lost (rng seed unknown)"
        : "rng seed " + done.rngSeed;
}

// What made the notes, for the status line: "; producer, key G major" (the model auto chose,
// the key heard in the clip), or Live's scale as the device read it.
function madeBy(req) {
    var said = [];
    if (req.done.model) {
        said.push(req.done.model);
    }
    if (req.keyLabel) {
        said.push(req.keyLabel);
    } else if (req.done.key) {
        said.push("key " + req.done.key);
    }
    return said.length ? "; " + said.join(", ") : "";
}

function onWriteTimer() {
    if (!request || request.phase !== "write") {
        return;
    }
    var req = request;
    request = null;
    guard(function () {
        finishRequest(writeResults(req));
    });
    linkTask.cancel();
    linkTask.schedule(HEARTBEAT_MS);
}

// Notes in a variation ready for Live: inside the clip, one note per pitch and start.
function cleanNotes(v) {
    var seen = {};
    var notes = [];
    var dropped = 0;
    var i;
    for (i = 0; i < v.notes.length; i++) {
        var n = v.notes[i];
        var key = n.pitch + "@" + n.start;
        if (!isWhole(n.pitch) || n.pitch < 0 || n.pitch > 127 || !(n.start >= 0) ||
                n.start >= v.length || seen[key] !== undefined) {
            dropped++;
            continue;
        }
        seen[key] = notes.length;
        notes.push({pitch: n.pitch, start: n.start, duration: n.duration,
                    velocity: Math.max(1, Math.min(127, Math.round(n.velocity)))});
    }
    return {notes: notes, dropped: dropped};
}

// After a clip failed to be written: " (slot N holds it, unfinished)" when create_clip made
// it before the failure (its name, meter or notes may be missing), else "".
function unfinishedClip(trackPath, slotIndex) {
    try {
        return hasClip(trackPath, slotIndex) ? " (slot " + (slotIndex + 1) + " holds it, " +
            "unfinished)" : "";
    } catch (e) {
        return "";  // the failure itself is what the status line says
    }
}

// Whether every take has the same notes (of a beat, the same hits whatever a one-shot's
// length), as the bridge's own check (segue.model.drum_touches.alike_takes) says it.
function sameTakes(takes, drums) {
    var heard = function (take) {
        return take.notes.map(function (n) {
            return [n.pitch, n.start, n.velocity, drums ? 0 : n.duration].join("@");
        }).sort().join(" ");
    };
    var first = heard(takes[0]);
    for (var i = 1; i < takes.length; i++) {
        if (heard(takes[i]) !== first) {
            return false;
        }
    }
    return true;
}

// What to say when they are (a loop kept note for note: a beat that is all backbone), as
// generate, send and the bridge say it, in the device's controls: a take varies only in a
// 4-bar phrase's last bar.
function sameTakesText(count, length, seed) {
    var bar = seed.numerator * 4 / seed.denominator;
    var head = "all " + count + " takes are the same notes: the loop is kept note for note";
    if (length >= 4 * bar - 1e-9) {
        return head + "; set Fills to phrase for takes that differ";
    }
    return head + " and varies only in a 4-bar phrase's last bar; raise Bars to 4 or more, " +
        "or set Fills to phrase";
}

function writeResults(req) {
    var job = req.job;
    var complete = [];
    var warnings = [];
    var i;
    for (i = 0; i < req.done.count; i++) {
        var v = req.variations[i];
        if (!v) {
            warnings.push("variation " + (i + 1) + " never arrived");
            continue;
        }
        if (!(v.length > 0)) {
            warnings.push("variation " + (i + 1) + " has length " + v.length);
            continue;
        }
        // A variation that lost notes on the way is written (nothing the bridge made is
        // thrown away) under a name that says so, as well as in the status line.
        var lost = v.notes.length !== v.expected ? v.notes.length + " of " + v.expected +
            " notes" : "";
        if (lost) {
            warnings.push("variation " + (i + 1) + ": " + lost + " arrived");
        }
        var clean = cleanNotes(v);
        if (clean.dropped > 0) {
            warnings.push(clean.dropped + " notes of variation " + (i + 1) + " dropped (past " +
                          "its end, or a pitch struck twice at once)");
        }
        complete.push({index: i, length: v.length, notes: clean.notes, lost: lost});
    }
    if (complete.length === 0) {
        return "the bridge sent no variations" +
            (warnings.length ? " (" + warnings.join("; ") + ")" : "");
    }
    var place = currentPlace(job.seed);
    // The producer may have frozen the track while the bridge generated: nothing is written
    // and no scene added.
    if (isFrozen(liveObject(place.trackPath))) {
        throw new UserError(frozenText(place.trackName) + ", then press " +
                            (job.kind === "generate" ? "Generate" : "Continue") +
                            " again (nothing was written)");
    }
    var found = findEmptySlots(place.trackPath, place.firstSlot, complete.length);
    var written = [];
    var failure = "";  // why a clip could not be written: the ones before it stay in the set
    for (i = 0; i < complete.length && i < found.slots.length; i++) {
        var name = clipName(job, complete[i].index, req.params.temperature, complete[i].lost);
        var warning;
        try {
            warning = writeClip(place, found.slots[i], complete[i], name, job.seed);
        } catch (e) {
            failure = failureText(e) + unfinishedClip(place.trackPath, found.slots[i]);
            break;
        }
        if (warning) {
            warnings.push(warning);
        }
        written.push(found.slots[i] + 1);
    }
    var text = "wrote " + (failure ? written.length + " of " + counted(complete.length, "clip")
                           : counted(written.length, "clip")) +
        " to track '" + place.trackName + "'" + (written.length === 0 ? "" : " (slot" +
        (written.length === 1 ? " " : "s ") + written.join(", ") + ")");
    if (job.seed.arrangement) {
        text = "arrangement clip: " + text + " in Session View";
    }
    if (found.scenesAdded > 0) {
        text += ", added " + found.scenesAdded + " scene" + (found.scenesAdded === 1 ? "" : "s");
    }
    if (failure) {
        // "wrote 1 of 4 clips to track 'Keys' (slot 3), then: REASON"
        text += ", then: " + failure;
        if (warnings.length) {
            text += ". " + warnings.join("; ");
        }
        post("segue: " + text + " (" + rngSeedText(req.done) + ")\n");
        return text;
    }
    if (written.length < complete.length) {
        warnings.push("no room for " + (complete.length - written.length) + " more: add " +
                      "scenes or free slots below the clip");
    }
    if (req.params.temperature === 0 && written.length > 1) {  // as generate and send say it
        warnings.push("at Temp 0 all " + written.length + " are the same (the likeliest " +
                      "notes): raise Temp for takes that differ");
    } else if (written.length > 1 && sameTakes(complete.slice(0, written.length),
                                               job.seed.drums)) {
        warnings.push(sameTakesText(written.length, complete[0].length, job.seed));
    }
    text += madeBy(req);
    text += "; " + rngSeedText(req.done);
    if (req.done.said) {  // a beat on a track without a Drum Rack, as generate says it
        warnings.unshift(req.done.said);
    }
    if (warnings.length) {
        text += ". " + warnings.join("; ");
    }
    post("segue: " + text + "\n");
    return text;
}


// -- Learn: the set's clips to the bridge, which tunes a new model on them -----------------

// One clip of the set to learn from, or null for an audio clip: the part that plays, muted
// notes left out, on the grid ({notes, length, numerator, denominator, drums}).
function learnClip(path, drums, skipped) {
    var clip = liveObject(path);
    if (idOf(clip, path) === 0) {
        throw new LiveError("no clip at '" + path + "'");
    }
    if (getNumber(clip, "is_midi_clip") !== 1) {
        skipped.audio++;
        return null;
    }
    var region = clipRegion(clip, path);
    if (region.length > MAX_LEARN_BEATS) {
        skipped.long++;
        return null;
    }
    var raw = notesOf(clip.call("get_notes_extended", 0, 128, region.from, region.length),
                      "get_notes_extended");
    var read = seedNotes(raw, region.from, region.length, region.lead);
    skipped.muted += read.muted;
    skipped.silent += read.silent;
    if (read.notes.length === 0) {
        return null;
    }
    return {notes: read.notes, length: read.length, numerator: region.numerator,
            denominator: region.denominator, drums: drums};
}

// Every MIDI clip of the set, Session View (each track's clip slots) and Arrangement (each
// track's arrangement_clips), drum tracks marked. Returns {clips, skipped, notes}.
function readSetClips() {
    var song = liveObject("live_set");
    var tracks = Number(song.getcount("tracks"));
    if (!isWhole(tracks) || tracks < 0) {
        throw new LiveError("getcount tracks of live_set is '" + tracks + "'");
    }
    var clips = [];
    var skipped = {audio: 0, long: 0, muted: 0, silent: 0, arrangement: 0};
    var notes = 0;
    var t;
    var i;
    for (t = 0; t < tracks; t++) {
        var trackPath = "live_set tracks " + t;
        var track = liveObject(trackPath);
        var drums = trackDrums(trackPath);
        var paths = [];
        var slots = slotCount(track);
        for (i = 0; i < slots; i++) {
            if (hasClip(trackPath, i)) {
                paths.push(trackPath + " clip_slots " + i + " clip");
            }
        }
        var arranged = Number(track.getcount("arrangement_clips"));
        if (!isWhole(arranged) || arranged < 0) {
            throw new LiveError("getcount arrangement_clips of " + trackPath + " is '" +
                                arranged + "'");
        }
        for (i = 0; i < arranged; i++) {
            paths.push(trackPath + " arrangement_clips " + i);
        }
        for (i = 0; i < paths.length; i++) {
            var clip = learnClip(paths[i], drums, skipped);
            if (clip && clips.length < MAX_LEARN_CLIPS &&
                    notes + clip.notes.length <= MAX_LEARN_NOTES) {
                clips.push(clip);
                notes += clip.notes.length;
            } else if (clip) {
                skipped.long++;
            }
        }
    }
    return {clips: clips, skipped: skipped, notes: notes};
}

// A name for the new model: "learned-" and the date and time to the second
// ("learned-20261201-193005"): a tuning can end within a minute, and a second Learn in the
// same minute was refused (name_taken), which no OSC client can replace.
function learnedName() {
    var now = new Date();
    function two(n) {
        return (n < 10 ? "0" : "") + n;
    }
    return "learned-" + now.getFullYear() + two(now.getMonth() + 1) + two(now.getDate()) +
        "-" + two(now.getHours()) + two(now.getMinutes()) + two(now.getSeconds());
}

function startLearning() {
    if (learning) {
        throw new UserError("still learning '" + learning.name + "': wait for it to finish");
    }
    var base = chosenModel();
    if (base === null) {
        askModels();
        throw new UserError(modelsMissingText("Learn", "nothing was sent"));
    }
    var set = readSetClips();
    if (set.clips.length === 0) {
        throw new UserError("no MIDI clips with notes in the set to learn from");
    }
    var drums = 0;
    var i;
    for (i = 0; i < set.clips.length; i++) {
        drums += set.clips[i].drums ? 1 : 0;
    }
    // A ping first, as Continue's: the link's state may be 20 s old (helper-64)
    learning = {id: pingToken(nextId()), name: learnedName(), clips: set.clips, clip: 0,
                note: -1, phase: "ping", notes: set.notes, base: base, instance: 0,
                heard: false,
                what: "learning from " + counted(set.clips.length, "clip") + " (" +
                    counted(set.notes, "note") + (drums ? ", " + drums + " on drum tracks" : "") +
                    (set.skipped.muted ? ", " + counted(set.skipped.muted, "muted note") +
                     " left out" : "") + (set.skipped.silent ? ", " + set.skipped.silent +
                     " with probability 0 left out" : "") + ")"};
    sendReplyTo();
    sendOsc("/segue/ping", learning.id, replyPort);
    learnWatch.cancel();
    learnWatch.schedule(PING_TIMEOUT_MS);
    setStatus(learning.what + ": asking the bridge...");
}

// The bridge answered the Learn's ping: the clips go, and its run (instance) is kept, so
// that a pong from another run ends the Learn (beginLearnUpload's bridge never heard of it).
function beginLearnUpload(args) {
    var l = learning;
    learnWatch.cancel();
    l.instance = isWhole(args[4]) ? args[4] : 0;  // (a bridge before 0.1: none)
    l.phase = "upload";
    connected(args[1], args[2]);
    sendReplyTo();
    sendOsc("/segue/learn/begin", l.id, l.name, l.clips.length, learnSeconds, l.base);
    setStatus(l.what + ": sending them to the bridge...");
    uploadLearnChunk();
}

// The bridge is gone (no pong): a Learn it was sent, or was tuning, is over, and Learn can
// be pressed again.
function learnLost() {
    if (!learning || learning.phase === "ping") {
        return;
    }
    var name = learning.name;
    endLearning();
    setStatus("learn: the bridge stopped (or restarted) while it learnt '" + name + "': " +
              "press Learn again");
}

// A pong from another run of the bridge (its instance) than the one the Learn went to,
// restarted meanwhile: that one never heard of it.
function learnRestarted(instance) {
    if (learning && learning.instance && isWhole(instance) && instance !== learning.instance) {
        learnLost();
    }
}

function endLearning() {
    learning = null;
    learnTask.cancel();
    learnWatch.cancel();
}

// The clips, UPLOAD_CHUNK messages at a time with a pause between, then /segue/learn/end.
function uploadLearnChunk() {
    var l = learning;
    var sent = 0;
    while (l && sent < UPLOAD_CHUNK && l.clip < l.clips.length) {
        var clip = l.clips[l.clip];
        if (l.note < 0) {
            sendOsc("/segue/learn/clip", l.id, clip.notes.length, clip.length, clip.numerator,
                    clip.denominator, clip.drums ? 1 : 0);
        } else {
            // As a seed's notes go (uploadChunk): the bridge learns a played clip as
            // generation reads it, as written (snapped here, a played 8th's release went
            // as 10-11 ticks and was learnt so, where generation reads the seed's 12).
            var n = clip.notes[l.note];
            var times = n.played || [n.start, n.duration];
            sendOsc("/segue/learn/note", l.id, n.pitch, times[0], times[1], n.velocity);
        }
        sent++;
        l.note++;
        if (l.note >= clip.notes.length) {
            l.clip++;
            l.note = -1;
        }
    }
    if (l && l.clip < l.clips.length) {
        learnTask.cancel();
        learnTask.schedule(UPLOAD_PAUSE_MS);
        return;
    }
    if (l) {
        l.phase = "tuning";
        sendOsc("/segue/learn/end", l.id);
        learnWatch.cancel();  // the bridge says "starting" at once
        learnWatch.schedule(PING_TIMEOUT_MS);
    }
}

// A tuning bridge says its status every LEARN_STATUS_EVERY_MS at least; silent for a minute,
// it is gone (stopped, restarted, or never there), and Learn can be pressed again.
function watchLearning() {
    learnWatch.cancel();
    learnWatch.schedule(SILENCE_TIMEOUT_MS);
}

function onLearnSilence() {
    if (!learning || learning.phase === "upload") {
        return;
    }
    var l = learning;
    endLearning();
    if (l.phase === "ping") {
        link.state = "absent";
        setStatus(noBridgeText());
    } else if (!l.heard) {
        setStatus("learn: no answer from the bridge after the clips of '" + l.name + "' " +
                  "were sent; is `segue serve` still running? Press Learn to try again");
    } else {
        setStatus("learn: the bridge stopped answering while it learnt '" + l.name + "'; is " +
                  "`segue serve` still running? Press Learn to try again");
    }
}

function onLearnTimer() {
    if (learning && learning.phase === "upload") {
        uploadLearnChunk();
    }
}

// Replies about the Learn in flight; true when the reply was one.
function onLearnReply(address, args) {
    if (!learning || args[0] !== learning.id) {
        return false;
    }
    if (address === "/segue/learn/status") {
        var state = String(args[1]);
        learning.heard = true;
        watchLearning();
        var loss = Number(args[3]);
        var progress = "learning '" + learning.name + "': " + (state === "fitting" ?
            "fitting the clip memory" : state === "starting" ? "starting" :
            Math.round(Number(args[2])) + "%") +
            (loss >= 0 ? ", held-out loss " + loss.toFixed(2) : "") + "...";
        if (request || holdingResult) {  // a Continue's steps or outcome stay readable
            post("segue: " + progress + "\n");
        } else {
            setStatus(progress);
        }
        return true;
    }
    if (address === "/segue/learn/done") {
        var name = String(args[1]);
        endLearning();
        setStatus("learned '" + name + "' (held-out loss " + Number(args[2]).toFixed(2) +
                  " -> " + Number(args[3]).toFixed(2) + " in " + Math.round(Number(args[4])) +
                  " s): choose it in the Model menu" + leftOutText(args[5], args[6]));
        askModels();
        return true;
    }
    return false;
}

// What a learn did not learn from, as /segue/learn/done says it (nothing from a bridge that
// does not say it): drum clips beside melodic ones, or melodic clips beside drum clips.
function leftOutText(drums, melodic) {
    drums = Number(drums) || 0;
    melodic = Number(melodic) || 0;
    if (drums > 0) {
        return "; " + counted(drums, "drum clip") + " left out (for a drum model, choose " +
            "drums in the Model menu and press Learn)";
    }
    if (melodic > 0) {
        return "; " + counted(melodic, "melodic clip") + " left out (a drum model learns " +
            "the drum tracks' clips)";
    }
    return "";
}

// The Learn button: tune a new model on the set's clips, in the bridge's background.
function learn_set() {
    onPress(arrayfromargs(arguments), function () {
        startLearning();
        return null;
    });
}


// -- messages from the patch -----------------------------------------------------------------

// From [live.thisdevice]: Live is ready, the LiveAPI may be used from now on.
function init() {
    started = true;
    readControls(this.patcher);
    readSavedModel(this.patcher);
    configurePorts();
    setStatus("looking for the bridge on " + BRIDGE_HOST + ":" + settings.bridge_port + "...");
    link.state = "unknown";
    link.waiting = false;
    checkLink();
}

// The controls' values (by their varnames), in case they spoke before this script listened.
function readControls(patcher) {
    if (!patcher || typeof patcher.getnamed !== "function") {
        return;
    }
    var name;
    for (name in SETTING_RANGES) {
        if (SETTING_RANGES.hasOwnProperty(name)) {
            var box = patcher.getnamed(name);
            if (box && typeof box.getvalueof === "function") {
                var value = box.getvalueof();
                if (typeof value === "object" && value !== null && value.length) {
                    value = value[0];
                }
                if (typeof value === "number") {
                    store(name, value);
                }
            }
        }
    }
}

// The [pattr]'s name, in case it was restored before this script listened.
function readSavedModel(patcher) {
    var box = patcher && typeof patcher.getnamed === "function" ?
        patcher.getnamed(SAVED_MODEL_BOX) : null;
    if (!box || typeof box.getvalueof !== "function") {
        return;
    }
    var value;
    try {
        value = box.getvalueof();
    } catch (e) {
        return;  // a pattr that cannot say its value: the restored message is the only path
    }
    if (typeof value === "object" && value !== null && value.length) {
        value = value[0];
    }
    if (typeof value === "string" && value && !restoredModel &&
            value !== SAVED_PREFIX + savedModel) {
        savedmodel(value);
    }
}

function store(name, raw) {
    var range = SETTING_RANGES[name];
    var value = Number(raw);
    if (isNaN(value)) {
        post("segue: " + name + " cannot be '" + raw + "'\n");
        return false;
    }
    if (range[2]) {
        value = Math.round(value);
    }
    value = Math.max(range[0], Math.min(range[1], value));
    var changed = settings[name] !== value;
    settings[name] = value;
    return changed;
}

function temperature(value) {
    store("temperature", value);
}

function bars(value) {
    store("bars", value);
}

function variations(value) {
    store("variations", value);
}

function memory(value) {
    store("memory", value);
}

function top_k(value) {
    store("top_k", value);
}

function fills(value) {
    store("fills", value);
}

function model(value) {
    var changed = store("model", value);
    modelMoved = "";  // chosen again
    // Live restores the menu at load, before init (readControls reads the same value); a
    // choice after init is the musician's, and replaces the name the set saved.
    if (started && (changed || modelNames.length > 0)) {
        restoredModel = "";
        modelLost = "";
    }
    rememberModel();
}

// From the [pattr] when Live restores it with the set: the Model menu's model, by name
// after SAVED_PREFIX ("model:default" for that item). An empty [pattr] (a set saved before
// it existed) sends none, or a number, or a bang ([prepend] makes it "savedmodel bang"):
// no name.
function savedmodel(text) {
    if (typeof text !== "string" || text.indexOf(SAVED_PREFIX) !== 0) {
        return;  // no name: the menu's place alone says the model, as before
    }
    var name = text.slice(SAVED_PREFIX.length);
    if (!name) {
        return;
    }
    restoredModel = name;
    savedModel = name;
    modelLost = "";
    placeRestoredModel();
}

function key(value) {
    store("key", value);
}

// The time budget of the next Learn, in seconds (a message; the device has no control).
function learn_seconds(value) {
    var seconds = Math.round(Number(value));
    if (isNaN(seconds)) {
        post("segue: learn_seconds cannot be '" + value + "'\n");
        return;
    }
    learnSeconds = Math.max(1, Math.min(600, seconds));
}

function bridge_port(value) {
    if (store("bridge_port", value) && started) {
        outlet(OUTLET_OSC, "port", settings.bridge_port);
        restartLink();
    }
}

function reply_port(value) {
    if (store("reply_port", value) && started) {
        claimReplyPort();
        outlet(OUTLET_RECEIVE, "port", replyPort);
        restartLink();
    }
}

// Max calls this when the device is deleted (or its set closed): its reply port is free.
function notifydeleted() {
    dropInFlight();
    releaseReplyPort();
    linkTask.cancel();
    requestTask.cancel();
    writeTask.cancel();
    uploadTask.cancel();
    learnTask.cancel();
    learnWatch.cancel();
}

// A deleted device's request, or Learn upload, is dropped in the bridge, which would go on
// generating for nobody while the other devices wait behind it (helper-64); then it says
// bye, freeing its place. (A Learn already tuning goes on: its model is installed.) Should
// Max not send from notifydeleted, the bridge finishes the request for nobody, as before.
function dropInFlight() {
    var sent = false;
    if (request && request.phase !== "ping" && request.phase !== "write") {
        sendOsc("/segue/cancel", request.id);
        sent = true;
    }
    if (learning && learning.phase === "upload") {
        sendOsc("/segue/cancel", learning.id);
        sent = true;
    }
    if (sent) {
        sendOsc("/segue/bye");
    }
    request = null;
    learning = null;
}

function restartLink() {
    if (request) {
        sendOsc("/segue/cancel", request.id);
        request = null;
        requestTask.cancel();
        writeTask.cancel();
        uploadTask.cancel();
    }
    link.state = "unknown";
    link.waiting = false;
    modelNames = [];
    modelsIncoming = null;
    setStatus("looking for the bridge on " + BRIDGE_HOST + ":" + settings.bridge_port + "...");
    checkLink();
}

// A button press (its release is ignored): start a request once the device has started.
function onPress(args, request) {
    if (isRelease(args)) {
        return;
    }
    guard(function () {
        if (!started) {
            throw new UserError("the device is still starting; press again in a moment");
        }
        var job = request();
        if (job) {
            startRequest(job);
        }
    });
}

// The Continue button: continue the clip in the Clip View.
function continue_clip() {
    onPress(arrayfromargs(arguments), function () {
        return {kind: "continue", seed: readSeed()};
    });
}

// The Generate button: new clips from nothing on this device's track.
function generate_new() {
    onPress(arrayfromargs(arguments), function () {
        return {kind: "generate", seed: emptySeed()};
    });
}

// Everything else: the bridge's replies, as [udpreceive] outputs them (address, arguments).
function anything() {
    var address = messagename;
    var args = arrayfromargs(arguments);
    if (typeof address !== "string" || address.charAt(0) !== "/") {
        post("segue: unknown message '" + address + "'\n");
        return;
    }
    guard(function () {
        onReply(address, args);
    });
}

// Helpers are private: only the functions above answer messages from the patch.
(function hideHelpers(names) {
    var i;
    for (i = 0; i < names.length; i++) {
        names[i].local = 1;
    }
})([UserError, LiveError, failureText, guard, isFrozen, frozenText, snap, nextId, isWhole, formatTemperature, setStatus,
    sendOsc, counted, noBridgeText, isRelease, onPress, liveObject, idOf, pathOf, values, getNumber,
    getText, notesOf, scaleSteps, liveScale, keyLock, claimReplyPort, releaseReplyPort,
    pingToken, isOwnToken, warnSharedPort, uploadChunk, onUploadTimer,
    clipPlace, seedNotes, leftOut, readSeed, emptySeed, currentPlace, trackDrums, countOf,
    devicesHoldDrumRack, hasClip, slotCount, findEmptySlots, clipName,
    writeClip, sendReplyTo, configurePorts, checkLink, onLinkTimer, connected, onPong,
    onModelsItem, onModelsEnd, followModel, placeRestoredModel, modelLostText, rememberModel, readSavedModel,
    chosenModel, startRequest, describeSeed, uploadSeed,
    sendGenerate, watchRequest, onRequestTimer, finishRequest, variationOf, onReply,
    onVariationBegin, onVariationNote, onDone, onError, lookAgainSoon, onWriteTimer, cleanNotes,
    writeResults, unfinishedClip, readControls, store, dropInFlight, restartLink, clipRegion, learnClip, readSetClips,
    learnedName, startLearning, beginLearnUpload, learnLost, learnRestarted, endLearning, uploadLearnChunk, onLearnTimer, onLearnReply, watchLearning,
    onLearnSilence]);
