// The pages that are one <gan-lab> figure, its attributes the query's parameters:
// - the iframe mode (`?embed&preset=ring8&show=plane,losses&controls=transport`), for hosts
//   that allow no scripts in posts;
// - compare mode (`?compare=loss:wasserstein-gp&preset=ring8`), two runs side by side, which
//   the lab's "Compare with…" opens with the lab's run (a run link's fragment) as the base.
import { ATTRIBUTES, LAYERS } from './attributes.js';
import { readFragment } from '../share.js';
import { RACES } from '../protocol.js';
import './element.js';

/** What a compare page shows unless its query says otherwise (the figure hides the views of
 *  the other kind of run: the plane's for digits, the digits' for the plane). */
const COMPARE_DEFAULTS = { show: 'plane,digits,losses,js,coverage,readout', controls: 'all' };

export function embed(params, hash = '') {
  const figure = document.createElement('gan-lab');
  const comparing = params.has('compare') && !params.has('embed');
  for (const name of ATTRIBUTES) {
    if (params.has(name)) figure.setAttribute(name, params.get(name));
    else if (comparing && name in COMPARE_DEFAULTS) figure.setAttribute(name, COMPARE_DEFAULTS[name]);
  }
  // A run link's base (Copy link's fragment): its preset, its changes to it (both runs get
  // them, under the compared settings) and its views.
  const link = readFragment(hash, LAYERS);
  if (link) {
    figure.setAttribute('preset', link.preset);
    figure.patch = link.patch;
    if (link.backend) figure.setAttribute('backend', link.backend);
    if (link.layers) figure.setAttribute('layers', LAYERS.filter((l) => link.layers[l]).join(','));
  }
  // The lab page's `?race=` (protocol.js's RACES): when auto races the backends. A page
  // setting, not an attribute a post would set.
  if (RACES.includes(params.get('race'))) figure.race = params.get('race');
  const preset = figure.getAttribute('preset');
  const title = preset ? `GAN lab — ${preset}` : 'GAN lab';
  document.title = comparing ? `${title} against ${params.get('compare')}` : title;
  document.body.className = comparing ? 'compare' : 'embed';
  if (!comparing) {
    document.body.replaceChildren(figure);
    return;
  }
  const header = document.createElement('header');
  const back = Object.assign(document.createElement('a'), { href: `./${hash}`, textContent: 'Back to the lab' });
  header.append(Object.assign(document.createElement('h1'), { textContent: 'GAN lab: two runs side by side' }),
    Object.assign(document.createElement('p'), {
      className: 'lede',
      textContent: 'The same data and seed; the second run changes only what its name says. Both step together: '
        + 'Play, One step, slow motion and Reset act on both, and the charts overlay them. ',
    }));
  header.querySelector('p').append(back);
  document.body.replaceChildren(header, figure);
}
