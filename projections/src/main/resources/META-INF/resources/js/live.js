// Keeps the page current: the server-sent change stream when the server has it, polling when not.

import { authorization, requestToken } from './auth.js';

const LEVELS = ['inbound', 'proxy', 'service'];

/**
 * Follows /api/v1/changes for one mesh. It reads the stream with fetch rather than EventSource,
 * which cannot send an Authorization header: a read token must not travel in the URL, where logs
 * would keep it. So it does what EventSource would: parses the events, remembers the last id, and
 * after a network error or the end of the stream reconnects with Last-Event-ID, so nothing is
 * missed. A stream the server refuses (404 where the live stream does not run, 503 while the
 * views catch up) makes the feed poll instead and try the stream again now and then; a 401 asks
 * for the read token. A stream without a resume cursor starts at the present, so each such start
 * reloads the lists once. When the server ends a stream with "dropped" (the client read too
 * slowly, or vigil stops), the feed opens a new one from the cursor that event carries; when the
 * event says "reload" (the resume point was too far behind to replay), it opens one from the
 * present instead, which reloads the lists. Runs on the page's one thread; callbacks are called
 * from its event loop.
 */
export class LiveFeed {
  /**
   * @param {object} options
   * @param {string} options.url the stream's URL
   * @param {(level: string, change: object) => void} options.onChange one change as HealthJson writes it
   * @param {() => void} options.onResync reload everything from the REST lists
   * @param {(state: string) => void} options.onState connecting, live, reconnecting or polling
   * @param {number} [options.pollMillis] how often to reload while polling
   * @param {number} [options.retryMillis] how long to poll before trying the stream again
   * @param {number} [options.reconnectMillis] how long to wait before resuming a stream that broke
   */
  constructor({ url, onChange, onResync, onState, pollMillis = 2000, retryMillis = 5000, reconnectMillis = 2000 }) {
    this.url = url;
    this.onChange = onChange;
    this.onResync = onResync;
    this.onState = onState;
    this.pollMillis = pollMillis;
    this.retryMillis = retryMillis;
    this.reconnectMillis = reconnectMillis;
    this.stream = null;
    this.lastEventId = null;
    this.pollTimer = null;
    this.retryTimer = null;
    this.reconnectTimer = null;
  }

  start() {
    this.open();
  }

  stop() {
    this.closeStream();
    this.stopPolling();
    clearTimeout(this.retryTimer);
    clearTimeout(this.reconnectTimer);
  }

  /**
   * Opens a stream; every later step checks that it is still the current one, as stop() or a
   * reopen may replace it.
   *
   * @param {boolean} [resuming] whether this reconnects a stream that broke ("reconnecting" stays shown)
   */
  async open(resuming = false) {
    if (this.pollTimer === null && !resuming) {
      this.onState('connecting');
    }
    const stream = new AbortController();
    this.stream = stream;
    const headers = { Accept: 'text/event-stream', ...authorization() };
    if (this.lastEventId) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    let response;
    try {
      response = await fetch(new URL(this.url, document.baseURI), { headers, cache: 'no-store', signal: stream.signal });
    } catch {
      this.lost(stream);
      return;
    }
    if (this.stream !== stream) {
      stream.abort();
      return;
    }
    if (response.status === 401) {
      stream.abort();
      await requestToken();
      if (this.stream === stream) {
        this.open();
      }
      return;
    }
    if (!response.ok) {
      // Refused: perhaps for the cursor itself, so the next try starts afresh.
      this.lastEventId = null;
      this.closeStream();
      this.startPolling();
      this.retryTimer = setTimeout(() => this.open(), this.retryMillis);
      return;
    }
    const wasPolling = this.pollTimer !== null;
    this.stopPolling();
    this.onState('live');
    if (wasPolling || !this.lastEventId) {
      this.onResync();
    }
    try {
      await this.read(response.body, stream);
    } catch {
      // A network error or an abort: lost() tells them apart.
    }
    this.lost(stream);
  }

  /** Parses server-sent events (fields id, event, data; comments start with ':') and hands each over. */
  async read(body, stream) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { id: null, name: null, data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.stream !== stream) {
        return;
      }
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line === '') {
          this.dispatch(event, stream);
          if (this.stream !== stream) {
            return;
          }
          event = { id: null, name: null, data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') {
            event.id = text;
          } else if (field === 'event') {
            event.name = text;
          } else if (field === 'data') {
            event.data.push(text);
          }
        }
      }
    }
  }

  dispatch(event, stream) {
    if (event.data.length === 0) {
      return;
    }
    const data = JSON.parse(event.data.join('\n'));
    if (LEVELS.includes(event.name)) {
      this.lastEventId = event.id;
      this.onChange(event.name, data);
    } else if (event.name === 'bookmark') {
      // A quiet stream's cursor moves past changes its filter skipped: resuming from it reads fewer.
      this.lastEventId = event.id;
    } else if (event.name === 'dropped') {
      this.lastEventId = data.reload ? null : data.resume ?? null;
      if (this.stream === stream) {
        this.closeStream();
        this.open();
      }
    }
  }

  /** The current stream broke or ended by itself: resume it from the last change shortly, as EventSource would. */
  lost(stream) {
    if (this.stream !== stream) {
      return;
    }
    this.stream = null;
    this.onState('reconnecting');
    this.reconnectTimer = setTimeout(() => this.open(true), this.reconnectMillis);
  }

  closeStream() {
    if (this.stream) {
      this.stream.abort();
      this.stream = null;
    }
  }

  startPolling() {
    if (this.pollTimer === null) {
      this.pollTimer = setInterval(() => this.onResync(), this.pollMillis);
    }
    this.onState('polling');
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }
}
