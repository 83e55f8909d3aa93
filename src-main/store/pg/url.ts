/** Whether a `--database` value names PostgreSQL (anything else is refused: SQLite is the data folder's file). */
export function isPostgresUrl(value: string | undefined): value is string {
  return typeof value === 'string' && /^postgres(ql)?:\/\/\S+$/i.test(value);
}
