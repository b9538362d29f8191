// The real distribution P_r: the distribution menu (the catalog's plane and digits presets)
// and "draw your own", whose points are placed on the plane with a mouse or a finger.
import { projection } from '../views/plane.js';

/** Spread of each drawn point's Gaussian, in plane units. */
export const DRAWN_STD = 0.08;

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function mountData(doc, catalog, store, intents) {
  const $ = (id) => doc.getElementById(id);
  const select = $('data');
  for (const p of catalog.distributions) select.add(new Option(p.label, p.name));
  select.add(new Option('draw your own…', 'draw'));
  select.addEventListener('change', () => {
    if (select.value === 'draw') intents.startDrawing();
    else intents.pickData(select.value);
  });
  $('draw-clear').onclick = () => intents.drawn([]);
  $('draw-train').onclick = () => intents.trainDrawn();

  const plane = $('plane');
  function addPoint(e) {
    const { drawing, frame, drawn } = store.state;
    if (!drawing || frame?.kind !== 'plane') return;
    const box = plane.getBoundingClientRect();
    const scale = plane.width / box.width;
    const p = projection(plane.getContext('2d'), frame.halfWidth);
    const [x, y] = p.fromPx((e.clientX - box.left) * scale, (e.clientY - box.top) * scale);
    const last = drawn.at(-1);
    if (e.type === 'pointermove' && last && Math.hypot(x - last[0], y - last[1]) < 3 * DRAWN_STD) return;
    intents.drawn([...drawn, [+x.toFixed(3), +y.toFixed(3)]]);
  }
  plane.addEventListener('pointerdown', (e) => { plane.setPointerCapture(e.pointerId); addPoint(e); });
  plane.addEventListener('pointermove', (e) => { if (e.buttons) addPoint(e); });

  return function sync(state, old) {
    if (old && state.draft === old.draft && state.drawing === old.drawing) return;
    const { draft, drawing } = state;
    $('draw-tools').hidden = !drawing;
    plane.classList.toggle('drawing', drawing);
    if (!draft) return;
    // Digits presets share their data and differ by architecture.
    const match = catalog.distributions.find((p) => same(p.config.data, draft.data)
      && (p.group !== 'digits' || p.config.model === draft.model));
    select.value = drawing || draft.data.kind === 'points' ? 'draw' : match?.name ?? '';
  };
}
