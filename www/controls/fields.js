// The settings panel: every setting as a labelled, keyboard-reachable field with a tooltip
// that says what it does to the game. The menus' options, the numbers' bounds and which
// settings are live all come from Rust's catalog; only the words of the panel live here.
// Fields emit intents: `onChange(path, value)`; the page decides what to send.

import { get } from '../catalog.js';
/** A group per fieldset. `choice` names a catalog menu; `number` takes the catalog's bounds. */
const net = (who, what) => [
  {
    path: `${who}.optimizer.lr`, label: 'learning rate', number: true,
    tip: `How far ${what} moves per update. Too high and the game oscillates or diverges; too low and nothing happens.`,
  },
  {
    path: `${who}.optimizer`, label: 'optimizer', choice: 'optimizer',
    tip: `How ${what} turns gradients into updates. Adam with β1 = 0.5 is DCGAN's choice; WGAN's paper used RMSProp.`,
  },
  {
    path: `${who}.width`, label: 'width', number: true,
    tip: `${what}'s capacity: units per hidden layer (for DCGAN, the channels of its narrower conv layer; the other has twice as many).`,
  },
  {
    path: `${who}.depth`, label: 'hidden layers', number: true,
    tip: `Hidden layers of ${what}. Deeper nets can bend the plane more. DCGAN has exactly 2 conv layers.`,
  },
  {
    path: `${who}.activation`, label: 'activation', choice: 'activation',
    tip: `The nonlinearity after each hidden layer of ${what}.`,
  },
];

export const GROUPS = [
  {
    title: 'Game',
    fields: [
      {
        path: 'loss', label: 'loss', choice: 'loss',
        tip: "What D and G optimise. Minimax is the game V(D,G) as written; its G gradient vanishes when D rejects G's samples. Non-saturating fixes that. LSGAN uses squared errors. WGAN's critic estimates the Wasserstein distance (clipped weights or a gradient penalty keep it 1-Lipschitz).",
      },
      {
        path: 'model', label: 'architecture', choice: 'architecture',
        tip: 'The shape of both nets. MLPs work on any data. DCGAN (Radford et al. 2016) uses transposed convolutions in G and strided convolutions in D, and suits images: it needs the digits.',
      },
      {
        path: 'conditional', label: 'conditioning', choice: 'conditioning',
        tip: "Whether G and D are told each digit's class (a conditional GAN, Mirza & Osindero 2014): G is asked for a digit beside its noise, and D judges each digit as the class it claims. G then only has to learn how to write each digit, not which digits exist, so its digits read sooner. Digits only.",
      },
      {
        path: 'd_steps', label: 'D steps per G step', number: true,
        tip: 'D updates before each G update. More brings D nearer D* before G moves (WGAN uses 5); too many starves G of useful gradients with a saturating loss.',
      },
      {
        path: 'lr_decay_steps', label: 'learning-rate decay (steps)', number: true,
        tip: 'Both learning rates fall as lr / (1 + step / T): halved at step T, a third at 2T. A run can start fast and still settle instead of oscillating. 0 keeps them constant.',
      },
      {
        path: 'batch_size', label: 'batch size', number: true,
        tip: 'Real and generated samples per update. Bigger batches give smoother gradients and slower steps.',
      },
    ],
  },
  {
    title: 'Generator G',
    fields: [
      ...net('generator', 'G'),
      {
        path: 'g_ema', label: 'weight average (EMA)', number: true,
        tip: "Shows and scores a moving average of G's weights instead of G itself: each step the average moves 1 − β of the way to G (0 is off; 0.999 remembers about the last 1,000 steps). It smooths out G's last wobbles around the modes; training still moves G itself.",
      },
    ],
  },
  {
    title: 'Discriminator D',
    fields: [
      ...net('discriminator', 'D'),
      {
        path: 'r1', label: 'R1 penalty γ', number: true,
        tip: "Adds γ/2 · E[‖∇D(x)‖²] over real samples to D's loss (Mescheder et al. 2018): D's score must stay flat on the data, so D cannot overshoot and fling G past the modes. 0 is off. MLP only; the Wasserstein losses keep their own constraint (clipping or the gradient penalty) instead.",
      },
      {
        path: 'pack', label: 'packing (PacGAN)', number: true,
        tip: "D judges this many samples at once, all real or all generated (Lin et al. 2018): a G stuck on a few modes makes tuples with too many repeats, which D can tell from real ones. Only D's first layer widens; the batch must be a multiple of it. The D panel shows D's score of that many copies of each point. 1 is a plain D; MLP only.",
      },
    ],
  },
  {
    title: 'Noise and seed',
    fields: [
      {
        path: 'latent.dim', label: 'latent dimension', number: true,
        tip: "Size of G's input noise z. The manifold layer shows how G maps the first two coordinates into the plane.",
      },
      {
        path: 'latent.distribution', label: 'latent distribution', choice: 'latent',
        tip: 'How each coordinate of z is drawn.',
      },
      {
        path: 'seed', label: 'seed', number: true,
        tip: 'Seeds the initial weights, the noise and the data: the same seed replays the same run on the same backend.',
      },
    ],
  },
];


