// A stand-in for Live's Live Object Model as classic Max js sees it through LiveAPI: tracks,
// clip slots, clips with notes and a note selection, arrangement clips, scenes, the
// Clip View's clip, the set's scale and scenes' time signatures (Live 12), the segue devices in the set and each track's
// instrument, racks with chains of devices among them (an Instrument Rack layering a Drum
// Rack). Ids stay with their objects: a track inserted or deleted moves the others' paths
// (canonical paths count positions) but not their ids, as Cycling '74's live.path reference
// describes ("the id number of the MIDI track would stay the same"); "id N" of a deleted
// object leads nowhere (id 0), which is a guess about Live. It answers
// the way the Cycling '74 LOM reference describes (get returns an array, the whole list for
// scale_intervals as in zsteinkamp/m4l-js-fractalNoteEcho and adamjmurray/producer-pal;
// call("get_*_notes_extended") returns a JSON string; id 0 for a path that leads nowhere),
// takes a dictionary argument (add_new_notes) only as JSON text, as Live's own handler of
// Max for Live's calls reads it (_MxDCore/MxDCore.py: json.loads of the one parameter,
// else "Malformatted dictionary argument"; see max_for_live/README.md), and records every
// change, every refused call and every use before a device is ready, so tests can assert
// that nothing went wrong.
"use strict";

const CLIP_PROPS = ["name", "length", "looping", "loop_start", "loop_end", "start_marker",
                    "end_marker", "signature_numerator", "signature_denominator",
                    "is_midi_clip", "is_arrangement_clip"];

class FakeLiveSet {
  constructor(spec = {}) {
    this.nextId = 1;
    this.objects = new Map();
    this.errors = [];      // calls Live would refuse or not understand
    this.changes = [];     // every write: {id, path, what}
    this.quirks = spec.quirks || {};
    // Live 12's scale: Scale Mode (0/1), the root note 0-11, the scale's name and semitones.
    // A set of Live 11 (spec.live11) has none of these properties.
    const scale = spec.live11 ? null : {mode: 0, root: 0, name: "Major",
                                        intervals: [0, 2, 4, 5, 7, 9, 11], ...spec.scale};
    this.song = this.make("song", {signature: spec.signature || [4, 4], tempo: 120, scale});
    this.view = this.make("view", {});
    this.scenes = [];
    const sceneCount = spec.scenes ?? 4;
    // Live 12's scenes may have a time signature of their own (spec.sceneSignatures:
    // {index: [numerator, denominator]}); Live 11's report none.
    this.live11 = Boolean(spec.live11);
    for (let i = 0; i < sceneCount; i++) {
      this.scenes.push(this.make("scene", {name: "", signature: (spec.sceneSignatures || {})[i]}));
    }
    this.tracks = (spec.tracks || [{name: "1-MIDI"}]).map((t) => this.makeTrack(t));
    this.devices = [];     // segue devices; each can use LiveAPI once its init has come
    this.device = this.addDevice(spec.deviceTrack || 0);
    this.selectedScene = this.scenes[spec.selectedScene || 0];
    this.detail = null;
    if (spec.detail) this.select(spec.detail);
  }

  make(kind, fields) {
    const obj = {kind, id: this.nextId++, ...fields};
    this.objects.set(obj.id, obj);
    return obj;
  }

  // Another device on a track (its own "this_device"), placed after the track's others.
  addDevice(trackIndex) {
    const track = this.tracks[trackIndex];
    const index = this.devices.filter((d) => d.track === track).length;
    const device = this.make("device", {track, index, ready: false});
    this.devices.push(device);
    return device;
  }

  makeTrack(t) {
    const track = this.make("track", {name: t.name || "", midi: t.midi !== false,
                                      frozen: !!t.frozen, slots: [], arrangement: []});
    // the track's instrument after the MIDI effects: a Drum Rack can have drum pads; a spec
    // {name, drumPads, chains: [[device spec, ...], ...]} makes a rack (can_have_chains)
    // whose chains hold devices, racks among them, at any depth
    const instrument = t.instrument !== undefined ? t.instrument
      : {name: t.drumRack ? "Drum Rack" : "Instrument", drumPads: !!t.drumRack};
    track.instrument = instrument === null ? null : this.makeDevice(instrument, track, null);
    for (let i = 0; i < this.scenes.length; i++) {
      const slot = this.make("slot", {track, clip: null});
      const spec = t.clips && t.clips[i];
      if (spec) slot.clip = this.makeClip(spec, track, slot);
      track.slots.push(slot);
    }
    for (const spec of t.arrangement || []) {
      track.arrangement.push(this.makeClip(spec, track, null));
    }
    return track;
  }

