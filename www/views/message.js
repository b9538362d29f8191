// The message line above the view: a refusal, a failure or a notice, with at most one action.

export function show(box, text, action) {
  box.replaceChildren(text);
  if (action) {
    const b = document.createElement('button');
    b.textContent = action.label;
    b.onclick = action.run;
    box.append(b);
  }
  box.hidden = false;
}

export function hide(box) {
  box.hidden = true;
}
