// The run's own tools: save it to a file, load one, copy a link that replays it, save the
// picture, compare it with a variant, and move it to another backend. Each only emits an
// intent; `sync` shows the backend and offers the variants of the running config.

/** The variants "Compare with…" offers for `config`: [compare attribute, label] pairs, every
 *  other loss, D's steps per G step at 5 (or 1 when they are 5 already), R1 off when it
 *  is on (or on at the ring8 preset's γ, for an unconditional MLP), and for digits the game with the
 *  class given to both nets or taken away. */
export function variants(config, catalog) {
  const losses = catalog.options('loss').filter(([kind]) => kind !== config.loss.kind)
    .map(([kind, label]) => [`loss:${kind}`, `loss: ${label}`]);
  const dSteps = config.d_steps === 5 ? 1 : 5;
  const digits = config.data.kind === 'mnist';
  const r1 = config.r1 ? [['r1:0', 'no R1 penalty']]
    : config.model === 'mlp' && !config.conditional ? [['r1:0.3', 'R1 penalty γ = 0.3']] : [];
  const conditional = !digits ? []
    : config.conditional ? [['conditional:0', 'unconditional (no class given)']]
      : [['conditional:1', 'class-conditional (cGAN)']];
  return [...losses, [`d-steps:${dSteps}`, `D steps: ${dSteps} per G step`], ...r1, ...conditional];
}

export function mountRunTools(root, intents, catalog) {
  const $ = (id) => root.getElementById(id);
  const [save, load, file, link, png, backend, compare] = ['save', 'load', 'load-file', 'copy-link', 'png', 'backend-choice', 'compare'].map($);
  save.onclick = () => intents.save();
  load.onclick = () => file.click();
  file.onchange = () => {
    if (file.files[0]) intents.load(file.files[0]);
    file.value = ''; // the same file may be loaded again
  };
  link.onclick = () => intents.copyLink();
  png.onclick = () => intents.exportPng();
  backend.onchange = () => intents.backend(backend.value);
  compare.onchange = () => {
    if (compare.value) intents.compare(compare.value);
    compare.value = '';
  };

  return function sync(state, old) {
    if (old && state.requested === old.requested && state.config === old.config) return;
    backend.value = state.requested;
    for (const b of [save, link, png, compare]) b.disabled = !state.config;
    if (!state.config) return;
    const options = variants(state.config, catalog).map(([value, label]) => new Option(label, value));
    compare.replaceChildren(new Option('Compare with\u2026', ''), ...options);
  };
}
