import { type AddressInfo, createServer } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import type { App } from '../../server/src/app';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** A page on a phone-sized touch screen (its downloads kept), with its own timeout for each step. */
export const phonePage = async (browser: Browser, timeoutMs = 15_000) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return page;
};

/** The app on a real socket, for the browser. */
export const listen = async (app: App) => {
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
};

/** A desk page at 1366×768 with `username` signed in by keyboard, on the page the role lands on. */
export const signInAtDesk = async (browser: Browser, url: string, username = 'gdv.hang') => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${url}/login`);
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('postdesk-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  return page;
};
