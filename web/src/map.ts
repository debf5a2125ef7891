// map.ts — the centralist's map (Leaflet, bundled; docs/web-console.md): the incident's latest
// position with its accuracy circle, and the track (activation position, then every later one)
// as a line that grows as updates arrive. The tile layer comes from [meldkamer] tile_url
// (GET /api/v1/console-config); without one the vector layers render on a plain background.
// The meldkamer regions (GET /api/v1/region-outlines) are drawn as outlines beneath, the
// incident's region highlighted (class region-current). The zones of the incident's AOL hits
// (AolHit.zone: a circle or a polygon) are drawn over the regions and beneath the track: solid
// and filled for "in de zone" (path.aol-zone-inside), dashed for a zone near by
// (path.aol-zone-near); each path carries data-aol.
// The map element carries data-track-points / data-lat / data-lon / data-aol-zones for the
// browser tests.
import { L, Leaflet } from './leaflet.js';
import { AolHit, Incident, ZoneRing, trackOf } from './queue.js';

function ringLatLngs(ring: ZoneRing | undefined): Leaflet.LatLng[] {
  return (ring?.points ?? []).map((p) => L.latLng(p.lat ?? 0, p.lon ?? 0));
}

// The layer of one hit's zone, or null when the hit carries none.
function zoneLayer(hit: AolHit): Leaflet.Path | null {
  const zone = hit.zone;
  if (zone === undefined) {
    return null;
  }
  const inside = hit.inside === true;
  const style: Leaflet.PathOptions = {
    className: inside ? 'aol-zone aol-zone-inside' : 'aol-zone aol-zone-near',
    color: inside ? '#8a3b00' : '#3f4f63', weight: inside ? 3 : 2,
    dashArray: inside ? undefined : '5 5', fillColor: inside ? '#d9731a' : '#7a8ba0',
    fillOpacity: inside ? 0.2 : 0.06,
  };
  const outer = ringLatLngs(zone.outer);
  if (outer.length >= 3) {
    return L.polygon([outer, ...(zone.holes ?? []).map(ringLatLngs)], style);
  }
  const radius = zone.radiusM ?? 0;
  if (radius > 0) {
    return L.circle(L.latLng(zone.lat ?? 0, zone.lon ?? 0), { ...style, radius });
  }
  return null;
}

// What decides whether the zones must be redrawn: each hit's id, inside and shape (cheaply:
// show() runs on every update, and a polygon may have thousands of points).
function zonesKey(hits: AolHit[]): string {
  return hits.map((h) => [h.aolId, h.inside, h.zone?.lat, h.zone?.lon, h.zone?.radiusM,
                          h.zone?.outer?.points?.length, h.zone?.holes?.length].join(':'))
    .join('|');
}

export class IncidentMap {
  private map: Leaflet.Map | null = null;
  private readonly layers: Leaflet.LayerGroup;
  private readonly zones: Leaflet.LayerGroup;  // the AOL zones, beneath `layers`
  private shownId = '';
  private shownPoints = 0;
  private shownZones = '';
  private regions: Leaflet.GeoJSON | null = null;
  private regionShown = '';       // the region highlighted now

  constructor(private readonly container: HTMLElement, private readonly tileUrl: string) {
    this.layers = L.layerGroup();
    this.zones = L.layerGroup();
  }

