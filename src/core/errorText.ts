/**
 * An error's message followed by those of its causes (`a: b: c`, at most four), for messages that
 * wrap a lower-level failure; anything thrown that is not an Error is shown as a string.
 */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e; c != null && parts.length < 4; c = (c as { cause?: unknown }).cause) {
    const text = c instanceof Error ? c.message : String(c);
    // A wrapper that already quotes its cause's message would otherwise repeat it.
    if (!parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.join(': ');
}
