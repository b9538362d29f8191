// The transport bar: play/pause, one step, reset, steps per frame, slow motion, and their keys.
// Each control only emits an intent; `sync(state)` shows the state back.

export function mountTransport(doc, intents) {
  const $ = (id) => doc.getElementById(id);
  const [play, step, reset, perFrame, slow] = ['play', 'step', 'reset', 'steps-per-frame', 'slow'].map($);
  play.onclick = () => intents.play(play.getAttribute('aria-pressed') !== 'true');
  step.onclick = () => intents.step();
  reset.onclick = () => intents.reset();
  perFrame.oninput = () => intents.pace({ stepsPerFrame: Number(perFrame.value) });
  slow.onchange = () => intents.pace({ slow: slow.checked });

  doc.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea, button') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === ' ') { e.preventDefault(); play.click(); }
    else if (e.key === '.') step.click();
    else if (e.key === 'r') reset.click();
  });

  return function sync(state, old) {
    if (old && ['playing', 'pending', 'stepsPerFrame', 'slow'].every((k) => state[k] === old[k])) return;
    play.textContent = state.playing ? 'Pause' : 'Play';
    play.setAttribute('aria-pressed', String(state.playing));
    reset.classList.toggle('attention', state.pending.length > 0);
    if (Number(perFrame.value) !== state.stepsPerFrame) perFrame.value = state.stepsPerFrame;
    $('steps-per-frame-value').textContent = state.stepsPerFrame;
    slow.checked = state.slow;
  };
}
