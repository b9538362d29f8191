// Owns the session (in one of two wasm modules: see backends.js) and the training loop, off the
// main thread, and answers the page's controller (controller.js) in protocol.js's messages.
// Between chunks it yields to its event loop, so pause / step / reset messages are handled at
// once. Its other jobs live beside it: START's config (worker/start.js), errors by kind
// (worker/errors.js), the host copies (worker/host_copy.js), the backends and auto's race
// (backends.js, race.js).
// Every use of the session (a message, a training chunk) runs as a job on one queue: the
// session is borrowed across awaits, and two jobs at once would collide in wasm-bindgen.
import { ToWorker, FromWorker, failure } from './protocol.js';
import { route, wasmModule } from './backends.js';
import { ensureDigits } from './digits_data.js';
import { race, signature, worthRacing } from './race.js';
import { Catalog } from './catalog.js';
import { playLoop } from './pace.js';
import { startConfig } from './worker/start.js';
import { errorMessage, isPanic, kindOf } from './worker/errors.js';
import { HostCopy } from './worker/host_copy.js';
import { loseDevice, watchDevice } from './gpu_device.js';

let session = null;
/** The module the session lives in ("cpu" or "webgpu"), and the backend the page asked for. */
let current = null;
let requested = 'auto';
let playing = false;
let looping = false;
let stepsPerFrame = 1;
let slow = false;
/** The digit a conditional run's latent walk draws (ToWorker.WALK). */
let walkClass = 0;
let lastTime = 0;
let lastStep = 0;

/** The module START first loaded: its catalog answers before a session exists. */
let started = null;

/** A module's catalog, parsed once (the same in both modules: Rust's `config::catalog`). */
const catalogs = new WeakMap();
function catalogOf(wasm) {
  if (!catalogs.has(wasm)) catalogs.set(wasm, new Catalog(JSON.parse(wasm.catalog())));
  return catalogs.get(wasm);
}

/** A new session for `configJson`, in the module `route` picks (the old one is freed): a fresh
 *  run, or with `saved` (a save file's bytes, whose config `configJson` is) that run continued. */
async function open(configJson, seed, saved = null) {
  const to = await route(requested, configJson, raced.get(signature(configJson)));
  const wasm = await wasmModule(to.name);
  await ensureDigits(wasm, to.name, configJson);
  const next = saved ? await wasm.Session.load(saved, to.backend)
    : await wasm.Session.create(configJson, to.backend);
  if (seed != null) next.reset(undefined, seed);
  try { session?.free(); } catch { /* a session on a lost device may be unusable */ }
  session = next;
  session.setWalkClass(walkClass); // a view setting: a new session draws the reader's pick too
  current = { name: to.name, wasm, why: to.why, choice: to.choice ?? null };
  hostCopy.forget();
}

// ---- auto's race (race.js) ------------------------------------------------------------------------

/** "auto", "always" or "off": when auto races the backends (see `worthRacing`). */
let raceMode = 'auto';
/** Verdicts by config signature: this worker's races and those the page passed on. */
const raced = new Map();
const racing = new Set();

/** Under auto, races the backends on the run's config unless its signature has a verdict; the
 *  run keeps training meanwhile, and moves if the verdict says so. */
async function maybeRace() {
  if (requested !== 'auto') return;
  const config = session.config();
  const sig = signature(config);
  if (raced.has(sig)) return;
  if (racing.has(sig) || !(await worthRacing(raceMode))) return;
  racing.add(sig);
  let decision = await race(config, stepsPerFrame);
  if (raceMode === 'webgpu-wins') decision = { ...decision, winner: 'webgpu', text: 'a test gave WebGPU the race' };
  racing.delete(sig);
  raced.set(sig, decision);
  enqueue(() => guarded(async () => {
    // A reset, a load or a backend the reader picked may have come first.
    if (requested !== 'auto' || signature(session.config()) !== sig) return;
    if (decision.winner !== current.name) await handOver();
    current.choice = decision.text;
    post({ type: FromWorker.RACED, signature: sig, decision, backend: session.backend, adapter: session.adapter });
  }));
}

const raceSoon = () => session && maybeRace().catch(() => { /* no verdict: the rule's choice stands */ });

/** The same run, handed over to the module `route` now picks: its whole state read back here
 *  and loaded there; the step count goes on. */
async function handOver() {
  const bytes = await session.save();
  await open(session.config(), undefined, bytes);
  ready(true);
  await frame();
}

// ---- the last good state on the host, for a GPU that goes away ---------------------------------

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const hostCopy = new HostCopy(post);
/** The step of the last frame read back: where a lost device stopped. */
let lastFrameStep = 0;

// A lost device: in the queue, since the session may be busy (borrowed by a job) right now.
// With no run on the device any more (moved to the CPU) there is nothing to do.
watchDevice((message) => enqueue(() => guarded(async () => {
  if (session?.backend === 'webgpu') throw failure('device', message);
})));

