/** The fields of a phrase row, and the header names seen in the field for each (Chinese and English). */
export type Field = 'group' | 'code' | 'title' | 'content' | 'scope';

const ALIASES: Record<Field, readonly string[]> = {
  group: ['分组', '快捷短语分组', '短语分组', '分组名称', 'group', 'category'],
  code: ['快捷编码', '编码', '快捷键', 'code', 'shortcut', 'shortcut code'],
  title: ['标题', '短语标题', 'title', 'name'],
  content: ['快捷短语', '短语内容', '内容', '回复内容', 'content', 'text', 'reply', 'phrase'],
  scope: ['是否加入团队', '范围', '类型', 'scope', 'team'],
};

const normalise = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

const LOOKUP = new Map<string, Field>();
for (const [field, names] of Object.entries(ALIASES) as [Field, readonly string[]][])
  for (const n of names) LOOKUP.set(normalise(n), field);

export function fieldOf(header: string): Field | undefined {
  return LOOKUP.get(normalise(header));
}

export type HeaderMap = { columns: Map<number, Field>; unknown: string[]; seen: string[] };

/** Maps a header row's cells to fields; the first column wins when two name the same field. */
export function mapHeader(cells: string[]): HeaderMap {
  const columns = new Map<number, Field>();
  const taken = new Set<Field>();
  const unknown: string[] = [];
  const seen: string[] = [];
  cells.forEach((cell, i) => {
    const name = cell.replace(/^\uFEFF/, '').trim();
    if (!name) return;
    seen.push(name);
    const field = fieldOf(name);
    if (field && !taken.has(field)) {
      columns.set(i, field);
      taken.add(field);
    } else unknown.push(name);
  });
  return { columns, unknown, seen };
}

/** The header is the first of the first rows that names a content column (a title line may sit above it). */
export function findHeader(rows: string[][], lookAhead = 10): number {
  for (let i = 0; i < Math.min(rows.length, lookAhead); i++) {
    if ((rows[i] ?? []).some((c) => fieldOf(c) === 'content')) return i;
  }
  return -1;
}

/** 是 / 否 and their English and numeric spellings; undefined when blank or unknown. */
export function scopeOf(value: string): 'team' | 'personal' | undefined | 'unknown' {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (['是', 'team', '团队', 'yes', 'y', 'true', '1'].includes(v)) return 'team';
  if (['否', 'personal', '个人', 'no', 'n', 'false', '0'].includes(v)) return 'personal';
  return 'unknown';
}
