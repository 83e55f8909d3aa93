import type { AlertSound } from '../../state/preferencesSlice';

/**
 * The alert sounds, made with the Web Audio API (no sound files to ship or fetch): a short tone for a
 * new message and two rising tones for a new buyer, so an agent hears which it is without looking.
 */
const TONES: Record<Exclude<AlertSound, 'off'>, { type: OscillatorType; hz: number; ms: number; gain: number }> = {
  ding: { type: 'sine', hz: 880, ms: 180, gain: 0.25 },
  bell: { type: 'triangle', hz: 660, ms: 420, gain: 0.3 },
  soft: { type: 'sine', hz: 523, ms: 260, gain: 0.12 },
};

/** One audio context for the page (browsers limit how many a page may open), made on the first alert. */
let context: { ctx: AudioContext; of: typeof AudioContext } | null = null;

function audio(): AudioContext | null {
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctor) return null;
  if (context?.of === Ctor) return context.ctx;
  try {
    context = { ctx: new Ctor(), of: Ctor };
  } catch {
    return null;
  }
  return context.ctx;
}

function tone(ctx: AudioContext, at: number, hz: number, spec: (typeof TONES)['ding']): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = spec.type;
  osc.frequency.value = hz;
  gain.gain.setValueAtTime(spec.gain, at);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + spec.ms / 1000);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + spec.ms / 1000);
}

/** Plays the agent's sound; a new buyer gets a second, higher tone. Returns whether anything played. */
export function playAlert(sound: AlertSound, kind: 'newBuyer' | 'newMessage'): boolean {
  if (sound === 'off') return false;
  const ctx = audio();
  if (!ctx) return false;
  // A page may only start audio after the user has interacted with it; resume() is a no-op once allowed.
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const spec = TONES[sound];
  const at = ctx.currentTime + 0.01;
  tone(ctx, at, spec.hz, spec);
  if (kind === 'newBuyer') tone(ctx, at + spec.ms / 1000 + 0.05, spec.hz * 1.5, spec);
  return true;
}
