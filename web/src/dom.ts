// dom.ts — the two DOM helpers every view uses: make an element with text and a class, and
// find one of index.html's fixed elements by id (a missing one is a bug in index.html).

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== '') {
    e.textContent = text;
  }
  if (className !== '') {
    e.className = className;
  }
  return e;
}

export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) {
    throw new Error(`#${id} missing from index.html`);
  }
  return e as T;
}
