// Owns the wasm module and the training loop, off the main thread. Between chunks it
// yields to its event loop, so pause / step / reset messages are handled at once.
// Every use of the session (a message, a training chunk) runs as a job on one queue: the
// session is borrowed across awaits, and two jobs at once would collide in wasm-bindgen.
import init, { Session, loadDigits, presetConfig, presetNames } from '../pkg/gan_lab.js';
import { ToWorker, FromWorker } from './protocol.js';

let session = null;
let playing = false;
let looping = false;
let stepsPerChunk = 5;
let slow = false;
let lastTime = 0;
let lastStep = 0;

// The packed MNIST subset and the digit classifier's weights: webpack emits them as files
// next to the page, fetched once, the first time a digits run starts (a plane-only visit never
// downloads them).
const DIGITS_FILES = [
  new URL('../assets/mnist/train-images-idx3-ubyte.gz', import.meta.url),
  new URL('../assets/mnist/train-labels-idx1-ubyte.gz', import.meta.url),
  new URL('../assets/classifier/digits-mlp.safetensors', import.meta.url),
];
let digitsLoaded = null;

/** Fetches and hands the digits to wasm (which parses and checks them), if `config` needs them. */
async function ensureDigits(configJson) {
  if (JSON.parse(configJson).data.kind !== 'mnist') return;
  digitsLoaded ??= (async () => {
    const bytes = await Promise.all(DIGITS_FILES.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not load ${url.pathname}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    }));
    loadDigits(...bytes);
  })();
  try {
    await digitsLoaded;
  } catch (error) {
    digitsLoaded = null; // let a later attempt fetch again
    throw error;
  }
}

/** Slow motion's pause between half steps, long enough to see each move. */
const SLOW_PAUSE_MS = 700;

let queue = Promise.resolve();
const enqueue = (job) => (queue = queue.then(job));
const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToEvents = () => sleep(0);

function ready() {
  post({
    type: FromWorker.READY,
    backend: session.backend,
    adapter: session.adapter,
    fallbackReason: session.fallbackReason ?? null,
    config: JSON.parse(session.config()),
    presets: Object.fromEntries(presetNames().map((name) => [name, JSON.parse(presetConfig(name))])),
  });
}

/** Steps per second since the previous snapshot. */
function speed(step) {
  const now = performance.now();
  const stepsPerSecond = now > lastTime && step > lastStep ? ((step - lastStep) * 1000) / (now - lastTime) : 0;
  lastTime = now;
  lastStep = step;
  return stepsPerSecond;
}

function posted(msg, arrays) {
  post(msg, Object.values(arrays).map((a) => a.buffer));
  if (msg.diverged) {
    playing = false;
    post({ type: FromWorker.DIVERGED, step: msg.step });
  }
}

async function digitsSnapshot(phase, workMs) {
  const snap = await session.digitsSnapshot();
  const step = snap.step;
  const arrays = {
    samples: snap.samples, strip: snap.strip, real: snap.real, dLosses: snap.dLosses, gLosses: snap.gLosses,
  };
  const msg = {
    type: FromWorker.SNAPSHOT, kind: 'digits', step, phase, workMs, quality: JSON.parse(snap.quality),
    diverged: snap.diverged, stepsPerSecond: speed(step), backend: session.backend, ...arrays,
  };
  snap.free();
  posted(msg, arrays);
}

/** Reads the state back and posts it; `phase` is the slow-motion half just run, if any. */
async function snapshot(phase = null, workMs = 0) {
  if (session.isDigits) return digitsSnapshot(phase, workMs);
  const snap = await session.snapshot();
  const step = snap.step;
  const stepsPerSecond = speed(step);
  const arrays = {
    real: snap.real, fake: snap.fake, gGrad: snap.gGrad, dGrid: snap.dGrid, dStarGrid: snap.dStarGrid,
    manifold: snap.manifold, dLosses: snap.dLosses, gLosses: snap.gLosses,
  };
  const msg = {
    type: FromWorker.SNAPSHOT, kind: 'plane', step, phase, workMs, halfWidth: snap.halfWidth, gridCells: snap.gridCells,
    manifoldSide: snap.manifoldSide, metrics: JSON.parse(snap.metrics), diverged: snap.diverged,
    stepsPerSecond, backend: session.backend, ...arrays,
  };
  snap.free();
  posted(msg, arrays);
}

