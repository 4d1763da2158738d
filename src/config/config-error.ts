// Thrown once by parseConfig with every problem found, so an operator fixes the environment in one pass instead of
// one restart per mistake. Problems name the variable, never its value (values can hold credentials, e.g. REDIS_URL).
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}`);
    this.problems = Object.freeze([...problems]);
  }
}
