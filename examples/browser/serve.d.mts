/** Serves `dir` on 127.0.0.1 (`port` 0: any free port). */
export function serve(dir: string, port?: number): Promise<{ url: string; close(): Promise<void> }>;
