// Keeps the page current: the server-sent change stream when the server has it, polling when not.

const LEVELS = ['inbound', 'proxy', 'service'];

/**
 * Follows /api/v1/changes for one mesh. The browser's EventSource reconnects by itself after a
 * network error and sends Last-Event-ID, so nothing is missed; a stream the server refuses (it
 * answers other than 200: 404 where the live stream does not run, 503 while the views catch up)
 * is not retried by the browser, so the feed polls instead and tries the stream again now and
 * then. A stream without a resume cursor starts at the present, so each such start reloads the
 * lists once. When the server ends a stream with "dropped" (the client read too slowly, or vigil
 * stops), the feed opens a new one from the cursor that event carries. Runs on the page's one
 * thread; callbacks are called from its event loop.
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
   */
  constructor({ url, onChange, onResync, onState, pollMillis = 2000, retryMillis = 5000 }) {
    this.url = url;
    this.onChange = onChange;
    this.onResync = onResync;
    this.onState = onState;
    this.pollMillis = pollMillis;
    this.retryMillis = retryMillis;
    this.source = null;
    this.lastEventId = null;
    this.pollTimer = null;
    this.retryTimer = null;
  }

  start() {
    this.open();
  }

  stop() {
    this.closeSource();
    this.stopPolling();
    clearTimeout(this.retryTimer);
  }

  open() {
    if (this.pollTimer === null) {
      this.onState('connecting');
    }
    const url = new URL(this.url, document.baseURI);
    if (this.lastEventId) {
      url.searchParams.set('lastEventId', this.lastEventId);
    }
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      const wasPolling = this.pollTimer !== null;
      this.stopPolling();
      this.onState('live');
      if (wasPolling || !this.lastEventId) {
        this.onResync();
      }
    };
    for (const level of LEVELS) {
      source.addEventListener(level, (event) => {
        this.lastEventId = event.lastEventId;
        this.onChange(level, JSON.parse(event.data));
      });
    }
    source.addEventListener('dropped', (event) => {
      this.lastEventId = JSON.parse(event.data).resume ?? null;
      this.closeSource();
      this.open();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused: perhaps for the cursor itself, so the next try starts afresh.
        this.lastEventId = null;
        this.closeSource();
        this.startPolling();
        this.retryTimer = setTimeout(() => this.open(), this.retryMillis);
      } else {
        this.onState('reconnecting');
      }
    };
  }

  closeSource() {
    if (this.source) {
      this.source.close();
      this.source = null;
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
