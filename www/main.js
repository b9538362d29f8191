// The check page's glue: sends intents to the worker, paints the latest snapshot.
import { ToWorker, FromWorker } from './protocol.js';
import { draw } from './views/plane.js';

const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const canvas = document.getElementById('plane');
const ctx = canvas.getContext('2d');
const status = document.getElementById('status');
const send = (msg) => worker.postMessage(msg);

let info = { backend: '?', adapter: '?' };
let latest = null;
let painted = null;
const state = (window.ganLab = { step: 0, snapshots: 0, backend: null, error: null, metrics: null });

worker.onmessage = ({ data: msg }) => {
  switch (msg.type) {
    case FromWorker.READY:
      info = msg;
      state.backend = msg.backend;
      state.adapter = msg.adapter;
      break;
    case FromWorker.SNAPSHOT:
      latest = msg;
      state.step = msg.step;
      state.snapshots += 1;
      state.metrics = msg.metrics;
      break;
    case FromWorker.FALLBACK:
      state.fallback = msg.reason;
      break;
    case FromWorker.DIVERGED:
      status.textContent = `A loss became NaN at step ${msg.step}; training paused. Reset or restore.`;
      break;
    case FromWorker.ERROR:
      state.error = msg.message;
      status.textContent = `error: ${msg.message}`;
      break;
  }
};

function paint() {
  if (latest && latest !== painted) {
    painted = latest;
    draw(ctx, latest);
    const m = latest.metrics;
    const d = latest.dLosses.at(-1);
    const g = latest.gLosses.at(-1);
    status.textContent =
      `backend ${info.backend} (${info.adapter})${info.fallbackReason ? ` — ${info.fallbackReason}` : ''}\n` +
      `step ${latest.step}   ${latest.stepsPerSecond.toFixed(1)} steps/s   ` +
      `d_loss ${d?.toFixed(3) ?? '–'}   g_loss ${g?.toFixed(3) ?? '–'}\n` +
      `modes ${m.modes_covered}/${m.modes_total}   high quality ${(100 * m.high_quality).toFixed(1)}%   ` +
      `JS ${m.js_divergence.toFixed(3)}   D accuracy ${(100 * m.d_accuracy).toFixed(0)}%`;
  }
  requestAnimationFrame(paint);
}
requestAnimationFrame(paint);

send({ type: ToWorker.START, preset: params.get('preset') ?? 'ring8', backend: params.get('backend') ?? 'auto' });
document.getElementById('play').onclick = () => send({ type: ToWorker.PLAY });
document.getElementById('pause').onclick = () => send({ type: ToWorker.PAUSE });
document.getElementById('step').onclick = () => send({ type: ToWorker.STEP });
document.getElementById('reset').onclick = () => send({ type: ToWorker.RESET });
if (params.has('autoplay')) send({ type: ToWorker.PLAY });
