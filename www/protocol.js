// The messages between the page and the training worker (www/worker.js): the one place
// they are written down. The page only sends intents; the worker owns the wasm session.

/** The backends a page may ask for: "auto" lets the worker choose (backends.js, race.js). */
export const BACKENDS = Object.freeze(['auto', 'webgpu', 'cpu']);

/** When auto races the backends: "auto" races a hardware adapter only, "always" a software one
 *  too, "off" never races; "webgpu-wins" races as "always" and then hands WebGPU the verdict
 *  whatever the numbers (for tests: a hand-over on a machine whose only WebGPU is software). */
export const RACES = Object.freeze(['auto', 'always', 'off', 'webgpu-wins']);

/** Page → worker. */
export const ToWorker = Object.freeze({
  /**
   * {type, config?: object (a GanConfig), preset?: string, overrides?: {loss?: string (a loss
   *  kind), seed?, generator_lr?, discriminator_lr?, d_steps?, batch_size?, r1?, g_ema?, pack?}, patch?: object,
   *  backend: "auto" | "webgpu" | "cpu", stepsPerFrame: number, slow: boolean,
   *  race?: "auto" | "always" | "off", raced?: {[signature]: verdict}}: create the
   *  session from `config`, or else from the named preset (default ring8) with `patch` (a run
   *  link's JSON merge patch, see share.js) and then `overrides` applied, and set the pace.
   *  Under auto, `race` says when to race the backends and `raced` passes on the verdicts of
   *  earlier races on this page (see race.js), so each config is raced once.
   */
  START: 'start',
  /** {type}: train continuously, posting a frame after each chunk (or half step in slow motion). */
  PLAY: 'play',
  /** {type}: stop after the current chunk. */
  PAUSE: 'pause',
  /** {type, steps?: number, request?}: train `steps` (default 1) steps, then post one frame
   *  (which carries `request`, so a page driving two runs knows what each frame answers). */
  STEP: 'step',
  /** {type, request?}: slow motion's single move: D's updates or else G's update, then one frame. */
  HALF_STEP: 'half-step',
  /**
   * {type, config?: object, preset?: string, seed?: number}: start over on the same device,
   * from `config`, else the named preset, else the current config.
   */
  RESET: 'reset',
  /** {type, live: {generator_lr, discriminator_lr, loss, d_steps, batch_size}}: change a running game. */
  LIVE: 'live',
  /**
   * {type, stepsPerFrame: number, slow: boolean}: training steps between two frames; `slow`
   * plays half steps with a pause between, so D's move and G's are seen apart.
   */
  PACE: 'pace',
  /** {type, digit: 0-9}: the digit a conditional run's latent walk draws (kept for later runs;
   *  an unconditional walk has no class). A paused run answers with a frame. */
  WALK: 'walk',
  /** {type}: go back to the last frame whose losses and values were finite. */
  RESTORE: 'restore',
  /** {type}: read the whole run back as a save file (answered by SAVED). */
  SAVE: 'save',
  /** {type, bytes: ArrayBuffer}: continue the run in a save file; a wrong file changes nothing. */
  LOAD: 'load',
  /** {type, backend: "auto" | "webgpu" | "cpu"}: move the running game there, weights,
   *  optimizer state and step count included. */
  BACKEND: 'backend',
  /** {type}: for tests: destroy the GPUDevice, as a driver reset or a lost GPU would. */
  LOSE_DEVICE: 'lose-device',
  /** {type}: for tests: fail the next job as a wasm panic does (a RuntimeError trap). */
  CRASH: 'crash',
  /** {type}: for tests: throw a plain JS error (a TypeError) in the next job, as a bug in the
   *  worker's own code would: reported as kind "script", the run stays where it is. */
  THROW: 'throw',
});