  // A device of a track's chain (chain null) or of a rack's chain, with its chains if a rack.
  makeDevice(spec, track, chain) {
    const device = this.make("device", {track, chain, name: spec.name || "Device",
                                        drumPads: !!spec.drumPads, chains: null});
    if (spec.chains || spec.drumPads) {  // a Drum Rack is a rack too (its pads' chains)
      device.chains = (spec.chains || []).map((devices, i) => {
        const own = this.make("chain", {rack: device, name: `Chain ${i + 1}`, devices: []});
        own.devices = devices.map((d) => this.makeDevice(d, track, own));
        return own;
      });
    }
    return device;
  }

  // A track inserted at `index` (Live's Insert MIDI Track), the others' ids unchanged.
  insertTrack(index, spec = {}) {
    const track = this.makeTrack(spec);
    this.tracks.splice(index, 0, track);
    return track;
  }

  // A scene inserted at `index`: every track gets an empty slot there, the ids unchanged.
  insertScene(index) {
    this.scenes.splice(index, 0, this.make("scene", {name: ""}));
    for (const track of this.tracks) {
      track.slots.splice(index, 0, this.make("slot", {track, clip: null}));
    }
  }

  // A track deleted: it, its clip slots, clips and devices are gone ("id N" leads nowhere;
  // quirks.staleIds: a Live whose "id N" of a deleted track still answers with its old path).
  deleteTrack(index) {
    const [track] = this.tracks.splice(index, 1);
    track.lastPath = `live_set tracks ${index}`;
    for (const [id, obj] of this.objects) {
      if (this.quirks.staleIds) break;
      if (obj.track === track || obj === track || (obj.kind === "chain" && obj.rack.track === track)) {
        this.objects.delete(id);
      }
    }
    this.devices = this.devices.filter((d) => d.track !== track);
    return track;
  }

  // Whether an object is still in the set (a test may also splice `tracks` by hand).
  attached(obj) {
    switch (obj.kind) {
      case "song": case "view": return true;
      case "scene": return this.scenes.includes(obj);
      case "track": return this.tracks.includes(obj);
      case "slot": return this.attached(obj.track) && obj.track.slots.includes(obj);
      case "clip":
        return obj.slot ? this.attached(obj.slot) && obj.slot.clip === obj
          : this.attached(obj.track) && obj.track.arrangement.includes(obj);
      case "chain": return this.attached(obj.rack) && obj.rack.chains.includes(obj);
      case "device":
        return obj.chain ? this.attached(obj.chain) && obj.chain.devices.includes(obj)
          : this.attached(obj.track) && this.chain(obj.track).includes(obj);
      default: return false;
    }
  }

  makeClip(spec, track, slot) {
    const length = spec.length ?? 4;
    const [num, den] = spec.signature || this.song.signature;
    const clip = this.make("clip", {
      track, slot, name: spec.name || "", midi: spec.midi !== false,
      looping: spec.looping ?? 1, loop_start: spec.loop_start ?? 0,
      loop_end: spec.loop_end ?? length, start_marker: spec.start_marker ?? 0,
      end_marker: spec.end_marker ?? length, signature_numerator: num,
      signature_denominator: den, notes: [], selected: new Set()});
    (spec.notes || []).forEach((n, i) => {
      const note = this.makeNote(n);
      clip.notes.push(note);
      if ((spec.selected || []).includes(i)) clip.selected.add(note.note_id);
    });
    return clip;
  }

  makeNote(n) {
    return {note_id: this.nextId++, pitch: n.pitch, start_time: n.start_time ?? n.start,
            duration: n.duration, velocity: n.velocity ?? 100, mute: n.mute ? 1 : 0,
            probability: n.probability ?? 1, velocity_deviation: 0, release_velocity: 64};
  }