/** What a menu shows for the config value at its path (losses and optimizers by kind). */
const shownValue = (field, value) => String(field.choice === 'loss' || field.choice === 'optimizer' ? value.kind : value);

let uid = 0;

/**
 * Builds the fields into `root` from `catalog`. `onChange(path, value, live)` gets the config
 * value to set. Returns `sync(draft, pending)` to show a draft config (and mark fields whose
 * change awaits a reset) and `mark(path, message)` to flag a refused value.
 */
export function mountFields(root, catalog, onChange) {
  const inputs = new Map();
  for (const group of GROUPS) {
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = group.title;
    box.append(legend);
    for (const field of group.fields) {
      const live = catalog.live.has(field.path);
      const id = `f${uid++}`;
      const row = document.createElement('div');
      row.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = field.label;
      let input;
      if (field.choice) {
        input = document.createElement('select');
        for (const [value, text] of catalog.options(field.choice)) input.add(new Option(text, value));
      } else {
        input = document.createElement('input');
        input.type = 'number';
        input.inputMode = catalog.numbers.get(field.path).integer ? 'numeric' : 'decimal';
      }
      input.id = id;
      const tip = document.createElement('span');
      tip.className = 'tip';
      tip.id = `${id}-tip`;
      tip.setAttribute('role', 'tooltip');
      tip.textContent = `${field.tip} ${live ? 'Changes the running game.' : 'Needs a reset.'}`;
      input.setAttribute('aria-describedby', tip.id);
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = live ? 'live' : 'on reset';
      badge.title = live ? 'takes effect at once' : 'takes effect when you press Reset';
      let current = null;
      input.addEventListener('change', () => {
        const value = field.choice ? catalog.value(field.choice, input.value, current) : Number(input.value);
        onChange(field.path, value, live);
      });
      row.append(label, input, badge, tip);
      box.append(row);
      inputs.set(field.path, { input, row, field, setCurrent: (v) => { current = v; } });
    }
    root.append(box);
  }

  function sync(draft, pending) {
    for (const [path, { input, row, field, setCurrent }] of inputs) {
      const value = get(draft, path);
      setCurrent(value);
      if (field.number) Object.assign(input, catalog.bounds(path, draft.model));
      const shown = shownValue(field, value);
      if (document.activeElement !== input && input.value !== shown) input.value = shown;
      row.classList.toggle('pending', pending.includes(path));
    }
  }

  /** Flags the field at `path` (or, when no field has exactly that path, the fields it
   *  contains or lies in: `data.std` flags nothing here, `generator` flags all of G's). */
  function mark(path, message) {
    const exact = inputs.has(path);
    for (const [p, { input }] of inputs) {
      const bad = path && (exact ? p === path : path.startsWith(`${p}.`) || p.startsWith(`${path}.`));
      input.toggleAttribute('aria-invalid', Boolean(bad));
      if (bad) input.title = message;
      else input.removeAttribute('title');
    }
  }

  return { sync, mark };
}
