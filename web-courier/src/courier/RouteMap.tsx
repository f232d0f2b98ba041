import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { t } from '../i18n';
import { position } from './position';
import type { Task, Today } from './types';

type Point = [number, number];

const pathPoints = (path: unknown[]) =>
  path.flatMap((each): Point[] => {
    if (Array.isArray(each) && each.length >= 2) return [[Number(each[0]), Number(each[1])]];
    if (each && typeof each === 'object' && 'lat' in each && 'lng' in each) {
      const point = each as { lat: number; lng: number };
      return [[point.lat, point.lng]];
    }
    return [];
  });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Today's stops on a map. Without a tile server it is a plain background: the office, the numbered stops, the
 * route line and the courier's own position still draw, which is all a courier needs to see the order.
 */
export const RouteMap = (props: {
  today: Today;
  tasks: Task[];
  settled: (task: Task) => boolean;
  onStop: (task: Task) => void;
}) => {
  let container!: HTMLElement;
  let map: L.Map | undefined;
  let layers: L.LayerGroup | undefined;
  let me: L.CircleMarker | undefined;
  let tiles: L.TileLayer | undefined;
  let tilesUrl: string | null = null;

  const draw = () => {
    if (!map || !layers) return;
    layers.clearLayers();
    const { office, route, tileUrl } = props.today;
    if (tiles && tilesUrl !== tileUrl) {
      tiles.remove();
      tiles = undefined;
    }
    if (tileUrl && !tiles) {
      tiles = L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
      tilesUrl = tileUrl;
    }

    const home: Point | null = office.lat != null && office.lng != null ? [office.lat, office.lng] : null;
    const bounds: Point[] = home ? [home] : [];
    const stops = props.tasks.filter((task) => task.lat != null && task.lng != null);
    const routePath = route?.path ? pathPoints(route.path) : [];
    const through = stops.map((task): Point => [task.lat!, task.lng!]);
    const line: Point[] = routePath.length >= 2 ? routePath : home ? [home, ...through, home] : through;
    if (line.length >= 2) L.polyline(line, { color: '#0b57a4', weight: 5, opacity: 0.85 }).addTo(layers);

    if (home) {
      L.marker(home, {
        icon: L.divIcon({ className: 'map-office', html: '<span>BC</span>', iconSize: [44, 44] }),
        title: office.name,
        alt: office.name,
        keyboard: false,
      }).addTo(layers);
    }

    stops.forEach((task, index) => {
      const done = props.settled(task);
      const number = task.sequence ?? index + 1;
      const marker = L.marker([task.lat!, task.lng!], {
        icon: L.divIcon({
          className: `map-stop${done ? ' map-stop-done' : ''}${task.kind === 'pickup' ? ' map-stop-pickup' : ''}`,
          html: `<span>${done ? '✓' : number}</span>`,
          iconSize: [40, 40],
        }),
        title: `${number}. ${escapeHtml(task.address)}`,
        alt: `${t('route.stop')} ${number}`,
      });
      marker.on('click', () => props.onStop(task));
      marker.addTo(layers!);
      bounds.push([task.lat!, task.lng!]);
    });
    if (bounds.length > 0) map.fitBounds(L.latLngBounds(bounds), { padding: [28, 28], maxZoom: 16 });
    else map.setView([16.4637, 107.5909], 13);
  };

  onMount(() => {
    map = L.map(container, { zoomControl: true, attributionControl: false, tap: true } as L.MapOptions);
    L.control.scale({ imperial: false }).addTo(map);
    layers = L.layerGroup().addTo(map);
    draw();
    position.watch();
  });

  createEffect(
    on(() => [props.today, props.tasks.map((task) => props.settled(task))], draw, { defer: true }),
  );

  createEffect(() => {
    const fix = position.current();
    if (!map || !fix) return;
    if (!me) {
      me = L.circleMarker([fix.lat, fix.lng], {
        radius: 10,
        color: '#ffffff',
        weight: 3,
        fillColor: '#d14900',
        fillOpacity: 1,
      }).addTo(map);
      me.bindTooltip(t('route.you'), { permanent: false });
    } else me.setLatLng([fix.lat, fix.lng]);
  });

  onCleanup(() => map?.remove());

  return (
    <section
      ref={container}
      class="route-map"
      aria-label={t('route.mapLabel')}
      data-tiles={props.today.tileUrl ? 'on' : 'off'}
    />
  );
};
