// Times the session in a worker: start-up, the first step, steps/s, the worker's own time per
// step, a frame's cost.
// Steps only queue work, so each timing ends with a frame (the read back that waits
// for the device); a frame's own cost is timed alone and subtracted.
import { ensureDigits } from '../../www/digits_data.js';

const now = () => performance.now();

// `module`: the wasm-bindgen glue to time, from the repository root (pkg/cpu/gan_lab_cpu.js,
// pkg/webgpu/gan_lab_webgpu.js, or a variant build being measured).
// `replay`: whether WebGPU records a step once and replays it (the default) or runs each as it
// is (the CPU backend never records).
self.onmessage = async ({ data: { module, backend, preset, steps, repeats, replay } }) => {
  try {
    const wasm = await import(new URL(`../../${module}`, import.meta.url));
    await wasm.default();
    const { Session, presetConfig } = wasm;
    let t = now();
    // The plain game, as `gan bench` and PyTorch's script time it: without ring8's R1 and
    // average of G (their cost is the page's, measured by load.mjs and compare.mjs).
    const config = { ...JSON.parse(presetConfig(preset)), r1: 0, g_ema: 0 };
    // A digits preset trains on the shipped digits, fetched as the page's worker does.
    await ensureDigits(wasm, module, JSON.stringify(config));
    const session = await Session.create(JSON.stringify(config), backend);
    session.setReplay?.(replay);
    const createMs = now() - t;
    t = now();
    session.train(1);
    (await session.frame()).free();
    const firstStepMs = now() - t; // includes pipeline compilation and the first snapshot
    // The steps before a replay (warm-up, then the recordings of D's half and G's), untimed as
    // steps, both ways.
    t = now();
    session.train(5);
    (await session.frame()).free();
    const recordMs = now() - t;
    const frameMs = [];
    const stepMs = [];
    // The worker's own time per step while queueing it (on WebGPU: encoding and submitting,
    // not waiting for the GPU; on the CPU backend this is the whole step).
    const queueMs = [];
    for (let r = 0; r < repeats; r++) {
      t = now();
      (await session.frame()).free();
      const snap = now() - t;
      t = now();
      session.train(steps);
      queueMs.push((now() - t) / steps);
      (await session.frame()).free();
      frameMs.push(snap);
      stepMs.push(Math.max(0, now() - t - snap) / steps);
    }
    self.postMessage({
      backend: session.backend, adapter: session.adapter, replay: session.replay ?? 'off: not in this build',
      createMs, firstStepMs, recordMs, frameMs, stepMs, queueMs,
    });
  } catch (e) {
    self.postMessage({ error: String(e?.message ?? e) });
  }
};
