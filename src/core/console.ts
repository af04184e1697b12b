/**
 * Keras' line discipline: a progress bar is redrawn in place with `\r` and no newline, so any other
 * message printed while it is live would be glued to it. The bar marks its stream open while a
 * line is unfinished; messages printed through {@link printLine} and {@link printWarning} then
 * start on a new line first, as Keras' callbacks do.
 */
interface Writable {
  write(text: string): unknown;
}

// Terminal streams holding a live line (a bar ends its line at every epoch end, so this stays tiny).
const open = new Set<Writable>();

/** Marks `stream` (a terminal) as holding an unfinished line (true) or not (false). */
export function markOpenLine(stream: Writable, unfinished: boolean): void {
  if (unfinished) open.add(stream);
  else open.delete(stream);
}

function finishOpenLines(): void {
  for (const stream of open) stream.write('\n');
  open.clear();
}

/** `console.log`, after ending a live progress bar's line: the default `log` of every callback. */
export function printLine(line: string): void {
  finishOpenLines();
  console.log(line);
}

/** `console.warn`, after ending a live progress bar's line (stderr shares the terminal). */
export function printWarning(message: string): void {
  finishOpenLines();
  console.warn(message);
}
