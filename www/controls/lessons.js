// The lessons: one button per lesson preset in the catalog. A click starts the lesson (reset to
// its preset and play); the text says what to watch.

export function mountLessons(buttons, text, catalog, intents) {
  for (const lesson of catalog.lessons) {
    const b = document.createElement('button');
    b.textContent = lesson.lesson.title;
    b.dataset.preset = lesson.name;
    b.setAttribute('aria-pressed', 'false');
    b.title = lesson.lesson.text;
    b.onclick = () => intents.startLesson(lesson.name);
    buttons.append(b);
  }
  return function sync(state, old) {
    if (old && state.lesson === old.lesson) return;
    text.textContent = state.lesson ? catalog.presets.get(state.lesson).lesson.text : '';
    for (const b of buttons.children) b.setAttribute('aria-pressed', String(b.dataset.preset === state.lesson));
  };
}
