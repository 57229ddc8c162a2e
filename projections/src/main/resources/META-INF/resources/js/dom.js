// Small DOM helpers. Data from the API only ever reaches the page as text nodes, never as markup.

const LABELS = {
  online: 'Online',
  offline: 'Offline',
  partially_degraded: 'Partially degraded',
  deleted: 'Deleted',
};

/** Kumactl's words for a SPEC status: Online, Offline, Partially degraded. */
export function statusLabel(status) {
  return LABELS[status] ?? status;
}

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      node.setAttribute(name, value);
    }
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/** A status badge: the label as text, so colour is never the only signal. */
export function badge(status) {
  return el('span', { class: 'badge', 'data-status': status }, statusLabel(status));
}

/** A table cell holding a number. */
export function numberCell(value) {
  return el('td', { class: 'number' }, String(value));
}

/** Replaces a table body's rows with one row saying there is nothing to show. */
export function showEmpty(tbody, columns, text) {
  tbody.replaceChildren(el('tr', {}, el('td', { class: 'empty', colspan: String(columns) }, text)));
}
