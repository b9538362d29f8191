// The control panel: every setting as a labelled, keyboard-reachable field with a tooltip
// that says what it does to the game. Fields only emit intents; main.js decides what to send.
//
// A field's `path` is its place in the GanConfig JSON. `live` fields change a running game
// (the worker's LIVE message); the others need a reset, and the panel says so.

/** The five losses, with their papers' parameters (as GanLoss::ALL in src/loss.rs). */
export const LOSSES = [
  { value: { kind: 'minimax' }, label: 'minimax (saturating)' },
  { value: { kind: 'non-saturating' }, label: 'non-saturating' },
  { value: { kind: 'least-squares' }, label: 'least squares (LSGAN)' },
  { value: { kind: 'wasserstein', clip: 0.01 }, label: 'Wasserstein, clipped (WGAN)' },
  { value: { kind: 'wasserstein-gp', penalty_weight: 10 }, label: 'Wasserstein + gradient penalty' },
];

/** Fresh optimizer settings for a kind, keeping the learning rate. */
export function optimizer(kind, lr) {
  switch (kind) {
    case 'adam': return { kind, lr, beta1: 0.5, beta2: 0.999 };
    case 'rms-prop': return { kind, lr };
    case 'sgd': return { kind, lr, momentum: 0.9 };
    default: throw new Error(`unknown optimizer ${kind}`);
  }
}

const net = (who, what) => [
  {
    path: `${who}.optimizer.lr`, label: 'learning rate', kind: 'number', live: true,
    min: 1e-6, max: 1, step: 'any',
    tip: `How far ${what} moves per update. Too high and the game oscillates or diverges; too low and nothing happens.`,
  },
  {
    path: `${who}.optimizer.kind`, label: 'optimizer', kind: 'select', live: false,
    options: [['adam', 'Adam (β1 0.5)'], ['rms-prop', 'RMSProp'], ['sgd', 'SGD, momentum 0.9']],
    tip: `How ${what} turns gradients into updates. Adam with β1 = 0.5 is DCGAN's choice; WGAN's paper used RMSProp. Needs a reset.`,
  },
  {
    path: `${who}.hidden`, label: 'width', kind: 'number', live: false, min: 1, max: 1024, step: 1,
    tip: `Units per hidden layer of ${what}: its capacity (for DCGAN, the channels of its narrower conv layer; the other has twice as many). Needs a reset.`,
  },
  {
    path: `${who}.depth`, label: 'hidden layers', kind: 'number', live: false, min: 1, max: 8, step: 1,
    tip: `Hidden layers of ${what}. Deeper nets can bend the plane more. DCGAN has exactly 2 conv layers. Needs a reset.`,
  },
  {
    path: `${who}.activation`, label: 'activation', kind: 'select', live: false,
    options: [['relu', 'ReLU'], ['leaky-relu', 'leaky ReLU (0.2)'], ['tanh', 'tanh']],
    tip: `The nonlinearity after each hidden layer of ${what}. Needs a reset.`,
  },
];

