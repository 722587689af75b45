// Unit tests of segue.js under Node with a fake Live set and a scripted bridge:
//   node --test max_for_live/tests/
// (tests/test_device.py runs them, and runs the device against the real bridge).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const {MaxDevice, MaxApp, VirtualClock, FakeLiveSet} = require("./max_env");
const {FakeBridge, Loopback} = require("./fake_bridge");

// A status line without the clip's name in front ("'Riff': 7 notes ..." -> "7 notes ...").
function unnamed(line) {
  return line.replace(/^'[^']*': /, "");
}

const CHORDS = [  // a polyphonic clip: two chords and a triplet figure, 2 bars of 4/4
  {pitch: 60, start_time: 0, duration: 1, velocity: 100},
  {pitch: 64, start_time: 0, duration: 1, velocity: 90.4},
  {pitch: 67, start_time: 0, duration: 1, velocity: 80},
  {pitch: 62, start_time: 1 / 3, duration: 1 / 3, velocity: 70},
  {pitch: 65, start_time: 2 / 3, duration: 1 / 3, velocity: 70},
  {pitch: 59, start_time: 4, duration: 4, velocity: 100},
  {pitch: 62, start_time: 4, duration: 4, velocity: 100},
];

function liveSet(overrides = {}) {
  return new FakeLiveSet({
    scenes: 4,
    tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8, notes: CHORDS},
                                    2: {name: "Other", length: 4, notes: []}}}],
    detail: {track: 0, slot: 0},
    ...overrides,
  });
}

// A clip of `count` short notes, eight to a beat: a big seed.
function denseSet(count) {
  const notes = [];
  for (let i = 0; i < count; i++) {
    notes.push({pitch: 40 + (i % 40), start_time: i / 8, duration: 0.125, velocity: 90});
  }
  return liveSet({tracks: [{name: "Keys", clips: {0: {name: "Dense", length: 512, notes}}}]});
}

// A started device connected to a scripted bridge.
function setup({live = liveSet(), bridge = {}, controls = {}} = {}) {
  const device = new MaxDevice({live, controls});
  const fake = new FakeBridge(device, bridge);
  device.init();
  device.clock.advance(10);
  return {device, bridge: fake, live};
}

function press(device, button = "continue_clip") {
  device.message(button, 1);
  device.message(button, 0);  // the release is ignored
  device.clock.advance(100);
}

function newClips(live, track = 0) {
  return live.tracks[track].slots
    .map((slot, index) => ({index, clip: slot.clip}))
    .filter((s) => s.clip && s.clip.name.includes("segue"));
}

function assertClean(device, live) {
  assert.deepEqual(live.errors, [], "Live refused or did not understand a call");
  assert.deepEqual(device.errors, [], "a Max stand-in was misused");
}

test("loading the script uses no LiveAPI; init sets the ports and finds the bridge", () => {
  const live = liveSet();
  const device = new MaxDevice({live});  // LiveAPI throws until init: global code must not use it
  assert.equal(device.out.length, 0);
  const bridge = new FakeBridge(device);
  device.init();
  assert.deepEqual(device.sent(0)[0], ["port", 9123]);
  assert.deepEqual(device.sent(2)[0], ["port", 9124]);
  // Queues of 65536 messages (2048 by default), as zsteinkamp/m4l-Knobbler4 sets them.
  assert.deepEqual(device.sent(0)[1], ["maxqueuesize", 65536]);
  assert.deepEqual(device.sent(2)[1], ["maxqueuesize", 65536]);
  assert.match(device.status(), /looking for the bridge on 127\.0\.0\.1:9123/);
  device.clock.advance(10);
  assert.deepEqual(bridge.received.slice(0, 2).map((m) => m[0]),
                   ["/segue/reply_to", "/segue/ping"]);
  assert.equal(bridge.replyPort, 9124);
  assert.match(device.status(), /connected to segue 0\.1\.0 \(default model melody\)/);
  assert.match(device.status(), /, replies on port 9124: select a MIDI clip and press Continue$/);
  assert.deepEqual(device.sent(3).at(-1), ["_parameter_range", "default", "melody", "polyphonic"]);
  assertClean(device, live);
});

test("controls saved with the set are read at init by their varnames", () => {
  const {device, bridge} = setup({controls: {temperature: 0.5, bars: 2, variations: 3,
                                             bridge_port: 9200, reply_port: 9300}});
  assert.deepEqual(device.sent(0)[0], ["port", 9200]);
  assert.deepEqual(device.sent(2)[0], ["port", 9300]);
  assert.equal(bridge.received.length, 0, "the fake bridge listens on 9123, not 9200");
  assert.match(device.status(), /looking for the bridge on 127\.0\.0\.1:9200/);
});

test("no bridge: the status says how to start it, and the device keeps looking", () => {
  const {device, bridge, live} = setup({bridge: {listening: false}});
  device.clock.advance(1500);
  assert.equal(device.status(),
               "no bridge on 127.0.0.1:9123: start it with `segue serve` (replies come back " +
               "to port 9124)");
  const pings = device.osc("/segue/ping").length;
  device.clock.advance(5000 + 10);
  assert.equal(device.osc("/segue/ping").length, pings + 1, "it pings again after 5 s");
  bridge.options.listening = true;
  device.clock.advance(1500 + 5000);
  assert.match(device.status(), /^connected to segue/);
  assert.deepEqual(device.sent(3).at(-1), ["_parameter_range", "default", "melody", "polyphonic"]);
  assertClean(device, live);
});

test("a bridge that goes away while the device is idle is noticed", () => {
  const {device, bridge} = setup();
  assert.match(device.status(), /^connected/);
  bridge.options.listening = false;
  device.clock.advance(20000 + 1500 + 10);
  assert.match(device.status(), /^no bridge on 127\.0\.0\.1:9123/);
});

test("continue with all notes: a polyphonic clip, new clips below it, the source untouched", () => {
  const live = liveSet();
  const before = live.snapshot(live.clipAt(0, 0));
  const {device, bridge} = setup({live});
  press(device);
  // The seed as the bridge got it: every note, on the grid, in time order.
  const [id, params, seed] = bridge.generated[0];
  assert.deepEqual([seed.count, seed.length, seed.numerator, seed.denominator], [7, 8, 4, 4]);
  assert.deepEqual(seed.notes, [[60, 0, 1, 100], [64, 0, 1, 90], [67, 0, 1, 80],
                                [62, 8 / 24, 8 / 24, 70], [65, 16 / 24, 8 / 24, 70],
                                [59, 4, 4, 100], [62, 4, 4, 100]]);
  assert.deepEqual(params, {temperature: 1, bars: 4, variations: 2, memory: 1, top_k: 0,
                            key: "off"});
  assert.deepEqual(device.osc("/segue/generate")[0],
                   ["/segue/generate", id, "temperature", 1, "bars", 4, "variations", 2,
                    "memory", 1, "top_k", 0, "key", "off"]);
  // Two new clips: slot 2 is taken, so slots 1 and 3 (indexes 1 and 3).
  const made = newClips(live);
  assert.deepEqual(made.map((m) => m.index), [1, 3]);
  assert.deepEqual(made.map((m) => m.clip.name), ["Riff - segue 1 (t 1.0)",
                                                  "Riff - segue 2 (t 1.0)"]);
  for (const {clip} of made) {
    assert.equal(clip.loop_end, 16);
    assert.equal(clip.notes.length, 7);
    assert.ok(clip.notes.every((n) => n.start_time >= 0 && n.start_time < 16));
  }
  assert.equal(live.clipAt(0, 2).name, "Other");
  assert.equal(live.snapshot(live.clipAt(0, 0)), before, "the source clip changed");
  const source = live.clipAt(0, 0).id;
  assert.ok(live.changes.every((c) => c.id !== source), "something was written to the source");
  assert.equal(device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); rng seed 4242");
  assert.deepEqual(device.statuses().slice(-4), ["'Riff': 7 notes as a melodic part: asking the bridge...",
    "queued: next in line...", "generating...", device.status()]);
  assertClean(device, live);
});

test("continue with selected notes sends only those", () => {
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8,
                                                             notes: CHORDS, selected: [5, 6]}}}]});
  const {device, bridge} = setup({live});
  press(device);
  const seed = bridge.generated[0][2];
  // Bar 2 of the 2-bar clip is selected: that bar is the seed, not a bar of silence and it.
  assert.deepEqual(seed.notes, [[59, 0, 4, 100], [62, 0, 4, 100]]);
  assert.equal(seed.length, 4);
  assert.equal(newClips(live).length, 2);
  assert.match(device.statuses().join("\n"),
               /'Riff': 2 selected notes \(bar 2 of 2\) as a melodic part: asking the bridge/);
  assertClean(device, live);
});

test("a selection of part of the loop is the bars its notes start in, cut at their end", () => {
  const notes = [{pitch: 40, start_time: 0, duration: 1},     // bar 1
                 {pitch: 43, start_time: 3.99, duration: 1},  // played early: bar 2's downbeat
                 {pitch: 45, start_time: 6, duration: 4},     // bar 2, held into bar 3
                 {pitch: 47, start_time: 9, duration: 0.5, mute: 1},  // bar 3, muted
                 {pitch: 48, start_time: 13, duration: 1}];   // bar 4
  const riff = (selected, spec = {}) => liveSet({tracks: [{name: "Bass", clips: {0: {
    name: "Riff", length: 16, notes, selected, ...spec}}}]});
  const two = setup({live: riff([1, 2])});
  press(two.device);
  let seed = two.bridge.generated[0][2];
  assert.equal(seed.length, 4);
  assert.deepEqual(seed.notes, [[43, 0, 1, 100], [45, 2, 2, 100]]);
  assert.ok(two.device.statuses().includes("'Riff': 2 selected notes (bar 2 of 4) as a " +
                                           "melodic part: asking the bridge..."),
            two.device.statuses().join("\n"));
  const three = setup({live: riff([2, 3])});  // bar 2 and a muted note in bar 3
  press(three.device);
  seed = three.bridge.generated[0][2];
  assert.equal(seed.length, 4);
  assert.deepEqual(seed.notes, [[45, 2, 2, 100]]);
  assert.ok(three.device.statuses().map(unnamed).includes(
    "1 selected note (bar 2 of 4; 1 muted left out) as a melodic part: asking the bridge..."),
            three.device.statuses().join("\n"));
  const wide = setup({live: riff([1, 4])});  // bars 2-4: three bars
  press(wide.device);
  seed = wide.bridge.generated[0][2];
  assert.equal(seed.length, 12);
  assert.deepEqual(seed.notes, [[43, 0, 1, 100], [48, 9, 1, 100]]);
  assert.match(wide.device.statuses().join("\n"), /2 selected notes \(bars 2-4 of 4\)/);
  // In 3/4, bars are 3 beats: the note at 6 is bar 3's.
  const waltz = setup({live: riff([2], {signature: [3, 4], length: 15})});
  press(waltz.device);
  seed = waltz.bridge.generated[0][2];
  assert.equal(seed.length, 3);
  assert.deepEqual(seed.notes, [[45, 0, 3, 100]]);
  assert.match(waltz.device.statuses().join("\n"), /1 selected note \(bar 3 of 5\)/);
});

test("every note that plays selected (Select All): the whole loop, its empty last bar kept", () => {
  const notes = [{pitch: 60, start_time: 0, duration: 1}, {pitch: 62, start_time: 5, duration: 1},
                 {pitch: 64, start_time: 9, duration: 1, mute: 1}];
  const call = (selected) => liveSet({tracks: [{name: "Lead", clips: {0: {
    name: "Call", length: 16, notes, selected}}}]});
  for (const selected of [[0, 1], [0, 1, 2]]) {  // with or without the muted note
    const {device, bridge} = setup({live: call(selected)});
    press(device);
    const seed = bridge.generated[0][2];
    assert.equal(seed.length, 16);
    assert.deepEqual(seed.notes, [[60, 0, 1, 100], [62, 5, 1, 100]]);
    assert.ok(!/ of 4/.test(device.statuses().join("\n")), device.statuses().join("\n"));
  }
});

test("a clip longer than the bridge takes: a selection of part of it goes; else what to do", () => {
  const notes = [{pitch: 60, start_time: 0, duration: 1}, {pitch: 62, start_time: 8000, duration: 1},
                 {pitch: 64, start_time: 8002, duration: 1}];
  const long = (selected) => liveSet({tracks: [{name: "Lead", clips: {0: {
    name: "Jam", length: 8192, notes, selected}}}]});
  const whole = setup({live: long([])});
  press(whole.device);
  assert.equal(whole.device.status(), "the clip's loop is 8192 beats long; the bridge takes " +
               "at most 4096: select the notes of a part of it, or shorten the loop");
  assert.equal(whole.device.osc("/segue/seed/begin").length, 0, "a seed went to the bridge");
  const part = setup({live: long([1, 2])});
  press(part.device);
  const seed = part.bridge.generated[0][2];
  assert.equal(seed.length, 4);
  assert.deepEqual(seed.notes, [[62, 0, 1, 100], [64, 2, 1, 100]]);
  assert.match(part.device.statuses().join("\n"), /2 selected notes \(bar 2001 of 2048\)/);
  const spread = setup({live: long([0, 1])});
  press(spread.device);
  assert.equal(spread.device.status(), "the selected notes span 8004 beats; the bridge takes " +
               "at most 4096: select fewer bars");
});

