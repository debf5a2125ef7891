// feed.ts — one awared WebSocket feed (/ws/meldkamer, /ws/pac, /ws/hulpverlener) from the
// browser. Signs in with the subprotocol offer ["awared.v1", "awared.bearer.<token>"] (the
// browser cannot send an Authorization header; docs/web-console.md). Checks every message's
// seq (1, 2, 3, … per connection): a gap or a dropped socket means reconnect, with backoff,
// which brings a fresh snapshot. After a lost connection, the first message of the next one (seq
// 1, always the snapshot) is reported as `resynced`, so a view can say it is whole again.

export type FeedStatus = 'verbinden' | 'verbonden' | 'verbroken' | 'geweigerd';

export interface FeedHandlers {
  message(body: Record<string, unknown>): void;   // one ConsoleFeed/PacFeed/NoticeFeed, parsed
  status(status: FeedStatus, detail: string): void;
  // The fresh snapshot of a new connection after a lost one has been handled (optional).
  resynced?(): void;
}

export class Feed {
  private socket: WebSocket | null = null;
  private expected = 1;
  private backoffMs = 500;
  private stopped = false;
  private opened = false;
  private lost = false;      // a connection was open and went away; no snapshot since

  constructor(private readonly path: string, private readonly token: string,
              private readonly handlers: FeedHandlers) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  // Sends one request (JSON) if connected; false when not.
  send(request: unknown): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(request));
    return true;
  }

  private connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.expected = 1;
    this.opened = false;
    this.handlers.status('verbinden', '');
    const socket = new WebSocket(`${scheme}//${location.host}${this.path}`,
                                 ['awared.v1', `awared.bearer.${this.token}`]);
    this.socket = socket;
    socket.onopen = () => {
      this.opened = true;
      this.backoffMs = 500;
      this.handlers.status('verbonden', '');
    };
    socket.onmessage = (event: MessageEvent) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const seq = Number(body.seq);
      if (seq !== this.expected) {
        this.handlers.status('verbroken', `gat in de volgnummers: ${this.expected} verwacht, ${seq} ontvangen`);
        socket.close();
        return;
      }
      this.expected += 1;
      this.handlers.message(body);
      if (seq === 1 && this.lost) {
        this.lost = false;
        this.handlers.resynced?.();
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      if (this.stopped) {
        return;
      }
      // A refused upgrade (401/403) closes before opening; the page decides what to do.
      this.lost = this.lost || this.opened;
      this.handlers.status(this.opened ? 'verbroken' : 'geweigerd', '');
      window.setTimeout(() => {
        if (!this.stopped) {  // stopped meanwhile (logout, ended session): no reconnect
          this.connect();
        }
      }, this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 10000);
    };
  }
}
