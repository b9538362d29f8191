// Which figure on the page trains. All figures share the reader's cores and GPU, so by default
// only one trains at a time: the one the reader last pressed Play on, else, among those that
// autoplay, the visible one nearest the middle of the screen. A figure trains only while on
// screen, and none while the tab is hidden. Figures report their wishes and visibility; the
// scheduler calls `figure.schedule(on, why)`.

const figures = new Set();
let clock = 0;

/** How far a figure's middle is from the viewport's, in px. */
const offCentre = (f) => {
  const r = f.getBoundingClientRect();
  return Math.abs((r.top + r.bottom) / 2 - innerHeight / 2);
};

let queued = false;
/** Re-decides after scrolling (at most once per animation frame), since "nearest the middle"
 *  changes without any figure crossing a visibility threshold. */
function onScroll() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    scheduler.pick();
  });
}

/** At once, not on an animation frame: a hidden tab runs none. */
const onVisibility = () => scheduler.pick();

export const scheduler = {
  add(figure) {
    if (!figures.size) {
      addEventListener('scroll', onScroll, { passive: true });
      document.addEventListener('visibilitychange', onVisibility);
    }
    figures.add(figure);
  },
  remove(figure) {
    figures.delete(figure);
    if (!figures.size) {
      removeEventListener('scroll', onScroll);
      document.removeEventListener('visibilitychange', onVisibility);
    }
    this.pick();
  },
  /** The reader pressed Play on `figure`: it goes first while it wants to train. */
  ask(figure) {
    figure.askedAt = ++clock;
    this.pick();
  },
  /** Decides again, after any figure's wishes or visibility changed. */
  pick() {
    const candidates = document.hidden ? [] : [...figures].filter((f) => f.wants() && f.visible);
    const asked = candidates.filter((f) => f.userWants);
    const chosen = asked.length
      ? asked.reduce((a, b) => (b.askedAt > a.askedAt ? b : a))
      : candidates.reduce((a, b) => (!a || offCentre(b) < offCentre(a) ? b : a), null);
    for (const f of figures) {
      if (f === chosen) f.schedule(true);
      else f.schedule(false, !f.visible ? 'offscreen' : f.wants() ? 'queued' : 'paused');
    }
  },
};
