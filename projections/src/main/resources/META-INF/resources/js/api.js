// Client of the projections' REST API (README "Reading health"). Every function returns a promise.

import { authorization, requestToken } from './auth.js';

const BASE = 'api/v1';

/** The API's error, with the message it sent. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GETs a JSON answer; a 401 asks for the read token and tries again with it. */
async function getJson(path) {
  let response = await fetch(`${BASE}/${path}`, { headers: { Accept: 'application/json', ...authorization() } });
  while (response.status === 401) {
    await requestToken();
    response = await fetch(`${BASE}/${path}`, { headers: { Accept: 'application/json', ...authorization() } });
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      // Not a JSON error body: the status line says enough.
    }
    throw new ApiError(response.status, message);
  }
  return response.json();
}

const segment = encodeURIComponent;

/** Every mesh with its dataplanes and services counted per status. */
export function meshes() {
  return getJson('meshes');
}

function query(filters) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value) {
      params.set(name, value);
    }
  }
  return params.toString();
}

/** One page of a mesh's services: {items, next}. */
export function services(mesh, { status, prefix, next, size }) {
  return getJson(`meshes/${segment(mesh)}/services?${query({ status, prefix, next, size })}`);
}

/** One page of a mesh's dataplanes: {items, next}. */
export function dataplanes(mesh, { status, prefix, service, next, size }) {
  return getJson(`meshes/${segment(mesh)}/dataplanes?${query({ status, prefix, service, next, size })}`);
}

/** One dataplane with its reasons and version. */
export function dataplane(mesh, name) {
  return getJson(`meshes/${segment(mesh)}/dataplanes/${segment(name)}`);
}

/**
 * A dataplane's proxy and inbound changes of the last 24 hours: {transitions: [{time, change}],
 * truncated}, oldest first; rejects with status 404 where the server keeps no history.
 */
export function dataplaneHistory(mesh, name) {
  return getJson(`meshes/${segment(mesh)}/dataplanes/${segment(name)}/history`);
}

/** The URL of the live stream of a mesh's changes. */
export function changesUrl(mesh) {
  return `${BASE}/changes?${query({ mesh })}`;
}
