import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import iconUrl from 'leaflet/dist/images/marker-icon.png';
import shadowUrl from 'leaflet/dist/images/marker-shadow.png';

export type Point = { lat: number; lng: number };
export type Landmark = Point & { name: string };

export type PinMapOptions = {
  tileUrl?: string;
  tileAttribution?: string;
  bounds: [[number, number], [number, number]];
  landmarks: Landmark[];
  zoomInTitle: string;
  zoomOutTitle: string;
  onPick: (point: Point) => void;
};

const NEIGHBOURHOOD_ZOOM = 13;
/** Farther out, a province's forty names would cover each other. */
const LABEL_ZOOM = 12;

const LANDMARK_STYLE: L.CircleMarkerOptions = {
  radius: 4,
  weight: 2,
  color: '#0f3a5c',
  fillColor: '#ffffff',
  fillOpacity: 1,
  interactive: false,
};

/*
 * Leaflet finds its default marker images through a CSS url that bundlers rename, so the icon is
 * built here from the imported files instead of L.Icon.Default.
 */
const pinIcon = L.icon({
  iconUrl,
  iconRetinaUrl,
  shadowUrl,
  iconSize: [25, 41],
  iconAnchor: [12, 41],
  shadowSize: [41, 41],
});

/** The map is a mouse helper: the coordinate fields are the keyboard path, so nothing in it takes a Tab stop. */
const leaveTabOrder = (root: HTMLElement) => {
  for (const element of root.querySelectorAll<HTMLElement>('a, button, [tabindex]')) element.tabIndex = -1;
};

/** Labels of points off the map would show as clipped fragments at its edge; 'auto' puts the rest on the inner side. */
const labelPointsInView = (map: L.Map, points: L.CircleMarker[]) => {
  const view = map.getBounds();
  const near = map.getZoom() >= LABEL_ZOOM;
  for (const point of points) {
    if (near && view.contains(point.getLatLng())) point.openTooltip();
    else point.closeTooltip();
  }
};

/** A small map with one draggable pin; without a tile server, commune points on a plain ground for orientation. */
export const mountPinMap = (element: HTMLElement, options: PinMapOptions) => {
  const map = L.map(element, {
    keyboard: false,
    attributionControl: Boolean(options.tileUrl),
    maxBounds: L.latLngBounds(options.bounds).pad(0.1),
    minZoom: 5,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: options.zoomInTitle, zoomOutTitle: options.zoomOutTitle }).addTo(map);

  if (options.tileUrl) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? '', maxZoom: 19 }).addTo(map);
  } else {
    const points = options.landmarks.map((landmark) =>
      L.circleMarker(landmark, LANDMARK_STYLE)
        .bindTooltip(Object.assign(document.createElement('span'), { textContent: landmark.name }), {
          permanent: true,
          direction: 'auto',
          className: 'map-landmark-label',
        })
        .addTo(map),
    );
    map.on('load moveend', () => labelPointsInView(map, points));
  }

  const marker = L.marker([0, 0], { icon: pinIcon, draggable: true, keyboard: false, autoPan: true });
  const pick = (latlng: L.LatLng) => options.onPick({ lat: latlng.lat, lng: latlng.lng });
  marker.on('dragend', () => pick(marker.getLatLng()));
  map.on('click', (event: L.LeafletMouseEvent) => {
    marker.setLatLng(event.latlng).addTo(map);
    pick(event.latlng);
  });

  const view = (centre: Point | undefined) => {
    if (centre) map.setView(centre, NEIGHBOURHOOD_ZOOM, { animate: false });
    else
      map.fitBounds(L.latLngBounds(options.landmarks.length ? options.landmarks : options.bounds), {
        padding: [12, 12],
      });
  };

  leaveTabOrder(element);

  return {
    /** Opens on `centre` (the pin if set, else the commune), or on every landmark when there is neither. */
    centreOn: view,
    setPin: (point: Point | undefined) => {
      if (!point) {
        marker.remove();
        return;
      }
      marker.setLatLng(point).addTo(map);
      leaveTabOrder(element);
      if (!map.getBounds().contains(point)) map.panTo(point);
    },
    remove: () => map.remove(),
  };
};

export type PinMap = ReturnType<typeof mountPinMap>;
