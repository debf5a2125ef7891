// view.ts — what app.ts knows of a role's view: it can be stopped (feeds closed, timers and
// key handlers removed) when the user logs out or the session ends.

export interface ViewHandle {
  stop(): void;
}
