// The main view's layer toggles, each with a swatch of its colour and a tooltip.
import { LAYERS, LAYER_TIPS } from '../views/plane.js';
import { COLOURS } from '../views/colour.js';

const SWATCH = { real: COLOURS.real, fake: COLOURS.fake, gradients: COLOURS.gradient, manifold: COLOURS.manifold };

export function mountLayers(root, layers, intents) {
  for (const [key, label] of Object.entries(LAYERS)) {
    const l = document.createElement('label');
    l.title = LAYER_TIPS[key];
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = layers[key];
    box.onchange = () => intents.layer(key, box.checked);
    l.append(box);
    if (SWATCH[key]) {
      const s = document.createElement('span');
      s.className = 'swatch';
      s.style.background = SWATCH[key];
      l.append(s);
    }
    l.append(label);
    root.append(l);
  }
}
