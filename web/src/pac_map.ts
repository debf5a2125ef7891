// pac_map.ts — the point-picking map of the PAC operator's registrations (Leaflet, bundled at
// build time). Shows the meldkamer regions' outlines (GET /api/v1/region-outlines, as on the
// centralist's map: path.region-outline with data-region) and the registered AOLs; a click (or Enter on the
// focused map: its centre) picks a point, drawn with the AOL's radius. The tiles come from
// consoleConfig().tileUrl; without one the vector layers render on a plain background, so
// nothing is fetched from outside. Used by registration_forms.ts.
import { consoleConfig, Session } from './api.js';
import { element } from './dom.js';
import { L, Leaflet } from './leaflet.js';

// The demo area (Utrecht); the operator pans and zooms from here.
export const MAP_START = { lat: 52.0907, lon: 5.1214, zoom: 13 };

export interface RegionShape {
  id: string;
  name: string;
  area: unknown;               // GeoJSON Polygon or MultiPolygon
}

export interface AolShape {
  id: string;
  label: string;
  lat: number;
  lon: number;
  radius_m: number;
  zone?: GeoJSON.Polygon;      // a polygon zone instead of the circle
  active: boolean;
}

// Rounds a coordinate to 6 decimals (~0.1 m): what the form shows and sends.
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export class PickMap {
  readonly root = element('div', '', 'pick-map');
  private map: Leaflet.Map | null = null;
  private readonly regionLayer: Leaflet.LayerGroup;
  private readonly aolLayer: Leaflet.LayerGroup;
  private readonly pickLayer: Leaflet.LayerGroup;

  // `picked` is told every point the operator picks on the map.
  constructor(private readonly session: Session,
              private readonly picked: (lat: number, lon: number) => void) {
    this.root.id = 'pac-map';
    this.root.tabIndex = 0;
    this.root.setAttribute('role', 'application');
    this.root.setAttribute('aria-label',
                           'Kaart: klik om het punt te kiezen; pijltjes verschuiven, Enter kiest het midden');
    this.regionLayer = L.layerGroup();
    this.aolLayer = L.layerGroup();
    this.pickLayer = L.layerGroup();
  }

  // Creates the Leaflet map on first use (the container must be visible to have a size), and
  // tells Leaflet the size again on every later call.
  show(): void {
    if (this.map !== null) {
      this.map.invalidateSize();
      return;
    }
    const map = L.map(this.root, { keyboard: true, attributionControl: false })
      .setView([MAP_START.lat, MAP_START.lon], MAP_START.zoom);
    this.map = map;
    this.regionLayer.addTo(map);
    this.aolLayer.addTo(map);
    this.pickLayer.addTo(map);
    map.on('click', (event: Leaflet.LeafletMouseEvent) => {
      this.picked(roundCoordinate(event.latlng.lat), roundCoordinate(event.latlng.lng));
    });
    this.root.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter') {
        const c = map.getCenter();
        this.picked(roundCoordinate(c.lat), roundCoordinate(c.lng));
        event.preventDefault();
      }
    });
    void consoleConfig(this.session).then((config) => {
      if (config.tileUrl !== '') {
        L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
        this.root.classList.add('with-tiles');
      }
    });
  }

  // Draws the regions' outlines (null: awared could not give them; the map has none then).
  setRegions(outlines: GeoJSON.FeatureCollection | null): void {
    this.regionLayer.clearLayers();
    if (outlines === null) {
      return;
    }
    const layer = L.geoJSON(outlines, {
      style: { className: 'region-outline', color: '#0b2a4a', weight: 2, dashArray: '6 4',
               fillOpacity: 0.04 },
      interactive: false,
    }).addTo(this.regionLayer);
    layer.eachLayer((part) => {
      const feature = (part as Leaflet.Path & { feature?: GeoJSON.Feature }).feature;
      const element = (part as unknown as { getElement?: () => Element | undefined }).getElement?.();
      element?.setAttribute('data-region', String(feature?.properties?.id ?? ''));
    });
  }

  setAols(aols: AolShape[]): void {
    this.aolLayer.clearLayers();
    const style = { color: '#1b5e20', weight: 2, fillOpacity: 0.15, interactive: false };
    for (const a of aols.filter((x) => x.active)) {
      if (a.zone !== undefined) {
        L.geoJSON(a.zone, { style, interactive: false }).addTo(this.aolLayer);
      } else {
        L.circle([a.lat, a.lon], { ...style, radius: Math.max(a.radius_m, 10) }).addTo(this.aolLayer);
      }
    }
  }

  // Draws the picked point (and its radius, when a number > 0); null clears it.
  setPick(point: { lat: number; lon: number; radius: number } | null): void {
    this.pickLayer.clearLayers();
    if (point === null || !Number.isFinite(point.lat) || !Number.isFinite(point.lon)) {
      return;
    }
    L.circleMarker([point.lat, point.lon], { radius: 6, color: '#b00020', weight: 3, fillOpacity: 1 })
      .addTo(this.pickLayer);
    if (Number.isFinite(point.radius) && point.radius > 0) {
      L.circle([point.lat, point.lon], {
        radius: point.radius, color: '#b00020', weight: 2, dashArray: '6 4', fillOpacity: 0.1,
        interactive: false,
      }).addTo(this.pickLayer);
    }
  }

  stop(): void {
    this.map?.remove();
    this.map = null;
  }
}
