import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  payload: any;
}

/**
 * A partner's receiving HTTP server on 127.0.0.1. `answer` decides each response; `down()` closes
 * the port (connections are refused) and `up()` opens the same port again.
 */
export class Receiver {
  readonly received: Received[] = [];
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.writeHead(204).end();
  private server = this.create();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/pax-hook`;
  }

  private create(): http.Server {
    return http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        this.received.push({ headers: req.headers, body, payload: JSON.parse(body) });
        this.answer(req, res);
      });
    });
  }

  async up(): Promise<this> {
    this.server = this.create();
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async down(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Payloads of one event type about one object. */
  about(objectId: string, type = 'TAKEDOWN_STATUS_CHANGED'): any[] {
    return this.received.map((r) => r.payload).filter((p) => p.type === type && p.object.id === objectId);
  }
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