  select(where) {
    const track = this.tracks[where.track];
    this.detail = where.arrangement !== undefined ? track.arrangement[where.arrangement]
      : track.slots[where.slot].clip;
  }

  clipAt(track, slot) {
    return this.tracks[track].slots[slot].clip;
  }

  // A deep copy of a clip's state, to compare before and after.
  snapshot(clip) {
    return JSON.stringify({...clip, track: undefined, slot: undefined,
                           selected: [...clip.selected]});
  }

  // -- paths ----------------------------------------------------------------------------------
  pathOf(obj) {
    switch (obj.kind) {
      case "song": return "live_set";
      case "view": return "live_set view";
      case "scene": return `live_set scenes ${this.scenes.indexOf(obj)}`;
      case "track":
        return this.tracks.includes(obj) ? `live_set tracks ${this.tracks.indexOf(obj)}`
          : obj.lastPath;
      case "slot": return `${this.pathOf(obj.track)} clip_slots ${obj.track.slots.indexOf(obj)}`;
      case "clip":
        if (this.quirks.clipPath) return this.quirks.clipPath;
        return obj.slot ? `${this.pathOf(obj.slot)} clip`
          : `${this.pathOf(obj.track)} arrangement_clips ${obj.track.arrangement.indexOf(obj)}`;
      case "device":
        return obj.chain ? `${this.pathOf(obj.chain)} devices ${obj.chain.devices.indexOf(obj)}`
          : `${this.pathOf(obj.track)} devices ${this.chain(obj.track).indexOf(obj)}`;
      case "chain": return `${this.pathOf(obj.rack)} chains ${obj.rack.chains.indexOf(obj)}`;
      default: throw new Error(`no path for ${obj.kind}`);
    }
  }

  resolve(path, device) {
    const t = String(path).trim().split(/\s+/);
    if (t[0] === "id") {
      const obj = this.objects.get(Number(t[1]));
      return obj && t.length === 2 && (this.attached(obj) || this.quirks.staleIds) ? obj : null;
    }
    if (t[0] === "this_device" && t.length === 1) return device;
    if (t[0] !== "live_set") return null;
    if (t.length === 1) return this.song;
    if (t[1] === "view") {
      if (t.length === 2) return this.view;
      if (t.length === 3 && t[2] === "detail_clip") return this.detail;
      if (t.length === 3 && t[2] === "selected_scene") return this.selectedScene;
      return null;
    }
    if (t[1] === "scenes" && t.length === 3) return this.scenes[Number(t[2])] || null;
    if (t[1] !== "tracks") return null;
    const track = this.tracks[Number(t[2])];
    if (!track) return null;
    if (t.length === 3) return track;
    if (t[3] === "clip_slots") {
      const slot = track.slots[Number(t[4])];
      if (!slot) return null;
      if (t.length === 5) return slot;
      if (t.length === 6 && t[5] === "clip") return slot.clip;
      return null;
    }
    if (t[3] === "arrangement_clips" && t.length === 5) return track.arrangement[Number(t[4])] || null;
    // devices I [chains J devices K ...]: a track's devices, a rack's chains, a chain's devices
    // (quirks.noChainPaths: a Live whose paths inside racks are not these)
    if (this.quirks.noChainPaths && t.includes("chains")) return null;
    let obj = track;
    for (let i = 3; i < t.length; i += 2) {
      const index = Number(t[i + 1]);
      if (t[i] === "devices" && obj.kind === "track") obj = this.chain(obj)[index];
      else if (t[i] === "devices" && obj.kind === "chain") obj = obj.devices[index];
      else if (t[i] === "chains" && obj.kind === "device" && obj.chains) obj = obj.chains[index];
      else obj = undefined;
      if (!obj) return null;
    }
    return obj;
  }

