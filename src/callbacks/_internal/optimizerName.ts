/** What to show of an optimizer in messages: its class name when it has one (instanceof is unreliable across tfjs copies). */
export function optimizerName(optimizer: unknown): unknown {
  const o = optimizer as { getClassName?: () => string } | null | undefined;
  return typeof o?.getClassName === 'function' ? o.getClassName() : optimizer;
}