test("the seed is the loop: notes outside it and muted notes stay out; times move to 0", () => {
  const notes = [{pitch: 50, start_time: 0, duration: 1, velocity: 100},   // before the loop
                 {pitch: 60, start_time: 4, duration: 1, velocity: 100},
                 {pitch: 61, start_time: 5, duration: 1, velocity: 100, mute: 1},
                 {pitch: 62, start_time: 7.5, duration: 2, velocity: 100},  // cut at the end
                 {pitch: 70, start_time: 8, duration: 1, velocity: 100}];  // after the loop
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {name: "Loop", length: 12, notes,
                                                            loop_start: 4, loop_end: 8}}}]});
  const {device, bridge} = setup({live});
  press(device);
  const seed = bridge.generated[0][2];
  assert.equal(seed.length, 4);
  assert.deepEqual(seed.notes, [[60, 0, 1, 100], [62, 3.5, 0.5, 100]]);
  assert.ok(device.statuses().map(unnamed).includes("2 notes (1 muted left out) as a melodic part: " +
                                       "asking the bridge..."), device.statuses().join("\n"));
  assertClean(device, live);
});

test("a loop a beat after the start marker keeps the clip's downbeats and its cycle", () => {
  // Launched, the clip plays from its start marker (0) on a bar line, then loops 1-9: its
  // kicks at 4 and 8 fall on downbeats. The seed began at the loop (beat 1) as if it were
  // a downbeat, and the continuation put the kicks on beat 4 (helper-48); padded with a
  // silent beat, the loop came back with holes every 9 beats (helper-52). The seed is the
  // loop turned to begin on the bar line: beats 8-9, then 1-8.
  const notes = [];
  for (let b = 0; b < 12; b++) {
    notes.push({pitch: b % 4 === 0 ? 36 : 48 + b, start_time: b, duration: 0.5, velocity: 100});
  }
  notes.push({pitch: 70, start_time: 8.75, duration: 1, velocity: 100});  // rings past the end
  const live = liveSet({tracks: [{name: "Beat", clips: {0: {name: "Loop", length: 12, notes,
                                                            loop_start: 1, loop_end: 9}}}]});
  const {device, bridge} = setup({live});
  press(device);
  const seed = bridge.generated[0][2];
  assert.equal(seed.length, 8);  // the loop's 8 beats, a whole cycle
  assert.deepEqual(seed.notes.map((n) => [n[0], n[1], n[2]]), [
    [36, 0, 0.5], [70, 0.75, 0.25], [49, 1, 0.5], [50, 2, 0.5], [51, 3, 0.5],
    [36, 4, 0.5], [53, 5, 0.5], [54, 6, 0.5], [55, 7, 0.5]]);
  const marked = liveSet({tracks: [{name: "Beat", clips: {0: {name: "Loop", length: 12, notes,
                                    loop_start: 1, loop_end: 9, start_marker: 1}}}]});
  const moved = setup({live: marked});
  press(moved.device);  // played from beat 1: beat 1 is its downbeat, as before
  assert.equal(moved.bridge.generated[0][2].length, 8);
  assert.deepEqual(moved.bridge.generated[0][2].notes.filter((n) => n[0] === 36)
                   .map((n) => n[1]), [3, 7]);
});

