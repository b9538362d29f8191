// The packed MNIST subset and the digit classifier's weights: webpack emits them as files next
// to the page, fetched once per worker, the first time a digits run starts there (a plane-only
// visit never downloads them). The training worker and the backend race (race_worker.js) both
// hand them to their wasm modules.
import { failure } from './protocol.js';
import { isDigits } from './backends.js';

const DIGITS_FILES = [
  new URL('../assets/mnist/train-images-idx3-ubyte.gz', import.meta.url),
  new URL('../assets/mnist/train-labels-idx1-ubyte.gz', import.meta.url),
  new URL('../assets/classifier/digits-mlp.safetensors', import.meta.url),
];
let digitBytes = null;
/** The modules ("cpu", "webgpu") that have the digits already. */
const digitsIn = new Set();

/** Fetches the digits once and hands them to module `wasm` (named `name`, which parses and
 *  checks them), if `configJson` needs them. */
export async function ensureDigits(wasm, name, configJson) {
  if (!isDigits(configJson) || digitsIn.has(name)) return;
  digitBytes ??= Promise.all(DIGITS_FILES.map(async (url) => {
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw failure('data', `could not load the digits (${url.pathname}): ${e.message}`);
    }
    if (!response.ok) throw failure('data', `could not load the digits (${url.pathname}): HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }));
  let bytes;
  try {
    bytes = await digitBytes;
  } catch (error) {
    digitBytes = null; // let a later attempt fetch again
    throw error;
  }
  wasm.loadDigits(...bytes);
  digitsIn.add(name);
}
