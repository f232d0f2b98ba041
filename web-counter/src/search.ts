export const foldDiacritics = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/đ/g, 'd');

export const matchesAllWords = (haystack: string, query: string) =>
  foldDiacritics(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
