import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { integer, ref, text } from './columns';

/** The signal feed's change log and its compaction floor. */
export class SignalFeed1764748800000 implements MigrationInterface {
  name = 'SignalFeed1764748800000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.createTable(new Table({
      name: 'signal_changes',
      columns: [
        { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        ref('entryId'), ref('accountId'), text('op', 16), text('payload', undefined, true), timestampColumn(engine, 'createdAt'),
      ],
      indices: [{ columnNames: ['accountId', 'seq'] }, { columnNames: ['entryId'] }],
    }));
    await q.createTable(new Table({ name: 'signal_feed', columns: [{ ...text('id', 16), isPrimary: true }, integer('floor')] }));
    await q.query(`INSERT INTO signal_feed (id, floor) VALUES ('feed', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('signal_feed');
    await q.dropTable('signal_changes');
  }
}
