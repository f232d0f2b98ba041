/** Largest photo sent from the phone: about 2 megapixels is plenty to read a document and keeps uploads small. */
export const MAX_PIXELS = 2_000_000;

const canvasBlob = (canvas: HTMLCanvasElement, type: string, quality?: number) =>
  new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas is empty'))), type, quality),
  );

/** A camera photo scaled down on the phone to ≤ 2 MP and re-encoded as JPEG (EXIF rotation applied). */
export const downscalePhoto = async (file: Blob, maxPixels = MAX_PIXELS): Promise<Blob> => {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, Math.sqrt(maxPixels / (bitmap.width * bitmap.height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(bitmap.width * scale));
  canvas.height = Math.max(1, Math.floor(bitmap.height * scale));
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvasBlob(canvas, 'image/jpeg', 0.82);
};

export const toPng = (canvas: HTMLCanvasElement) => canvasBlob(canvas, 'image/png');

/** Pixels of an image file, for the QR reader (scaled so the long side is at most `maxSide`). */
export const imagePixels = async (file: Blob, maxSide = 1600) => {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
};
