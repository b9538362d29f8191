// Which figure on the page trains. All figures share the reader's cores and GPU, so by default
// only one trains at a time: the one the reader last asked for (Play), else the one that most
// recently came into view with autoplay. A figure trains only while on screen.

const figures = new Set();
let clock = 0;

/** Each figure tells the scheduler what it wants; the scheduler calls `figure.run(on, why)`. */
export const scheduler = {
  add(figure) { figures.add(figure); },
  remove(figure) { figures.delete(figure); this.pick(); },
  /** The figure wants to train (a Play, or autoplay on coming into view). */
  ask(figure) {
    figure.askedAt = ++clock;
    this.pick();
  },
  /** Decides again, after any figure's wishes or visibility changed. */
  pick() {
    const candidates = [...figures].filter((f) => f.wants() && f.visible);
    const chosen = candidates.reduce((a, b) => (!a || b.askedAt > a.askedAt ? b : a), null);
    for (const f of figures) {
      if (f === chosen) f.run(true);
      else f.run(false, !f.visible ? 'offscreen' : f.wants() ? 'queued' : 'paused');
    }
  },
};