test("a clip whose start marker is before bar 1 tells the bridge where bar 1 lies", () => {
  // A 4-bar E phrygian bass after its B1 C2 D2 walk-up, the start marker moved back a beat
  // and a half before bar 1 to hold it (the notes at -1.5, -1, -0.5). The device sent the
  // 17.5 beats and nothing more: the bridge could not tell a pickup from a phrase that ends
  // mid-bar, and looped the whole clip, pickup and all. It now says bar 1 lies at 1.5.
  const notes = [{pitch: 35, start_time: -1.5, duration: 0.45, velocity: 96},
                 {pitch: 36, start_time: -1, duration: 0.45, velocity: 96},
                 {pitch: 38, start_time: -0.5, duration: 0.45, velocity: 96}];
  for (let b = 0; b < 16; b++) notes.push({pitch: 40, start_time: b, duration: 0.9, velocity: 96});
  const told = (clip) => {
    const live = liveSet({tracks: [{name: "Bass", clips: {0: {name: "Walk", ...clip, notes}}}]});
    const {device, bridge} = setup({live});
    press(device);
    return {seed: bridge.generated[0][2], device, live};
  };
  for (const looping of [0, 1]) {  // played once from the marker, or looped from it
    const {seed, device, live} = told({length: 16, looping, start_marker: -1.5, end_marker: 16,
                                      loop_start: looping ? -1.5 : 0, loop_end: 16});
    assert.equal(seed.length, 17.5);
    assert.equal(seed.downbeat, 1.5, `looping ${looping}`);
    assert.deepEqual(seed.notes.slice(0, 4).map((n) => [n[0], n[1]]),
                     [[35, 0], [36, 0.5], [38, 1], [40, 1.5]]);
    assert.ok(device.statuses().some((s) => s.includes("a pickup of 1.5 beats before bar 1")),
              device.statuses().join("\n"));
    assertClean(device, live);
  }
  // Bar 1 at the seed's start, or no whole bars after it: nothing told, as before
  const plain = told({length: 16});
  assert.equal(plain.seed.length, 16);
  assert.equal("downbeat" in plain.seed, false);
  const trimmed = told({length: 16, looping: 0, start_marker: -1.5, end_marker: 14});
  assert.equal(trimmed.seed.length, 15.5);
  assert.equal("downbeat" in trimmed.seed, false);
  // A loop from mid-bar, turned to begin on the start marker's bar line (helper-48): as before
  const turned = told({length: 16, loop_start: 1, loop_end: 9});
  assert.equal(turned.seed.length, 8);
  assert.equal("downbeat" in turned.seed, false);
  assert.deepEqual(turned.seed.notes.map((n) => n[1]), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test("a selection in a pickup clip is cut to Live's bars, bar 1 where Live's is", () => {
  // The E bass after its B1 C2 D2 walk-up, the start marker at -1.5. Selected, the walk-up
  // and bar 1 were cut to bars counted from the marker (0-8: the walk-up, bar 1 and 2.5
  // beats of bar 2) and no downbeat told: the takes came back 1.5 beats off Live's bars.
  // Bar 2 alone was 2.5-6.5 and 6.5-10.5 of the clip: two half bars. Both are Live's bars now.
  const notes = [{pitch: 35, start_time: -1.5, duration: 0.45, velocity: 96},
                 {pitch: 36, start_time: -1, duration: 0.45, velocity: 96},
                 {pitch: 38, start_time: -0.5, duration: 0.45, velocity: 96}];
  for (let b = 0; b < 16; b++) notes.push({pitch: 40 + (b % 4), start_time: b, duration: 0.9, velocity: 96});
  const picked = (selected, spec = {}) => {
    const live = liveSet({tracks: [{name: "Bass", clips: {0: {name: "Walk", length: 16, notes,
      selected, looping: 0, start_marker: -1.5, end_marker: 16, ...spec}}}]});
    const {device, bridge} = setup({live});
    press(device);
    return {seed: bridge.generated[0][2], text: device.statuses().join("\n")};
  };
  const starts = (seed) => seed.notes.map((n) => [n[0], n[1]]);
  const up = picked([0, 1, 2, 3, 4, 5, 6]);  // the walk-up and bar 1
  assert.equal(up.seed.length, 5.5);
  assert.equal(up.seed.downbeat, 1.5);
  assert.deepEqual(starts(up.seed), [[35, 0], [36, 0.5], [38, 1], [40, 1.5], [41, 2.5],
                                     [42, 3.5], [43, 4.5]]);
  assert.match(up.text, /7 selected notes \(bar 1 of 4; a pickup of 1\.5 beats before bar 1\)/);
  const looped = picked([0, 1, 2, 3, 7, 8], {looping: 1, loop_start: -1.5, loop_end: 16});
  assert.equal(looped.seed.length, 9.5);  // the walk-up, a note of bar 1, bar 2: 2 bars
  assert.equal(looped.seed.downbeat, 1.5);
  assert.match(looped.text, /bars 1-2 of 4; a pickup of 1\.5 beats before bar 1/);
  const two = picked([7, 8, 9, 10]);  // bar 2: Live's bar, 4-8
  assert.equal(two.seed.length, 4);
  assert.equal("downbeat" in two.seed, false);
  assert.deepEqual(starts(two.seed), [[40, 0], [41, 1], [42, 2], [43, 3]]);
  assert.match(two.text, /4 selected notes \(bar 2 of 4\)/);
  const walk = picked([0, 1, 2]);  // the walk-up alone: itself, no bar after it to tell
  assert.equal(walk.seed.length, 1.5);
  assert.equal("downbeat" in walk.seed, false);
  assert.match(walk.text, /3 selected notes \(the pickup before bar 1\)/);
});

test("float32 times are snapped to 24 ticks per beat, both ways", () => {
  const live = liveSet();
  const {device, bridge} = setup({live, bridge: {float32: true}});
  press(device);
  const sent = bridge.generated[0][2].notes;
  assert.equal(sent[3][1], 1 / 3);  // Live's 0.333... is sent on the grid
  const clip = newClips(live)[0].clip;
  const starts = clip.notes.map((n) => n.start_time);
  const durations = clip.notes.map((n) => n.duration);
  assert.ok(starts.includes(32 / 24) && starts.includes(40 / 24), String(starts));
  for (const t of starts.concat(durations)) {
    assert.equal(Math.round(t * 24), t * 24, `${t} is not on the grid`);
  }
  assert.ok(!starts.includes(Math.fround(4 / 3)), "a float32 time was written as it came");
});

test("a swing between the grid's ticks goes as played, and comes back as played", () => {
  // 16ths swung at 54%: each off 16th at 0.27 beats into its 8th, between ticks 6 and 7.
  const notes = [];
  for (let e = 0; e < 8; e++) {
    notes.push({pitch: 48, start_time: e / 2, duration: 0.27, velocity: 90});
    notes.push({pitch: 55, start_time: e / 2 + 0.27, duration: 0.23, velocity: 70});
  }
  const live = liveSet({tracks: [{name: "Bass", clips: {0: {name: "Swing", length: 4, notes}}}]});
  const swung = (seed) => [{length: 4, notes: seed.notes.map((n) => [n[0], n[1], n[2], n[3]])}];
  const {device, bridge} = setup({live, bridge: {float32: true, variations: swung}});
  press(device);
  const sent = bridge.generated[0][2].notes;
  assert.deepEqual(sent[1], [55, 0.27, 0.23, 70]);  // as played, not 0.25 (tick 6)
  assert.deepEqual(sent[0], [48, 0, 0.27, 90]);  // its end too
  const made = newClips(live)[0].clip.notes;
  const offs = made.filter((n) => n.pitch === 55).map((n) => n.start_time % 0.5);
  assert.equal(offs.length, 8);
  for (const t of offs) {  // float32 on the way back: within its rounding of 0.27
    assert.ok(Math.abs(t - 0.27) < 1e-6, String(offs));
  }
  assert.ok(made.filter((n) => n.pitch === 48).every((n) => n.start_time * 2 === Math.round(n.start_time * 2)));
  assertClean(device, live);
});

test("a time on a half tick goes as played: the bridge rounds its float32 up, as segue does", () => {
  // 62.5% swing puts the off 16th at 0.3125 beats, 7.5 ticks: exact in float32. 12.5 ticks
  // (0.520833...) is not: float32 makes it 12.4999994, which the bridge rounds up to 13 as
  // segue rounds the played time (HALF_TICK_SLACK); it went on the grid, and the bridge
  // played it a tick away from segue generate's continuation of the same file.
  const notes = [
    {pitch: 42, start_time: 0.3125, duration: 0.125, velocity: 70},
    {pitch: 43, start_time: 12.5 / 24, duration: 0.25, velocity: 70},
    {pitch: 36, start_time: 1, duration: 0.25, velocity: 90},
  ];
  const live = liveSet({tracks: [{name: "Bass", clips: {0: {name: "Swing", length: 4, notes}}}]});
  const {device, bridge} = setup({live, bridge: {float32: true}});
  press(device);
  const sent = bridge.generated[0][2].notes;
  assert.deepEqual(sent[0], [42, 0.3125, 0.125, 70]);  // as played
  assert.equal(sent[1][0], 43);  // as played too
  assert.ok(Math.abs(sent[1][1] - 12.5 / 24) < 1e-6 && Math.abs(sent[1][2] - 0.25) < 1e-6, String(sent[1]));
});

test("the device's float32 is Math.fround, which Max's ES5 lacks", () => {
  const {device} = setup();
  const values = [0, 1, -1, 1 / 3, 0.3125, 12.5 / 24, 13 / 24, 1023.99, 1e-40, 2 ** -149, 3.4e38];
  for (let i = 1; i < 2000; i++) {
    values.push(i / 24 + i * 1e-9, (i * 0.37) % 64, i / 48, 1 / i);
  }
  for (const x of values) {
    assert.equal(device.context.float32(x), Math.fround(x), String(x));
  }
});

test("no clip selected: a clear status and nothing sent", () => {
  const live = liveSet({detail: undefined});
  const {device, bridge} = setup({live});
  const before = bridge.received.length;
  press(device);
  assert.match(device.status(), /^no clip selected: click a MIDI clip/);
  assert.equal(bridge.received.length, before);
  assert.deepEqual(device.errors, []);
});

test("an audio clip is refused", () => {
  const live = liveSet({tracks: [{name: "Drums", clips: {0: {name: "Loop", midi: false}}}]});
  const {device} = setup({live});
  press(device);
  assert.equal(device.status(), "the selected clip is an audio clip: select a MIDI clip");
  assert.equal(device.osc("/segue/seed/begin").length, 0);
});

test("an arrangement clip: its continuations go to Session View slots of its track", () => {
  const live = liveSet({tracks: [{name: "Bass", clips: {1: {name: "Held", length: 4}},
                                  arrangement: [{name: "Verse", length: 8, notes: CHORDS}]}],
                        detail: {track: 0, arrangement: 0}});
  const before = live.snapshot(live.tracks[0].arrangement[0]);
  const {device} = setup({live});
  press(device);
  const made = newClips(live);
  assert.deepEqual(made.map((m) => m.index), [0, 2]);
  assert.equal(made[0].clip.name, "Verse - segue 1 (t 1.0)");
  assert.equal(live.snapshot(live.tracks[0].arrangement[0]), before);
  assert.match(device.status(),
               /^arrangement clip: wrote 2 clips to track 'Bass' \(slots 1, 3\) in Session View/);
  assertClean(device, live);
});

test("not enough empty slots below: scenes are added at the end of the set", () => {
  const live = liveSet({scenes: 3, tracks: [{name: "Keys", clips: {1: {name: "Riff", length: 8,
    notes: CHORDS}, 2: {name: "Full"}}}, {name: "Other track"}], detail: {track: 0, slot: 1}});
  const {device} = setup({live, controls: {variations: 3}});
  press(device);
  assert.equal(live.scenes.length, 6);
  assert.equal(live.tracks[1].slots.length, 6, "every track gets the new scenes' slots");
  assert.deepEqual(newClips(live).map((m) => m.index), [3, 4, 5]);
  assert.match(device.status(), /\(slots 4, 5, 6\), added 3 scenes; rng seed 4242$/);
  assertClean(device, live);
});

test("when Live adds no scene, the status says so", () => {
  const live = liveSet({scenes: 1, quirks: {noScenes: true}});
  const {device} = setup({live});
  press(device);
  assert.match(device.status(), /^Live: create_scene -1 added no clip slot to live_set tracks 0/);
});

test("parameters and the model menu go with the request; names carry the temperature", () => {
  const {device, bridge, live} = setup({bridge: {models: ["melody", "polyphonic", "mine"]}});
  device.message("temperature", 0.85);
  device.message("bars", 2);
  device.message("variations", 3);
  device.message("memory", 0.5);
  device.message("top_k", 12);
  device.message("key", 1);
  device.message("model", 3);
  press(device);
  const generate = device.osc("/segue/generate")[0];
  assert.deepEqual(generate.slice(2), ["temperature", 0.85, "bars", 2, "variations", 3,
                                       "memory", 0.5, "top_k", 12, "key", "auto",
                                       "model", "mine"]);
  assert.equal(bridge.generated[0][1].model, "mine");
  assert.equal(bridge.generated[0][1].memory, 0.5);
  assert.equal(bridge.generated[0][1].top_k, 12);
  const made = newClips(live);
  assert.equal(made.length, 3);
  assert.equal(made[2].clip.name, "Riff - segue 3 (t 0.85)");
  assert.equal(made[0].clip.loop_end, 8);  // 2 bars of 4/4
});

test("takes that came out the same notes are said so, as generate, send and the bridge say it", () => {
  // a one-bar house beat kept note for note: every take the same (helper-88), written
  // without a word where the command line and the bridge say so and what to give
  const same = (seed, params) => {
    const length = (params.bars || 4) * seed.numerator * 4 / seed.denominator;
    return Array.from({length: params.variations}, () => ({length, notes: [
      [36, 0, 0.25, 110], [42, 0.5, 0.25, 80], [38, 1, 0.25, 100]]}));
  };
  const short = setup({bridge: {variations: same}, controls: {bars: 2, variations: 3}});
  press(short.device);
  assert.equal(newClips(short.live).length, 3);
  assert.match(short.device.status(), /all 3 takes are the same notes: the loop is kept note for note and varies only in a 4-bar phrase's last bar; raise Bars to 4 or more, or set Fills to phrase$/);
  const phrase = setup({bridge: {variations: same}, controls: {bars: 4, variations: 2}});
  press(phrase.device);
  assert.match(phrase.device.status(), /all 2 takes are the same notes: the loop is kept note for note; set Fills to phrase for takes that differ$/);
  const differ = setup({controls: {variations: 2}});  // the fake bridge's takes differ
  press(differ.device);
  assert.doesNotMatch(differ.device.status(), /are the same/);
});

test("at Temp 0 the status says the takes are all the same, as generate and send say it", () => {
  const {device, live} = setup({controls: {temperature: 0, variations: 2}});
  press(device);
  assert.equal(newClips(live).length, 2);
  assert.match(device.statuses().slice(-1)[0], /at Temp 0 all 2 are the same/);
  const again = setup({controls: {temperature: 0, variations: 1}});  // one take: nothing to say
  press(again.device);
  assert.doesNotMatch(again.device.statuses().join("\n"), /are the same/);
});

test("the Model menu holds on the first press after the bridge comes, and waits for its list", () => {
  // no bridge at load; the musician chooses polyphonic, starts `segue serve`, presses at once
  const {device, bridge} = setup({bridge: {listening: false}});
  device.message("model", 2);
  bridge.options.listening = true;
  press(device);
  assert.equal(bridge.generated[0][1].model, "polyphonic");
  // a list whose end was lost is not taken: a press says so and asks for it again
  const lossy = setup({bridge: {lose: (address) => address === "/segue/models/end"}});
  lossy.device.message("model", 1);
  press(lossy.device);
  assert.equal(lossy.bridge.generated.length, 0);
  assert.equal(lossy.device.status(), "the bridge's list of models has not arrived, so the " +
               "Model menu's choice is not known: press Continue again (nothing was generated)");
  lossy.bridge.options.lose = null;
  press(lossy.device, "learn_set");
  assert.equal(lossy.device.status(), "the bridge's list of models has not arrived, so the " +
               "Model menu's choice is not known: press Learn again (nothing was sent)");
  press(lossy.device);
  assert.equal(lossy.bridge.generated[0][1].model, "melody");
  // with the menu on default, no list is needed
  const plain = setup({bridge: {lose: (address) => address === "/segue/models/end"}});
  press(plain.device);
  assert.equal(plain.bridge.generated[0][1].model, undefined);
});

test("the bridge's list is asked again at each heartbeat, and a choice it moved is asked again", () => {
  // a Learn's list that lost its end: the next heartbeat asks again, and the menu gets it
  const {device, bridge} = setup({bridge: {learnStops: null}});
  press(device, "learn_set");
  bridge.options.lose = (address) => address === "/segue/models/end";
  device.clock.advance(1000);
  assert.match(device.status(), /^learned 'learned-/);
  bridge.options.lose = null;
  device.clock.advance(20000 + 1500 + 10);  // a heartbeat
  assert.ok(device.sent(3).at(-1).some((item) => String(item).startsWith("learned-")));
  // the menu's model gone from the bridge's list (`segue models remove`): the same place is
  // now another model, so the choice is asked again rather than sending the other
  const moved = setup({bridge: {models: ["melody", "polyphonic"]}});
  moved.device.message("model", 2);  // polyphonic
  press(moved.device);
  assert.equal(moved.bridge.generated[0][1].model, "polyphonic");
  moved.bridge.options.models = ["melody", "mine"];
  moved.device.clock.advance(20000 + 1500 + 10);
  press(moved.device);
  assert.equal(moved.bridge.generated.length, 1);
  assert.equal(moved.device.status(), "the bridge's models changed: 'polyphonic', which the " +
               "Model menu chose, is no longer among them; choose a model again, then press " +
               "Continue (nothing was generated)");
  moved.device.message("model", 2);
  press(moved.device);
  assert.equal(moved.bridge.generated[1][1].model, "mine");
});

test("a model tuned meanwhile that sorts before the menu's choice: the menu follows its model", () => {
  // helper-64: Keys learnt a model that sorts before Bass's "tiny"; at Bass's next
  // heartbeat its menu showed Keys' model in tiny's place, and its Continue stopped
  const {device, bridge} = setup({bridge: {models: ["melody", "polyphonic"]}});
  device.message("model", 2);  // polyphonic
  bridge.options.models = ["melody", "mine", "polyphonic"];
  device.clock.advance(20000 + 1500 + 10);  // a heartbeat brings the new list
  assert.deepEqual(device.sent(3).slice(-2), [
    ["_parameter_range", "default", "melody", "mine", "polyphonic"], ["set", 3]]);
  press(device);
  assert.equal(bridge.generated[0][1].model, "polyphonic");
  assert.match(device.status(), /^wrote /);
  assert.deepEqual(device.sent(4).at(-1), ["set", "model:polyphonic"]);  // the name, as saved
});

// A Live set reloaded: a fresh device whose Model menu Live restores as a place (index), as
// it saved it, and whose [pattr] sends the model's name saved beside it; then the bridge's
// list, which may now hold other models before it.
function saved(name) {  // as the [pattr] holds a name: after "model:" (a number is no name)
  return typeof name === "string" ? "model:" + name : name;
}

function reloaded({menu, name, models, controls = {}}) {
  const device = new MaxDevice({live: liveSet(), controls: {model: menu, ...controls}});
  device.message("model", menu);                          // Live restores the menu...
  if (name !== undefined) device.message("savedmodel", saved(name));  // ...and the pattr
  const bridge = new FakeBridge(device, {models});
  device.init();
  device.clock.advance(10);
  return {device, bridge};
}

test("after a reload the Model menu follows the model's saved name, not its place", () => {
  // the musician chooses mybass; the device writes its name into the pattr (no output)
  const {device, bridge} = setup({bridge: {models: ["melody", "mybass", "polyphonic"]}});
  assert.deepEqual(device.sent(4), [["set", "model:default"]]);  // the menu's default, by name
  device.message("model", 2);
  assert.deepEqual(device.sent(4).at(-1), ["set", "model:mybass"]);
  press(device);
  assert.equal(bridge.generated[0][1].model, "mybass");
  // the set reloads after a model tuned meanwhile sorts in before it: place 2 is melody now
  const again = reloaded({menu: 2, name: "mybass",
                          models: ["acid", "melody", "mybass", "polyphonic"]});
  assert.deepEqual(again.device.sent(3).at(-1), ["set", 3]);  // the menu moves to mybass
  assert.deepEqual(again.device.sent(4), []);  // the pattr already holds it
  press(again.device);
  assert.equal(again.bridge.generated[0][1].model, "mybass");
  assertClean(again.device, again.device.live);
  // the pattr restored before the script listened: init reads it
  const early = reloaded({menu: 2, models: ["acid", "melody", "mybass"],
                          controls: {saved_model: "model:mybass"}});
  press(early.device);
  assert.equal(early.bridge.generated[0][1].model, "mybass");
  // the same place still holds the name: nothing moves
  const same = reloaded({menu: 2, name: "mybass", models: ["melody", "mybass"]});
  assert.equal(same.device.sent(3).filter((m) => m[0] === "set").length, 0);
  press(same.device);
  assert.equal(same.bridge.generated[0][1].model, "mybass");
});

test("after a reload a saved model the bridge lacks is not guessed: the device asks for one", () => {
  const {device, bridge} = reloaded({menu: 2, name: "mybass",
                                     models: ["acid", "melody", "polyphonic"]});
  const said = "this set chose the model 'mybass', which the bridge does not have: choose a " +
    "model in the Model menu";
  assert.equal(device.status(), said);
  press(device);
  assert.equal(bridge.generated.length, 0);
  assert.equal(device.status(), said + ", then press Continue (nothing was generated)");
  press(device, "learn_set");
  assert.equal(device.status(), said + ", then press Learn (nothing was sent)");
  assert.deepEqual(device.sent(4), []);  // the set's name stays saved until one is chosen
  // the musician chooses the place the menu shows already: that is a choice too
  device.message("model", 2);
  assert.deepEqual(device.sent(4), [["set", "model:melody"]]);
  press(device);
  assert.equal(bridge.generated[0][1].model, "melody");
  // a bridge that gains the model later (a heartbeat's list) gets the set's choice back
  const later = reloaded({menu: 1, name: "mybass", models: ["acid", "melody"]});
  later.bridge.options.models = ["acid", "melody", "mybass"];
  later.device.clock.advance(20000 + 1500 + 10);
  assert.deepEqual(later.device.sent(3).at(-1), ["set", 3]);
  press(later.device);
  assert.equal(later.bridge.generated[0][1].model, "mybass");
});

test("the Model menu's default is saved by its own name, and a set without a name loads as before", () => {
  const {device, bridge} = setup({bridge: {models: ["melody", "polyphonic"]}});
  device.message("model", 1);
  device.message("model", 0);
  assert.deepEqual(device.sent(4).at(-1), ["set", "model:default"]);
  press(device);
  assert.equal(bridge.generated[0][1].model, undefined);
  const back = reloaded({menu: 2, name: "default", models: ["melody", "polyphonic"]});
  assert.deepEqual(back.device.sent(3).at(-1), ["set", 0]);
  press(back.device);
  assert.equal(back.bridge.generated[0][1].model, undefined);
  // a set saved before the device kept names: its place says the model, which is then saved
  const old = reloaded({menu: 2, models: ["acid", "melody", "polyphonic"]});
  press(old.device);
  assert.equal(old.bridge.generated[0][1].model, "melody");
  assert.deepEqual(old.device.sent(4), [["set", "model:melody"]]);
  // an empty pattr's output (a number or nothing) is no name
  const empty = reloaded({menu: 1, name: 0, models: ["melody"]});
  empty.device.message("savedmodel");
  empty.device.message("savedmodel", "bang");
  empty.device.message("savedmodel", "mybass");  // not as the device writes a name
  press(empty.device);
  assert.equal(empty.bridge.generated[0][1].model, "melody");
});

test("a model named by digits alone is kept by name across a reload", () => {
  // Max reads a bare 808 as a number: the [pattr] holds "model:808", a symbol
  const {device} = setup({bridge: {models: ["707", "808", "melody"]}});
  device.message("model", 2);
  assert.deepEqual(device.sent(4).at(-1), ["set", "model:808"]);
  const again = reloaded({menu: 2, name: "808", models: ["606", "707", "808", "melody"]});
  assert.deepEqual(again.device.sent(3).at(-1), ["set", 3]);
  press(again.device);
  assert.equal(again.bridge.generated[0][1].model, "808");
});

test("a clip named for lost notes is continued under its source's name", () => {
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {
    name: "Riff - segue 2 (t 1.0, 6 of 7 notes arrived)", length: 8, notes: CHORDS}}}]});
  const {device} = setup({live});
  press(device);
  assert.deepEqual(newClips(live).slice(1).map((m) => m.clip.name),
                   ["Riff - segue 1 (t 1.0)", "Riff - segue 2 (t 1.0)"]);
});

