// The run's own tools: save it to a file, load one, copy a link that replays it, save the
// picture, and move it to another backend. Each only emits an intent; `sync` shows the backend.

export function mountRunTools(root, intents) {
  const $ = (id) => root.getElementById(id);
  const [save, load, file, link, png, backend] = ['save', 'load', 'load-file', 'copy-link', 'png', 'backend-choice'].map($);
  save.onclick = () => intents.save();
  load.onclick = () => file.click();
  file.onchange = () => {
    if (file.files[0]) intents.load(file.files[0]);
    file.value = ''; // the same file may be loaded again
  };
  link.onclick = () => intents.copyLink();
  png.onclick = () => intents.exportPng();
  backend.onchange = () => intents.backend(backend.value);

  return function sync(state, old) {
    if (old && state.requested === old.requested && state.config === old.config) return;
    backend.value = state.requested;
    for (const b of [save, link, png]) b.disabled = !state.config;
  };
}
