// The transport bar: play/pause, one step, reset, steps per frame, slow motion, and their keys.
// Each control only emits an intent; `sync(state)` shows the state back. A figure may have
// only some of the controls; the keys work wherever `keys` (the page, or a figure) has focus.
import { t as english } from '../i18n/index.js';

export function mountTransport(root, intents, { keys = root, t = english } = {}) {
  const $ = (id) => root.getElementById(id);
  const [play, step, reset, perFrame, slow] = ['play', 'step', 'reset', 'steps-per-frame', 'slow'].map($);
  if (play) play.onclick = () => intents.play(play.getAttribute('aria-pressed') !== 'true');
  if (step) step.onclick = () => intents.step();
  if (reset) reset.onclick = () => intents.reset();
  if (perFrame) perFrame.oninput = () => intents.pace({ stepsPerFrame: Number(perFrame.value) });
  if (slow) slow.onchange = () => intents.pace({ slow: slow.checked });

  keys.addEventListener('keydown', (e) => {
    const target = e.composedPath()[0];
    if (target?.closest?.('input, select, textarea, button') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === ' ' && play) { e.preventDefault(); play.click(); }
    else if (e.key === '.') step?.click();
    else if (e.key === 'r') reset?.click();
  });

  return function sync(state, old) {
    if (old && ['playing', 'pending', 'stepsPerFrame', 'slow'].every((k) => state[k] === old[k])) return;
    if (play) {
      play.textContent = state.playing ? t('pause') : t('play');
      play.setAttribute('aria-pressed', String(state.playing));
    }
    reset?.classList.toggle('attention', state.pending.length > 0);
    if (perFrame && Number(perFrame.value) !== state.stepsPerFrame) perFrame.value = state.stepsPerFrame;
    const value = $('steps-per-frame-value');
    if (value) value.textContent = state.stepsPerFrame;
    if (slow) slow.checked = state.slow;
  };
}
