// The messages between the page and the training worker (www/worker.js): the one place
// they are written down. The page only sends intents; the worker owns the wasm session.

/** Page → worker. */
export const ToWorker = Object.freeze({
  /**
   * {type, config?: object (a GanConfig), preset?: string, backend: "auto" | "webgpu" | "cpu"}:
   * create the session from `config`, or else from the named preset (default ring8).
   */
  START: 'start',
  /** {type}: train continuously, posting a snapshot after each chunk. */
  PLAY: 'play',
  /** {type}: stop after the current chunk. */
  PAUSE: 'pause',
  /** {type, steps?: number}: train `steps` (default 1) steps, then post one snapshot. */
  STEP: 'step',
  /** {type, config?: object, seed?: number}: start over on the same device. */
  RESET: 'reset',
  /** {type, live: {generator_lr, discriminator_lr, loss, d_steps}}: change a running game. */
  LIVE: 'live',
  /** {type, stepsPerChunk: number}: steps between snapshots (the speed setting). */
  SPEED: 'speed',
  /** {type}: go back to the last snapshot whose losses were finite. */
  RESTORE: 'restore',
});

/** Worker → page. */
export const FromWorker = Object.freeze({
  /** {type, backend: "webgpu" | "cpu", adapter: string, fallbackReason: string | null, config: object}. */
  READY: 'ready',
  /**
   * {type, step, halfWidth, gridCells, manifoldSide, real, fake, gGrad, dGrid, manifold,
   *  dLosses, gLosses: Float32Array (transferred), metrics: object, diverged: boolean,
   *  stepsPerSecond: number, backend: string}.
   * Points are flat [x0, y0, x1, y1, ...]; dGrid is gridCells² raw D scores, row-major, y outer.
   */
  SNAPSHOT: 'snapshot',
  /** {type, step}: a loss became NaN/∞; training paused. The page may send RESTORE. */
  DIVERGED: 'diverged',
  /** {type, step}: back at the last good state. */
  RESTORED: 'restored',
  /** {type, reason: string, adapter: string}: WebGPU failed mid-run; continuing on the CPU. */
  FALLBACK: 'fallback',
  /** {type, message: string}: a refused request (bad config names the field) or a failure. */
  ERROR: 'error',
});
