// How a playing run is paced, for the worker's loop (one run) and compare mode's lockstep (two
// runs): chunk after chunk, yielding between them so pause and step are heard at once, and in
// slow motion a pause after each half step, long enough to see D's move apart from G's.

/** Training steps between two frames, unless the reader moves the slider. */
export const DEFAULT_STEPS_PER_FRAME = 20;

/** Slow motion's pause between half steps. */
export const SLOW_PAUSE_MS = 700;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `chunk()` while `playing()`; after each, pauses SLOW_PAUSE_MS if `slow()`, else yields
 *  to the event loop. */
export async function playLoop(playing, slow, chunk) {
  while (playing()) {
    await chunk();
    await sleep(slow() ? SLOW_PAUSE_MS : 0);
  }
}
