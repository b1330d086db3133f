import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A platform's queue and an agency's own requests are read newest first; these indexes let both
 * engines walk them in id order and stop after one page instead of sorting every row.
 */
export class QueueIndexes1763971200000 implements MigrationInterface {
  name = 'QueueIndexes1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('takedown_requests', new TableIndex({ name: 'IDX_takedown_requests_addressed_id', columnNames: ['addressedPartnerId', 'id'] }));
    await q.createIndex('takedown_requests', new TableIndex({ name: 'IDX_takedown_requests_originator_id', columnNames: ['originatorPartnerId', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('takedown_requests', 'IDX_takedown_requests_originator_id');
    await q.dropIndex('takedown_requests', 'IDX_takedown_requests_addressed_id');
  }
}
