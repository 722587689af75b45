// Loads segue.js the way Max's classic `js` object does, with stand-ins for Max's globals
// (outlet, post, Task, Global, messagename, arrayfromargs, jsarguments, autowatch, inlets,
// outlets, this.patcher) and for LiveAPI (a FakeLiveSet). Messages reach the script the way
// Max delivers them: a message whose name is a global function that is not marked local
// calls it; anything else calls anything() with messagename set. Every device in one Live
// set runs in one Max, whose Global objects they share (a MaxApp).
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");
const {FakeLiveSet} = require("./fake_live");

const SCRIPT = path.join(__dirname, "..", "segue.js");

// Time for Task: a virtual clock the test advances, or real timers.
class VirtualClock {
  constructor() {
    this.now = 0;
    this.queue = [];
    this.seq = 0;
  }

  at(delay, fn) {
    const entry = {time: this.now + Math.max(0, delay), seq: this.seq++, fn, cancelled: false};
    this.queue.push(entry);
    return entry;
  }

  cancel(entry) {
    entry.cancelled = true;
  }

  // Runs everything due within `ms` from now, in time order (work it schedules included).
  advance(ms = 0) {
    const end = this.now + ms;
    for (;;) {
      const due = this.queue.filter((e) => !e.cancelled && e.time <= end);
      if (due.length === 0) break;
      due.sort((a, b) => a.time - b.time || a.seq - b.seq);
      const next = due[0];
      this.queue = this.queue.filter((e) => e !== next);
      this.now = next.time;
      next.fn();
    }
    this.now = end;
    this.queue = this.queue.filter((e) => !e.cancelled);
  }
}

class RealClock {
  at(delay, fn) {
    return setTimeout(fn, Math.max(0, delay));
  }

  cancel(entry) {
    clearTimeout(entry);
  }
}

function makeTask(clock, errors) {
  return function Task(fn, obj, ...args) {
    let pending = null;
    this.running = false;
    this.schedule = (delay = 0) => {
      if (pending !== null) {
        errors.push("Task.schedule while already scheduled (cancel it first)");
        clock.cancel(pending);
      }
      pending = clock.at(delay, () => {
        pending = null;
        this.running = true;
        try {
          fn.apply(obj, args);
        } finally {
          this.running = false;
        }
      });
    };
    this.cancel = () => {
      if (pending !== null) clock.cancel(pending);
      pending = null;
    };
  };
}

// Max objects found by varname: each knows its value (getvalueof), as pattr-aware boxes do.
function makePatcher(values) {
  return {
    getnamed(name) {
      if (!(name in values)) return null;
      return {varname: name, getvalueof: () => values[name]};
    },
  };
}

// One Max application: `new Global(name)` gives every js object in it the same object.
class MaxApp {
  constructor() {
    this.globals = new Map();
  }

  Global() {
    const globals = this.globals;
    return function Global(name) {
      if (!globals.has(name)) globals.set(name, {});
      return globals.get(name);  // `new Global(name)` returns this shared object
    };
  }
}

class MaxDevice {
  // `place`: this device in the set (the set's first device unless given); `max`: the Max
  // it runs in (one per Live set unless given).
  constructor({live = new FakeLiveSet(), clock = new VirtualClock(), controls = {},
               place = live.device, max = live.max || (live.max = new MaxApp())} = {}) {
    this.live = live;
    this.place = place;
    this.clock = clock;
    this.out = [];        // every outlet call: [outlet, ...atoms]
    this.posts = [];
    this.errors = [];     // misuse of Max's stand-ins
    this.listeners = [];  // functions (outletIndex, atoms) called on each outlet
    this.controls = controls;
    const device = this;
    const context = {
      post: (...args) => device.posts.push(args.join(" ")),
      outlet: (index, ...args) => device.emit(index, args),
      arrayfromargs: (args) => Array.prototype.slice.call(args),
      messagename: "",
      jsarguments: ["segue.js"],
      inlet: 0,
      LiveAPI: live.api(place),
      Task: makeTask(clock, this.errors),
      Global: max.Global(),
      patcher: makePatcher(controls),
    };
    this.context = vm.createContext(context);
    vm.runInContext(fs.readFileSync(SCRIPT, "utf8"), this.context, {filename: "segue.js"});
  }

  emit(index, args) {
    // Max flattens an array argument into the message: outlet(0, ["/a", 1]) is "/a 1".
    const atoms = args.length === 1 && Array.isArray(args[0]) ? args[0].slice() : args;
    for (const a of atoms) {
      if (!(typeof a === "number" || typeof a === "string")) {
        this.errors.push(`outlet ${index}: an atom that is neither number nor string: ${a}`);
      }
    }
    this.out.push([index, ...atoms]);
    for (const listener of this.listeners) listener(index, atoms);
  }

  // A Max message into the js object's inlet.
  message(name, ...args) {
    const ctx = this.context;
    const fn = ctx[name];
    ctx.messagename = name;
    if (typeof fn === "function" && !fn.local) {
      return fn.apply(ctx, args);
    }
    if (typeof ctx.anything === "function") {
      return ctx.anything.apply(ctx, args);
    }
    this.errors.push(`no function for message '${name}'`);
    return undefined;
  }

  // live.thisdevice banged: Live is ready.
  init() {
    this.place.ready = true;
    return this.message("init");
  }

  // The device is deleted (or its set closed): Max calls notifydeleted.
  delete() {
    if (typeof this.context.notifydeleted === "function") this.context.notifydeleted();
  }

  // What went to one outlet, as arrays of atoms.
  sent(index) {
    return this.out.filter((m) => m[0] === index).map((m) => m.slice(1));
  }

  osc(address) {
    return this.sent(0).filter((m) => address === undefined ? String(m[0]).startsWith("/")
      : m[0] === address);
  }

  status() {
    const all = this.sent(1);
    if (all.length === 0) return "";
    const last = all[all.length - 1];
    if (last[0] !== "set") throw new Error(`status outlet got ${last[0]}, not set`);
    return last.slice(1).join(" ");
  }

  statuses() {
    return this.sent(1).map((m) => m.slice(1).join(" "));
  }
}

module.exports = {MaxDevice, MaxApp, VirtualClock, RealClock, FakeLiveSet};
