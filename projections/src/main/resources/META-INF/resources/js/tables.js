// The services and dataplanes tables: one row per entity, kept in name order and updated in place.

import { badge, el, numberCell, showEmpty } from './dom.js';

/**
 * A table body whose rows are keyed by entity name and sorted by it. Each row remembers the
 * version of the entity it shows, so an older change (a resync racing the live stream) never
 * overwrites a newer one. Not thread-safe; the page has one thread.
 */
export class KeyedTable {
  /**
   * @param {HTMLTableSectionElement} tbody
   * @param {(item: object) => HTMLElement[]} cells the cells of one entity's row
   * @param {string} emptyText what an empty table says
   */
  constructor(tbody, cells, emptyText) {
    this.tbody = tbody;
    this.cells = cells;
    this.emptyText = emptyText;
    this.rows = new Map();
  }

  /**
   * Replaces every row. A shown row as new as the loaded item stays, so a reload neither puts an
   * older state over a newer one nor takes the keyboard focus away from an unchanged row.
   */
  replaceAll(items) {
    const rows = items.map((item) => {
      const shown = this.rows.get(item.name);
      return shown && Number(shown.dataset.version) >= item.version ? shown : this.row(item);
    });
    this.rows = new Map(rows.map((row) => [row.dataset.name, row]));
    this.render();
  }

  /** Adds rows after the last one (the next page of a list). */
  append(items) {
    for (const item of items) {
      if (!this.rows.has(item.name)) {
        this.rows.set(item.name, this.row(item));
      }
    }
    this.render();
  }

  /** The version the row of {@code name} shows, or 0 when there is none. */
  version(name) {
    const row = this.rows.get(name);
    return row ? Number(row.dataset.version) : 0;
  }

  has(name) {
    return this.rows.has(name);
  }

  /** The greatest name shown, or null when no row is. */
  lastName() {
    let last = null;
    for (const name of this.rows.keys()) {
      if (last === null || name > last) {
        last = name;
      }
    }
    return last;
  }

  /** Shows {@code item} in its row, or in a new row at its place in name order. */
  upsert(item) {
    const row = this.row(item);
    row.classList.add('changed');
    const shown = this.rows.get(item.name);
    this.rows.set(item.name, row);
    if (shown) {
      shown.replaceWith(row);
      return;
    }
    if (this.rows.size === 1) {
      this.tbody.replaceChildren(row);
      return;
    }
    const after = [...this.tbody.rows].find((other) => other.dataset.name > item.name);
    this.tbody.insertBefore(row, after ?? null);
  }

  remove(name) {
    const shown = this.rows.get(name);
    if (shown) {
      this.rows.delete(name);
      shown.remove();
      if (this.rows.size === 0) {
        showEmpty(this.tbody, this.tbody.closest('table').tHead.rows[0].cells.length, this.emptyText);
      }
    }
  }

  row(item) {
    return el('tr', { 'data-name': item.name, 'data-status': item.status, 'data-version': String(item.version) },
      ...this.cells(item));
  }

  render() {
    const rows = [...this.rows.values()].sort((a, b) => (a.dataset.name < b.dataset.name ? -1 : 1));
    if (rows.length === 0) {
      showEmpty(this.tbody, this.tbody.closest('table').tHead.rows[0].cells.length, this.emptyText);
    } else {
      this.tbody.replaceChildren(...rows);
    }
  }
}

/**
 * A service's cells. Its name is a button that shows only its dataplanes.
 * @param {(service: string) => void} showDataplanesOf
 */
export function serviceCells(showDataplanesOf) {
  return (service) => {
    const counts = service.dataplanes;
    const name = el('button', { type: 'button', class: 'link', title: `Show the dataplanes of ${service.name}` }, service.name);
    name.addEventListener('click', () => showDataplanesOf(service.name));
    return [
      el('th', { scope: 'row' }, name),
      el('td', {}, badge(service.status)),
      el('td', { class: 'number' }, `${counts.online} of ${counts.total}`),
      numberCell(counts.partiallyDegraded),
      numberCell(counts.offline),
      numberCell(service.endpointCount),
    ];
  };
}

/**
 * A dataplane's cells. Its name links to its drill-down.
 * @param {(name: string) => string} hrefOf the drill-down's address
 */
export function dataplaneCells(hrefOf) {
  return (dataplane) => {
    const ready = dataplane.inbounds.filter((inbound) => inbound.ready).length;
    const inbounds = dataplane.gateway ? 'gateway' : `${ready} of ${dataplane.inbounds.length}`;
    return [
      el('th', { scope: 'row' }, el('a', { href: hrefOf(dataplane.name) }, dataplane.name)),
      el('td', {}, badge(dataplane.status)),
      el('td', {}, dataplane.connected ? 'yes' : 'no'),
      el('td', { class: 'number' }, inbounds),
      el('td', {}, dataplane.services.join(', ')),
      el('td', {}, reasonList(dataplane.reasons)),
    ];
  };
}

/** A list of reasons, or nothing when there are none. */
export function reasonList(reasons) {
  if (!reasons || reasons.length === 0) {
    return null;
  }
  return el('ul', { class: 'reasons' }, ...reasons.map((reason) => el('li', {}, reason)));
}
