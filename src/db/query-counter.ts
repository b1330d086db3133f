import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';

/** A TypeORM logger that counts the SQL statements it sees; for tests and benchmarks. */
export class QueryCounter extends AbstractLogger {
  count = 0;

  logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.count++;
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[] | string | number): void {}

  /** Statements run by `work`. */
  async measure(work: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await work();
    return this.count - before;
  }
}
