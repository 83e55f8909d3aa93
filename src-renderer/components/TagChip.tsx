import type { Tag } from '../../shared/domain/types';

const SAFE_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A customer tag as a coloured chip. The colour is checked, not trusted, before it reaches a style. */
export function TagChip({ tag }: { tag: Tag }) {
  const color = SAFE_COLOR.test(tag.color) ? tag.color : '#8c8c8c';
  return (
    <span className="tag-chip" style={{ color, borderColor: color }}>
      {tag.name}
    </span>
  );
}