test("a Drum Rack's track asks for auto among the drum models, unless the menu names another", () => {
  const drumSet = () => liveSet({tracks: [{name: "Beat", drumRack: true,
                                           clips: {0: {name: "Groove", length: 4, notes: [
                                             {pitch: 36, start_time: 0, duration: 0.25, velocity: 100},
                                             {pitch: 38, start_time: 1, duration: 0.25, velocity: 90},
                                           ]}}}]});
  const {device, bridge, live} = setup({live: drumSet(), bridge: {models: ["melody", "drums"]}});
  press(device);  // auto, not "drums": a drum model tuned on the musician's beats may win
  assert.equal(bridge.generated[0][1].model, "auto");
  assert.equal(bridge.generated[0][1].drums, 1);  // the bridge knows the seed is drums
  assertClean(device, live);
  device.message("model", 1);  // the menu names melody: the musician's choice goes, and
  press(device);               // a real bridge refuses it (error melodic_model)
  assert.equal(bridge.generated[1][1].model, "melody");
  assert.equal(bridge.generated[1][1].drums, 1);
  assert.equal(bridge.generated[1][1].fills, undefined);  // Fills none: the bridge's default
  device.message("fills", 1);
  press(device);
  assert.equal(bridge.generated[2][1].fills, "phrase");
  device.message("fills", 2);
  press(device);
  assert.equal(bridge.generated[3][1].fills, "often");
  const keys = setup();  // an instrument that is no Drum Rack: the bridge chooses (auto)
  press(keys.device);
  assert.equal(keys.bridge.generated[0][1].drums, undefined);  // not sent: 0, the default
  assert.equal(keys.bridge.generated[0][1].model, undefined);
});

test("an error from the bridge ends the request with its code and sentence", () => {
  const {device, bridge, live} = setup({bridge: {fail: {"/segue/generate": ["too_long",
    "a length over the limit"]}}});
  press(device);
  assert.equal(device.status(), "bridge error too_long: a length over the limit");
  assert.equal(newClips(live).length, 0);
  assert.ok(device.posts.some((p) => p.includes("bridge error too_long")));
  // The device is free again: the next press works.
  bridge.options.fail = {};
  press(device);
  assert.equal(newClips(live).length, 2);
});

test("an error during the upload is reported too", () => {
  const {device, live} = setup({bridge: {fail: {"/segue/seed/end": ["count_mismatch",
    "request 5: 6 seed notes arrived, 7 were announced"]}}});
  press(device);
  assert.match(device.status(), /^bridge error count_mismatch: request 5/);
  assert.equal(device.osc("/segue/generate").length, 0);
  assert.equal(newClips(live).length, 0);
});

test("no bridge when Continue is pressed: the status says how to start it", () => {
  const {device, bridge, live} = setup();
  bridge.options.listening = false;
  press(device);
  assert.match(device.status(), /asking the bridge/);
  device.clock.advance(1500);
  assert.match(device.status(), /^no bridge on 127\.0\.0\.1:9123: start it with `segue serve`/);
  assert.equal(newClips(live).length, 0);
  // Later presses work once the bridge is back.
  bridge.options.listening = true;
  press(device);
  assert.equal(newClips(live).length, 2);
});

test("the bridge goes quiet mid-request: the device gives up after a minute", () => {
  const {device, live} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  assert.equal(device.status(), "generating...");
  device.clock.advance(59000);
  assert.equal(device.status(), "generating...");
  device.clock.advance(2000);  // it answers pings: the bridge is there, the request is not
  assert.match(device.status(), /^the bridge said nothing of request \d+ for a minute /);
  assert.equal(newClips(live).length, 0);
});

test("the bridge quits mid-request: the device says so within seconds, not a minute", () => {
  const {device, bridge, live} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  assert.equal(device.status(), "generating...");
  device.clock.advance(5000 + 10);  // a probe: answered, the bridge still works on it
  assert.equal(device.status(), "generating...");
  bridge.options.listening = false;  // Ctrl-C in its terminal, or it crashed
  device.clock.advance(5000 + 1500 + 10);
  assert.match(device.status(), /^the bridge stopped answering \(request \d+\)/);
  assert.equal(newClips(live).length, 0);
  bridge.options.listening = true;  // started again: the next look says so (the line stayed)
  device.clock.advance(5000 + 10);
  assert.match(device.status(), /^connected to segue /);
});

test("the bridge restarts mid-request: the device says so at its next look", () => {
  const {device, bridge, live} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  bridge.options.instance = 8;  // another run of the bridge: it never heard of the request
  device.clock.advance(5000 + 10);
  assert.match(device.status(), /^the bridge restarted while it worked on request \d+: press /);
  assert.equal(newClips(live).length, 0);
});

test("the bridge stopping (Ctrl-C) mid-request: the status says so, then connected or no bridge", () => {
  // helper-64: "the bridge is stopping" stayed on the status line after the bridge was back
  const {device, bridge} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  const id = device.osc("/segue/generate")[0][1];
  device.message("/segue/error", id, "cancelled", "the bridge is stopping");
  assert.equal(device.status(), "bridge error cancelled: the bridge is stopping");
  bridge.options.instance = 8;  // restarted within seconds
  device.clock.advance(5000 + 10);
  assert.match(device.status(), /^connected to segue 0\.1\.0/);
  // stopped for good: "no bridge" within the retry and its ping's 1.5 s
  press(device);
  const next = device.osc("/segue/generate").at(-1)[1];
  device.message("/segue/error", next, "cancelled", "the bridge is stopping");
  bridge.options.listening = false;
  device.clock.advance(5000 + 1500 + 10);
  assert.match(device.status(), /^no bridge on 127\.0\.0\.1:9123/);
});

test("notes lost on the way are reported, the rest is written", () => {
  const {device, live} = setup({bridge: {drop: (v, k) => v === 1 && k === 2}});
  press(device);
  const made = newClips(live);
  assert.deepEqual(made.map((m) => m.clip.notes.length), [7, 6]);
  assert.match(device.status(), /variation 2: 6 of 7 notes arrived$/);
});

test("a done lost on the way: the variations that arrived are written within seconds", () => {
  const {device, live} = setup({bridge: {lose: (address) => address === "/segue/done"}});
  press(device);
  assert.equal(newClips(live).length, 0);  // (the device waits a little for the done)
  device.clock.advance(3100);
  const made = newClips(live);
  assert.deepEqual(made.map((m) => [m.clip.name, m.clip.notes.length]),
                   [["Riff - segue 1 (t 1.0)", 7], ["Riff - segue 2 (t 1.0)", 7]]);
  assert.equal(device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); the bridge's " +
               "last replies were lost (rng seed unknown)");
});

test("notes and a variation lost with the done: what came is written and named so", () => {
  const lost = ({address, args}) => address === "/segue/done" ||
    (address === "/segue/variation/note" && args[1] === 1 && args[2] === 64);
  const {device, live} = setup({bridge: {variations: (seed) => [0, 1, 2].map((k) => ({
    length: 4, notes: [[60 + k, 0, 1, 100], [64, 1, 1, 90], [67, 2, 1, 80]]})),
    lose: (address, args) => lost({address, args}) ||
      (address === "/segue/variation/begin" && args[1] === 2)}});
  device.message("variations", 3);
  press(device);
  device.clock.advance(3100);
  const made = newClips(live);
  assert.deepEqual(made.map((m) => [m.clip.name, m.clip.notes.length]),
                   [["Riff - segue 1 (t 1.0)", 3],
                    ["Riff - segue 2 (t 1.0, 2 of 3 notes arrived)", 2]]);
  assert.equal(device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); the bridge's " +
               "last replies were lost (rng seed unknown). variation 2: 2 of 3 notes arrived; " +
               "variation 3 never arrived");
});

test("a stream that keeps coming is not cut short, however long it takes", () => {
  const {device, live} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  const id = device.osc("/segue/generate")[0][1];
  device.message("/segue/variation/begin", id, 0, 40, 4, 4);
  for (let k = 0; k < 40; k++) {  // a note each 2 s: 80 s of a slow receiver
    device.clock.advance(2000);
    device.message("/segue/variation/note", id, 0, 60, k / 10, 0.1, 100);
  }
  device.message("/segue/variation/end", id, 0);
  device.message("/segue/done", id, 1, 12.5, 77, "melody", "");
  device.clock.advance(100);
  assert.equal(newClips(live)[0].clip.notes.length, 40);
  assert.match(device.status(), /; melody; rng seed 77$/);
});

test("pressing Continue again cancels the request in flight", () => {
  const {device, bridge, live} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  const first = device.osc("/segue/generate")[0][1];
  bridge.options.dieAfterRunning = false;
  press(device);
  assert.deepEqual(device.osc("/segue/cancel")[0], ["/segue/cancel", first]);
  assert.equal(newClips(live).length, 2);
  assert.match(device.status(), /^wrote 2 clips/);
});

test("too many notes for the bridge: refused before sending", () => {
  const live = denseSet(2049);
  const {device} = setup({live});
  press(device);
  assert.equal(device.status(), "the clip has 2049 notes; the bridge takes at most 2048 " +
               "(select fewer)");
  assert.equal(device.osc("/segue/seed/begin").length, 0);
});

test("Generate starts from nothing on the device's track, from the selected scene down", () => {
  const live = new FakeLiveSet({signature: [6, 8], scenes: 4, selectedScene: 1,
    tracks: [{name: "Other", clips: {0: {name: "x"}}}, {name: "Lead", clips: {2: {name: "y"}}}],
    deviceTrack: 1});
  const {device, bridge} = setup({live});
  press(device, "generate_new");
  const seed = bridge.generated[0][2];
  assert.deepEqual([seed.count, seed.length, seed.numerator, seed.denominator], [0, 3, 6, 8]);
  const made = newClips(live, 1);
  assert.deepEqual(made.map((m) => [m.index, m.clip.name]),
                   [[1, "segue new 1 (t 1.0)"], [3, "segue new 2 (t 1.0)"]]);
  assert.equal(made[0].clip.loop_end, 12);  // 4 bars of 6/8
  assert.equal(newClips(live, 0).length, 0);
  assertClean(device, live);
});

