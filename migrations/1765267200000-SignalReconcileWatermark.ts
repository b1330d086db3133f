import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { integer } from './columns';

/**
 * How far the feed has been reconciled with the status history, so that a start reads only the
 * removals and reinstatements since, through an index, instead of every removed account; and the
 * scheme its entries' keys were computed with, so that a start after the engine changed re-keys them.
 */
export class SignalReconcileWatermark1765267200000 implements MigrationInterface {
  name = 'SignalReconcileWatermark1765267200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('signal_feed', new TableColumn(timestampColumn(engineOf(q.connection), 'reconciledThrough', true)));
    await q.addColumn('signal_feed', new TableColumn(integer('keyScheme', true)));
    await q.createIndex('takedown_status_history', new TableIndex({ name: 'IDX_takedown_status_history_status_at', columnNames: ['toStatus', 'at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('takedown_status_history', 'IDX_takedown_status_history_status_at');
    await q.dropColumn('signal_feed', 'keyScheme');
    await q.dropColumn('signal_feed', 'reconciledThrough');
  }
}
