import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net, { LookupFunction } from 'node:net';

export interface TransportLimits {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  /** Bytes of a receiver's answer that are read; the rest is dropped. */
  maxResponseBytes: number;
  /** Development and tests: http, and loopback addresses, are allowed. */
  allowLoopback: boolean;
}

export interface SendOutcome {
  /** Null when no answer came (refused target, DNS, connect, timeout). */
  statusCode: number | null;
  retryAfterMs: number | null;
  error: string | null;
}

/** A URL or address that webhooks may never reach; not worth retrying until the endpoint changes. */
export class RefusedTarget extends Error {}

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach private IPv4
] as const) blocked.addSubnet(network, prefix, 'ipv6');
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Why an address may not be delivered to, or null when it may. */
export function refusalOf(address: string, allowLoopback: boolean): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = net.isIPv4(ip) ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, family)) return allowLoopback ? null : `${address} is a loopback address`;
  if (blocked.check(ip, family)) return `${address} is a private, link-local, multicast or reserved address`;
  return null;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The endpoint URL as registered: https, or in development also http to a loopback host. */
export function checkEndpointUrl(raw: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTarget(`"${raw}" is not an absolute URL`);
  }
  if (url.username || url.password) throw new RefusedTarget('put no credentials in the URL; verify the signature instead');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowLoopback && LOOPBACK_NAMES.has(url.hostname)) return url;
  throw new RefusedTarget(allowLoopback ? 'use an https URL (http only to localhost in development)' : 'use an https URL');
}

/**
 * Resolves the host once, refuses it if any address is not public, and returns that address, so the
 * connection goes to what was checked and a DNS answer that changes meanwhile cannot redirect it.
 */
export async function resolveTarget(url: URL, allowLoopback: boolean): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true, verbatim: true });
  if (!addresses.length) throw new RefusedTarget(`${host} has no address`);
  for (const { address } of addresses) {
    const refusal = refusalOf(address, allowLoopback);
    if (refusal) throw new RefusedTarget(`${host}: ${refusal}`);
  }
  return addresses[0];
}

function retryAfterMs(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** POSTs one delivery. Redirects are answers like any other (not followed); every failure is an outcome. */
export async function post(url: URL, body: string, headers: Record<string, string>, limits: TransportLimits): Promise<SendOutcome> {
  let target: { address: string; family: number };
  try {
    target = await resolveTarget(url, limits.allowLoopback);
  } catch (error) {
    return { statusCode: null, retryAfterMs: null, error: (error as Error).message };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connecting);
      resolve(outcome);
    };
    const request = client.request(
      url,
      { method: 'POST', lookup: pinned, agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let read = 0;
        const outcome = { statusCode: response.statusCode ?? null, retryAfterMs: retryAfterMs(response.headers['retry-after'] as string | undefined, Date.now()), error: null };
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > limits.maxResponseBytes) {
            response.destroy();
            finish(outcome);
          }
        });
        response.on('end', () => finish(outcome));
        response.on('error', () => finish(outcome));
        response.on('close', () => finish(outcome));
      },
    );
    const connecting = setTimeout(() => request.destroy(new Error(`no connection within ${limits.connectTimeoutMs} ms`)), limits.connectTimeoutMs);
    const total = setTimeout(() => request.destroy(new Error(`no answer within ${limits.totalTimeoutMs} ms`)), limits.totalTimeoutMs);
    request.on('socket', (socket) => socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connecting)));
    request.on('error', (error) => finish({ statusCode: null, retryAfterMs: null, error: error.message.slice(0, 500) }));
    request.end(body);
  });
}