/** Worker → page. */
export const FromWorker = Object.freeze({
  /**
   * {type, backend: "webgpu" | "cpu", adapter: string, fallbackReason: string | null,
   *  choice: string | null, config: object, catalog: object, step, continued: boolean}: a
   *  session exists (after START, RESET, LOAD, a hand-over or a fallback), at `step`;
   *  `continued`: the same run goes on, so the charts keep its history up to `step`; `fallbackReason` says why WebGPU is out of reach, `choice` why "auto"
   *  chose the CPU anyway; `catalog` is Rust's catalog (presets and lessons, losses, menus, bounds).
   */
  READY: 'ready',
  /**
   * A frame, by the run's data. Both: {type, kind, step, phase: "d" | "g" | null (the slow-motion
   *  half just run), request: the STEP's or HALF_STEP's `request` it answers, if any, dLosses, gLosses: Float32Array (transferred), diverged: boolean,
   *  stepsPerSecond, workMs: the worker's own time for the chunk (queueing the steps), backend,
   *  wasmBytes: the module's wasm memory}.
   * Digits ({kind: "digits"}): samples (64 digits; a conditional run's 80, a row of 8 per digit
   *  0–9), strip (10), real (16): 28×28 images, row-major, pixels in [−1, 1]; quality:
   *  {classes_present, class_kl, confident_fraction, class_agreement (null unless
   *  conditional), d_real, d_fake}.
   * Plane ({kind: "plane"}): halfWidth, gridCells, manifoldSide, real, fake, gGrad, dVerdict,
   *  dStarGrid, massGrid, massShown, manifold; criticRange: [lo, hi] | null; metrics: object.
   *  Points are flat [x0, y0, x1, y1, ...]; dVerdict is D's score at gridCells² cell centres,
   *  row-major, y outer, on the colour scale in [0, 1]; dStarGrid is D* = Pr/(Pr+Pg) on the same
   *  cells; massGrid is (Pr+Pg)/2's mass there against a uniform law's, and below massShown
   *  the theory panel fades D and D* out (too little mass for D* to mean anything).
   */
  FRAME: 'frame',
  /** {type, step}: a loss or a drawn value became NaN/∞; training paused. The page may send RESTORE. */
  DIVERGED: 'diverged',
  /** {type, live: {generator_lr, discriminator_lr, loss, d_steps, batch_size}}: live settings applied. */
  LIVE_APPLIED: 'live-applied',
  /** {type, step}: back at the last good state. */
  RESTORED: 'restored',
  /** {type, reason: string, adapter: string, resumedAt: number, lost: number}: WebGPU failed
   *  mid-run; continuing on the CPU from step `resumedAt` (the last host copy; 0 if none),
   *  `lost` steps after it redone. */
  FALLBACK: 'fallback',
  /** {type, signature: string, decision: {winner: "cpu" | "webgpu", text: string, results},
   *  backend, adapter}: auto raced the backends on this run (see race.js) and it now trains on
   *  `backend` (after a READY with `continued` if it moved); `text` says why, with the numbers. */
  RACED: 'raced',
  /** {type, bytes: Uint8Array (transferred), step, config}: the save file SAVE asked for. */
  SAVED: 'saved',
  /** {type, step}: a save file was loaded; the run continues from `step`. */
  LOADED: 'loaded',
  /** {type, bytes: Uint8Array (transferred), step, wasmBytes}: the run's last good state as a
   *  save file, every few seconds of training: what a crashed worker restarts from;
   *  `wasmBytes`: the module's wasm memory just after the copy. */
  CHECKPOINT: 'checkpoint',
  /**
   * {type, kind: "config" | "data" | "device" | "state" | "script" | "panic", field: string | null,
   *  setting: string | null, message, allowed: string[] | null,
   *  bounds: {min, max, above_min, integer} | null}: a refused request (kind "config": `field`
   *  is the refused value's JSON path, `setting` the catalog's key of the setting it belongs to,
   *  and `allowed` or `bounds` what it may be, so a figure can say so in its own language;
   *  nothing changed) or a failure. "device": WebGPU failed (the run moves to the CPU first, and
   *  this comes only if that failed too). "script": the worker's own JS threw (a bug); the run
   *  stays where it is, paused. "panic": the wasm module trapped; the worker does nothing more,
   *  and the page starts a new one.
   */
  ERROR: 'error',
});

/** An error of `kind` raised in a worker, shaped as wasm's are ({kind, field, message}), for an
 *  ERROR message; `allowed` lists the values a refused choice could take, so a figure can say it
 *  in its language. */
export function failure(kind, message, field = null, allowed = null) {
  return Object.assign(new Error(message), { kind, field, allowed });
}