  // -- LiveAPI --------------------------------------------------------------------------------
  // The LiveAPI constructor of one device in this set: new LiveAPI([callback], path).
  api(device = this.device) {
    const set = this;
    return function LiveAPI(callback, path) {
      if (!device.ready) {
        throw new Error("LiveAPI used before live.thisdevice banged (e.g. in global code)");
      }
      if (typeof callback === "string" && path === undefined) {
        path = callback;
      }
      const obj = set.resolve(path, device);
      if (obj === null) set.errors.push(`no object at '${path}'`);
      this.id = obj ? String(obj.id) : "0";
      this.unquotedpath = obj ? set.pathOf(obj) : "";
      this.path = `"${this.unquotedpath}"`;
      this.type = obj ? obj.kind : "";
      this.get = (prop) => set.get(obj, prop);
      this.set = (prop, value) => set.set(obj, prop, value);
      this.call = (name, ...args) => set.call(obj, name, args);
      this.getcount = (child) => set.getcount(obj, child);
    };
  }

  get(obj, prop) {
    if (!obj) {
      this.errors.push(`get ${prop} of no object`);
      return [];
    }
    const value = this.property(obj, prop);
    if (value === undefined) {
      this.errors.push(`get: ${obj.kind} has no property '${prop}'`);
      return [];
    }
    if (this.quirks.get && this.quirks.get[prop] !== undefined) return this.quirks.get[prop];
    if (Array.isArray(value)) return value.slice();  // a list property: all of it
    return [typeof value === "boolean" ? (value ? 1 : 0) : value];
  }

  property(obj, prop) {
    switch (obj.kind) {
      case "song": {
        const scale = obj.scale ? {scale_mode: obj.scale.mode, root_note: obj.scale.root,
                                   scale_name: obj.scale.name,
                                   scale_intervals: obj.scale.intervals} : {};
        return {signature_numerator: obj.signature[0], signature_denominator: obj.signature[1],
                tempo: obj.tempo, ...scale}[prop];
      }
      case "track":
        return {name: obj.name, has_midi_input: obj.midi, is_frozen: obj.frozen}[prop];
      case "slot":
        return {has_clip: obj.clip !== null}[prop];
      case "scene": {
        // The LOM reference's Scene: time_signature_enabled, and -1 for the numerator and
        // denominator while it is off.
        const meter = this.live11 ? {} : {time_signature_enabled: obj.signature ? 1 : 0,
          time_signature_numerator: obj.signature ? obj.signature[0] : -1,
          time_signature_denominator: obj.signature ? obj.signature[1] : -1};
        return {name: obj.name || "", ...meter}[prop];
      }
      case "device":
        return {name: obj.name || "", can_have_drum_pads: obj.drumPads ? 1 : 0,
                can_have_chains: obj.chains ? 1 : 0}[prop];
      case "chain":
        return {name: obj.name}[prop];
      case "clip": {
        if (!CLIP_PROPS.includes(prop)) return undefined;
        if (prop === "length") {
          return obj.looping ? obj.loop_end - obj.loop_start : obj.end_marker - obj.start_marker;
        }
        if (prop === "is_midi_clip") return obj.midi;
        if (prop === "is_arrangement_clip") return obj.slot === null;
        return obj[prop];
      }
      default:
        return undefined;
    }
  }

  set(obj, prop, value) {
    if (!obj) {
      this.errors.push(`set ${prop} of no object`);
      return;
    }
    this.changes.push({id: obj.id, path: this.pathOf(obj), what: `set ${prop}`});
    if (obj.kind === "clip" && prop === "name") {
      obj.name = String(value);
      return;
    }
    if (obj.kind === "clip" && /^signature_(numerator|denominator)$/.test(prop)) {
      // quirks.clipMeterKept: a Live that keeps a new clip in the song's signature
      if (!this.quirks.clipMeterKept) obj[prop] = Number(value);
      return;
    }
    this.errors.push(`set: '${prop}' of ${obj.kind} is not settable here`);
  }

  // A track's device chain: its segue devices (MIDI effects), then its instrument.
  chain(track) {
    const devices = this.devices.filter((d) => d.track === track);
    return track.instrument ? devices.concat([track.instrument]) : devices;
  }

  getcount(obj, child) {
    if (obj && obj.kind === "track" && child === "devices") return this.chain(obj).length;
    if (obj && obj.kind === "device" && obj.chains && child === "chains") return obj.chains.length;
    if (obj && obj.kind === "chain" && child === "devices") return obj.devices.length;
    if (obj && obj.kind === "track" && child === "clip_slots") return obj.slots.length;
    if (obj && obj.kind === "track" && child === "arrangement_clips") return obj.arrangement.length;
    if (obj && obj.kind === "song" && child === "tracks") return this.tracks.length;
    if (obj && obj.kind === "song" && child === "scenes") return this.scenes.length;
    this.errors.push(`getcount ${child} of ${obj ? obj.kind : "no object"}`);
    return 0;
  }

