import { ruleMatches } from '../../../shared/domain/automation/autoReply';
import type { AutomationRule } from '../../../shared/domain/automation/settings';

/** The rule that would answer `sample`, as the runner picks it: enabled, matching, highest priority, listed order on ties. */
export function ruleFor(rules: readonly AutomationRule[], sample: string): AutomationRule | null {
  if (!sample.trim()) return null;
  return (
    rules
      .map((r, index) => ({ r, index }))
      .filter(({ r }) => r.enabled && (r.reply.trim() || r.phraseId) && ruleMatches(r, sample))
      .sort((a, b) => b.r.priority - a.r.priority || a.index - b.index)[0]?.r ?? null
  );
}

/** "发货, 快递" → ['发货', '快递'] (commas of either width, blanks dropped). */
export function splitTriggers(text: string): string[] {
  return text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
