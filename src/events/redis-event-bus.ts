import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { EventBus, PaxTopics } from './event-bus';

export interface RedisEventBus {
  bus: EventBus;
  /** A connection for ordinary commands (the publisher's), e.g. rate-limit counters shared by the instances. */
  client: Redis;
  /** Both connections are up and answer PING. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Events through Redis pub/sub, so a subscriber on any instance hears a change made on any other.
 * ioredis reconnects by itself; while Redis is away, publishing fails and is logged (the change is
 * committed and in the history; only the live push is lost), and subscriptions resume on reconnect.
 */
const redactedUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

export function createRedisEventBus(url: string, log: Logger): RedisEventBus {
  const options = { maxRetriesPerRequest: 1, connectTimeout: 2000 };
  const publisher = new Redis(url, { ...options, connectionName: 'pax-publish' });
  // No INFO ready check on the subscriber: a SUBSCRIBE queued before the connection is up (the
  // mirror index subscribes at start-up) would put it in subscriber mode and fail the check.
  const subscriber = new Redis(url, { ...options, connectionName: 'pax-subscribe', enableReadyCheck: false });
  let closing = false;
  for (const [name, client] of [['publish', publisher], ['subscribe', subscriber]] as const) {
    let down = false;
    const lost = (error?: Error) => {
      if (!down && !closing) log.error({ err: error, redis: name, url: redactedUrl(url) }, 'Redis is unreachable; live events are not delivered until it is back');
      down = true;
    };
    client.on('error', lost);
    client.on('close', () => lost());
    client.on('ready', () => {
      if (down) log.info({ redis: name }, 'Redis is back');
      down = false;
    });
  }
  const failed = (what: string) => (error: Error) => log.error({ err: error }, `Redis ${what} failed`);
  // The event target fires publish/subscribe without awaiting them; catching here keeps an outage
  // from becoming an unhandled rejection.
  const eventTarget = createRedisEventTarget({
    publishClient: { publish: (channel: string, message: string) => publisher.publish(channel, message).catch(failed('publish')) } as never,
    subscribeClient: {
      on: (event: string, listener: (...args: unknown[]) => void) => subscriber.on(event, listener),
      subscribe: (topic: string) => subscriber.subscribe(topic).catch(failed('subscribe')),
      unsubscribe: (topic: string) => subscriber.unsubscribe(topic).catch(failed('unsubscribe')),
    } as never,
  });
  return {
    bus: createPubSub<PaxTopics>({ eventTarget }),
    client: publisher,
    async isReady() {
      if (publisher.status !== 'ready' || subscriber.status !== 'ready') return false;
      return (await publisher.ping().catch(() => null)) === 'PONG';
    },
    async close() {
      closing = true;
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
