import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

const socketAddress = (c: Context) => {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
};

const plain = (address: string) => {
  const a = address.trim().replace(/^\[|\]$/g, '');
  return a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
};

/** An IPv6 client owns at least a /64, so limits count the /64 (one attacker, one budget). */
const limitKey = (address: string) => {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};

/**
 * The caller's address, for rate limits: with `trustedHops` reverse proxies in front of us, each of which
 * appends the address it received the request from to X-Forwarded-For, the client is the entry that many
 * hops from the right of [X-Forwarded-For…, socket peer]. Everything further left was written by the client
 * and is ignored. With 0 hops the socket peer is the client and X-Forwarded-For is never read.
 */
export const clientIp = (c: Context, trustedHops: number) => {
  const peer = plain(socketAddress(c));
  if (trustedHops <= 0) return limitKey(peer);
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map(plain)
    .filter((s) => s.length > 0);
  const chain = [...forwarded, peer];
  // Fewer entries than proxies: the request skipped a proxy; the left-most written by one is the best we know.
  const chosen = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  // A trusted proxy writes addresses; anything else there means a misconfigured chain: count the peer.
  return limitKey(isIP(chosen) ? chosen : peer);
};