test("Generate on a scene with a time signature of its own writes in the scene's", () => {
  const live = new FakeLiveSet({signature: [4, 4], scenes: 4, selectedScene: 1,
    sceneSignatures: {1: [3, 4], 2: [7, 8]}, tracks: [{name: "Lead"}]});
  const {device, bridge} = setup({live});
  press(device, "generate_new");
  const seed = bridge.generated[0][2];
  assert.deepEqual([seed.length, seed.numerator, seed.denominator], [3, 3, 4]);
  const made = newClips(live);
  assert.equal(made.length, 2);
  for (const m of made) {
    assert.equal(m.clip.loop_end, 12);  // 4 bars of 3/4
    assert.deepEqual([m.clip.signature_numerator, m.clip.signature_denominator], [3, 4]);
  }
  assert.ok(device.statuses().includes("from nothing in the scene's 3/4 as a melodic part: " +
                                       "asking the bridge..."), device.statuses().join("\n"));
  assertClean(device, live);
  // Scene 1 has none: the set's 4/4, and the status says nothing of a meter.
  const plain = new FakeLiveSet({signature: [4, 4], scenes: 4, selectedScene: 0,
    sceneSignatures: {1: [3, 4]}, tracks: [{name: "Lead"}]});
  const other = setup({live: plain});
  press(other.device, "generate_new");
  assert.deepEqual(other.bridge.generated[0][2].numerator, 4);
  assert.ok(other.device.statuses().includes("from nothing as a melodic part: asking the " +
                                             "bridge..."), other.device.statuses().join("\n"));
  assertClean(other.device, plain);
});

test("Generate stops where Live names the selected scene otherwise than guessed", () => {
  // Where the path is not "live_set scenes N", the clips went from the track's top in the
  // set's meter without a word (helper-48): the guess fails loudly instead.
  const live = new FakeLiveSet({scenes: 6, sceneSignatures: {3: [3, 4]}, selectedScene: 3,
                                tracks: [{name: "Keys"}]});
  const api = live.api.bind(live);
  live.api = (dev) => {
    const LiveAPI = api(dev);
    return function Quirk(cb, path) {
      LiveAPI.call(this, cb, path);
      if (String(path || cb).trim() === "live_set view selected_scene") {
        this.unquotedpath = "live_set view selected_scene";
        this.path = '"live_set view selected_scene"';
      }
    };
  };
  const {device} = setup({live});
  press(device, "generate_new");
  assert.match(device.status(), /which scene is selected \(its path is 'live_set view selected_scene', not 'live_set scenes N'\): click a scene's name/);
  assert.equal(newClips(live).length, 0);
});

test("Generate in a Live whose scenes report no time signature (Live 11) uses the set's", () => {
  const live = new FakeLiveSet({signature: [6, 8], scenes: 2, live11: true,
                                tracks: [{name: "Lead"}]});
  const {device, bridge} = setup({live});
  press(device, "generate_new");
  assert.deepEqual([bridge.generated[0][2].numerator, bridge.generated[0][2].denominator], [6, 8]);
  assert.equal(newClips(live).length, 2);
  assert.ok(device.posts.some((p) => p.includes("no time_signature_enabled in the scene")),
            device.posts.join("\n"));
  assert.deepEqual(live.errors.filter((e) => !e.includes("scale_mode")),
                   ["get: scene has no property 'time_signature_enabled'"]);
});

test("a continuation is written in its seed clip's signature, not the song's", () => {
  const riff = [{pitch: 40, start_time: 0, duration: 0.5, velocity: 100},
                {pitch: 43, start_time: 1.5, duration: 0.5, velocity: 100}];
  const sevens = (quirks) => new FakeLiveSet({scenes: 4, quirks,  // a 7/8 riff in a 4/4 set
    tracks: [{name: "Bass", clips: {0: {name: "Riff", length: 3.5, signature: [7, 8],
                                        notes: riff}}}],
    detail: {track: 0, slot: 0}});
  const live = sevens();
  const {device, bridge} = setup({live});
  press(device);
  const seed = bridge.generated[0][2];
  assert.deepEqual([seed.numerator, seed.denominator], [7, 8]);
  const made = newClips(live);
  assert.equal(made.length, 2);
  for (const m of made) {
    assert.deepEqual([m.clip.signature_numerator, m.clip.signature_denominator], [7, 8]);
  }
  assert.match(device.status(), /^wrote 2 clips/);
  assert.doesNotMatch(device.status(), /kept/);
  assertClean(device, live);
  // a Live that keeps the song's signature for a new clip: said, the clips still written
  const kept = sevens({clipMeterKept: true});
  const other = setup({live: kept});
  press(other.device);
  assert.equal(newClips(kept).length, 2);
  assert.match(other.device.status(),
               /Live kept 4\/4 for 'Riff - segue 1 \(t 1\.0\)' \(its notes are in 7\/8\)/);
});

test("an unexpected answer from Live stops the action with a status that names it", () => {
  const odd = liveSet({quirks: {notesAnswer: "not json"}});
  const one = setup({live: odd});
  press(one.device);
  assert.match(one.device.status(),
               /^Live: get_selected_notes_extended returned text that is not JSON: not json/);
  assert.ok(one.device.posts.some((p) => p.includes("unexpected answer from Live")));

  const path = liveSet({quirks: {clipPath: "live_set somewhere 3"}});
  const two = setup({live: path});
  press(two.device);
  assert.match(two.device.status(), /^Live: the selected clip has the path 'live_set somewhere 3'/);

  const length = liveSet({quirks: {get: {length: ["many"]}}});
  const three = setup({live: length});
  press(three.device);
  assert.match(three.device.status(), /^Live: 'length' of live_set tracks 0 clip_slots 0 clip is 'many'/);
});

test("notes as a dictionary object (not a JSON string) are read too", () => {
  const live = liveSet({quirks: {notesAsObject: true}});
  const {device, bridge} = setup({live});
  press(device);
  assert.equal(bridge.generated[0][2].count, 7);
  assert.equal(newClips(live).length, 2);
});

test("changing the reply port moves udpreceive and tells the bridge", () => {
  const {device, bridge} = setup();
  device.message("reply_port", 9400);
  assert.deepEqual(device.sent(2).at(-1), ["port", 9400]);
  device.clock.advance(10);
  assert.equal(bridge.replyPort, 9400);
  assert.match(device.status(), /^connected/);
  device.message("bridge_port", 9500);
  assert.deepEqual(device.sent(0).filter((m) => m[0] === "port").at(-1), ["port", 9500]);
  device.clock.advance(1600);
  assert.match(device.status(), /^no bridge on 127\.0\.0\.1:9500/);
});

test("before init the buttons only say the device is starting", () => {
  const device = new MaxDevice({live: liveSet()});
  device.message("continue_clip", 1);
  assert.equal(device.status(), "the device is still starting; press again in a moment");
});

test("helpers are local: only the handlers answer messages", () => {
  const device = new MaxDevice({live: liveSet()});
  for (const name of ["init", "continue_clip", "generate_new", "temperature", "bars",
                      "variations", "memory", "top_k", "fills", "model", "key", "bridge_port",
                      "reply_port", "anything", "notifydeleted"]) {
    assert.equal(typeof device.context[name], "function", name);
    assert.ok(!device.context[name].local, name);
  }
  for (const name of ["readSeed", "writeResults", "snap", "sendOsc", "onReply", "liveScale",
                      "claimReplyPort", "uploadChunk", "failureText", "isFrozen", "frozenText",
                      "unfinishedClip"]) {
    assert.equal(device.context[name].local, 1, name);
  }
});


// -- notes go to Live as JSON text ------------------------------------------------------------

test("the fake Live takes add_new_notes' dictionary as JSON text only, as classic js sends it", () => {
  const live = liveSet();
  live.device.ready = true;
  const LiveAPI = live.api();
  const clip = new LiveAPI(null, "live_set tracks 0 clip_slots 0 clip");
  const before = live.clipAt(0, 0).notes.length;
  clip.call("add_new_notes", {notes: [{pitch: 70, start_time: 0, duration: 1, velocity: 90}]});
  assert.match(live.errors.join("\n"), /add_new_notes: Malformatted dictionary argument/);
  assert.equal(live.clipAt(0, 0).notes.length, before, "a JavaScript object added notes");
  live.errors.length = 0;
  clip.call("add_new_notes", JSON.stringify({notes: [{pitch: 70, start_time: 0, duration: 1,
                                                      velocity: 90}]}));
  assert.deepEqual(live.errors, []);
  assert.equal(live.clipAt(0, 0).notes.length, before + 1);
  clip.call("add_new_notes", JSON.stringify([{pitch: 70}]));
  clip.call("add_new_notes", JSON.stringify({notes: [{pitch: 71, start_time: 0, duration: 1,
                                                      velocity: 90, note_id: 5}]}));
  assert.match(live.errors[0], /Expecting 'notes' as the main dictionary's key/);
  assert.match(live.errors[1], /bad note .*note_id/);
  assert.equal(live.clipAt(0, 0).notes.length, before + 1);
});

test("the device writes its notes as JSON text, and every one arrives", () => {
  const live = liveSet();
  const {device} = setup({live});
  press(device);
  const made = newClips(live);
  assert.deepEqual(made.map((m) => m.clip.notes.length), [7, 7]);
  assert.equal(live.changes.filter((c) => c.what === "add_new_notes").length, 2);
  assertClean(device, live);
});

// -- big uploads are paced --------------------------------------------------------------------

test("a seed of 2048 notes goes in chunks of 128 with a pause between them", () => {
  const live = denseSet(2048);
  const {device, bridge} = setup({live, controls: {variations: 1}});
  const times = [];
  device.listeners.push((index, atoms) => {
    if (index === 0 && atoms[0] === "/segue/seed/note") times.push(device.clock.now);
  });
  device.message("continue_clip", 1);
  device.clock.advance(2);  // the pong has come: the upload has begun
  assert.equal(times.length, 128, "the first chunk goes at once, the rest waits");
  device.clock.advance(200);
  const chunks = [...new Set(times)].map((t) => times.filter((x) => x === t).length);
  assert.equal(chunks.length, 16);
  assert.ok(chunks.every((n) => n === 128), String(chunks));
  const starts = [...new Set(times)];
  assert.ok(starts.every((t, i) => i === 0 || t - starts[i - 1] >= 5), String(starts));
  assert.equal(bridge.generated[0][2].count, 2048);
  assert.equal(bridge.generated[0][2].notes.length, 2048);
  assert.match(device.status(), /^wrote 1 clip to track 'Keys'/);
  assertClean(device, live);
});

test("a new press during a paced upload cancels it: no stray chunks for the new request", () => {
  const live = denseSet(1000);
  const {device, bridge} = setup({live, controls: {variations: 1}});
  device.message("continue_clip", 1);
  device.clock.advance(2);
  device.message("continue_clip", 1);
  device.clock.advance(300);
  assert.equal(bridge.generated.length, 1);
  assert.equal(bridge.generated[0][2].notes.length, 1000);
  assert.match(device.status(), /^wrote 1 clip/);
  assertClean(device, live);
});

// -- each device its own reply port -----------------------------------------------------------

// Two segue devices in one set, one Max, each talking to the bridge as its own client.
function twoDevices(liveSpec = {}) {
  const live = new FakeLiveSet({
    scenes: 4,
    tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8, notes: CHORDS}}},
             {name: "Bass"}],
    detail: {track: 0, slot: 0},
    ...liveSpec,
  });
  const clock = new VirtualClock();
  const net = new Loopback();
  const first = new MaxDevice({live, clock});
  const second = new MaxDevice({live, clock, place: live.addDevice(1)});
  const bridges = [new FakeBridge(first, {net}), new FakeBridge(second, {net})];
  first.init();
  second.init();
  clock.advance(10);
  return {live, clock, net, first, second, bridges};
}

test("two devices in one set listen on their own reply ports and both work", () => {
  const {live, clock, first, second, bridges} = twoDevices();
  assert.deepEqual(first.sent(2)[0], ["port", 9124]);
  assert.deepEqual(second.sent(2)[0], ["port", 9125], "the second device takes the next port");
  assert.match(first.status(), /^connected to segue .*, replies on port 9124:/);
  assert.match(second.status(), /^connected to segue .*, replies on port 9125:/);
  assert.deepEqual([bridges[0].replyPort, bridges[1].replyPort], [9124, 9125]);
  first.message("continue_clip", 1);
  second.message("generate_new", 1);
  clock.advance(100);
  assert.match(first.status(), /^wrote 2 clips to track 'Keys' \(slots 2, 3\)/);
  assert.match(second.status(), /^wrote 2 clips to track 'Bass' \(slots 1, 2\)/);
  assert.equal(newClips(live, 0).length, 2);
  assert.equal(newClips(live, 1).length, 2);
  assertClean(first, live);
  assertClean(second, live);
});

