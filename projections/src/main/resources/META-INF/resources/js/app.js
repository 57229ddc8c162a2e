// vigil's web page: a mesh's overview, services and dataplanes, live; a dataplane's drill-down.
// Addresses: #/mesh/M (a mesh) and #/mesh/M/dataplane/N (a dataplane's drill-down).

import * as api from './api.js';
import { initTokenControls } from './auth.js';
import { DataplaneDetail } from './detail.js';
import { el, statusLabel } from './dom.js';
import { LiveFeed } from './live.js';
import { KeyedTable, dataplaneCells, serviceCells } from './tables.js';

const PAGE_SIZE = 200;
const COUNTS_DELAY_MILLIS = 500;
const FILTER_DELAY_MILLIS = 250;
const NO_MESH_RETRY_MILLIS = 2000;
const STATUSES = ['online', 'partially_degraded', 'offline'];
const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  polling: 'Polling every 2 s (no live stream)',
};

const $ = (selector) => document.querySelector(selector);

const page = {
  mesh: null,
  feed: null,
  next: { services: null, dataplanes: null },
  countsTimer: null,
};

const services = new KeyedTable($('#services tbody'), serviceCells(showDataplanesOf), 'No services match.');
const dataplanes = new KeyedTable($('#dataplanes tbody'), dataplaneCells((name) => dataplaneHref(page.mesh, name)),
  'No dataplanes match.');
const detail = new DataplaneDetail($('#dataplane-view'), showError);

function meshHref(mesh) {
  return `#/mesh/${encodeURIComponent(mesh)}`;
}

function dataplaneHref(mesh, name) {
  return `${meshHref(mesh)}/dataplane/${encodeURIComponent(name)}`;
}

function filters() {
  return {
    prefix: $('#prefix').value.trim(),
    status: $('#status').value,
    service: $('#service').value.trim(),
  };
}

function showError(error) {
  $('#error').textContent = error.message;
  $('#error').hidden = false;
}

function clearError() {
  $('#error').hidden = true;
}

/** Whether a list with these filters shows the entity, as the server's filters decide. */
function matches(entity, level, { prefix, status, service }) {
  return entity.name.startsWith(prefix) && (!status || entity.status === status)
    && (level === 'service' || !service || entity.services.includes(service));
}

/** Only rows up to the last loaded name belong on the page while later pages are not loaded. */
function withinLoaded(table, next, name) {
  if (next === null) {
    return true;
  }
  const last = table.lastName();
  return last !== null && name <= last;
}

async function loadList(kind, append) {
  const table = kind === 'services' ? services : dataplanes;
  const load = kind === 'services' ? api.services : api.dataplanes;
  const mesh = page.mesh;
  const answer = await load(mesh, { ...filters(), size: PAGE_SIZE, next: append ? page.next[kind] : null });
  if (mesh !== page.mesh) {
    return;
  }
  page.next[kind] = answer.next;
  if (append) {
    table.append(answer.items);
  } else {
    table.replaceAll(answer.items);
  }
  document.querySelector(`[data-more-for="${kind}"]`).hidden = answer.next === null;
}

async function loadCounts() {
  const meshes = await api.meshes();
  const select = $('#mesh');
  const names = meshes.map((mesh) => mesh.mesh);
  if (page.mesh && !names.includes(page.mesh)) {
    names.push(page.mesh);
    names.sort();
  }
  if (names.join('\n') !== [...select.options].map((option) => option.value).join('\n')) {
    select.replaceChildren(...names.map((name) => el('option', { value: name }, name)));
  }
  select.value = page.mesh ?? '';
  $('#mesh-hint').textContent = names.length === 0 ? 'No meshes yet: post events to /api/v1/events.' : '';
  const counts = meshes.find((mesh) => mesh.mesh === page.mesh);
  const zero = { total: 0, online: 0, offline: 0, partiallyDegraded: 0 };
  renderCounts($('#dataplane-counts'), 'Dataplanes', counts?.dataplanes ?? zero);
  renderCounts($('#service-counts'), 'Services', counts?.services ?? zero);
  return names;
}

