import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { text } from './columns';

/** The requesting agency's answer to a review flag: who settled it, when, and why the request stands or goes. */
export class ReviewFlagAcknowledgement1765180800000 implements MigrationInterface {
  name = 'ReviewFlagAcknowledgement1765180800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('takedown_review_flags', [
      new TableColumn(timestampColumn(engineOf(q.connection), 'acknowledgedAt', true)),
      new TableColumn(text('acknowledgedBySub', 200, true)),
      new TableColumn(text('acknowledgementNote', undefined, true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['acknowledgementNote', 'acknowledgedBySub', 'acknowledgedAt']) await q.dropColumn('takedown_review_flags', column);
  }
}
