import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { tileAttribution, tileUrl } from '../config';
import { t } from '../i18n';
import type { Landmark, PinMap, Point } from './leafletMap';
import { type Commune, VIETNAM_BOUNDS } from './store';

const pointOfCommune = (commune: Commune | undefined): Point | undefined =>
  commune && commune.lat !== null && commune.lng !== null
    ? { lat: commune.lat, lng: commune.lng }
    : undefined;

/** "Phường Kim Long" → "Kim Long": the kind adds nothing on a map and the labels must stay short. */
const shortName = (name: string) => name.replace(/^(Phường|Xã|Thị trấn|Đặc khu)\s+/u, '');

/** A pin on a map for the delivery point; Leaflet arrives only when the clerk chooses delivery by post. */
export const DeliveryMap = (props: {
  communes: Commune[];
  centre?: Commune;
  point?: Point;
  onPick: (point: Point) => void;
}) => {
  let container!: HTMLElement;
  const [map, setMap] = createSignal<PinMap>();
  const [failed, setFailed] = createSignal(false);
  let disposed = false;

  onMount(async () => {
    try {
      const { mountPinMap } = await import('./leafletMap');
      if (disposed) return;
      const landmarks: Landmark[] = props.communes.flatMap((commune) => {
        const point = pointOfCommune(commune);
        return point ? [{ ...point, name: shortName(commune.name) }] : [];
      });
      setMap(
        mountPinMap(container, {
          tileUrl,
          tileAttribution,
          bounds: [
            [VIETNAM_BOUNDS.lat[0], VIETNAM_BOUNDS.lng[0]],
            [VIETNAM_BOUNDS.lat[1], VIETNAM_BOUNDS.lng[1]],
          ],
          landmarks,
          zoomInTitle: t('map.zoomIn'),
          zoomOutTitle: t('map.zoomOut'),
          onPick: (point) => props.onPick(point),
        }),
      );
    } catch {
      setFailed(true);
    }
  });

  onCleanup(() => {
    disposed = true;
    map()?.remove();
  });

  createEffect(
    on([map, () => props.centre?.code], ([current], previous) => {
      const commune = pointOfCommune(props.centre);
      const opening = previous?.[0] !== current;
      current?.centreOn(opening ? (props.point ?? commune) : (commune ?? props.point));
    }),
  );

  createEffect(
    on([map, () => props.point?.lat, () => props.point?.lng], ([current]) => {
      current?.setPin(props.point);
    }),
  );

  return (
    <div class="delivery-map-wrap">
      <figure
        ref={container}
        class="delivery-map"
        aria-label={t('map.label')}
        aria-describedby="delivery-map-hint"
      />
      <p class="hint" id="delivery-map-hint">
        <Show when={!failed()} fallback={t('map.failed')}>
          {t('map.hint')}
        </Show>
      </p>
    </div>
  );
};
