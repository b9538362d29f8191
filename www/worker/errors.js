// What went wrong in a worker job, by kind, and the ERROR message that says so.
import { FromWorker } from '../protocol.js';

/** A wasm panic (or a trap) leaves its module unusable: only a new worker can go on. */
export const isPanic = (error) => error instanceof WebAssembly.RuntimeError;

/**
 * An error's kind. Rust's errors and the worker's own refusals carry one ("config", "data",
 * "device", "state"). WebGPU's own failures reach JS as DOMExceptions (an OperationError, a lost
 * device's AbortError) or GPU…Error objects: "device". Anything else (a TypeError, a
 * ReferenceError) is a bug in our JS: "script", which must not be taken for a lost GPU.
 */
export function kindOf(error) {
  if (error?.kind) return error.kind;
  if (isPanic(error)) return 'panic';
  const name = error?.constructor?.name ?? '';
  if ((typeof DOMException !== 'undefined' && error instanceof DOMException) || name.startsWith('GPU')) return 'device';
  return 'script';
}

/** Where a bug was thrown: its stack's first line that names a file. */
function where(error) {
  const line = String(error?.stack ?? '').split('\n').find((l) => /\.js/.test(l));
  return line ? ` ${line.trim()}` : '';
}

/** The ERROR message for `error`; `catalog` (a Catalog, or null before one is loaded) gives a
 *  refused number's bounds and the setting a refused field belongs to. */
export function errorMessage(error, catalog) {
  const kind = kindOf(error);
  const field = error?.field ?? null;
  const n = kind === 'config' && field ? catalog?.numbers.get(field) : null;
  const text = String(error?.message ?? error);
  return {
    type: FromWorker.ERROR, kind, field, setting: catalog?.settingOf(field) ?? null,
    // A bug's message alone would not say where: the first frame of its stack does.
    message: kind === 'script' ? `${error?.name ?? 'Error'}: ${text}${where(error)}` : text,
    allowed: error?.allowed ?? null,
    bounds: n ? { min: n.min, max: n.max, above_min: n.above_min, integer: n.integer } : null,
  };
}