test("a deleted device frees its port; a Reply port setting is where the search starts", () => {
  const {live, clock, first, second} = twoDevices();
  first.delete();
  const third = new MaxDevice({live, clock, place: live.addDevice(1)});
  const fake = new FakeBridge(third);
  third.init();
  clock.advance(10);
  assert.deepEqual(third.sent(2)[0], ["port", 9124], "the deleted device's port is free again");
  assert.equal(fake.replyPort, 9124);
  second.message("reply_port", 9300);
  assert.deepEqual(second.sent(2).at(-1), ["port", 9300]);
  clock.advance(10);
  assert.match(second.status(), /replies on port 9300/);
  second.message("reply_port", 9124);  // 9124 is the third's: the second looks further up
  assert.deepEqual(second.sent(2).at(-1), ["port", 9125]);
  clock.advance(10);
  assert.match(second.status(), /replies on port 9125/);
});

test("a device deleted while the bridge works for it cancels its request, and says bye", () => {
  // helper-64: a deleted (or reloaded) device's 16 variations x 32 bars went on generating,
  // and the other devices waited behind them
  const {device, bridge} = setup({bridge: {dieAfterRunning: true}});
  press(device);
  const id = device.osc("/segue/generate")[0][1];
  device.delete();
  assert.deepEqual(bridge.received.slice(-2), [["/segue/cancel", id], ["/segue/bye"]]);
  // a Learn's upload too (paced: the deleted device sends no more of it)
  const many = [];
  for (let i = 0; i < 400; i++) many.push({pitch: 60, start_time: i / 4, duration: 0.25});
  const learn = setup({live: liveSet({tracks: [{name: "Keys", clips: {0: {name: "Long",
                                                 length: 100, notes: many}}}]})});
  learn.device.message("learn_set", 1);
  learn.device.clock.advance(10);
  const learnId = learn.device.osc("/segue/learn/begin")[0][1];
  learn.device.delete();
  const sent = learn.bridge.received.length;
  learn.device.clock.advance(1000);
  assert.equal(learn.bridge.received.length, sent);
  assert.deepEqual(learn.bridge.received.slice(-2), [["/segue/cancel", learnId], ["/segue/bye"]]);
  // an idle device says nothing
  const idle = setup();
  const before = idle.bridge.received.length;
  idle.device.delete();
  assert.equal(idle.bridge.received.length, before);
});

test("replies for another client on its port: the device says so instead of hearing nothing", () => {
  // Two devices that do not share their claims (as if in two Max applications), on one
  // computer where the later socket bound to 9124 gets all of its datagrams.
  const live = liveSet();
  const clock = new VirtualClock();
  const net = new Loopback();
  const first = new MaxDevice({live, clock, max: new MaxApp()});
  const second = new MaxDevice({live, clock, place: live.addDevice(0), max: new MaxApp()});
  new FakeBridge(first, {net});
  new FakeBridge(second, {net});
  first.init();
  second.init();
  clock.advance(10);
  assert.deepEqual(second.sent(2).map((m) => m[1]), [9124, 65536]);
  assert.ok(second.posts.some((p) => p.includes("replies for another client arrive on port " +
                                                 "9124")));
  assert.equal(second.status(), "replies for another program also arrive on port 9124: give " +
               "this device another Reply port");
  clock.advance(1600);
  assert.match(first.status(), /^no bridge on 127\.0\.0\.1:9123: .*\(replies come back to port 9124\)/);
  second.message("reply_port", 9200);
  clock.advance(1600);
  assert.match(second.status(), /^connected .* replies on port 9200/);
  clock.advance(5000);
  assert.match(first.status(), /^connected .* replies on port 9124/);
});

// -- Live's scale -----------------------------------------------------------------------------

function scaled(scale, overrides = {}) {
  return liveSet({scale: {mode: 1, ...scale}, ...overrides});
}

test("key lock 'live' is the default: Live's scale while the set's Scale Mode is on", () => {
  const cases = [
    [{root: 2, name: "Dorian", intervals: [0, 2, 3, 5, 7, 9, 10]}, "D 0,2,3,5,7,9,10",
     "key D Dorian (Live's scale)"],
    [{root: 1, name: "Half-whole Dim.", intervals: [0, 1, 3, 4, 6, 7, 9, 10]},
     "C# 0,1,3,4,6,7,9,10", "key C# Half-whole Dim. (Live's scale)"],
    [{root: 9, name: "Minor Pentatonic", intervals: [0, 3, 5, 7, 10]}, "A 0,3,5,7,10",
     "key A Minor Pentatonic (Live's scale)"],
    [{root: 10, name: "Messiaen 5", intervals: [0, 1, 5, 6, 7, 11]}, "Bb 0,1,5,6,7,11",
     "key Bb Messiaen 5 (Live's scale)"],
  ];
  for (const [scale, key, label] of cases) {
    const live = scaled(scale);
    const {device, bridge} = setup({live});
    press(device);
    assert.equal(bridge.generated[0][1].key, key);
    assert.ok(device.statuses().map(unnamed).includes(`7 notes as a melodic part, ${label}: asking the bridge...`),
              device.statuses().join("\n"));
    assert.equal(device.status(), `wrote 2 clips to track 'Keys' (slots 2, 4); ${label}; ` +
                 "rng seed 4242");
    assertClean(device, live);
  }
});

test("Scale Mode off: no key lock, as before; auto and off ignore Live's scale", () => {
  const off = scaled({mode: 0, root: 2, name: "Dorian"});
  const one = setup({live: off});
  press(one.device);
  assert.equal(one.bridge.generated[0][1].key, "off");
  assert.equal(one.device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); rng seed 4242");
  const on = scaled({root: 2, name: "Dorian", intervals: [0, 2, 3, 5, 7, 9, 10]});
  const two = setup({live: on, controls: {key: 1}});
  press(two.device);
  assert.equal(two.bridge.generated[0][1].key, "auto");
  two.device.message("key", 0);
  press(two.device);
  assert.equal(two.bridge.generated[1][1].key, "off");
  assertClean(two.device, on);
});

