// The device's JavaScript against a real segue bridge over real UDP, with a fake Live set.
//
//   NODE_PATH=<folder with npm's osc> node e2e_bridge.js '{"bridgePort": 9123, ...}'
//
// "scenario" picks what happens: "basic" (Continue, then Generate), "two" (two devices in
// one set, each its own client of the bridge, at once), "scales" (key lock "live" with
// Scale Mode on: Live's semitones, a scale by its name, an unknown name), "fills" (the
// Fills menu's choices sent as text), "big" (a seed
// of 2048 notes, paced), "learn" (the set's clips tuned on in the bridge's background) or
// "drums" (a Drum Rack's clip with the Model menu on a melodic model: the bridge refuses)
// or "swing" (a swung bass line whose repeats come back swung).
//
// What the script sends to its [udpsend] outlet is encoded by npm's `osc` as Max's udpsend
// would (an int as `i`, any other number as `f`, text as `s`; with "numbers": "float"
// every number goes as `f`, as TouchOSC sends them) from one socket, as udpsend sends from
// one ephemeral port. Replies arrive on a second socket bound to the device's reply port,
// as [udpreceive] listens, and are handed to the script as Max messages (address, then
// the arguments) on the next turn of the event loop, as udpreceive @defer 1 does.
// Prints one JSON object: the Live set after the scenario, statuses, what was sent.
"use strict";

const dgram = require("dgram");
const osc = require("osc");
const {MaxDevice, RealClock, FakeLiveSet} = require("./max_env");

const config = JSON.parse(process.argv[2] || "{}");
const HOST = "127.0.0.1";

// Reply ports the harness holds until the device's udpreceive binds them: a port found free
// and let go at once can be handed to any other socket meanwhile (once in CI, the second
// device's port: "udpreceive: bind EADDRINUSE").
const reserved = new Map();  // port -> the socket holding it

function bindUdp(port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => { socket.close(); resolve(null); });
    socket.bind(port, HOST, () => resolve(socket));
  });
}

// The first of `count` consecutive free ports (a second device claims the next one), held.
async function freePorts(count) {
  for (let tries = 0; tries < 100; tries++) {
    const held = [await bindUdp(0)];
    const base = held[0].address().port;
    while (held.length < count && base + held.length <= 65535) {
      const socket = await bindUdp(base + held.length);
      if (!socket) break;
      held.push(socket);
    }
    if (held.length === count) {
      held.forEach((socket, i) => reserved.set(base + i, socket));
      return base;
    }
    held.forEach((socket) => socket.close());
  }
  throw new Error(`no ${count} consecutive free UDP ports on ${HOST}`);
}

function freePort() {
  return freePorts(1);
}

// Lets a held port go just before the device binds it.
function release(port) {
  const socket = reserved.get(port);
  if (!socket) return Promise.resolve();
  reserved.delete(port);
  return new Promise((resolve) => socket.close(resolve));
}

function openPort(options) {
  return new Promise((resolve, reject) => {
    const port = new osc.UDPPort({localAddress: HOST, metadata: true, ...options});
    port.once("ready", () => resolve(port));
    port.once("error", reject);
    port.open();
  });
}

class MaxUdp {
  constructor(device, numbers) {
    this.device = device;
    this.numbers = numbers;
    this.remotePort = 9123;
    this.sendPort = null;
    this.receivePort = null;
    this.listening = 0;
    this.ready = Promise.resolve();  // udpreceive binds before anything else goes out
    this.sent = [];      // [address, [type, value]...] as encoded
    this.received = [];  // [address, values]
    this.failures = [];
    device.listeners.push((index, atoms) => this.fromDevice(index, atoms));
  }

  async open() {
    this.sendPort = await openPort({localPort: 0});
  }

  async listen(port) {
    if (port === this.listening) return;
    if (this.receivePort) this.receivePort.close();
    await release(port);
    this.receivePort = await openPort({localPort: port});
    this.listening = port;
    this.receivePort.on("message", (message) => {
      const values = message.args.map((a) => a.value);
      this.received.push([message.address, values]);
      setImmediate(() => this.device.message(message.address, ...values));
    });
  }