function renderCounts(list, title, counts) {
  const byStatus = { online: counts.online, partially_degraded: counts.partiallyDegraded, offline: counts.offline };
  list.replaceChildren(
    el('div', { class: 'title' }, title),
    el('dt', {}, 'Total'), el('dd', { 'data-status': 'total' }, String(counts.total)),
    ...STATUSES.flatMap((status) => [
      el('dt', {}, statusLabel(status)), el('dd', { 'data-status': status }, String(byStatus[status])),
    ]));
}

/** Counts change with almost every change; one reload per burst is enough. */
function scheduleCounts() {
  if (page.countsTimer === null) {
    page.countsTimer = setTimeout(() => {
      page.countsTimer = null;
      loadCounts().catch(showError);
    }, COUNTS_DELAY_MILLIS);
  }
}

/** Reloads everything the page shows from the REST lists. */
async function resync() {
  try {
    await Promise.all([loadCounts(), loadList('services', false), loadList('dataplanes', false),
      detail.name ? detail.reload() : null]);
    clearError();
  } catch (error) {
    showError(error);
  }
}

function applyChange(level, change) {
  if (change.mesh !== page.mesh) {
    return;
  }
  detail.apply(level, change);
  if (level === 'inbound') {
    return;
  }
  scheduleCounts();
  const [table, kind, name] = level === 'service'
    ? [services, 'services', change.service]
    : [dataplanes, 'dataplanes', change.dataplane];
  if (change.version <= table.version(name) && table.has(name)) {
    return;
  }
  if (change.tombstone || !matches(change.state, level, filters())) {
    table.remove(name);
  } else if (table.has(name) || withinLoaded(table, page.next[kind], name)) {
    table.upsert({ ...change.state, version: change.version });
  }
}

function follow(mesh) {
  page.feed?.stop();
  page.feed = new LiveFeed({
    url: api.changesUrl(mesh),
    onChange: applyChange,
    onResync: resync,
    onState: (state) => {
      $('#connection').dataset.state = state;
      $('#connection').textContent = CONNECTION_TEXT[state];
    },
  });
  page.feed.start();
}

function showDataplanesOf(service) {
  $('#service').value = service;
  loadList('dataplanes', false).catch(showError);
  $('#dataplanes-title').scrollIntoView();
}

/** Shows what the address names; the first mesh when it names none. */
async function route() {
  const [, mesh, dataplane] = /^#\/mesh\/([^/]+)(?:\/dataplane\/([^/]+))?/.exec(location.hash) ?? [];
  if (!mesh) {
    const names = await loadCounts();
    if (names.length > 0) {
      location.replace(meshHref(names[0]));
    } else {
      $('#connection').textContent = 'Waiting for the first mesh';
      setTimeout(() => route().catch(showError), NO_MESH_RETRY_MILLIS);
    }
    return;
  }
  const meshName = decodeURIComponent(mesh);
  if (meshName !== page.mesh) {
    page.mesh = meshName;
    page.next = { services: null, dataplanes: null };
    follow(meshName);
    await resync();
  }
  $('#mesh-view').hidden = Boolean(dataplane);
  $('#dataplane-view').hidden = !dataplane;
  $('#back').href = meshHref(meshName);
  if (dataplane) {
    await detail.show(meshName, decodeURIComponent(dataplane));
  } else {
    detail.hide();
  }
}

let filterTimer = null;
$('#filters').addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => resync(), FILTER_DELAY_MILLIS);
});
$('#filters').addEventListener('reset', () => setTimeout(() => resync()));
$('#filters').addEventListener('submit', (event) => event.preventDefault());
$('#mesh').addEventListener('change', (event) => location.assign(meshHref(event.target.value)));
for (const kind of ['services', 'dataplanes']) {
  document.querySelector(`[data-more-for="${kind}"] button`)
    .addEventListener('click', () => loadList(kind, true).catch(showError));
}
window.addEventListener('hashchange', () => route().catch(showError));
initTokenControls();
route().catch(showError);