/** The panel's groups of fields. */
export const GROUPS = [
  {
    title: 'Game',
    fields: [
      {
        path: 'loss', label: 'loss', kind: 'loss', live: true,
        tip: "What D and G optimise. Minimax is the game V(D,G) as written; its G gradient vanishes when D rejects G's samples. Non-saturating fixes that. LSGAN uses squared errors. WGAN's critic estimates the Wasserstein distance (clipped weights or a gradient penalty keep it 1-Lipschitz). Changes the running game.",
      },
      {
        path: 'model', label: 'architecture', kind: 'select', live: false,
        options: [['mlp', 'MLP (fully connected)'], ['dcgan', 'DCGAN (convolutional; digits)']],
        tip: "The shape of both nets. MLPs work on any data. DCGAN (Radford et al. 2016) uses transposed convolutions in G and strided convolutions in D, and suits images: it needs the digits. Needs a reset.",
      },
      {
        path: 'd_steps', label: 'D steps per G step', kind: 'number', live: true, min: 1, max: 20, step: 1,
        tip: 'D updates before each G update. More brings D nearer D* before G moves (WGAN uses 5); too many starves G of useful gradients with a saturating loss. Changes the running game.',
      },
      {
        path: 'batch_size', label: 'batch size', kind: 'number', live: true, min: 1, max: 4096, step: 1,
        tip: 'Real and generated samples per update. Bigger batches give smoother gradients and slower steps. Changes the running game.',
      },
    ],
  },
  { title: 'Generator G', fields: net('generator', 'G') },
  { title: 'Discriminator D', fields: net('discriminator', 'D') },
  {
    title: 'Noise and seed',
    fields: [
      {
        path: 'latent.dim', label: 'latent dimension', kind: 'number', live: false, min: 1, max: 64, step: 1,
        tip: "Size of G's input noise z. The manifold layer shows how G maps the first two coordinates into the plane. Needs a reset.",
      },
      {
        path: 'latent.distribution', label: 'latent distribution', kind: 'select', live: false,
        options: [['gaussian', 'Gaussian N(0, 1)'], ['uniform', 'uniform [−1, 1]']],
        tip: 'How each coordinate of z is drawn. Needs a reset.',
      },
      {
        path: 'seed', label: 'seed', kind: 'number', live: false, min: 0, max: 2 ** 31, step: 1,
        tip: 'Seeds the initial weights, the noise and the data: the same seed replays the same run on the same backend. Needs a reset.',
      },
    ],
  },
];

export const get = (obj, path) => path.split('.').reduce((o, k) => o?.[k], obj);

export function set(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  keys.reduce((o, k) => o[k], obj)[last] = value;
}

let uid = 0;

/**
 * Builds the fields into `root`. `onChange(field, value)` is called with the parsed value.
 * Returns `sync(config, pending)` to show a config (and mark fields whose change awaits a reset)
 * and `mark(path, message)` to flag a refused value.
 */
export function buildControls(root, onChange) {
  const inputs = new Map();
  for (const group of GROUPS) {
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = group.title;
    box.append(legend);
    for (const field of group.fields) {
      const id = `f${uid++}`;
      const row = document.createElement('div');
      row.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = field.label;
      let input;
      if (field.kind === 'select' || field.kind === 'loss') {
        input = document.createElement('select');
        const options = field.kind === 'loss'
          ? LOSSES.map((l) => [l.value.kind, l.label]) : field.options;
        for (const [value, text] of options) input.add(new Option(text, value));
      } else {
        input = document.createElement('input');
        input.type = 'number';
        Object.assign(input, { min: field.min, max: field.max, step: field.step });
        input.inputMode = field.step === 1 ? 'numeric' : 'decimal';
      }
      input.id = id;
      const tip = document.createElement('span');
      tip.className = 'tip';
      tip.id = `${id}-tip`;
      tip.setAttribute('role', 'tooltip');
      tip.textContent = field.tip;
      input.setAttribute('aria-describedby', tip.id);
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = field.live ? 'live' : 'on reset';
      badge.title = field.live ? 'takes effect at once' : 'takes effect when you press Reset';
      input.addEventListener('change', () => {
        let value = input.value;
        if (field.kind === 'loss') value = structuredClone(LOSSES.find((l) => l.value.kind === value).value);
        else if (field.kind === 'number') value = Number(value);
        onChange(field, value);
      });
      row.append(label, input, badge, tip);
      box.append(row);
      inputs.set(field.path, { input, row, field });
    }
    root.append(box);
  }

  function sync(config, pending) {
    for (const [path, { input, row, field }] of inputs) {
      const value = get(config, path);
      const shown = field.kind === 'loss' ? value.kind : String(value);
      if (document.activeElement !== input && input.value !== shown) input.value = shown;
      row.classList.toggle('pending', pending.has(path));
    }
  }

  function mark(path, message) {
    for (const [p, { input }] of inputs) {
      const bad = path && (path === p || path.startsWith(`${p}.`) || p.startsWith(`${path}.`));
      input.toggleAttribute('aria-invalid', Boolean(bad));
      if (bad) input.title = message;
      else input.removeAttribute('title');
    }
  }

  return { sync, mark };
}
