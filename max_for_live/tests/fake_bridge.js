// A scripted segue bridge for the unit tests: it reads what the device sends to [udpsend]
// and answers as docs/protocol.md says, through the device's [udpreceive] (one clock tick
// later, as udpreceive @defer 1 does). Replies reach a device only when they go to the
// port its udpreceive listens on: the reply port named by /segue/reply_to or by the ping.
// Times in replies are float32, as the real bridge sends them. tests/test_device.py runs
// the device against the real bridge too; this one makes failures easy to stage.
//
// One FakeBridge holds what the bridge keeps for one client (one device's udpsend); two
// devices talking to one bridge are two FakeBridges on one Loopback, the UDP ports of the
// computer, where a port's datagrams go to the socket bound to it last.
"use strict";

class Loopback {
  constructor() {
    this.bound = new Map();  // port -> devices listening there, in the order they bound
  }

  bind(device, port) {
    for (const [p, devices] of this.bound) this.bound.set(p, devices.filter((d) => d !== device));
    this.bound.set(port, [...(this.bound.get(port) || []), device]);
  }

  listener(port) {
    const devices = this.bound.get(port) || [];
    return devices[devices.length - 1] || null;
  }
}

class FakeBridge {
  constructor(device, options = {}) {
    this.device = device;
    this.net = options.net || new Loopback();
    this.options = {version: "0.1.0", model: "melody", models: ["melody", "polyphonic"],
                    listening: true, float32: true, ...options};
    this.bridgePort = null;   // where the device's udpsend sends (its "port" message)
    this.receivePort = null;  // where the device's udpreceive listens
    this.replyPort = null;    // set by /segue/reply_to
    this.received = [];
    this.uploads = new Map();
    this.seeds = new Map();
    this.generated = [];      // [id, params] of each generate request
    this.port = options.port || 9123;
    device.listeners.push((index, atoms) => {
      if (index === 0) this.fromUdpsend(atoms);
      if (index === 2 && atoms[0] === "port") {
        this.receivePort = atoms[1];
        this.net.bind(device, atoms[1]);
      }
    });
  }

  fromUdpsend(atoms) {
    const [address, ...args] = atoms;
    if (address === "port") {
      this.bridgePort = args[0];
      return;
    }
    if (address === "host" || address === "maxqueuesize") return;  // udpsend's own
    if (!this.options.listening || this.bridgePort !== this.port) return;
    this.received.push(atoms);
    this.handle(address, args);
  }

  reply(address, ...args) {
    // options.lose(address, args): a datagram lost on the way (a receive buffer overflowed)
    if (this.options.lose && this.options.lose(address, args)) return;
    const port = this.replyPort;
    this.device.clock.at(1, () => {
      const listener = this.net.listener(port);
      if (listener) listener.message(address, ...args);
    });
  }

  time(x) {
    return this.options.float32 ? Math.fround(x) : x;
  }

  error(id, code, text) {
    this.reply("/segue/error", id, code, text);
  }