// WebGPU failed mid-run (device lost, a kernel error): carry on with the same config on the CPU.
async function fallBackToCpu(error) {
  const config = session.config();
  try { session.free(); } catch { /* the old session may already be unusable */ }
  session = await Session.create(config, 'cpu');
  post({ type: FromWorker.FALLBACK, reason: String(error?.message ?? error), adapter: session.adapter });
  ready();
}

/** A refused request (a bad config value) says "invalid …": nothing failed, nothing to recover. */
const isRefusal = (error) => /^invalid /.test(String(error?.message ?? error));

async function guarded(work) {
  try {
    await work();
  } catch (error) {
    if (session?.backend === 'webgpu' && !isRefusal(error)) {
      try {
        await fallBackToCpu(error);
        return;
      } catch (second) {
        error = second;
      }
    }
    if (!isRefusal(error)) playing = false;
    post({ type: FromWorker.ERROR, message: String(error?.message ?? error) });
  }
}

async function loop() {
  if (looping) return;
  looping = true;
  lastTime = performance.now();
  lastStep = session.step;
  while (playing) {
    await enqueue(() => guarded(async () => {
      if (!playing) return; // paused while this chunk waited in the queue
      const t0 = performance.now();
      const phase = slow ? session.halfStep() : (session.train(stepsPerChunk), null);
      await snapshot(phase, performance.now() - t0);
    }));
    await (slow ? sleep(SLOW_PAUSE_MS) : yieldToEvents());
  }
  looping = false;
}

self.onmessage = ({ data: msg }) => enqueue(() => handle(msg));

async function handle(msg) {
  if (msg.type !== ToWorker.START && !session) {
    post({ type: FromWorker.ERROR, message: `"${msg.type}" before "start"` });
    return;
  }
  switch (msg.type) {
    case ToWorker.START:
      await guarded(async () => {
        await init();
        session?.free();
        const config = msg.config ? JSON.stringify(msg.config) : presetConfig(msg.preset ?? 'ring8');
        await ensureDigits(config);
        session = await Session.create(config, msg.backend ?? 'auto');
        ready();
        await snapshot();
      });
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
        await snapshot(null, performance.now() - t0);
      });
      break;
    case ToWorker.HALF_STEP:
      playing = false;
      await guarded(async () => {
        const t0 = performance.now();
        const phase = session.halfStep();
        await snapshot(phase, performance.now() - t0);
      });
      break;
    case ToWorker.RESET:
      await guarded(async () => {
        const config = msg.config ? JSON.stringify(msg.config)
          : msg.preset ? presetConfig(msg.preset) : undefined;
        if (config) await ensureDigits(config);
        session.reset(config, msg.seed);
        ready();
        await snapshot();
      });
      break;
    case ToWorker.LIVE:
      await guarded(async () => {
        session.setLive(JSON.stringify(msg.live));
        post({ type: FromWorker.LIVE_APPLIED, live: JSON.parse(session.live()) });
      });
      break;
    case ToWorker.SPEED:
      stepsPerChunk = Math.max(1, Math.floor(msg.stepsPerChunk ?? stepsPerChunk));
      slow = Boolean(msg.slow);
      break;
    case ToWorker.RESTORE:
      await guarded(async () => {
        const step = session.restoreLastGood();
        post({ type: FromWorker.RESTORED, step });
        await snapshot();
      });
      break;
    default:
      post({ type: FromWorker.ERROR, message: `unknown message type "${msg.type}"` });
  }
}