  encode(value) {
    if (typeof value === "string") return {type: "s", value};
    if (this.numbers !== "float" && Number.isInteger(value)) return {type: "i", value};
    return {type: "f", value};
  }

  fromDevice(index, atoms) {
    if (index === 0 && atoms[0] === "port") {
      this.remotePort = atoms[1];
    } else if (index === 0 && String(atoms[0]).startsWith("/")) {
      const args = atoms.slice(1).map((v) => this.encode(v));
      this.sent.push([atoms[0], ...args.map((a) => [a.type, a.value])]);
      const remote = this.remotePort;
      this.ready = this.ready.then(() => {
        try {
          this.sendPort.send({address: atoms[0], args}, HOST, remote);
        } catch (e) {
          this.failures.push(`udpsend: ${e.message}`);
        }
      });
    } else if (index === 2 && atoms[0] === "port") {
      this.ready = this.ready.then(() => this.listen(atoms[1]))
        .catch((e) => this.failures.push(`udpreceive: ${e.message}`));
    } else if (index === 0 && atoms[0] === "maxqueuesize") {
      this.queue = atoms[1];
    } else if (index === 2 && atoms[0] === "maxqueuesize") {
      this.receiveQueue = atoms[1];
    } else if (index === 0) {
      this.failures.push(`udpsend does not understand ${atoms.join(" ")}`);
    }
  }

  close() {
    if (this.sendPort) this.sendPort.close();
    if (this.receivePort) this.receivePort.close();
  }
}

function until(device, pattern, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = () => {
      const status = device.status();
      if (pattern.test(status)) return resolve(status);
      if (Date.now() - started > timeoutMs) return resolve(`TIMEOUT waiting for ${pattern}: ${status}`);
      return setTimeout(poll, 10);
    };
    poll();
  });
}

const FINISHED = /^(wrote|arrangement|bridge error|no bridge|Live|internal|the )/;

function clipState(clip) {
  if (!clip) return null;
  return {name: clip.name, length: clip.loop_end - clip.loop_start,
          notes: clip.notes.map((n) => [n.pitch, n.start_time, n.duration, n.velocity])};
}

// A device with its udpsend and udpreceive, started (init) once its sockets are open.
async function startDevice(live, clock, controls, place) {
  const device = new MaxDevice({live, clock, controls, place});
  const udp = new MaxUdp(device, config.numbers || "int");
  await udp.open();
  device.init();
  return {device, udp};
}

// What one device did, for the Python test to check against the bridge's generator.
function report(live, {device, udp}, track, steps) {
  return {steps, statuses: device.statuses(), menu: device.sent(3), sent: udp.sent,
          received: udp.received, udpFailures: udp.failures, maxErrors: device.errors,
          queues: [udp.queue, udp.receiveQueue], replyPort: udp.listening,
          slots: live.tracks[track].slots.map((s) => clipState(s.clip)), posts: device.posts};
}

function riffSet(extra = {}) {
  return new FakeLiveSet({
    signature: [3, 4],
    scenes: 3,
    tracks: [{name: "Keys", clips: {
      0: {name: "Riff", length: 8, notes: [
        {pitch: 60, start_time: 0, duration: 1, velocity: 100},
        {pitch: 64, start_time: 0, duration: 1, velocity: 90},
        {pitch: 67, start_time: 0, duration: 1, velocity: 80},
        {pitch: 62, start_time: 1 / 3, duration: 1 / 3, velocity: 70},
        {pitch: 65, start_time: 2 / 3, duration: 1 / 3, velocity: 70},
        {pitch: 57, start_time: 4, duration: 3.75, velocity: 96},
        {pitch: 64, start_time: 4.5, duration: 3.5, velocity: 96}]},
      2: {name: "Other", length: 4}}}, {name: "Bass"}],
    detail: {track: 0, slot: 0},
    ...extra,
  });
}

