import sharp from 'sharp';

/** An A4 page at 150 dpi with Vietnamese text, as a desk scanner would send it (a little grey, a little skewed). */
export const textPage = async (label: string, sideways = false) => {
  const lines = Array.from(
    { length: 22 },
    (_, i) =>
      `<text x="110" y="${260 + i * 56}" font-size="28" font-family="DejaVu Sans">Dòng ${i + 1}: Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="100%" height="100%" fill="#f1eee6"/><text x="110" y="160" font-size="44" font-weight="bold" font-family="DejaVu Sans">${label}</text>${lines}</svg>`;
  const scan = await sharp(Buffer.from(svg))
    .rotate(1.2, { background: '#ffffff' })
    .greyscale()
    .jpeg({ quality: 85 })
    .toBuffer();
  return sideways ? sharp(scan).rotate(270).jpeg({ quality: 85 }).toBuffer() : scan;
};

/** A scanned page as a file input takes it. */
export const jpeg = async (label: string, sideways = false) => ({
  name: `${label.replace(/\W+/g, '-')}.jpg`,
  mimeType: 'image/jpeg',
  buffer: await textPage(label, sideways),
});
