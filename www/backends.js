// Which wasm module and backend a run goes to, and the modules themselves, loaded on demand.
// Used by the worker (worker.js), which owns the session.
import { isSoftwareAdapter } from './adapters.js';

// Two builds of the same crate (scripts/build): a CPU-only module, a fraction of the size, and
// one with burn's WebGPU backend too. A reader fetches the second only when a run goes to
// WebGPU, so the plane's first frame waits for the small one alone.
const MODULES = {
  cpu: () => import('../pkg/cpu/gan_lab_cpu.js'),
  webgpu: () => import('../pkg/webgpu/gan_lab_webgpu.js'),
};
const instances = {};
/** The named module, fetched, compiled and started once. */
export const wasmModule = (name) => (instances[name] ??= MODULES[name]().then(async (m) => {
  await m.default();
  return m;
}));

/** Whether a config (JSON; null before there is one) trains on digits. */
export const isDigits = (configJson) => configJson != null && JSON.parse(configJson).data.kind === 'mnist';

/** What WebGPU this browser offers: {adapter: its description, software} or {why: none}. Asked
 *  once, in JS, so "auto" can decide before fetching the WebGPU module. */
let webGpu = null;
export const probeWebGpu = () => (webGpu ??= (async () => {
  const gpu = self.navigator?.gpu;
  if (!gpu) return { why: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  let adapter = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { why: `requestAdapter failed: ${e?.message ?? e}` };
  }
  if (!adapter) return { why: 'WebGPU gave no adapter' };
  const info = adapter.info ?? {};
  const adapterName = ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter(Boolean).join(' / ');
  // A CPU emulation of a GPU (SwiftShader, llvmpipe/lavapipe, WARP) is no GPU at all.
  const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || isSoftwareAdapter(adapterName);
  return { adapter: adapterName || 'unnamed adapter', software };
})());

/**
 * Where a run goes. "cpu" and "webgpu" are obeyed. "auto" puts the plane on the CPU module: its
 * small networks train faster on the wasm CPU than WebGPU's per-step cost allows: a whole ring8
 * step on the CPU costs less than the worker's own time per WebGPU step, before any GPU work
 * (docs/performance.md). Digits go to WebGPU when the browser has a hardware
 * adapter; a software one trains them far slower than the wasm CPU (SwiftShader's first digits
 * frame comes ~2 minutes after load on the CI machine, the CPU's in ~5 s: scripts/bench/load.mjs).
 * A race's verdict for the config (`decision`, see race.js) overrides that rule.
 * Returns the module, the backend to ask it for, why WebGPU is out of reach (if it is) and why
 * auto chose as it did (if it did).
 */
export async function route(backend, configJson, decision = null) {
  if (backend === 'cpu') return { name: 'cpu', backend, why: null };
  if (backend === 'webgpu') return { name: 'webgpu', backend, why: null };
  const gpu = await probeWebGpu();
  if (gpu.why) return { name: 'cpu', backend: 'cpu', why: gpu.why };
  if (decision) return { name: decision.winner, backend: decision.winner === 'webgpu' ? 'auto' : 'cpu', why: null, choice: decision.text };
  if (gpu.software) {
    return { name: 'cpu', backend: 'cpu', why: null, choice: `WebGPU here is a software adapter (${gpu.adapter}), slower than the CPU` };
  }
  if (isDigits(configJson)) return { name: 'webgpu', backend: 'auto', why: null };
  return { name: 'cpu', backend: 'cpu', why: null, choice: 'the plane\u2019s small networks train faster on the CPU' };
}
