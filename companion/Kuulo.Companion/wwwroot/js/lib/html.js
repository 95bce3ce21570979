// Escaping by construction: html`...` escapes every interpolated value unless it is itself an html`` fragment
// (or an array of them), and render() only accepts fragments. There is no other way to put markup on the page.

class Fragment {
  constructor(text) { this.text = text; }
}

const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function piece(value) {
  if (value instanceof Fragment) return value.text;
  if (Array.isArray(value)) return value.map(piece).join("");
  return String(value ?? "").replace(/[&<>"']/g, c => entities[c]);
}

export function html(strings, ...values) {
  return new Fragment(strings.reduce((out, text, i) => out + piece(values[i - 1]) + text));
}

/** Replaces the element's content with a fragment built by html``. */
export function render(element, fragment) {
  if (!(fragment instanceof Fragment)) throw new TypeError("render() takes an html`` fragment");
  element.innerHTML = fragment.text;
}