  handle(address, args) {
    const fail = this.options.fail && this.options.fail[address];
    if (fail) {
      this.error(args[0], fail[0], fail[1]);
      return;
    }
    if ((this.options.mute || []).includes(address)) return;  // taken, never answered: gone
    switch (address) {
      case "/segue/reply_to":
        this.replyPort = args[0];
        this.reply("/segue/reply_to", args[0]);
        break;
      case "/segue/ping": {
        const saved = this.replyPort;
        if (args.length > 1) this.replyPort = args[1];
        this.reply("/segue/pong", args[0] ?? 0, this.options.version, this.options.model, 1,
                   this.options.instance ?? 7);
        this.replyPort = saved;
        break;
      }
      case "/segue/models":
        this.options.models.forEach((name, i) => this.reply("/segue/models/item", i, name,
                                                              "bundled", `the ${name} model`));
        this.reply("/segue/models/end", this.options.models.length);
        break;
      case "/segue/seed/begin": {
        const [id, count, length, numerator, denominator, downbeat] = args;
        this.uploads.set(id, {count, length, numerator, denominator, notes: [],
                              ...(args.length > 5 ? {downbeat} : {})});
        break;
      }
      case "/segue/seed/note": {
        const upload = this.uploads.get(args[0]);
        if (!upload) return this.error(args[0], "no_upload", "no upload");
        upload.notes.push(args.slice(1));
        break;
      }
      case "/segue/seed/end": {
        const upload = this.uploads.get(args[0]);
        this.uploads.delete(args[0]);
        if (!upload) return this.error(args[0], "no_upload", "no upload");
        if (upload.notes.length !== upload.count) {
          return this.error(args[0], "count_mismatch", "count mismatch");
        }
        this.seeds.set(args[0], upload);
        this.reply("/segue/seed/stored", args[0], upload.count);
        break;
      }
      case "/segue/generate":
        this.generate(args[0], args.slice(1));
        break;
      case "/segue/learn/begin": {
        const [id, name, clips, seconds, from] = args;
        this.learn = {id, name, clips, seconds, from, got: []};
        break;
      }
      case "/segue/learn/clip": {
        if (!this.learn || this.learn.id !== args[0]) return this.error(args[0], "no_upload", "");
        const [, notes, length, numerator, denominator, drums] = args;
        this.learn.got.push({notes, length, numerator, denominator, drums, received: []});
        break;
      }
      case "/segue/learn/note": {
        const clip = this.learn && this.learn.got[this.learn.got.length - 1];
        if (!clip) return this.error(args[0], "no_upload", "no learn upload");
        clip.received.push(args.slice(1));
        break;
      }
      case "/segue/learn/end": {
        const learn = this.learn;
        if (!learn) return this.error(args[0], "no_upload", "no learn upload");
        if (learn.got.length !== learn.clips ||
            learn.got.some((c) => c.received.length !== c.notes)) {
          return this.error(args[0], "count_mismatch", "count mismatch");
        }
        this.learned = learn;
        this.reply("/segue/learn/status", args[0], "starting", 0, -1);
        this.reply("/segue/learn/status", args[0], "tuning", 50, 2.5);
        this.reply("/segue/learn/status", args[0], "fitting", 100, 2.25);
        if (this.options.learnStops === "fitting") return;  // gone while it fits
        this.options.models = [...this.options.models, learn.name];
        // What the real bridge leaves out (segue.model.tuning.material.learnable): with the
        // drum model named, the melodic clips beside drum clips; else the drum clips beside
        // melodic ones.
        const drums = learn.got.filter((c) => c.drums).length;
        const melodic = learn.got.length - drums;
        const drumBase = learn.from === "drums";
        this.reply("/segue/learn/done", args[0], learn.name, 3.5, 2.25, 12.0,
                   !drumBase && melodic ? drums : 0, drumBase && drums ? melodic : 0);
        break;
      }
      case "/segue/cancel":
        this.error(args[0], "cancelled", `request ${args[0]} was cancelled`);
        break;
      default:
        this.error(-1, "unknown_address", `unknown address ${address}`);
    }
    return undefined;
  }

  generate(id, pairs) {
    const seed = this.seeds.get(id);
    this.seeds.delete(id);
    if (!seed) return this.error(id, "no_seed", `no seed was uploaded with request id ${id}`);
    const params = {};
    for (let i = 0; i < pairs.length; i += 2) params[pairs[i]] = pairs[i + 1];
    this.generated.push([id, params, seed]);
    this.reply("/segue/status", id, "queued", 1);
    this.reply("/segue/status", id, "running", 0);
    if (this.options.dieAfterRunning) return undefined;
    const variations = (this.options.variations || defaultVariations)(seed, params);
    variations.forEach((v, index) => {
      this.reply("/segue/variation/begin", id, index, v.notes.length, this.time(v.length),
                 this.time(seed.length));
      v.notes.forEach((n, k) => {
        if (this.options.drop && this.options.drop(index, k)) return;
        this.reply("/segue/variation/note", id, index, n[0], this.time(n[1]), this.time(n[2]),
                   n[3]);
      });
      this.reply("/segue/variation/end", id, index);
    });
    // options.made: [model, key] as a bridge that says them (older ones send neither)
    this.reply("/segue/done", id, variations.length, 12.5, 4242, ...(this.options.made || []));
    return undefined;
  }
}

// Variations of `bars` bars of the seed's meter: a chord, then triplets, then a long note.
function defaultVariations(seed, params) {
  const length = (params.bars || 4) * seed.numerator * 4 / seed.denominator;
  const out = [];
  for (let v = 0; v < (params.variations || 1); v++) {
    out.push({length, notes: [
      [60 + v, 0, 1, 90], [64 + v, 0, 1, 80], [67 + v, 0, 1, 70],
      [72, 1, 1 / 3, 100], [74, 4 / 3, 1 / 3, 100], [76, 5 / 3, 1 / 3, 100],
      [60, 2, length - 2, 64],
    ]});
  }
  return out;
}

module.exports = {FakeBridge, Loopback, defaultVariations};