async function basic(live, clock) {
  const source = live.clipAt(0, 0);
  const sourceBefore = live.snapshot(source);
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort(),
                    temperature: 0.9, bars: 4, variations: 3, key: 1, model: 0};
  const one = await startDevice(live, clock, controls);
  const {device} = one;
  const steps = [await until(device, /^(connected|no bridge)/, 5000)];
  if (steps[0].startsWith("connected")) {
    // Wait for the model list, then pick the last model in the menu.
    const started = Date.now();
    while (device.sent(3).length === 0 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const menu = device.sent(3).at(-1) || [];
    device.message("model", menu.length - 2);
    device.message("continue_clip", 1);
    steps.push(await until(device, FINISHED, 20000));
    device.message("variations", 2);
    device.message("generate_new", 1);
    steps.push(await until(device, FINISHED, 20000));
  } else {
    device.message("continue_clip", 1);
    steps.push(await until(device, /^no bridge/, 5000));
  }
  return {...report(live, one, 0, steps), sourceUnchanged: live.snapshot(source) === sourceBefore,
          sourceWrites: live.changes.filter((c) => c.id === source.id), scenes: live.scenes.length};
}

// Two devices in one set: "Keys" continues the selected clip, "Bass" generates on its own
// track, both at once, each from its own sockets; the second finds its own reply port.
async function two(live, clock) {
  const base = await freePorts(2);
  const controls = {bridge_port: config.bridgePort, reply_port: base, temperature: 0.9, bars: 2,
                    variations: 2, key: 1, model: 0};
  const keys = await startDevice(live, clock, controls);
  const bass = await startDevice(live, clock, controls, live.addDevice(1));
  const connected = [await until(keys.device, /^(connected|no bridge)/, 5000),
                     await until(bass.device, /^(connected|no bridge)/, 5000)];
  keys.device.message("continue_clip", 1);
  bass.device.message("generate_new", 1);
  const done = [await until(keys.device, FINISHED, 20000), await until(bass.device, FINISHED, 20000)];
  return {devices: [report(live, keys, 0, [connected[0], done[0]]),
                    report(live, bass, 1, [connected[1], done[1]])]};
}

// Key lock "live" (the default) with the set's Scale Mode on.
async function scales(live, clock) {
  live.song.scale = {mode: 1, root: 2, name: "Dorian", intervals: [0, 2, 3, 5, 7, 9, 10]};
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort(), bars: 2,
                    variations: 1, temperature: 1.0};
  const one = await startDevice(live, clock, controls);
  const {device} = one;
  const steps = [await until(device, /^(connected|no bridge)/, 5000)];
  device.message("continue_clip", 1);
  steps.push(await until(device, FINISHED, 20000));
  // Live gives no semitones: the scale goes by its name, which the bridge reads.
  live.song.scale = {mode: 1, root: 1, name: "Half-whole Dim.", intervals: [0, 1, 3, 4, 6, 7, 9, 10]};
  live.quirks.get = {scale_intervals: []};
  device.message("continue_clip", 1);
  steps.push(await until(device, FINISHED, 20000));
  // A name the bridge does not know: its error reaches the status line.
  live.song.scale = {mode: 1, root: 0, name: "Gamelan X", intervals: []};
  device.message("continue_clip", 1);
  steps.push(await until(device, FINISHED, 20000));
  return report(live, one, 0, steps);
}

// The Fills menu (drums) on: its choice goes to the bridge as text, as any client sends it.
async function fills(live, clock) {
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort(), bars: 2,
                    variations: 1, key: 0};
  const one = await startDevice(live, clock, controls);
  const steps = [await until(one.device, /^(connected|no bridge)/, 5000)];
  for (const mode of [1, 2]) {  // phrase, often
    one.device.message("fills", mode);
    one.device.message("continue_clip", 1);
    steps.push(await until(one.device, FINISHED, 20000));
  }
  return report(live, one, 0, steps);
}

// A seed as big as the bridge takes, paced.
async function big(live, clock) {
  const notes = [];
  for (let i = 0; i < 2048; i++) {
    notes.push({pitch: 40 + (i % 40), start_time: i / 8, duration: 0.125, velocity: 90});
  }
  live.tracks[0].slots[0].clip = live.makeClip({name: "Dense", length: 256, notes},
                                               live.tracks[0], live.tracks[0].slots[0]);
  live.select({track: 0, slot: 0});
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort(), bars: 1,
                    variations: 1, key: 0};
  const one = await startDevice(live, clock, controls);
  const steps = [await until(one.device, /^(connected|no bridge)/, 5000)];
  one.device.message("continue_clip", 1);
  steps.push(await until(one.device, FINISHED, 20000));
  return report(live, one, 0, steps);
}

