/** The variables a phrase may hold, and what fills each from the open conversation. */
export const PHRASE_VARIABLES = ['买家昵称', '订单号', '物流公司', '物流单号', '店铺名', '客服昵称'] as const;
export type PhraseVariable = (typeof PHRASE_VARIABLES)[number];
export type VariableValues = Partial<Record<PhraseVariable, string | null>>;

const PATTERN = /\{(买家昵称|订单号|物流公司|物流单号|店铺名|客服昵称)\}/g;

/**
 * Fills the known variables. One without a value stays as written (e.g. `{物流单号}`) and is
 * reported, so the desk can point the agent at it instead of sending a hole.
 */
export function fillVariables(text: string, values: VariableValues): { text: string; missing: PhraseVariable[] } {
  const missing = new Set<PhraseVariable>();
  const filled = text.replace(PATTERN, (whole, name: PhraseVariable) => {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing] };
}

/** Where the first unfilled variable sits, to select it for the agent. */
export function firstUnfilled(text: string): { start: number; end: number } | null {
  PATTERN.lastIndex = 0;
  const match = PATTERN.exec(text);
  PATTERN.lastIndex = 0;
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}
