import { createRoot, createSignal } from 'solid-js';
import type { Position } from './types';

/** The phone's position while the app is open; actions take the latest fix (or wait briefly for one). */
export const position = createRoot(() => {
  const [current, setCurrent] = createSignal<Position & { at: number }>();
  const [denied, setDenied] = createSignal(false);
  let watching = false;

  const take = (fix: GeolocationPosition) =>
    setCurrent({
      lat: fix.coords.latitude,
      lng: fix.coords.longitude,
      accuracyM: Number.isFinite(fix.coords.accuracy) ? Math.round(fix.coords.accuracy) : null,
      at: fix.timestamp,
    });

  const watch = () => {
    if (watching || !('geolocation' in navigator)) return;
    watching = true;
    navigator.geolocation.watchPosition(take, (error) => setDenied(error.code === error.PERMISSION_DENIED), {
      enableHighAccuracy: true,
      maximumAge: 30_000,
    });
  };

  const forAction = (): Promise<Position | null> => {
    const latest = current();
    if (latest && Date.now() - latest.at < 120_000) return Promise.resolve(strip(latest));
    if (!('geolocation' in navigator)) return Promise.resolve(latest ? strip(latest) : null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (fix) => {
          take(fix);
          resolve(strip(current()!));
        },
        () => resolve(latest ? strip(latest) : null),
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 60_000 },
      );
    });
  };

  return { current, denied, watch, forAction };
});

const strip = (fix: Position): Position => ({ lat: fix.lat, lng: fix.lng, accuracyM: fix.accuracyM });
