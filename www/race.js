// Auto's choice by measurement. The rule in backends.js gives a run its first backend at once
// (the plane on the CPU, digits on a hardware GPU); then both backends are raced on the run's own
// config, same seed, in a worker of their own (race_worker.js), and the run moves to the faster
// one. A race is run once per page for each cost band of config (signature), bounded: about a
// second of timed steps per backend after one warm-up step, and a budget for the warm-up (a
// first WebGPU step compiles its pipelines).
import { probeWebGpu } from './backends.js';

/** Past these, a backend's race is given up: it is no contender for a page that must move. */
export const BUDGET_MS = Object.freeze({ cpu: 10_000, webgpu: 20_000 });
/** WebGPU must beat the CPU by this factor to take a run over (a hand-over is not free). */
export const MARGIN = 1.2;
const ORDER = ['cpu', 'webgpu'];

// A factor of 4 in width or batch is a new band: smaller changes keep the verdict.
const band = (n) => Math.floor(Math.log2(Math.max(1, n)) / 2);

/** The shapes that set a step's cost, coarsely: configs with one signature share a race. */
export function signature(configJson) {
  const c = JSON.parse(configJson);
  return [c.data.kind === 'mnist' ? 'digits' : 'plane', c.model, band(c.generator.width),
    band(c.discriminator.width), c.generator.depth, c.discriminator.depth, band(c.batch_size),
    c.d_steps, c.pack ?? 1].join(':');
}

/** Whether to race at all: `mode` "off" never does; "auto" (the default) races a hardware
 *  adapter only, since a software one (SwiftShader, llvmpipe, WARP) is a CPU emulating a GPU and
 *  racing it would fetch the WebGPU module for nothing; "always" races whatever WebGPU there is. */
export async function worthRacing(mode) {
  if (mode === 'off') return false;
  const gpu = await probeWebGpu();
  if (gpu.why) return false;
  return mode === 'always' || mode === 'webgpu-wins' || !gpu.software;
}

const rate = (r) => (r.stepsPerSecond >= 10 ? r.stepsPerSecond.toFixed(0) : r.stepsPerSecond.toPrecision(2));

/** How one backend did, in words. */
function said(name, r) {
  const label = name === 'cpu' ? 'CPU' : 'WebGPU';
  if (!r) return `${label} not measured`;
  if (r.timedOutMs) return `${label}: no step within ${r.timedOutMs / 1000} s`;
  if (r.error) return `${label} failed (${r.error})`;
  return `${label}: ${rate(r)} steps/s`;
}

/** The verdict on a race's results ({cpu, webgpu}, each {stepsPerSecond, …} or {timedOutMs}
 *  or {error}): the winner, and why in words with the numbers. */
export function decide(results, software = false) {
  const cpu = results.cpu?.stepsPerSecond;
  const gpu = results.webgpu?.stepsPerSecond;
  const winner = gpu != null && (cpu == null || gpu > MARGIN * cpu) ? 'webgpu' : 'cpu';
  const adapter = software ? ', a software adapter' : '';
  return { winner, text: `it measured faster on this run (${said('cpu', results.cpu)}; ${said('webgpu', results.webgpu)}${adapter})`, results };
}

/** Races both backends on `configJson` at the page's `stepsPerFrame`; resolves to `decide`'s
 *  verdict. Never rejects: a backend that fails or overruns its budget just loses. */
export function race(configJson, stepsPerFrame) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./race_worker.js', import.meta.url), { type: 'module' });
    const results = {};
    let timer = null;
    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.terminate();
      resolve(decide(results, (await probeWebGpu()).software));
    };
    const arm = (i) => {
      clearTimeout(timer);
      if (i >= ORDER.length) return finish();
      timer = setTimeout(() => {
        results[ORDER[i]] = { timedOutMs: BUDGET_MS[ORDER[i]] };
        finish(); // the worker is busy with this backend: nothing after it can run
      }, BUDGET_MS[ORDER[i]]);
      return null;
    };
    worker.onmessage = ({ data: { name, result } }) => {
      results[name] = result;
      arm(ORDER.indexOf(name) + 1);
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      finish();
    };
    arm(0);
    worker.postMessage({ config: configJson, stepsPerFrame, backends: ORDER });
  });
}
