// Owns the wasm module and the training loop, off the main thread. Between chunks it
// yields to its event loop, so pause / step / reset messages are handled at once.
// Every use of the session (a message, a training chunk) runs as a job on one queue: the
// session is borrowed across awaits, and two jobs at once would collide in wasm-bindgen.
import init, { Session, presetConfig } from '../pkg/gan_lab.js';
import { ToWorker, FromWorker } from './protocol.js';

let session = null;
let playing = false;
let looping = false;
let stepsPerChunk = 5;
let lastTime = 0;
let lastStep = 0;

let queue = Promise.resolve();
const enqueue = (job) => (queue = queue.then(job));
const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const yieldToEvents = () => new Promise((resolve) => setTimeout(resolve, 0));

function ready() {
  post({
    type: FromWorker.READY,
    backend: session.backend,
    adapter: session.adapter,
    fallbackReason: session.fallbackReason ?? null,
    config: JSON.parse(session.config()),
  });
}

async function snapshot() {
  const snap = await session.snapshot();
  const now = performance.now();
  const step = snap.step;
  const stepsPerSecond = now > lastTime && step > lastStep ? ((step - lastStep) * 1000) / (now - lastTime) : 0;
  lastTime = now;
  lastStep = step;
  const arrays = {
    real: snap.real, fake: snap.fake, gGrad: snap.gGrad, dGrid: snap.dGrid,
    manifold: snap.manifold, dLosses: snap.dLosses, gLosses: snap.gLosses,
  };
  const msg = {
    type: FromWorker.SNAPSHOT, step, halfWidth: snap.halfWidth, gridCells: snap.gridCells,
    manifoldSide: snap.manifoldSide, metrics: JSON.parse(snap.metrics), diverged: snap.diverged,
    stepsPerSecond, backend: session.backend, ...arrays,
  };
  snap.free();
  post(msg, Object.values(arrays).map((a) => a.buffer));
  if (msg.diverged) {
    playing = false;
    post({ type: FromWorker.DIVERGED, step });
  }
}

// WebGPU failed mid-run (device lost, a kernel error): carry on with the same config on the CPU.
async function fallBackToCpu(error) {
  const config = session.config();
  try { session.free(); } catch { /* the old session may already be unusable */ }
  session = await Session.create(config, 'cpu');
  post({ type: FromWorker.FALLBACK, reason: String(error?.message ?? error), adapter: session.adapter });
  ready();
}

async function guarded(work) {
  try {
    await work();
  } catch (error) {
    if (session?.backend === 'webgpu') {
      try {
        await fallBackToCpu(error);
        return;
      } catch (second) {
        error = second;
      }
    }
    playing = false;
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
      session.train(stepsPerChunk);
      await snapshot();
    }));
    await yieldToEvents();
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
        session.train(msg.steps ?? 1);
        await snapshot();
      });
      break;
    case ToWorker.RESET:
      await guarded(async () => {
        session.reset(msg.config ? JSON.stringify(msg.config) : undefined, msg.seed);
        ready();
        await snapshot();
      });
      break;
    case ToWorker.LIVE:
      await guarded(async () => session.setLive(JSON.stringify(msg.live)));
      break;
    case ToWorker.SPEED:
      stepsPerChunk = Math.max(1, Math.floor(msg.stepsPerChunk));
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