let queue = Promise.resolve();
const enqueue = (job) => (queue = queue.then(job));

/** `continued`: the same run goes on (from a host copy or a hand-over), so its history stays. */
function ready(continued = false) {
  post({
    type: FromWorker.READY,
    step: session.step,
    continued,
    backend: session.backend,
    adapter: session.adapter,
    fallbackReason: session.fallbackReason ?? current.why,
    choice: current.choice,
    config: JSON.parse(session.config()),
    catalog: catalogOf(current.wasm).raw,
  });
}

/** Steps per second since the previous frame. */
function speed(step) {
  const now = performance.now();
  const stepsPerSecond = now > lastTime && step > lastStep ? ((step - lastStep) * 1000) / (now - lastTime) : 0;
  lastTime = now;
  lastStep = step;
  return stepsPerSecond;
}

/** The arrays of a frame, by kind: each is copied out of wasm once and transferred. */
const ARRAYS = {
  // D's raw scores (dGrid) stay behind: the page paints their verdict.
  plane: ['real', 'fake', 'gGrad', 'dVerdict', 'dStarGrid', 'massGrid', 'manifold', 'dLosses', 'gLosses'],
  digits: ['samples', 'strip', 'real', 'dLosses', 'gLosses'],
};

/** Reads the state back and posts it; `phase` is the slow-motion half just run, if any;
 *  `request`: the id of the STEP or HALF_STEP it answers (compare mode's lockstep). */
async function frame(phase = null, workMs = 0, request = null) {
  const f = await session.frame();
  const kind = f.kind;
  const arrays = Object.fromEntries(ARRAYS[kind].map((name) => [name, f[name]]));
  const msg = {
    type: FromWorker.FRAME, kind, step: f.step, phase, workMs, request, diverged: f.diverged,
    stepsPerSecond: speed(f.step), backend: session.backend, replay: session.replay,
    wasmBytes: current.wasm.memoryBytes(), ...arrays,
  };
  if (kind === 'plane') {
    Object.assign(msg, {
      halfWidth: f.halfWidth, gridCells: f.gridCells, manifoldSide: f.manifoldSide, massShown: f.massShown,
      criticRange: f.criticRange ?? null, metrics: JSON.parse(f.metrics),
    });
  } else {
    msg.quality = JSON.parse(f.quality);
  }
  f.free();
  lastFrameStep = msg.step;
  post(msg, Object.values(arrays).map((a) => a.buffer));
  if (msg.diverged) {
    playing = false;
    post({ type: FromWorker.DIVERGED, step: msg.step });
  } else if (phase !== 'd') {
    // Not after D's half in slow motion: saving ends a half-done step.
    await hostCopy.keep(session, () => current.wasm.memoryBytes());
  }
}

// WebGPU failed mid-run (device lost, a kernel error): carry on on the CPU from the last host
// copy, in the CPU module (a fresh wasm instance, whatever state the failure left the other in),
// or from step 0 if there is none yet.
async function fallBackToCpu(error) {
  if (session.backend !== 'webgpu') return; // the device's loss was already handled
  const copy = hostCopy.copy;
  const lostAt = Math.max(lastFrameStep, copy?.step ?? 0);
  requested = 'cpu';
  await open(session.config(), undefined, copy?.bytes ?? null);
  post({
    // The first line: wgpu's errors go on with causes and a backtrace.
    type: FromWorker.FALLBACK, reason: String(error?.message ?? error).split('\n')[0], adapter: session.adapter,
    resumedAt: session.step, lost: lostAt - session.step,
  });
  ready(copy != null);
  await frame();
}

/** A wasm panic left this worker's module unusable: it does nothing more. */
let crashed = false;

async function guarded(work) {
  if (crashed) return;
  try {
    await work();
  } catch (error) {
    if (isPanic(error)) {
      crashed = true;
      playing = false;
      post(errorMessage(error, null));
      return;
    }
    // Only a failing device moves the run to the CPU: a refused value, bad data, a request out
    // of turn or a bug in this JS leaves the run as it is, on the device it is on.
    if (session?.backend === 'webgpu' && kindOf(error) === 'device') {
      try {
        await fallBackToCpu(error);
        return;
      } catch (second) {
        error = second;
      }
    }
    if (kindOf(error) !== 'config') playing = false;
    const wasm = current?.wasm ?? started;
    post(errorMessage(error, wasm ? catalogOf(wasm) : null));
  }
}

async function loop() {
  if (looping) return;
  looping = true;
  lastTime = performance.now();
  lastStep = session.step;
  await playLoop(() => playing, () => slow, () => enqueue(() => guarded(async () => {
    if (!playing) return; // paused while this chunk waited in the queue
    const t0 = performance.now();
    const phase = slow ? session.halfStep() : (session.train(stepsPerFrame), null);
    await frame(phase, performance.now() - t0);
  })));
  looping = false;
}

