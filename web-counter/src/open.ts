/** PDFs (forms, guidance, tracking book) open in a new tab with the session cookie; the desk never prints the screen. */
export const openInNewTab = (path: string) => {
  window.open(path, '_blank', 'noopener');
};
