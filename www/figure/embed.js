// The iframe mode: the page becomes one <gan-lab> figure whose attributes are the query's
// parameters (`?embed&preset=ring8&show=plane,losses&controls=transport`).
import { ATTRIBUTES } from './attributes.js';
import './element.js';

export function embed(params) {
  const figure = document.createElement('gan-lab');
  for (const name of ATTRIBUTES) {
    if (params.has(name)) figure.setAttribute(name, params.get(name));
  }
  document.title = `GAN lab — ${params.get('preset') ?? 'ring8'}`;
  document.body.className = 'embed';
  document.body.replaceChildren(figure);
}
