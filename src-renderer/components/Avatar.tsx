/** A round initial for someone without a picture. The nick is buyer text: rendered as text only. */
export function Avatar({ name, size = 36 }: { name: string; size?: number }) {
  const initial = Array.from(name.trim())[0] ?? '?';
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, lineHeight: `${size}px`, background: `hsl(${hue} 55% 52%)` }}
    >
      {initial}
    </span>
  );
}