// Learn: the set's clips to the bridge, which tunes the model chosen in the Model menu for
// two seconds in its background process, then lists the new model.
async function learn(live, clock) {
  const clips = {};
  for (let c = 0; c < 10; c++) {
    const notes = [];
    for (let i = 0; i < 32; i++) {
      notes.push({pitch: 45 + ((c * 7 + i * 5) % 12), start_time: i / 2, duration: 0.5,
                  velocity: 100});
    }
    clips[c] = {name: `Riff ${c}`, length: 16, notes};
  }
  const set = new FakeLiveSet({scenes: 10, tracks: [{name: "Bass", clips}]});
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort()};
  const one = await startDevice(set, clock, controls);
  const {device} = one;
  device.message("learn_seconds", 2);
  const steps = [await until(device, /^(connected|no bridge)/, 5000)];
  const started = Date.now();
  while (device.sent(3).length === 0 && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const menu = device.sent(3).at(-1) || [];
  device.message("model", menu.indexOf("tiny") - 1);  // after "_parameter_range": "default" (0), the models
  device.message("learn_set", 1);
  steps.push(await until(device, /^(learned|learn:|no MIDI|Live|internal)/, 240000));
  const after = Date.now();
  while (device.sent(3).length < 2 && Date.now() - after < 5000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const result = report(set, one, 0, steps);
  result.liveErrors = set.errors;
  return result;
}

// A Drum Rack's clip, the Model menu on a melodic model: the bridge refuses, the device
// says why, and the set keeps its clips.
async function drums(live, clock) {
  const beat = [];
  for (let i = 0; i < 16; i++) {
    beat.push({pitch: i % 4 === 0 ? 36 : 42, start_time: i / 4, duration: 0.25, velocity: 100});
  }
  const set = new FakeLiveSet({scenes: 3, tracks: [{name: "Beat", drumRack: true,
                                                    clips: {0: {name: "Beat", length: 4,
                                                                notes: beat}}}]});
  return continueWith(set, clock, "tiny", 1);  // as in learn: the menu's "tiny"
}

// A bass line in 16ths swung at 54% (each off 16th 0.27 beats into its 8th, between the
// grid's ticks), continued by the producer model, which keeps the loop: its repeats come
// back swung.
async function swing(live, clock) {
  const notes = [];
  for (let e = 0; e < 8; e++) {
    notes.push({pitch: 36 + 7 * (e % 2), start_time: e / 2, duration: 0.27, velocity: 100});
    notes.push({pitch: 48, start_time: e / 2 + 0.27, duration: 0.23, velocity: 80});
  }
  const set = new FakeLiveSet({scenes: 3, tracks: [{name: "Bass", clips: {
    0: {name: "Swing", length: 4, notes}}}]});
  return continueWith(set, clock, "producer", 2);
}

// The set's first clip continued (one variation of `bars` bars) with the Model menu on
// `model`, once the device has the bridge's model list.
async function continueWith(set, clock, model, bars) {
  set.select({track: 0, slot: 0});
  const controls = {bridge_port: config.bridgePort, reply_port: await freePort(), bars,
                    variations: 1, key: 0};
  const one = await startDevice(set, clock, controls);
  const {device} = one;
  const steps = [await until(device, /^(connected|no bridge)/, 5000)];
  const started = Date.now();
  while (device.sent(3).length === 0 && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const menu = device.sent(3).at(-1) || [];
  device.message("model", menu.indexOf(model) - 1);
  device.message("continue_clip", 1);
  steps.push(await until(device, FINISHED, 20000));
  const result = report(set, one, 0, steps);
  result.liveErrors = set.errors;
  return result;
}

async function main() {
  const live = riffSet();
  const clock = new RealClock();
  const scenario = {basic, two, scales, fills, big, learn, drums, swing}[
    config.scenario || "basic"];
  const result = await scenario(live, clock);
  result.liveErrors = live.errors;
  // A pipe takes the output asynchronously: exit only once all of it is written.
  process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
