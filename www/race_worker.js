// The backend race's stopwatch, in a worker of its own (spawned by race.js), so a slow backend
// (a first WebGPU step compiles its pipelines) never stalls the run being shown, and a race past
// its budget is ended by terminating this worker.
// For each backend in turn: a session of the actual config (same seed), six warm-up steps, then
// steps in growing chunks for about TIMED_MS. Steps only queue work, so each timing ends with a
// frame (the read-back that waits for the device); a frame is timed alone too, and the rate is
// the page's: `stepsPerFrame` steps and one frame per chunk.
import { wasmModule } from './backends.js';
import { ensureDigits } from './digits_data.js';

const TIMED_MS = 1000;
const now = () => performance.now();

async function measure(name, config, stepsPerFrame) {
  const wasm = await wasmModule(name);
  await ensureDigits(wasm, name, config);
  const session = await wasm.Session.create(config, name);
  try {
    if (session.backend !== name) throw new Error(session.fallbackReason ?? `no ${name} backend here`);
    let t = now();
    session.train(1);
    (await session.frame()).free();
    const firstStepMs = now() - t;
    // On WebGPU the next steps warm up and record both halves of a step, which every later step replays
    // (the Rust side's train::Replay): untimed, so the race times the steps a run goes on with.
    session.train(5);
    (await session.frame()).free();
    t = now();
    (await session.frame()).free();
    const frameMs = now() - t;
    let steps = 0;
    let stepMs = 0;
    for (let chunk = 1; stepMs < TIMED_MS; chunk = Math.min(chunk * 2, 256)) {
      t = now();
      session.train(chunk);
      (await session.frame()).free();
      stepMs += Math.max(0, now() - t - frameMs);
      steps += chunk;
    }
    const perStep = stepMs / steps;
    return {
      stepsPerSecond: (1000 * stepsPerFrame) / (stepsPerFrame * perStep + frameMs),
      firstStepMs, adapter: session.adapter, backend: session.backend,
    };
  } finally {
    session.free();
  }
}

self.onmessage = async ({ data: { config, stepsPerFrame, backends } }) => {
  for (const name of backends) {
    try {
      self.postMessage({ name, result: await measure(name, config, stepsPerFrame) });
    } catch (e) {
      self.postMessage({ name, result: { error: String(e?.message ?? e).split('\n')[0] } });
    }
  }
};
