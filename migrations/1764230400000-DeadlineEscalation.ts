import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';

/** Deadline escalation: which deadline each notice was sent for, and an index to find them. */
export class DeadlineEscalation1764230400000 implements MigrationInterface {
  name = 'DeadlineEscalation1764230400000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.addColumns(
      'takedown_requests',
      ['deadlineWarning50For', 'deadlineWarning90For', 'overdueNoticeFor'].map((name) => new TableColumn(timestampColumn(engine, name, true))),
    );
    await q.createIndex('takedown_requests', new TableIndex({ name: 'IDX_takedown_requests_status_deadline', columnNames: ['status', 'deadlineAt'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('takedown_requests', 'IDX_takedown_requests_status_deadline');
    for (const column of ['overdueNoticeFor', 'deadlineWarning90For', 'deadlineWarning50For']) await q.dropColumn('takedown_requests', column);
  }
}