test("the status line says the model that continued the clip and the key the bridge heard", () => {
  const heard = setup({controls: {key: 1}, bridge: {made: ["producer", "G major"]}});
  press(heard.device);
  assert.equal(heard.bridge.generated[0][1].key, "auto");
  assert.equal(heard.device.status(),
               "wrote 2 clips to track 'Keys' (slots 2, 4); producer, key G major; rng seed 4242");
  const unlocked = setup({bridge: {made: ["melody", ""]}});
  press(unlocked.device);
  assert.equal(unlocked.device.status(),
               "wrote 2 clips to track 'Keys' (slots 2, 4); melody; rng seed 4242");
  // Live's scale, as the device read it, is what the status says of the key
  const live = scaled({root: 2, name: "Dorian", intervals: [0, 2, 3, 5, 7, 9, 10]});
  const scale = setup({live, bridge: {made: ["producer", "D 0,2,3,5,7,9,10"]}});
  press(scale.device);
  assert.match(scale.device.status(), /; producer, key D Dorian \(Live's scale\); rng seed 4242$/);
  assertClean(scale.device, live);
});

test("the status line says how a clip that looks like a beat on a track without a Drum Rack was played", () => {
  // the bridge's done says it (its 7th argument, said), as segue generate says it: a hat
  // loop or a jazz ride part continued as notes got no word in Live (helper-172)
  const said = "played as notes: it looks like a ride part on a melodic MIDI channel; " +
      "choose drums to continue it as drums";
  const ride = setup({bridge: {made: ["producer", "", said]}});
  press(ride.device);
  assert.equal(ride.device.status(),
               "wrote 2 clips to track 'Keys' (slots 2, 4); producer; rng seed 4242. " + said);
  const beat = "played as drums: it looks like a drum beat (kick, snare or clap, hats) on " +
      "a melodic MIDI channel; choose producer for notes";
  const drums = setup({bridge: {made: ["drums", "", beat]}});
  press(drums.device);
  assert.equal(drums.device.status(),
               "wrote 2 clips to track 'Keys' (slots 2, 4); drums; rng seed 4242. " + beat);
  const quiet = setup({bridge: {made: ["producer", "", ""]}});
  press(quiet.device);
  assert.equal(quiet.device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); producer; " +
               "rng seed 4242");
  assertClean(quiet.device, quiet.live);
});

test("Live 11 has no scale: key lock 'live' is off and the status says why", () => {
  const live = liveSet({live11: true});
  const {device, bridge} = setup({live});
  press(device);
  assert.equal(bridge.generated[0][1].key, "off");
  assert.match(device.status(), /; no key lock \(this Live reports no Scale Mode\); rng seed/);
  assert.deepEqual(live.errors, ["get: song has no property 'scale_mode'"]);
});

test("without Live's semitones the scale goes by its name (the bridge reads or refuses it)", () => {
  const live = scaled({root: 7, name: "Super Locrian"}, {quirks: {get: {scale_intervals: []}}});
  const {device, bridge} = setup({live});
  press(device);
  assert.equal(bridge.generated[0][1].key, "G Super Locrian");
  assert.ok(device.posts.some((p) => p.includes("Live's scale_intervals is ''")));
  assert.match(device.status(), /; key G Super Locrian \(Live's scale\); rng seed/);
});

test("Live's scale that makes no sense stops the action with a status that names it", () => {
  const live = scaled({root: 14, name: "Major"});
  const {device} = setup({live});
  press(device);
  assert.equal(device.status(), "Live: root_note of live_set is 14, not a pitch class 0-11");
  const empty = scaled({name: ""}, {quirks: {get: {scale_intervals: ["x"]}}});
  const two = setup({live: empty});
  press(two.device);
  assert.equal(two.device.status(),
               "Live: live_set has Scale Mode on but neither scale_intervals nor scale_name");
});

test("Generate from nothing follows Live's scale too", () => {
  const live = scaled({root: 4, name: "Phrygian Dominant", intervals: [0, 1, 4, 5, 7, 8, 10]});
  const {device, bridge} = setup({live});
  press(device, "generate_new");
  assert.equal(bridge.generated[0][1].key, "E 0,1,4,5,7,8,10");
  assert.match(device.status(), /^wrote 2 clips .*; key E Phrygian Dominant \(Live's scale\);/);
});

test("Learn sends a played clip's times as played, as a seed's go", () => {
  // A bass played into Live and quantized: its starts on the grid, its ends where the
  // player let go (8ths held 0.43-0.47 beats). Snapped here, they went as 10-11 ticks and
  // the bridge learnt those, where generation reads the same clip as 8ths of 12 ticks.
  const held = [0.43, 0.47, 0.45, 0.44, 0.46, 0.43, 0.45, 0.47];
  const notes = held.map((d, i) => ({pitch: 40 + (i % 3), start_time: i / 2, duration: d,
                                     velocity: 90}));
  const live = liveSet({tracks: [{name: "Bass", clips: {0: {name: "Played", length: 4, notes}}}]});
  const {device, bridge} = setup({live});
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.ok(bridge.learned, device.status());
  const sent = bridge.learned.got[0].received;
  assert.deepEqual(sent.map((n) => n[2]), held);  // as played, not 0.417 and 0.458
  assert.deepEqual(sent.map((n) => n[1]), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  press(device);  // and as the same clip's seed goes
  assert.deepEqual(bridge.generated[0][2].notes.map((n) => n[2]), held);
});

test("Learn sends every MIDI clip of the set, paced, then shows progress and the new model", () => {
  const riff = (pitch) => [0, 1, 2, 3].map((i) => ({pitch: pitch + i, start_time: i,
                                                     duration: 1, velocity: 90}));
  const live = liveSet({tracks: [
    {name: "Keys", clips: {0: {name: "A", length: 4, notes: riff(60)},
                           1: {name: "B", length: 4,
                               notes: [...riff(62), {pitch: 90, start_time: 2, duration: 1,
                                                     mute: true}]}},
     arrangement: [{name: "Verse", length: 8, notes: riff(48)}]},
    {name: "Beats", drumRack: true, clips: {0: {name: "Beat", length: 4, notes: riff(36)}}},
    {name: "Audio", clips: {0: {name: "Loop", length: 4, midi: false}}},
  ]});
  const {device, bridge} = setup({live, bridge: {models: ["melody", "drums"]}});
  device.message("learn_seconds", 30);
  press(device, "learn_set");
  device.clock.advance(1000);
  const learned = bridge.learned;
  assert.ok(learned, device.status());
  assert.equal(learned.seconds, 30);
  assert.equal(learned.from, "");  // the Model menu on default: segue chooses
  assert.match(learned.name, /^learned-\d{8}-\d{6}$/);  // to the second: two Learns a minute
  assert.deepEqual(learned.got.map((c) => [c.notes, c.length, c.drums]),
                   [[4, 4, 0], [4, 4, 0], [4, 8, 0], [4, 4, 1]]);  // muted note and audio left out
  assert.deepEqual(learned.got[2].received[0], [48, 0, 1, 90]);
  assert.match(device.status(), /^learned 'learned-.*' \(held-out loss 3\.50 -> 2\.25 in 12 s\): choose it in the Model menu; 1 drum clip left out \(for a drum model, choose drums in the Model menu and press Learn\)$/);
  const menu = device.sent(3).at(-1);
  assert.equal(menu.at(-1), learned.name);
  assertClean(device, live);
  // The Model menu on drums: the drum model learns the drum clip, and the others are said.
  device.message("model", 2);
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.equal(bridge.learned.from, "drums");
  assert.match(device.status(), /^learned 'learned-.*' \(held-out loss .*\): choose it in the Model menu; 3 melodic clips left out \(a drum model learns the drum tracks' clips\)$/);
});

test("Learn says when no bridge is there, gives up on one gone silent, and can go again", () => {
  // No bridge: said within the ping's 1.5 s, and nothing is left waiting (Learn stayed
  // "still learning").
  const gone = setup({bridge: {listening: false}});
  gone.device.clock.advance(2000);  // the first ping goes unanswered
  press(gone.device, "learn_set");
  gone.device.clock.advance(1500);
  assert.match(gone.device.status(), /^no bridge on 127\.0\.0\.1:9123: start it with `segue serve`/);
  assert.equal(gone.device.osc("/segue/learn/begin").length, 0);
  gone.bridge.options.listening = true;
  press(gone.device, "learn_set");
  gone.device.clock.advance(1000);
  assert.match(gone.device.status(), /^learned 'learned-/);
  // The clips went, but no "starting" came back at once: said within 1.5 s, not a minute.
  const {device, bridge} = setup({bridge: {mute: ["/segue/learn/end"]}});
  press(device, "learn_set");
  device.clock.advance(1400);
  assert.match(device.status(), /^learning from 1 clip \(7 notes\): sending them/);
  device.clock.advance(200);
  assert.match(device.status(), /^learn: no answer from the bridge after the clips of 'learned-.*' were sent; is `segue serve` still running\? Press Learn to try again/);
  bridge.options.mute = [];
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.match(device.status(), /^learned 'learned-/);
  // Gone silent while it fits the clip memory at the end (it answers pings: a tuning bridge
  // says its status every 10 s at least): a minute.
  const fits = setup({bridge: {learnStops: "fitting"}});
  press(fits.device, "learn_set");
  fits.device.clock.advance(59000);
  assert.match(fits.device.status(), /^learning 'learned-.*': fitting the clip memory/);
  fits.device.clock.advance(2000);
  assert.match(fits.device.status(), /^learn: the bridge stopped answering/);
});

test("Learn pressed before the bridge first answered waits for its answer, then learns", () => {
  const device = new MaxDevice({live: liveSet()});
  const bridge = new FakeBridge(device, {listening: false});
  device.init();
  device.clock.advance(10);  // the first ping is out; its 1.5 s are not over
  bridge.options.listening = true;  // the bridge comes up now
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.match(device.status(), /^learned 'learned-/);
  assert.equal(device.osc("/segue/learn/begin").length, 1);
});

test("Learn just after the bridge stopped asks it first, and goes again once it is back", () => {
  // helper-64: the link said "connected" (its last heartbeat), the clips went into the
  // void, and Learn was refused "still learning" for a minute, the bridge back meanwhile
  const {device, bridge} = setup();
  bridge.options.listening = false;  // Ctrl-C: the device has not noticed
  device.clock.advance(1000);
  press(device, "learn_set");
  assert.match(device.status(), /^learning from 1 clip \(7 notes\): asking the bridge\.\.\.$/);
  device.clock.advance(1500);
  assert.match(device.status(), /^no bridge on 127\.0\.0\.1:9123/);
  assert.equal(device.osc("/segue/learn/begin").length, 0, "nothing sent into the void");
  bridge.options.listening = true;  // back
  device.clock.advance(6000);
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.match(device.status(), /^learned 'learned-/);
});

test("the bridge killed or restarted while it tunes: the Learn ends at the next look", () => {
  // killed: the next heartbeat goes unanswered ("no bridge"); the Learn ends with it
  const {device, bridge} = setup({bridge: {learnStops: "fitting"}});
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.match(device.status(), /^learning 'learned-.*': fitting/);
  bridge.options.listening = false;
  device.clock.advance(20000 + 1500 + 10);
  assert.match(device.status(), /^learn: the bridge stopped \(or restarted\) while it learnt 'learned-.*': press Learn again$/);
  bridge.options.listening = true;
  bridge.options.learnStops = null;
  device.clock.advance(5000);
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.match(device.status(), /^learned 'learned-/);
  // restarted between two heartbeats: the next pong names another run of the bridge
  const again = setup({bridge: {learnStops: "fitting"}});
  press(again.device, "learn_set");
  again.device.clock.advance(1000);
  again.bridge.options.instance = 8;
  again.device.clock.advance(20000 + 10);
  assert.match(again.device.status(), /^learn: the bridge stopped \(or restarted\) while it learnt/);
  again.bridge.options.learnStops = null;
  press(again.device, "learn_set");
  again.device.clock.advance(1000);
  assert.match(again.device.status(), /^learned 'learned-/);
});

test("a Continue's outcome stays on the status line while a Learn goes on", () => {
  const {device, live} = setup({bridge: {learnStops: "fitting"}});  // the tuning goes on
  press(device, "learn_set");
  device.clock.advance(1000);
  const id = device.osc("/segue/learn/begin")[0][1];
  press(device);
  assert.equal(newClips(live).length, 2);
  const wrote = device.status();
  assert.match(wrote, /^wrote 2 clips to track 'Keys'/);
  device.clock.advance(10000);
  device.message("/segue/learn/status", id, "tuning", 60, 2.4);
  assert.equal(device.status(), wrote);  // in the Max window only
  assert.ok(device.posts.some((p) => p.includes("learning 'learned-") && p.includes("60%")));
  device.clock.advance(11000);
  device.message("/segue/learn/status", id, "tuning", 80, 2.3);
  assert.match(device.status(), /^learning 'learned-.*': 80%, held-out loss 2\.30\.\.\.$/);
  device.message("/segue/learn/done", id, "learned-x", 3.5, 2.25, 12.0, 0, 0);
  assert.match(device.status(), /^learned 'learned-x'/);  // the end shows at once, always
});

test("Learn with too little material or a bridge error says so on the status line", () => {
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {name: "A", length: 4, notes: []}}}]});
  const {device} = setup({live});
  press(device, "learn_set");
  assert.match(device.status(), /no MIDI clips with notes in the set to learn from/);
  const other = setup({bridge: {fail: {"/segue/learn/begin": ["name_taken", "taken"]}}});
  press(other.device, "learn_set");
  other.device.clock.advance(1000);
  assert.match(other.device.status(), /^learn: bridge error name_taken: taken/);
});

// -- the set changes while the bridge generates ----------------------------------------------

// Continue pressed; `edit` changes the set before the bridge's first reply; then it finishes.
function pressThenEdit(device, edit, button = "continue_clip") {
  device.message(button, 1);  // the seed (and the track's id) is read now
  edit();
  device.clock.advance(100);
}

test("a track inserted above while the bridge generates: the clips go to the clip's track", () => {
  const live = liveSet();
  const {device} = setup({live});
  pressThenEdit(device, () => live.insertTrack(0, {name: "New Pad"}));
  assert.equal(live.tracks[1].name, "Keys");
  assert.deepEqual(newClips(live, 0), [], "clips written to the inserted track");
  assert.deepEqual(newClips(live, 1).map((m) => [m.index, m.clip.name]),
                   [[1, "Riff - segue 1 (t 1.0)"], [3, "Riff - segue 2 (t 1.0)"]]);
  assert.equal(device.status(), "wrote 2 clips to track 'Keys' (slots 2, 4); rng seed 4242");
  assertClean(device, live);
});

test("a track deleted above while the bridge generates: the clips still go to the clip's track", () => {
  const live = liveSet({tracks: [{name: "Drums", drumRack: true},
                                 {name: "Keys", clips: {0: {name: "Riff", length: 8, notes: CHORDS}}},
                                 {name: "Bass"}],
                        detail: {track: 1, slot: 0}});
  const {device} = setup({live});
  pressThenEdit(device, () => live.deleteTrack(0));
  assert.deepEqual(live.tracks.map((t) => t.name), ["Keys", "Bass"]);
  assert.deepEqual(newClips(live, 0).map((m) => m.index), [1, 2]);
  assert.deepEqual(newClips(live, 1), [], "clips written to the track that moved up");
  assert.match(device.status(), /^wrote 2 clips to track 'Keys' \(slots 2, 3\)/);
  assertClean(device, live);
});

test("the clip's own track deleted while the bridge generates: one clear status, nothing written", () => {
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8, notes: CHORDS}}},
                                 {name: "Bass"}]});
  const {device} = setup({live});
  pressThenEdit(device, () => live.deleteTrack(0));
  assert.equal(device.status(), "track 'Keys' was deleted while the bridge generated: " +
               "nothing was written (press Continue on a clip to try again)");
  assert.deepEqual(newClips(live, 0), [], "clips written to the track that took its place");
  assert.deepEqual(live.changes, [], "Live was changed");
  assert.equal(live.scenes.length, 4, "scenes were added");
  // A Live whose id of the deleted track still answers with its old path: that path leads
  // to another track now, so the track counts as deleted, and nothing is written either.
  const stale = liveSet({quirks: {staleIds: true},
                         tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8,
                                                             notes: CHORDS}}},
                                  {name: "Bass"}]});
  const two = setup({live: stale});
  pressThenEdit(two.device, () => stale.deleteTrack(0));
  assert.match(two.device.status(), /^track 'Keys' was deleted while the bridge generated/);
  assert.ok(two.device.posts.some((p) => /answers with the path 'live_set tracks 0', which leads to id \d+/.test(p)));
  assert.deepEqual(stale.changes, []);
});

test("scenes inserted above the clip while the bridge generates: the clips go below it", () => {
  const live = liveSet({scenes: 6});
  const {device} = setup({live});
  pressThenEdit(device, () => {
    live.insertScene(0);
    live.insertScene(0);  // Riff now in slot 3 (index 2), Other in index 4
  });
  assert.equal(live.clipAt(0, 2).name, "Riff");
  assert.deepEqual(newClips(live).map((m) => m.index), [3, 5]);
  assert.match(device.status(), /^wrote 2 clips to track 'Keys' \(slots 4, 6\)/);
  assertClean(device, live);
});

test("Generate: a track inserted above the device's track while the bridge generates", () => {
  const live = new FakeLiveSet({scenes: 4, tracks: [{name: "Lead"}]});
  const {device} = setup({live});
  pressThenEdit(device, () => live.insertTrack(0, {name: "New Pad"}), "generate_new");
  assert.deepEqual(newClips(live, 0), []);
  assert.deepEqual(newClips(live, 1).map((m) => m.index), [0, 1]);
  assert.match(device.status(), /^wrote 2 clips to track 'Lead' \(slots 1, 2\)/);
  assertClean(device, live);
});

// -- drum parts inside racks -----------------------------------------------------------------

const BEAT = [{pitch: 36, start_time: 0, duration: 0.25, velocity: 100},
              {pitch: 42, start_time: 0.5, duration: 0.25, velocity: 90},
              {pitch: 38, start_time: 1, duration: 0.25, velocity: 100},
              {pitch: 46, start_time: 1.5, duration: 0.25, velocity: 80}];

// An Instrument Rack layering a bass synth and, one rack deeper, a Drum Rack.
const LAYERED_KIT = {name: "Layered Kit", chains: [
  [{name: "Operator"}],
  [{name: "Utility"}, {name: "Inner Rack", chains: [[{name: "Drum Rack", drumPads: true}]]}],
]};

function beatSet(track, scale = {mode: 1, root: 2, name: "Dorian",
                                 intervals: [0, 2, 3, 5, 7, 9, 10]}) {
  return new FakeLiveSet({scenes: 4, scale,
    tracks: [{name: "Beat", clips: {0: {name: "Groove", length: 4, notes: BEAT}}, ...track}],
    detail: {track: 0, slot: 0}});
}

test("a Drum Rack inside an Instrument Rack is found: the clip goes as drums, without a key", () => {
  const live = beatSet({instrument: LAYERED_KIT});
  const {device, bridge} = setup({live, bridge: {models: ["melody", "drums"]}});
  press(device);
  const params = bridge.generated[0][1];
  assert.equal(params.drums, 1);
  assert.equal(params.model, "auto");
  assert.equal(params.key, "off", "Live's scale went with a drum part");
  assert.ok(device.statuses().map(unnamed).includes("4 notes as drums (the track has a Drum Rack: no key " +
                                       "lock): asking the bridge..."), device.statuses().join("\n"));
  assert.equal(device.status(), "wrote 2 clips to track 'Beat' (slots 2, 3); rng seed 4242");
  assertClean(device, live);
});

