// A conditional run's extras: the latent walk's digit (G is asked for it all along the walk, so
// the walk shows the style changing while the class holds), and the captions that say the grid
// has a row per digit. Elements marked `data-conditional` show only for a conditional run,
// `data-unconditional` only for any other.

export function mountWalk(root, select, intents) {
  select.replaceChildren(...Array.from({ length: 10 }, (_, d) => new Option(String(d), String(d))));
  select.onchange = () => intents.walkClass(Number(select.value));
  return function sync(state, old) {
    if (old && state.config === old.config) return;
    const conditional = Boolean(state.config?.conditional);
    for (const el of root.querySelectorAll('[data-conditional]')) el.hidden = !conditional;
    for (const el of root.querySelectorAll('[data-unconditional]')) el.hidden = conditional;
  };
}
