import { charCount } from './phraseRules';

/** The longest reply an agent may send, in characters as a person counts them (an emoji is one). */
export const REPLY_MAX_CHARS = 5000;

/** From here on the reply box shows how much room is left (the last tenth). */
export const REPLY_COUNTER_FROM = REPLY_MAX_CHARS - REPLY_MAX_CHARS / 10;

/** A reply's length as the limit counts it: the composer and the contract measure with this one function. */
export const replyLength = (text: string): number => charCount(text);