test("a Drum Rack's track says drums and no key; a melodic part says so, with its key", () => {
  const drums = beatSet({drumRack: true});
  const one = setup({live: drums});
  press(one.device);
  assert.equal(one.bridge.generated[0][1].key, "off");
  assert.ok(one.device.statuses().map(unnamed).includes("4 notes as drums (the track has a Drum Rack: no " +
                                           "key lock): asking the bridge..."));
  assert.doesNotMatch(one.device.statuses().join("\n"), /Live's scale/);
  // An Instrument Rack of melodic instruments only: a melodic part, in Live's scale.
  const keys = beatSet({instrument: {name: "Pad Stack", chains: [[{name: "Operator"}],
                                                                  [{name: "Wavetable"}]]}});
  const two = setup({live: keys});
  press(two.device);
  assert.equal(two.bridge.generated[0][1].drums, undefined);
  assert.equal(two.bridge.generated[0][1].key, "D 0,2,3,5,7,9,10");
  assert.ok(two.device.statuses().map(unnamed).includes("4 notes as a melodic part, key D Dorian (Live's " +
                                           "scale): asking the bridge..."));
  assertClean(two.device, keys);
  // No instrument at all (MIDI going elsewhere): melodic.
  const bare = beatSet({instrument: null}, {mode: 0});
  const three = setup({live: bare});
  press(three.device);
  assert.ok(three.device.statuses().map(unnamed).includes("4 notes as a melodic part: asking the bridge..."));
  assertClean(three.device, bare);
});

test("Learn marks clips on a track with a Drum Rack inside a rack as drum clips", () => {
  const live = beatSet({instrument: LAYERED_KIT});
  const {device, bridge} = setup({live});
  press(device, "learn_set");
  device.clock.advance(1000);
  assert.deepEqual(bridge.learned.got.map((c) => c.drums), [1]);
  assertClean(device, live);
});

test("a guess about racks that Live contradicts stops with a status that names it", () => {
  const live = beatSet({instrument: LAYERED_KIT});
  live.quirks.noChainPaths = true;  // "... devices I chains J" leads nowhere in this Live
  const {device, bridge} = setup({live});
  press(device);
  assert.equal(bridge.generated.length, 0);
  assert.equal(device.status(), "Live: no object at 'live_set tracks 0 devices 1 chains 0' " +
               "(looking for a Drum Rack)");
});

// -- selections and notes that do not play ---------------------------------------------------

test("selected notes all outside the loop or muted: the status says so and what to do", () => {
  const notes = [{pitch: 60, start_time: 0, duration: 1}, {pitch: 62, start_time: 1, duration: 1},
                 {pitch: 64, start_time: 4, duration: 1}, {pitch: 65, start_time: 5, duration: 1,
                                                           mute: 1}];
  const loop = (selected) => liveSet({tracks: [{name: "Keys", clips: {0: {name: "Riff",
    length: 8, notes, loop_start: 4, loop_end: 8, selected}}}]});
  const one = setup({live: loop([0, 1])});
  press(one.device);
  assert.equal(one.device.status(), "all 2 selected notes are left out (2 outside the loop): " +
               "select notes inside the loop that play, or clear the selection to continue " +
               "the whole clip");
  assert.equal(one.device.osc("/segue/seed/begin").length, 0, "a seed went to the bridge");
  const two = setup({live: loop([0, 3])});
  press(two.device);
  assert.match(two.device.status(),
               /^all 2 selected notes are left out \(1 muted, 1 outside the loop\): select/);
  const three = setup({live: loop([3])});
  press(three.device);
  assert.match(three.device.status(), /^the selected note is left out \(1 muted\): select/);
  // Some inside: those go, and the status counts the rest.
  const four = setup({live: loop([0, 2])});
  press(four.device);
  assert.deepEqual(four.bridge.generated[0][2].notes, [[64, 0, 1, 100]]);
  assert.ok(four.device.statuses().map(unnamed).includes("1 selected note (1 outside the loop left out) as " +
                                            "a melodic part: asking the bridge..."),
            four.device.statuses().join("\n"));
});

test("notes with probability 0 never play: left out of the seed and counted", () => {
  const live = liveSet();
  const clip = live.clipAt(0, 0);
  clip.notes[0].probability = 0;     // never plays
  clip.notes[1].probability = 0.25;  // sometimes: it goes
  clip.notes[2].mute = 1;
  const {device, bridge} = setup({live});
  press(device);
  const seed = bridge.generated[0][2];
  assert.equal(seed.count, 5);
  assert.ok(!seed.notes.some((n) => n[0] === 60), "the note that never plays went");
  assert.ok(device.statuses().map(unnamed).includes("5 notes (1 muted, 1 with probability 0 left out) as a " +
                                       "melodic part: asking the bridge..."),
            device.statuses().join("\n"));
  // A clip whose notes all never play: continued from silence, and the status says why.
  const silent = liveSet({tracks: [{name: "Keys", clips: {0: {name: "Ghost", length: 4, notes: [
    {pitch: 60, start_time: 0, duration: 1, probability: 0}]}}}]});
  const two = setup({live: silent});
  press(two.device);
  assert.ok(two.device.statuses().map(unnamed).includes("no notes that play in the clip (1 with probability " +
                                           "0 left out): continuing from silence as a melodic " +
                                           "part: asking the bridge..."),
            two.device.statuses().join("\n"));
});

test("a continuation of a continuation is named after the original clip", () => {
  const named = (name) => liveSet({tracks: [{name: "Keys", clips: {0: {name, length: 8,
                                                                       notes: CHORDS}}}]});
  const cases = [["Riff - segue 1 (t 1.0)", "Riff - segue 1 (t 1.0)"],
                 ["Riff - segue 2 (t 0.85) - segue 1 (t 1.0)", "Riff - segue 1 (t 1.0)"],
                 ["Riff - segue 16 (t 2.0)", "Riff - segue 1 (t 1.0)"],
                 ["segue new 1 (t 1.0)", "segue new 1 (t 1.0) - segue 1 (t 1.0)"],
                 ["Riff - segue take", "Riff - segue take - segue 1 (t 1.0)"]];
  for (const [source, first] of cases) {
    const live = named(source);
    const {device} = setup({live});
    press(device);
    assert.equal(newClips(live).filter((m) => m.index > 0)[0].clip.name, first, source);
  }
});


// -- a frozen track; a write that fails part way -----------------------------------------------

// The fake Live set models Live's frozen tracks: Track.is_frozen answers 1, and create_clip on
// one of its slots makes no clip (and is recorded in live.errors).
test("a frozen track stops Continue and Generate at the press: one line, nothing sent", () => {
  const frozen = (track) => liveSet({scenes: 2, tracks: [{name: "Keys", frozen: true,
    clips: {1: {name: "Riff", length: 8, notes: CHORDS}}, ...track}],
    detail: {track: 0, slot: 1}});
  for (const button of ["continue_clip", "generate_new"]) {
    const live = frozen();
    const {device, bridge} = setup({live});
    const before = bridge.received.length;
    press(device, button);
    assert.equal(device.status(), "track 'Keys' is frozen: unfreeze it to write clips there",
                 button);
    assert.deepEqual(bridge.received.slice(before), [], `${button}: sent to the bridge`);
    assert.equal(bridge.generated.length, 0);
    assert.deepEqual(live.changes, [], `${button}: Live was changed`);
    assert.equal(live.scenes.length, 2, `${button}: scenes were added`);
    assertClean(device, live);
  }
  // an arrangement clip on a frozen track too (its continuations would go to its slots)
  const arranged = frozen({clips: {}, arrangement: [{name: "Verse", length: 8, notes: CHORDS}]});
  arranged.select({track: 0, arrangement: 0});
  const three = setup({live: arranged});
  press(three.device);
  assert.equal(three.device.status(), "track 'Keys' is frozen: unfreeze it to write clips there");
  assert.equal(three.bridge.generated.length, 0);
});

test("a track frozen while the bridge generates: nothing written, no scenes added, one line", () => {
  const live = liveSet({scenes: 2, tracks: [{name: "Keys", clips: {1: {name: "Riff", length: 8,
    notes: CHORDS}}}], detail: {track: 0, slot: 1}});
  const {device, bridge} = setup({live});
  pressThenEdit(device, () => { live.tracks[0].frozen = true; });
  assert.equal(bridge.generated.length, 1, "the bridge generated");
  assert.equal(device.status(), "track 'Keys' is frozen: unfreeze it to write clips there, " +
               "then press Continue again (nothing was written)");
  assert.deepEqual(live.changes, [], "Live was changed");
  assert.equal(live.scenes.length, 2, "scenes were added");
  assertClean(device, live);
  // Generate says its own button
  const lead = new FakeLiveSet({scenes: 4, tracks: [{name: "Lead"}]});
  const two = setup({live: lead});
  pressThenEdit(two.device, () => { lead.tracks[0].frozen = true; }, "generate_new");
  assert.equal(two.device.status(), "track 'Lead' is frozen: unfreeze it to write clips " +
               "there, then press Generate again (nothing was written)");
  assert.deepEqual(lead.changes, []);
});

test("an is_frozen answer that is neither 0 nor 1 stops with a status that names it", () => {
  for (const [answer, said] of [[["maybe"], "'maybe', not a number"], [[2], "2, not 0 or 1"]]) {
    const live = liveSet({quirks: {get: {is_frozen: answer}}});
    const {device, bridge} = setup({live});
    press(device);
    assert.equal(device.status(), `Live: 'is_frozen' of live_set tracks 0 is ${said}`);
    assert.equal(bridge.generated.length, 0);
  }
});

// Live refuses the create_clip calls numbered in `refuse` (0 = the first): no clip, as Live
// does for a slot it will not fill.
function refuseCreateClip(live, refuse) {
  const call = live.call.bind(live);
  let made = 0;
  live.call = (obj, name, args) => {
    if (obj && obj.kind === "slot" && name === "create_clip" && refuse.includes(made++)) {
      live.changes.push({id: obj.id, path: live.pathOf(obj), what: "create_clip (refused)"});
      return undefined;
    }
    return call(obj, name, args);
  };
}

test("a write that fails on clip 2 of 4 says which clips were written, and the scenes added", () => {
  const live = liveSet();  // Riff in slot 1, Other in 3: 4 variations need 2 more scenes
  refuseCreateClip(live, [1]);
  const {device} = setup({live, controls: {variations: 4}});
  press(device);
  assert.deepEqual(newClips(live).map((m) => [m.index, m.clip.name]),
                   [[1, "Riff - segue 1 (t 1.0)"]]);
  assert.equal(live.scenes.length, 6);
  assert.equal(device.status(), "wrote 1 of 4 clips to track 'Keys' (slot 2), added 2 " +
               "scenes, then: Live: create_clip made no clip in slot 4 (the track is not " +
               "frozen)");
  assert.ok(device.posts.some((p) => p.includes("unexpected answer from Live: create_clip")));
  assert.deepEqual(device.errors, []);
  // the first clip refused: none written, and the scenes added are still named
  const first = liveSet();
  refuseCreateClip(first, [0]);
  const two = setup({live: first, controls: {variations: 4}});
  press(two.device);
  assert.deepEqual(newClips(first), []);
  assert.equal(two.device.status(), "wrote 0 of 4 clips to track 'Keys', added 2 scenes, " +
               "then: Live: create_clip made no clip in slot 2 (the track is not frozen)");
  // a failure after create_clip (the read-back of clip 2's notes): that clip is named too
  const late = liveSet();
  const call = late.call.bind(late);
  let reads = 0;
  late.call = (obj, name, args) => {
    if (obj && obj.kind === "clip" && name === "get_notes_extended" && obj.slot &&
        obj.name.includes("segue") && reads++ === 1) {
      return "not json";
    }
    return call(obj, name, args);
  };
  const three = setup({live: late});
  press(three.device);
  assert.deepEqual(newClips(late).map((m) => m.index), [1, 3]);
  assert.equal(three.device.status(), "wrote 1 of 2 clips to track 'Keys' (slot 2), then: " +
               "Live: get_notes_extended returned text that is not JSON: not json (slot 4 " +
               "holds it, unfinished)");
});

test("a track frozen between two clips: the clip written is named, then what to do", () => {
  const live = liveSet({tracks: [{name: "Keys", clips: {0: {name: "Riff", length: 8,
                                                            notes: CHORDS}}}]});
  const call = live.call.bind(live);
  let made = 0;
  live.call = (obj, name, args) => {
    if (obj && obj.kind === "slot" && name === "create_clip" && made++ === 1) {
      obj.track.frozen = true;  // Live froze the track after the first clip
    }
    return call(obj, name, args);
  };
  const {device} = setup({live, controls: {variations: 3}});
  press(device);
  assert.deepEqual(newClips(live).map((m) => m.index), [1]);
  assert.equal(device.status(), "wrote 1 of 3 clips to track 'Keys' (slot 2), then: track " +
               "'Keys' is frozen: unfreeze it to write clips there");
});
