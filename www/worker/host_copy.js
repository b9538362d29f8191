// The run's last good state, read back to the host every few seconds of training: a lost GPU
// then costs only the steps since (the CPU resumes from it), and the copy sent to the page is
// what a crashed worker's successor resumes from.
import { FromWorker } from '../protocol.js';

/** At most one read-back per HOST_COPY_MS (a ring8 copy is ~70 KB, the DCGAN's a few MB). */
const HOST_COPY_MS = 3000;

export class HostCopy {
  constructor(post) {
    this.post = post;
    this.copy = null; // {bytes, step}
    this.at = 0;
  }

  /** A new session: its old copy is no way back for it. */
  forget() {
    this.copy = null;
  }

  /** Reads `session` back if the last copy is old enough, and posts a CHECKPOINT; `memoryBytes`
   *  is the module's wasm memory after the copy (between two slow frames, a minute apart on a
   *  software GPU, the copy is where the memory reaches its high-water mark). */
  async keep(session, memoryBytes) {
    // Step 0 needs no copy: the config replays it.
    if (session.step === 0 || performance.now() - this.at < HOST_COPY_MS) return;
    this.at = performance.now();
    this.copy = { bytes: await session.save(), step: session.step };
    const bytes = this.copy.bytes.slice();
    this.post({ type: FromWorker.CHECKPOINT, bytes, step: this.copy.step, wasmBytes: memoryBytes() }, [bytes.buffer]);
  }
}
