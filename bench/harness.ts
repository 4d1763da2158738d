import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

// Child processes that print JSON lines, and autocannon runs against the gateway.

/**
 * The prefix of a child's answers on stdout. The gateway's own logs go to stdout too (pino, a warning under load):
 * read as an answer, one log line shifted every later answer by one (the CPU and FHIR columns printed NaN).
 */
const ANSWER = '@bench ';
const RSS = '@rss ';

/** Writes one answer of a child process (see ANSWER). */
export const answer = (value: unknown): void => void process.stdout.write(`${ANSWER}${JSON.stringify(value)}\n`);
/** Writes one RSS sample of a child process. */
export const rssSample = (): void => void process.stdout.write(`${RSS}${process.memoryUsage().rss}\n`);

export class Child {
  peakRss = 0;
  /** The latest RSS sample (the child samples every 500 ms). */
  lastRss = 0;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private exited = false;

  private constructor(private readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (raw) => {
      if (raw.startsWith(RSS)) {
        this.lastRss = Number(raw.slice(RSS.length));
        this.peakRss = Math.max(this.peakRss, this.lastRss);
        return;
      }
      // Anything else the child prints (its logs) is shown, never taken for an answer.
      if (!raw.startsWith(ANSWER)) {
        process.stderr.write(`${raw}\n`);
        return;
      }
      const line = raw.slice(ANSWER.length);
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    proc.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    proc.once('exit', (code) => {
      this.exited = true;
      // A child that dies before answering must not leave the benchmark waiting forever.
      if (this.waiting) this.waiting(JSON.stringify({ exited: code }));
    });
  }

  static async start(script: string, args: string[], env: Record<string, string> = {}): Promise<Child> {
    const proc = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--import',
        'tsx',
        script,
        ...args,
      ],
      { env: { ...process.env, NODE_ENV: 'production-bench', ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new Child(proc);
  }

  nextJson(): Promise<unknown> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line));
    if (this.exited) return Promise.reject(new Error('child process exited'));
    return new Promise((resolve, reject) => {
      this.waiting = (l) => {
        const v = JSON.parse(l) as { exited?: number };
        if ('exited' in v) reject(new Error(`child process exited with ${v.exited}`));
        else resolve(v);
      };
    });
  }

  send(text: string): void {
    this.proc.stdin!.write(`${text}\n`);
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
      setTimeout(() => this.proc.kill('SIGKILL'), 3_000).unref();
    });
  }
}

export interface Measured {
  /** Requests completed in the run. */
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly bodies?: string[];
}

/** `amount`: stop after this many requests instead of after `seconds`. */
export async function hammer(
  url: string, token: string, body: string, seconds: number, keepBodies = false, connections = 10, amount?: number,
): Promise<Measured> {
  const bodies: string[] = [];
  const result = await autocannon({
    url,
    connections,
    ...(amount === undefined ? { duration: seconds } : { amount }),
    // autocannon stops only at a sample tick: sample every 100 ms so a short run lasts what it was asked to.
    sampleInt: 100,
    idReplacement: true,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        ...(keepBodies ? { onResponse: (_status: number, b: string) => void bodies.push(b) } : {}),
      },
    ],
  });
  return {
    // Requests per sample would depend on the sample interval: count completed requests over the run's length.
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    ...(keepBodies ? { bodies } : {}),
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
