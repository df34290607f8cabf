// A second Redis client in a process of its own that PINGs every couple of milliseconds, so the
// round trips it measures are the server's responsiveness to other clients, not the bench's own
// event loop (which is busy grouping keys). Raw RESP over a loopback socket: no client library.
import { spawn, type ChildProcess } from 'child_process';

const PROBE_SCRIPT = `
const net = require('net');
const [host, port, gapMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
let samples = [];
let recording = false;
let sentAt = 0n;
let buffered = '';
const socket = net.connect(port, host, () => {
  socket.setNoDelay(true);
  send();
});
function send() {
  sentAt = process.hrtime.bigint();
  socket.write('PING\\r\\n');
}
socket.on('data', (chunk) => {
  buffered += chunk;
  if (!buffered.includes('\\r\\n')) return;
  buffered = '';
  if (recording) samples.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
  setTimeout(send, gapMs);
});
socket.on('error', (error) => {
  process.send({ kind: 'error', message: String(error.message) });
  process.exit(1);
});
process.on('message', (message) => {
  if (message === 'start') { samples = []; recording = true; }
  else if (message === 'stop') { recording = false; process.send({ kind: 'samples', samples }); samples = []; }
  else if (message === 'exit') { socket.destroy(); process.exit(0); }
});
process.send({ kind: 'ready' });
`;

export interface PingStats {
  count: number;
  maxMs: number;
  p99Ms: number;
  medianMs: number;
}

export class PingProbe {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private pending: ((samples: number[]) => void) | undefined;
  private failure: Error | undefined;

  constructor(host: string, port: number, gapMs = 2) {
    this.child = spawn(process.execPath, ['-e', PROBE_SCRIPT, host, String(port), String(gapMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (message: { kind: string; samples?: number[]; message?: string }) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'samples') this.pending?.(message.samples ?? []);
        else if (message.kind === 'error') {
          this.failure = new Error(`PING probe: ${message.message}`);
          reject(this.failure);
        }
      });
      this.child.once('exit', (code) => reject(new Error(`PING probe exited (${code})`)));
    });
    // Awaited by start(); an exit before anyone started the probe must not be an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async start(): Promise<void> {
    await this.ready;
    this.child.send('start');
  }

  /** Stops recording and returns the round trips seen since start(). */
  async stop(): Promise<PingStats> {
    if (this.failure) throw this.failure;
    const samples = await new Promise<number[]>((resolve) => {
      this.pending = resolve;
      this.child.send('stop');
    });
    this.pending = undefined;
    return pingStats(samples);
  }

  close(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send('exit');
    setTimeout(() => this.child.exitCode === null && this.child.kill('SIGKILL'), 1000).unref();
  }
}

export function pingStats(samples: number[]): PingStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]);
  return { count: sorted.length, maxMs: sorted.length ? sorted[sorted.length - 1] : NaN, p99Ms: at(0.99), medianMs: at(0.5) };
}
