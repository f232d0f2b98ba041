/* The courier app's service worker: the app shell from the cache, everything else from the network. */
const VERSION = __VERSION__;
const FILES = __FILES__;
const CACHE = `postdesk-courier-${VERSION}`;
const SCOPE = new URL(self.registration.scope);
const SHELL = SCOPE.pathname;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...FILES.map((file) => `${SHELL}${file}`)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('postdesk-courier-') && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Only the app's own files: tRPC, uploads and proofs always go to the network, never to this cache.
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SHELL) || url.pathname.endsWith('/sw.js'))
    return;

  if (request.mode === 'navigate') {
    // Network first for a fresh shell, but a weak signal on the road must not keep the courier waiting.
    const network = fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        void caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
      }
      return response;
    });
    const slow = new Promise((resolve) => setTimeout(resolve, 3000)).then(() => caches.match(SHELL));
    event.respondWith(
      Promise.race([network, slow])
        .then((first) => first ?? network)
        .catch(() => caches.match(SHELL).then((cached) => cached ?? Response.error())),
    );
    return;
  }

  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ??
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith(`${SHELL}assets/`)) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