self.onmessage = ({ data: msg }) => enqueue(() => handle(msg));

function pace(msg) {
  stepsPerFrame = Math.max(1, Math.floor(msg.stepsPerFrame ?? stepsPerFrame));
  slow = Boolean(msg.slow);
}

async function handle(msg) {
  if (msg.type !== ToWorker.START && !session) {
    post({ type: FromWorker.ERROR, kind: 'state', field: null, message: `"${msg.type}" before "start"` });
    return;
  }
  switch (msg.type) {
    case ToWorker.START:
      pace(msg);
      await guarded(async () => {
        requested = msg.backend ?? 'auto';
        raceMode = msg.race ?? 'auto';
        for (const [sig, decision] of Object.entries(msg.raced ?? {})) raced.set(sig, decision);
        // Both modules know the presets: ask the one a plane run would use.
        const first = await wasmModule((await route(requested, null)).name);
        started = first;
        await open(startConfig(msg, first, catalogOf(first)));
        ready();
        await frame();
      });
      raceSoon();
      break;
    case ToWorker.PLAY:
      playing = true;
      loop();
      break;
    case ToWorker.PAUSE:
      playing = false;
      break;
    case ToWorker.STEP:
      playing = false;
      await guarded(async () => {
        const t0 = performance.now();
        session.train(msg.steps ?? 1);
        await frame(null, performance.now() - t0, msg.request);
      });
      break;
    case ToWorker.HALF_STEP:
      playing = false;
      await guarded(async () => {
        const t0 = performance.now();
        const phase = session.halfStep();
        await frame(phase, performance.now() - t0, msg.request);
      });
      break;
    case ToWorker.RESET:
      await guarded(async () => {
        const config = msg.config ? JSON.stringify(msg.config)
          : msg.preset ? current.wasm.presetConfig(msg.preset) : undefined;
        if (config && (await route(requested, config)).name !== current.name) {
          await open(config, msg.seed); // plane <-> digits under "auto": the other module
        } else {
          if (config) await ensureDigits(current.wasm, current.name, config);
          session.reset(config, msg.seed);
        }
        ready();
        await frame();
      });
      raceSoon();
      break;
    case ToWorker.LIVE:
      await guarded(async () => {
        session.setLive(JSON.stringify(msg.live));
        post({ type: FromWorker.LIVE_APPLIED, live: JSON.parse(session.live()) });
      });
      break;
    case ToWorker.PACE:
      pace(msg);
      break;
    case ToWorker.WALK:
      await guarded(async () => {
        session.setWalkClass(msg.digit);
        walkClass = msg.digit;
        if (!playing) await frame(); // a paused run shows the new walk now
      });
      break;
    case ToWorker.SAVE:
      await guarded(async () => {
        const before = session.step;
        const bytes = await session.save();
        post({ type: FromWorker.SAVED, bytes, step: session.step, config: JSON.parse(session.config()) }, [bytes.buffer]);
        if (session.step !== before) await frame(); // a half-done step was finished
      });
      break;
    case ToWorker.LOAD:
      playing = false;
      await guarded(async () => {
        const bytes = new Uint8Array(msg.bytes);
        // Refused here (not ours, a bad config inside) before anything changes.
        const config = current.wasm.savedConfig(bytes);
        await open(config, undefined, bytes);
        ready();
        post({ type: FromWorker.LOADED, step: session.step });
        await frame();
      });
      break;
    case ToWorker.BACKEND:
      // The same run, handed over: its whole state read back here and loaded there.
      await guarded(async () => {
        const was = requested;
        requested = msg.backend;
        try {
          await handOver();
        } catch (error) {
          requested = was;
          throw error;
        }
      });
      raceSoon(); // back to auto: a verdict, or a race
      break;
    case ToWorker.LOSE_DEVICE:
      loseDevice();
      break;
    case ToWorker.CRASH:
      // As a Rust panic reaches JS: a trap, thrown from the wasm call in a job.
      await guarded(async () => { throw new WebAssembly.RuntimeError('unreachable (a test crash)'); });
      break;
    case ToWorker.THROW:
      // As a bug in this file would: a TypeError from a job.
      await guarded(async () => { throw new TypeError("Cannot read properties of null (reading 'step'), a test bug"); });
      break;
    case ToWorker.RESTORE:
      await guarded(async () => {
        const step = session.restoreLastGood();
        post({ type: FromWorker.RESTORED, step });
        await frame();
      });
      break;
    default:
      post({ type: FromWorker.ERROR, kind: 'state', field: null, message: `unknown message type "${msg.type}"` });
  }
}
