// leaflet.ts — Leaflet for the ES modules. index.html loads lib/leaflet.js (Leaflet's own UMD
// build, copied from the pinned npm package at build time) as a classic script, which defines
// window.L; this module hands it to the views with Leaflet's types. No bundler needed.
import type * as Leaflet from 'leaflet';

export const L = (window as unknown as { L: typeof Leaflet }).L;
export type { Leaflet };