  // Draws `incident` (null: clears). A new incident is fitted into view; a grown track keeps
  // the view, but pans when the latest position left it.
  show(incident: Incident | null): void {
    if (incident === null && this.map === null) {
      return;  // not made until there is something to show (Leaflet needs a visible element)
    }
    const map = this.ensureMap();
    this.highlightRegion(incident?.region ?? '');
    const points = incident ? trackOf(incident) : [];
    const id = incident?.id ?? '';
    const hits = incident?.aols ?? [];
    const zones = zonesKey(hits);
    if (id === this.shownId && points.length === this.shownPoints && zones === this.shownZones) {
      return;
    }
    const zoneBounds = this.drawZones(hits);
    this.shownZones = zones;
    this.layers.clearLayers();
    this.container.dataset.trackPoints = String(points.length);
    const last = points[points.length - 1];
    if (last === undefined) {
      delete this.container.dataset.lat;
      delete this.container.dataset.lon;
      this.shownId = id;
      this.shownPoints = 0;
      return;
    }
    const line = points.map((p) => L.latLng(p.lat, p.lon));
    const here = L.latLng(last.lat, last.lon);
    L.polyline(line, {
      className: 'track', color: '#0b2a4a', weight: 4, smoothFactor: 0, noClip: true,  // every fix
    }).addTo(this.layers);
    const circle = L.circle(here, {
      radius: Math.max(1, last.accuracyM ?? 0), className: 'accuracy', color: '#b00020',
      weight: 1, fillOpacity: 0.15,
    }).addTo(this.layers);
    L.circleMarker(here, {
      radius: 8, className: 'position', color: '#ffffff', weight: 2, fillColor: '#b00020',
      fillOpacity: 1,
    }).addTo(this.layers);
    this.container.dataset.lat = last.lat.toFixed(6);
    this.container.dataset.lon = last.lon.toFixed(6);
    if (id !== this.shownId) {
      const bounds = L.latLngBounds(line).extend(circle.getBounds());
      if (zoneBounds !== null) {
        bounds.extend(zoneBounds);
      }
      map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24], animate: false });
    } else if (!map.getBounds().contains(here)) {
      map.panTo(here, { animate: false });
    }
    this.shownId = id;
    this.shownPoints = points.length;
  }

  // Draws the zones of `hits` (replacing the ones shown); returns their bounds (null: none).
  // The zones group is on the map already, so each path's SVG element exists at once.
  private drawZones(hits: AolHit[]): Leaflet.LatLngBounds | null {
    this.zones.clearLayers();
    let bounds: Leaflet.LatLngBounds | null = null;
    let drawn = 0;
    for (const hit of hits) {
      const layer = zoneLayer(hit);
      if (layer === null) {
        continue;
      }
      const where = hit.inside ? 'in de zone' : 'nabij';
      layer.bindTooltip(`${hit.label || hit.aolId || 'AOL'} (${where})`);
      layer.addTo(this.zones);
      (layer as unknown as { getElement?: () => Element | undefined })
        .getElement?.()?.setAttribute('data-aol', hit.aolId ?? '');
      const own = (layer as Leaflet.Polygon | Leaflet.Circle).getBounds();
      bounds = bounds === null ? L.latLngBounds(own.getSouthWest(), own.getNorthEast())
                               : bounds.extend(own);
      drawn += 1;
    }
    this.container.dataset.aolZones = String(drawn);
    return bounds;
  }

  // Draws the regions' outlines (once they arrived); the incident's region is highlighted.
  setRegions(outlines: GeoJSON.FeatureCollection): void {
    this.regions?.remove();
    this.regions = L.geoJSON(outlines, { interactive: false, style: () => this.regionStyle(false) });
    if (this.map !== null) {
      this.regions.addTo(this.map);
      this.regions.bringToBack();
    }
    const current = this.regionShown;
    this.regionShown = '\u0000';  // force a restyle
    this.highlightRegion(current);
  }

  private regionStyle(current: boolean): Leaflet.PathOptions {
    return {
      className: current ? 'region-outline region-current' : 'region-outline',
      color: current ? '#0b2a4a' : '#6b7785', weight: current ? 3 : 1.5,
      dashArray: current ? undefined : '6 4', fill: current, fillOpacity: 0.05,
    };
  }

  private highlightRegion(region: string): void {
    if (this.regions === null || region === this.regionShown) {
      return;
    }
    this.regionShown = region;
    const wanted = region.toLowerCase();
    this.regions.eachLayer((layer) => {
      const feature = (layer as Leaflet.Path & { feature?: GeoJSON.Feature }).feature;
      const id = String(feature?.properties?.id ?? '').toLowerCase();
      const path = layer as Leaflet.Path;
      const current = id !== '' && id === wanted;
      path.setStyle(this.regionStyle(current));
      // Leaflet keeps the className of creation: set the SVG element's class ourselves.
      const element = (path as unknown as { getElement?: () => Element | undefined }).getElement?.();
      element?.setAttribute('class', this.regionStyle(current).className ?? '');
      element?.setAttribute('data-region', id);
    });
  }

  // Call when the map's element became visible or changed size.
  resized(): void {
    this.map?.invalidateSize({ animate: false });
  }

  private ensureMap(): Leaflet.Map {
    if (this.map !== null) {
      return this.map;
    }
    const map = L.map(this.container, {
      center: [52.09, 5.12], zoom: 13, attributionControl: this.tileUrl !== '',
      zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false,
    });
    if (this.tileUrl !== '') {
      L.tileLayer(this.tileUrl, { maxZoom: 19, attribution: 'Kaart: tegelserver meldkamer' })
        .addTo(map);
    } else {
      this.container.classList.add('map-plain');
    }
    L.control.scale({ imperial: false }).addTo(map);
    if (this.regions !== null) {
      this.regions.addTo(map);
      this.regionShown = '\u0000';  // their SVG elements exist only now: restyle
    }
    this.zones.addTo(map);
    this.layers.addTo(map);
    this.map = map;
    return map;
  }
}
