import http from 'node:http';
import { AddressInfo } from 'node:net';
import { checkEndpointUrl, post, refusalOf, resolveTarget } from './transport';

const limits = { connectTimeoutMs: 1000, totalTimeoutMs: 500, maxResponseBytes: 1024, allowLoopback: true };

describe('SSRF rules', () => {
  it.each(['10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.251', '255.255.255.255', 'fe80::1', 'fd12::1', 'ff02::1', '::', '::ffff:10.0.0.1', '::ffff:169.254.169.254'])('refuses %s always', (address) => {
    expect(refusalOf(address, true)).not.toBeNull();
    expect(refusalOf(address, false)).not.toBeNull();
  });

  it.each(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])('refuses loopback %s in production only', (address) => {
    expect(refusalOf(address, false)).toMatch(/loopback/);
    expect(refusalOf(address, true)).toBeNull();
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])('allows the public address %s', (address) => {
    expect(refusalOf(address, false)).toBeNull();
  });

  it('checks a name after resolving it: localhost is refused in production, allowed in development', async () => {
    await expect(resolveTarget(new URL('https://localhost/hook'), false)).rejects.toThrow(/loopback/);
    await expect(resolveTarget(new URL('https://localhost/hook'), true)).resolves.toMatchObject({ family: expect.any(Number) });
  });

  it('allows http only to loopback in development, https otherwise', () => {
    expect(() => checkEndpointUrl('http://127.0.0.1:9/x', true)).not.toThrow();
    expect(() => checkEndpointUrl('http://127.0.0.1:9/x', false)).toThrow(/https/);
    expect(() => checkEndpointUrl('http://partner.example/x', true)).toThrow(/https/);
    expect(() => checkEndpointUrl('https://partner.example/x', false)).not.toThrow();
  });
});

describe('posting a delivery', () => {
  let server: http.Server;
  let url: URL;
  let answer: (res: http.ServerResponse) => void;
  beforeAll(async () => {
    server = http.createServer((req, res) => req.resume().on('end', () => answer(res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('stops reading an answer at the size cap', async () => {
    answer = (res) => res.writeHead(200).end('x'.repeat(1024 * 1024));
    expect(await post(url, '{}', {}, limits)).toEqual({ statusCode: 200, retryAfterMs: null, error: null });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    answer = () => undefined;
    const outcome = await post(url, '{}', {}, limits);
    expect(outcome).toMatchObject({ statusCode: null, error: 'no answer within 500 ms' });
  });

  it('reads Retry-After in seconds and as a date', async () => {
    answer = (res) => res.writeHead(429, { 'retry-after': '120' }).end();
    expect((await post(url, '{}', {}, limits)).retryAfterMs).toBe(120_000);
    answer = (res) => res.writeHead(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end();
    expect((await post(url, '{}', {}, limits)).retryAfterMs).toBeGreaterThan(3_500_000);
  });

  it('refuses a loopback receiver when loopback is not allowed, without connecting', async () => {
    let hits = 0;
    answer = (res) => {
      hits++;
      res.writeHead(204).end();
    };
    expect(await post(url, '{}', {}, { ...limits, allowLoopback: false })).toMatchObject({ statusCode: null, error: expect.stringMatching(/loopback/) });
    expect(hits).toBe(0);
  });
});
