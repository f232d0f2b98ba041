/** Build-time settings (Vite `VITE_*` variables). Without a tile server the delivery map draws commune points only. */
const setting = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

export const tileUrl = setting(import.meta.env.VITE_TILE_URL);
export const tileAttribution = setting(import.meta.env.VITE_TILE_ATTRIBUTION);
