// The messages between the page and the training worker (www/worker.js): the one place
// they are written down. The page only sends intents; the worker owns the wasm session.

/** Page → worker. */
export const ToWorker = Object.freeze({
  /**
   * {type, config?: object (a GanConfig), preset?: string, backend: "auto" | "webgpu" | "cpu"}:
   * create the session from `config`, or else from the named preset (default ring8).
   */
  START: 'start',
  /** {type}: train continuously, posting a snapshot after each chunk (or half step in slow motion). */
  PLAY: 'play',
  /** {type}: stop after the current chunk. */
  PAUSE: 'pause',
  /** {type, steps?: number}: train `steps` (default 1) steps, then post one snapshot. */
  STEP: 'step',
  /** {type}: slow motion's single move: D's updates or else G's update, then one snapshot. */
  HALF_STEP: 'half-step',
  /**
   * {type, config?: object, preset?: string, seed?: number}: start over on the same device,
   * from `config`, else the named preset, else the current config.
   */
  RESET: 'reset',
  /** {type, live: {generator_lr, discriminator_lr, loss, d_steps, batch_size}}: change a running game. */
  LIVE: 'live',
  /**
   * {type, stepsPerChunk: number, slow: boolean}: steps between snapshots (the speed setting);
   * `slow` plays half steps with a pause between, so D's move and G's are seen apart.
   */
  SPEED: 'speed',
  /** {type}: go back to the last snapshot whose losses were finite. */
  RESTORE: 'restore',
});

/** Worker → page. */
export const FromWorker = Object.freeze({
  /**
   * {type, backend: "webgpu" | "cpu", adapter: string, fallbackReason: string | null,
   *  config: object, presets: {[name]: config}}: a session exists (after START, RESET or a
 *  fallback); `presets` are the named configs, lessons included.
   */
  READY: 'ready',
  /**
   * Two kinds, by the run's data. Digits: {type, kind: "digits", step, phase, samples (64 digits),
   *  strip (10), real (16): Float32Array of 28×28 images, row-major, pixels in [−1, 1];
   *  dLosses, gLosses; quality: {classes_present, class_kl, confident_fraction, d_real, d_fake};
   *  diverged, stepsPerSecond, workMs, backend}.
   * Plane: {type, kind: "plane", step, phase: "d" | "g" | null, halfWidth, gridCells, manifoldSide, real, fake, gGrad,
   *  dGrid, dStarGrid, manifold, dLosses, gLosses: Float32Array (transferred), metrics: object,
   *  diverged: boolean, stepsPerSecond: number, workMs: number, backend: string}.
   * Points are flat [x0, y0, x1, y1, ...]; dGrid is gridCells² raw D scores, row-major, y outer;
   * dStarGrid is D* = Pr/(Pr+Pg) on the same cells. phase: the half step just run in slow motion.
   * workMs: the worker's own time for the chunk (queueing the steps), excluding the read-back wait.
   */
  SNAPSHOT: 'snapshot',
  /** {type, step}: a loss became NaN/∞; training paused. The page may send RESTORE. */
  DIVERGED: 'diverged',
  /** {type, live: {generator_lr, discriminator_lr, loss, d_steps, batch_size}}: live settings applied. */
  LIVE_APPLIED: 'live-applied',
  /** {type, step}: back at the last good state. */
  RESTORED: 'restored',
  /** {type, reason: string, adapter: string}: WebGPU failed mid-run; continuing on the CPU. */
  FALLBACK: 'fallback',
  /** {type, message: string}: a refused request (bad config names the field) or a failure. */
  ERROR: 'error',
});
