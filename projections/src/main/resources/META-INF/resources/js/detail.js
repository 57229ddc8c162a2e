// The drill-down of one dataplane: its facts, inbounds with reasons, and history.

import * as api from './api.js';
import { badge, el, showEmpty } from './dom.js';

const INBOUND_REASON = /^inbound\[port=(\d+), [^\]]*\] not ready: (.*)$/;

/**
 * Shows one dataplane and keeps it current from the live changes handed to {@link #apply}.
 * Not thread-safe; the page has one thread.
 */
export class DataplaneDetail {
  constructor(root, onError) {
    this.root = root;
    this.onError = onError;
    this.mesh = null;
    this.name = null;
    this.version = 0;
    this.shownChanges = new Set();
  }

  /** Loads and shows {@code name}; focus moves to its heading so keyboard users land there. */
  async show(mesh, name) {
    this.mesh = mesh;
    this.name = name;
    this.version = 0;
    this.shownChanges = new Set();
    this.root.querySelector('#dataplane-title').textContent = `Dataplane ${name}`;
    this.root.querySelector('#dataplane-title').focus();
    showEmpty(this.root.querySelector('#history tbody'), 4, 'Loading…');
    await Promise.all([this.reload(), this.loadHistory()]);
  }

  hide() {
    this.mesh = null;
    this.name = null;
  }

  /** Loads the dataplane again (a resync). */
  async reload() {
    const { mesh, name } = this;
    try {
      const dataplane = await api.dataplane(mesh, name);
      if (mesh === this.mesh && name === this.name && dataplane.version >= this.version) {
        this.render(dataplane, dataplane.version);
      }
    } catch (error) {
      if (error.status === 404) {
        this.renderGone(`No dataplane ${name} in mesh ${mesh}.`);
      } else {
        this.onError(error);
      }
    }
  }

  /** Loads the last day of history (the server's default window), newest first. */
  async loadHistory() {
    const { mesh, name } = this;
    const note = this.root.querySelector('#history-note');
    const tbody = this.root.querySelector('#history tbody');
    try {
      const answer = await api.dataplaneHistory(mesh, name);
      if (mesh !== this.mesh || name !== this.name) {
        return;
      }
      const changes = answer.transitions.map((transition) => transition.change);
      this.shownChanges = new Set(changes.map(changeKey));
      note.textContent = answer.truncated
        ? `Only the oldest ${changes.length} changes of the last 24 hours are shown; live changes are added on top.`
        : 'Every change of this dataplane and its inbounds in the last 24 hours, newest first, with the event that caused it.';
      tbody.replaceChildren(...changes.reverse().map(historyRow));
      if (changes.length === 0) {
        showEmpty(tbody, 4, 'No changes in the last 24 hours.');
      }
    } catch (error) {
      note.textContent = error.status === 404
        ? 'This server keeps no history; changes that arrive while this view is open are listed.'
        : `History could not be loaded: ${error.message}`;
      tbody.replaceChildren();
    }
  }

  /** Applies a live change if it is about the dataplane shown. */
  apply(level, change) {
    if (change.mesh !== this.mesh || change.dataplane !== this.name) {
      return;
    }
    const key = changeKey(change);
    if (!this.shownChanges.has(key)) {
      this.shownChanges.add(key);
      const tbody = this.root.querySelector('#history tbody');
      if (tbody.querySelector('td.empty')) {
        tbody.replaceChildren();
      }
      tbody.prepend(historyRow(change));
    }
    if (level === 'proxy' && change.version > this.version) {
      if (change.tombstone) {
        this.renderGone(`Dataplane ${this.name} was deleted.`);
      } else {
        this.render(change.state, change.version);
      }
    }
  }

  render(dataplane, version) {
    this.version = version;
    this.root.querySelector('#dataplane-facts').replaceChildren(
      el('dt', {}, 'Status'), el('dd', {}, badge(dataplane.status)),
      el('dt', {}, 'Mesh'), el('dd', {}, dataplane.mesh),
      el('dt', {}, 'Connected'), el('dd', {}, dataplane.connected ? 'yes' : 'no'),
      el('dt', {}, 'Environment'), el('dd', {}, dataplane.environment),
      el('dt', {}, 'Address'), el('dd', {}, dataplane.address),
      el('dt', {}, 'Services'), el('dd', {}, dataplane.services.join(', ')),
      el('dt', {}, 'Version'), el('dd', {}, String(version)),
    );
    const inboundReasons = new Map();
    for (const reason of dataplane.reasons) {
      const match = INBOUND_REASON.exec(reason);
      if (match) {
        inboundReasons.set(Number(match[1]), match[2]);
      }
    }
    const inbounds = this.root.querySelector('#inbounds tbody');
    inbounds.replaceChildren(...dataplane.inbounds.map((inbound) => el('tr', { 'data-port': String(inbound.port) },
      el('th', { scope: 'row' }, String(inbound.port)),
      el('td', {}, inbound.service),
      el('td', {}, inbound.address),
      el('td', {}, inbound.ready ? 'ready' : 'not ready'),
      el('td', {}, inboundReasons.get(inbound.port) ?? ''))));
    if (dataplane.inbounds.length === 0) {
      showEmpty(inbounds, 5, dataplane.gateway ? 'A gateway: no inbounds.' : 'No inbounds.');
    }
    const reasons = dataplane.reasons.map((reason) => el('li', {}, reason));
    this.root.querySelector('#reasons').replaceChildren(...(reasons.length ? reasons : [el('li', {}, 'None: the dataplane is online.')]));
  }

  renderGone(message) {
    this.root.querySelector('#dataplane-facts').replaceChildren(el('dt', {}, 'Status'), el('dd', {}, message));
    showEmpty(this.root.querySelector('#inbounds tbody'), 5, 'No inbounds.');
    this.root.querySelector('#reasons').replaceChildren();
  }
}

/** A change's identity: an entity's version is unique, and inbounds are told apart by port. */
function changeKey(change) {
  return `${change.level}/${change.port ?? ''}/${change.version}`;
}

/** One change as a history row: when, what changed, why. */
function historyRow(change) {
  const cause = change.cause ?? {};
  return el('tr', {},
    el('td', {}, el('time', { datetime: cause.time }, cause.time ?? '')),
    el('td', {}, ...describe(change)),
    el('td', {}, [cause.type, cause.id].filter(Boolean).join(' ')),
    el('td', { class: 'number' }, String(change.version)));
}

function describe(change) {
  if (change.level === 'inbound') {
    if (change.tombstone) {
      return [`inbound ${change.port} removed`];
    }
    const now = readiness(change.state.ready);
    const reason = change.state.reason ? `: ${change.state.reason}` : '';
    return change.previousReady === null
      ? [`inbound ${change.port} added, ${now}${reason}`]
      : [`inbound ${change.port}: ${readiness(change.previousReady)} → ${now}${reason}`];
  }
  const now = change.tombstone ? badge('deleted') : badge(change.state.status);
  if (!change.previousStatus) {
    return ['created ', now];
  }
  return change.previousStatus === change.state?.status
    ? [now, ' (unchanged status)']
    : [badge(change.previousStatus), ' → ', now];
}

function readiness(ready) {
  return ready ? 'ready' : 'not ready';
}
