import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { fk, id, integer, ref, text } from './columns';

/** Webhook endpoints, the transactional outbox and the deliveries made from it. */
export class Webhooks1764489600000 implements MigrationInterface {
  name = 'Webhooks1764489600000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.createTable(new Table({
      name: 'webhook_endpoints',
      columns: [
        id(), ref('partnerId'), text('url', 2048), text('eventTypes'), text('filter', undefined, true), text('status', 16), text('secret'),
        text('previousSecret', undefined, true), timestampColumn(engine, 'previousSecretUntil', true), timestampColumn(engine, 'failingSince', true),
        text('createdBySub', 200), timestampColumn(engine, 'createdAt'), timestampColumn(engine, 'updatedAt'),
      ],
      foreignKeys: [fk('partnerId', 'partners')],
      indices: [{ columnNames: ['partnerId'] }],
    }));
    await q.createTable(new Table({
      name: 'webhook_events',
      columns: [
        id(), text('topic', 40), text('body'), ref('objectId'), integer('objectVersion'), text('platform', 16, true),
        { name: 'fannedOut', type: 'boolean' }, timestampColumn(engine, 'createdAt'),
      ],
      indices: [{ columnNames: ['fannedOut', 'createdAt'] }],
    }));
    await q.createTable(new Table({
      name: 'webhook_deliveries',
      columns: [
        id(), ref('eventId'), ref('endpointId'), text('eventType', 40), ref('objectId'), integer('objectVersion'), text('status', 16), integer('attempts'),
        timestampColumn(engine, 'nextAttemptAt'), timestampColumn(engine, 'retryingSince'), timestampColumn(engine, 'leaseUntil', true),
        timestampColumn(engine, 'lastAttemptAt', true), integer('lastStatusCode', true), text('lastError', 500, true), timestampColumn(engine, 'deliveredAt', true),
        timestampColumn(engine, 'createdAt'),
      ],
      foreignKeys: [fk('eventId', 'webhook_events'), fk('endpointId', 'webhook_endpoints', 'CASCADE')],
      indices: [{ columnNames: ['status', 'nextAttemptAt'] }, { columnNames: ['endpointId', 'status', 'createdAt'] }, { columnNames: ['eventId', 'endpointId'], isUnique: true }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_deliveries');
    await q.dropTable('webhook_events');
    await q.dropTable('webhook_endpoints');
  }
}
