import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export type MapStop = {
  id: string;
  lat: number;
  lng: number;
  label: string;
  title: string;
  colour: string | null;
  kind: 'pickup' | 'delivery';
};
export type MapRoute = { colour: string; path: [number, number][]; title: string };
export type DispatchMapData = {
  office: { lat: number; lng: number; name: string } | null;
  stops: MapStop[];
  routes: MapRoute[];
};

const UNASSIGNED = '#6b7280';

/**
 * Names typed by people (staff, addresses) go into the map as text, never as markup: Leaflet renders a string
 * tooltip or icon as HTML.
 */
const textSpan = (text: string, className: string, attrs: Record<string, string> = {}) => {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  for (const [name, value] of Object.entries(attrs)) span.setAttribute(name, value);
  return span;
};

/**
 * The day's stops and routes on a Leaflet map. Without a tile server the ground stays plain: the office,
 * the stops (numbered in route order, a square for pickups, a circle for deliveries) and the route lines
 * are enough to see who goes where; no base map means no borders drawn wrongly.
 */
export const mountDispatchMap = (
  element: HTMLElement,
  opts: { tileUrl?: string | null; zoomInTitle: string; zoomOutTitle: string; officeLabel: string },
) => {
  const map = L.map(element, {
    keyboard: false,
    attributionControl: Boolean(opts.tileUrl),
    zoomControl: false,
    minZoom: 6,
  });
  L.control.zoom({ zoomInTitle: opts.zoomInTitle, zoomOutTitle: opts.zoomOutTitle }).addTo(map);
  if (opts.tileUrl) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(opts.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  const layer = L.layerGroup().addTo(map);

  const draw = (data: DispatchMapData) => {
    layer.clearLayers();
    const bounds: L.LatLngExpression[] = [];
    for (const r of data.routes) {
      if (r.path.length < 2) continue;
      L.polyline(r.path, { color: r.colour, weight: 3, opacity: 0.85 })
        .bindTooltip(textSpan(r.title, ''))
        .addTo(layer);
    }
    for (const s of data.stops) {
      const colour = s.colour ?? UNASSIGNED;
      const shape = s.kind === 'pickup' ? 'dispatch-pin dispatch-pin-square' : 'dispatch-pin';
      const icon = L.divIcon({
        className: '',
        html: textSpan(s.label, `${shape}${s.colour ? '' : ' dispatch-pin-open'}`, {
          style: `--pin:${colour}`,
        }),
        iconSize: [26, 26],
        iconAnchor: [13, 13],
      });
      L.marker([s.lat, s.lng], { icon, keyboard: false, title: s.title }).addTo(layer);
      bounds.push([s.lat, s.lng]);
    }
    if (data.office) {
      const icon = L.divIcon({
        className: '',
        html: textSpan(opts.officeLabel, 'dispatch-office', { title: data.office.name }),
        iconSize: [30, 30],
        iconAnchor: [15, 15],
      });
      L.marker([data.office.lat, data.office.lng], { icon, keyboard: false, zIndexOffset: 1000 }).addTo(
        layer,
      );
      bounds.push([data.office.lat, data.office.lng]);
    }
    if (bounds.length > 0)
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 16, animate: false });
    else map.setView([16.4668, 107.5893], 13);
    for (const el of element.querySelectorAll<HTMLElement>('a, button, [tabindex]')) el.tabIndex = -1;
  };

  return { draw, remove: () => map.remove(), invalidate: () => map.invalidateSize() };
};

export type DispatchMap = ReturnType<typeof mountDispatchMap>;
