// When a crashed language server is restarted: a few times within a window, then never until the
// user restarts it by hand (a server that dies on start would otherwise loop forever).

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; true when the server should be started again. */
  crashed(): boolean {
    const time = this.now();
    this.crashes = this.crashes.filter((crash) => time - crash < this.windowMs);
    this.crashes.push(time);
    return this.crashes.length <= this.maxRestarts;
  }

  /** A restart by hand starts with a clean slate. */
  reset(): void {
    this.crashes = [];
  }
}
