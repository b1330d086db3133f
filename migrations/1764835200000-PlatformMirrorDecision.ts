import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { text } from './columns';

/** A platform's own decision on a mirror alert on its platform, beside the agency's review. */
export class PlatformMirrorDecision1764835200000 implements MigrationInterface {
  name = 'PlatformMirrorDecision1764835200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('mirror_alerts', [
      new TableColumn(text('platformDecision', 20, true)),
      new TableColumn(text('platformDecidedBySub', 200, true)),
      new TableColumn(text('platformDecisionNote', undefined, true)),
      new TableColumn(timestampColumn(engineOf(q.connection), 'platformDecidedAt', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['platformDecidedAt', 'platformDecisionNote', 'platformDecidedBySub', 'platformDecision']) await q.dropColumn('mirror_alerts', column);
  }
}
