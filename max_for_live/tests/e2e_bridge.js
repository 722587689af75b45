// The device's JavaScript against a real segue bridge over real UDP, with a fake Live set.
//
//   NODE_PATH=<folder with npm's osc> node e2e_bridge.js '{"bridgePort": 9123, ...}'
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

function freePort() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    socket.on("error", reject);
    socket.bind(0, HOST, () => {
      const {port} = socket.address();
      socket.close(() => resolve(port));
    });
  });
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
    this.sent = [];      // [address, [type, value]...] as encoded
    this.received = [];  // [address, values]
    this.failures = [];
    device.listeners.push((index, atoms) => this.fromDevice(index, atoms));
  }

  async open(replyPort) {
    this.sendPort = await openPort({localPort: 0});
    await this.listen(replyPort);
  }

  async listen(port) {
    if (port === this.listening) return;
    if (this.receivePort) this.receivePort.close();
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
      try {
        this.sendPort.send({address: atoms[0], args}, HOST, this.remotePort);
      } catch (e) {
        this.failures.push(`udpsend: ${e.message}`);
      }
    } else if (index === 2 && atoms[0] === "port") {
      this.listen(atoms[1]).catch((e) => this.failures.push(`udpreceive: ${e.message}`));
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

function clipState(clip) {
  if (!clip) return null;
  return {name: clip.name, length: clip.loop_end - clip.loop_start,
          notes: clip.notes.map((n) => [n.pitch, n.start_time, n.duration, n.velocity])};
}

async function main() {
  const live = new FakeLiveSet({
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
      2: {name: "Other", length: 4}}}],
    detail: {track: 0, slot: 0},
  });
  const source = live.clipAt(0, 0);
  const sourceBefore = live.snapshot(source);
  const replyPort = await freePort();
  const controls = {bridge_port: config.bridgePort, reply_port: replyPort, temperature: 0.9,
                    bars: 4, variations: 3, key: 1, model: 0};
  const device = new MaxDevice({live, clock: new RealClock(), controls});
  const udp = new MaxUdp(device, config.numbers || "int");
  await udp.open(replyPort);
  const result = {statuses: [], menu: [], steps: []};
  device.init();
  const first = await until(device, /^(connected|no bridge)/, 5000);
  result.steps.push(first);
  if (first.startsWith("connected")) {
    // Wait for the model list, then pick the last model in the menu.
    const started = Date.now();
    while (device.sent(3).length === 0 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const menu = device.sent(3).at(-1) || [];
    device.message("model", menu.length - 2);
    device.message("continue_clip", 1);
    result.steps.push(await until(device, /^(wrote|bridge error|no bridge|Live|internal)/, 20000));
    device.message("variations", 2);
    device.message("generate_new", 1);
    result.steps.push(await until(device, /^(wrote|bridge error|no bridge|Live|internal)/, 20000));
  } else {
    device.message("continue_clip", 1);
    result.steps.push(await until(device, /^no bridge/, 5000));
  }
  udp.close();
  result.statuses = device.statuses();
  result.menu = device.sent(3);
  result.sent = udp.sent;
  result.received = udp.received;
  result.udpFailures = udp.failures;
  result.liveErrors = live.errors;
  result.maxErrors = device.errors;
  result.sourceUnchanged = live.snapshot(source) === sourceBefore;
  result.sourceWrites = live.changes.filter((c) => c.id === source.id);
  result.scenes = live.scenes.length;
  result.slots = live.tracks[0].slots.map((s) => clipState(s.clip));
  result.posts = device.posts;
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
