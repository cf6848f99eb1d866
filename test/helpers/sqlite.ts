import Database from 'better-sqlite3';

/** Runs SQL straight through the driver, past grif's register (the SQLite twin of postgres.ts's runSql). */
export function runSqliteSql(path: string, sql: string): Promise<void> {
  const db = new Database(path);
  try {
    db.exec(sql);
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  } finally {
    db.close();
  }
}
