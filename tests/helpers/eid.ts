import { randomInt } from 'node:crypto';
import sharp from 'sharp';
import type { createTestServer } from './app';
import { intakeFor } from './intake';

type Server = ReturnType<typeof createTestServer>;

/** Cookies of one site, as a browser would keep them (name → value; an empty value deletes). */
export const cookieJar = () => {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    take: (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at);
        const value = pair.slice(at + 1);
        if (value && !/Max-Age=0/i.test(line)) jar.set(name, value);
        else jar.delete(name);
      }
    },
    get: (name: string) => jar.get(name),
  };
};

/**
 * A person signing in through the local provider without a browser: our start page sends them there, they
 * type their id number on its login page, and it sends them back to our callback with a code. Returns what the
 * browser would hold then: the callback's path and query, and our site's cookies (the sign-in's own).
 */
export const signInAtProvider = async (server: Server, citizenId: string, ours = cookieJar()) => {
  // Each person comes from an address of their own (the sign-in routes count attempts per address).
  const ip = `10.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
  const start = await server.app.request('/auth/eid/start', {
    headers: { cookie: ours.header(), 'x-forwarded-for': ip },
  });
  ours.take(start);
  let location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`start answered ${start.status}`);
  const theirs = cookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: theirs.header() },
    });
    theirs.take(res);
    return res;
  };
  const issuer = new URL(location).origin;
  const callback = new URL(server.env.PUBLIC_URL).origin;
  for (let hop = 0; hop < 10 && !location.startsWith(callback); hop++) {
    let res = await go(location);
    if (res.status === 200 && /\/interaction\//.test(location)) {
      res = await go(`${location}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ citizenId }).toString(),
      });
    }
    const next = res.headers.get('location');
    if (!next) throw new Error(`provider answered ${res.status} at ${location}`);
    location = new URL(next, issuer).href;
  }
  const back = new URL(location);
  return { callbackPath: `${back.pathname}${back.search}`, cookies: ours, ip };
};

/** Follows the provider's redirect back into our server: where it sends the browser, and its cookies. */
export const finishSignIn = async (
  server: Server,
  at: { callbackPath: string; cookies: ReturnType<typeof cookieJar>; ip: string },
) => {
  const { cookies } = at;
  const res = await server.app.request(at.callbackPath, {
    headers: { cookie: cookies.header(), 'x-forwarded-for': at.ip },
  });
  cookies.take(res);
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    setCookies: res.headers.getSetCookie(),
    cookies,
  };
};

/** A staff member's session cookie, as the desk's login page gets it. */
export const staffCookie = async (server: Server, username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const scannedPage = (label: string) => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="620" height="877"><rect width="100%" height="100%" fill="#f4f1ea"/><text x="60" y="120" font-size="26" font-family="DejaVu Sans">${label}</text><text x="60" y="180" font-size="18" font-family="DejaVu Sans">Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc</text></svg>`;
  return sharp(Buffer.from(svg)).greyscale().jpeg({ quality: 85 }).toBuffer();
};

/**
 * A dossier received for `citizenId` by the clerk `username` at their office; with `digitize`, its first
 * required component scanned (one page) and signed, so the person's document store holds a signed e-copy.
 */
export const receiveFor = async (
  server: Server,
  opts: { username: string; citizenId: string; procedureCode?: string; digitize?: boolean },
) => {
  const clerk = await server.callerAs(opts.username);
  const commune = (await clerk.catalog.communes())[0]!.code;
  const procedure = await clerk.catalog.procedure({ code: opts.procedureCode ?? '3.000333' });
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = opts.citizenId;
  const result = await clerk.intake.submit(input);
  if (!opts.digitize) return { dossierId: result.dossierId, code: result.code!, documentId: null };
  const component = procedure.components.find((c) => c.required)!;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await scannedPage(component.name))]), 'scan.jpg');
  const upload = await server.app.request(
    `/desk/dossiers/${result.dossierId}/components/${component.code}/pages`,
    {
      method: 'POST',
      body: form,
      headers: { cookie: await staffCookie(server, opts.username) },
    },
  );
  if (upload.status !== 201) throw new Error(`upload answered ${upload.status}`);
  await server.jobs.idle();
  const view = await clerk.digitize.dossier({ dossierId: result.dossierId });
  const documentId = view.components.find((c) => c.code === component.code)!.documentId!;
  await clerk.digitize.finishComponent({ documentId });
  return { dossierId: result.dossierId, code: result.code!, documentId };
};
