/** One environment variable that failed validation. */
export interface ConfigProblem {
  variable: string;
  /** The value as found in the environment (credentials masked), or undefined when unset. */
  value: string | undefined;
  messages: string[];
}

/**
 * Thrown at start-up when the environment is invalid. The message lists every bad variable at once,
 * so that an operator fixes them in one go instead of one restart per mistake.
 */
export class ConfigValidationError extends Error {
  constructor(
    readonly schemaName: string,
    readonly problems: ConfigProblem[],
  ) {
    super(formatMessage(schemaName, problems));
    this.name = 'ConfigValidationError';
  }
}

function formatMessage(schemaName: string, problems: ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map(({ variable, value, messages }) => {
    const shown = value === undefined ? '(not set)' : JSON.stringify(value);
    return `  - ${variable}=${shown}: ${messages.join('; ')}`;
  });
  return [`Invalid environment for ${schemaName} (${count}):`, ...lines].join('\n');
}