  notesJson(notes) {
    if (this.quirks.notesAnswer !== undefined) return this.quirks.notesAnswer;
    const out = {notes: notes.map((n) => ({...n}))};
    return this.quirks.notesAsObject ? out : JSON.stringify(out);
  }

  call(obj, name, args) {
    if (!obj) {
      this.errors.push(`call ${name} on no object`);
      return undefined;
    }
    const where = this.pathOf(obj);
    if (obj.kind === "clip" && name === "get_notes_extended") {
      if (args.length !== 4 || !args.every((a) => typeof a === "number")) {
        this.errors.push(`get_notes_extended wants 4 numbers, got ${JSON.stringify(args)}`);
        return undefined;
      }
      const [fromPitch, pitchSpan, fromTime, timeSpan] = args;
      return this.notesJson(obj.notes.filter((n) => n.pitch >= fromPitch &&
        n.pitch < fromPitch + pitchSpan && n.start_time >= fromTime &&
        n.start_time < fromTime + timeSpan));
    }
    if (obj.kind === "clip" && name === "get_all_notes_extended") return this.notesJson(obj.notes);
    if (obj.kind === "clip" && name === "get_selected_notes_extended") {
      return this.notesJson(obj.notes.filter((n) => obj.selected.has(n.note_id)));
    }
    if (obj.kind === "clip" && name === "add_new_notes") {
      this.changes.push({id: obj.id, path: where, what: "add_new_notes"});
      // Live's handler: json.loads(the one parameter), then its "notes" (MxDCore.py).
      let dict = null;
      try {
        dict = typeof args[0] === "string" && args.length === 1 ? JSON.parse(args[0]) : null;
      } catch (e) {
        dict = null;
      }
      if (dict === null || typeof dict !== "object") {
        this.errors.push("add_new_notes: Malformatted dictionary argument (it takes one " +
                         `dictionary as JSON text, got ${typeof args[0]})`);
        return undefined;
      }
      if (!Array.isArray(dict.notes)) {
        this.errors.push("add_new_notes: Expecting 'notes' as the main dictionary's key");
        return undefined;
      }
      const ids = [];
      for (const n of dict.notes) {
        const keys = ["pitch", "start_time", "duration", "velocity", "mute", "probability",
                      "velocity_deviation", "release_velocity"];  // MidiNoteSpecification's
        const bad = !Number.isInteger(n.pitch) || n.pitch < 0 || n.pitch > 127 ||
          !(n.start_time >= 0) || !(n.duration > 0) || !(n.velocity >= 1 && n.velocity <= 127) ||
          Object.keys(n).some((k) => !keys.includes(k));
        if (bad) {
          this.errors.push(`add_new_notes: bad note ${JSON.stringify(n)}`);
          continue;
        }
        const note = this.makeNote(n);
        obj.notes.push(note);
        ids.push(note.note_id);
      }
      return ids;
    }
    if (obj.kind === "slot" && name === "create_clip") {
      this.changes.push({id: obj.id, path: where, what: "create_clip"});
      const length = args[0];
      if (obj.clip) {
        this.errors.push(`create_clip on ${where}, which has a clip`);
      } else if (obj.track.frozen) {
        this.errors.push(`create_clip on frozen track ${this.pathOf(obj.track)}`);
      } else if (!(typeof length === "number" && length > 0)) {
        this.errors.push(`create_clip wants a length > 0, got ${length}`);
      } else {
        obj.clip = this.makeClip({length}, obj.track, obj);
      }
      return undefined;
    }
    if (obj.kind === "song" && name === "create_scene") {
      this.changes.push({id: obj.id, path: where, what: "create_scene"});
      if (this.quirks.noScenes) return undefined;
      this.insertScene(args[0] === -1 ? this.scenes.length : args[0]);
      return undefined;
    }
    this.errors.push(`call: ${obj.kind} has no function '${name}'`);
    return undefined;
  }
}

module.exports = {FakeLiveSet};
