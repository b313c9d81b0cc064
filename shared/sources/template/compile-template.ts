import type jsonata from 'jsonata';
import type { TemplateSourceOptions } from '../../config/source-options';
import type { Jsonata } from '../source-engines';

/**
 * Compiles a template party's JSONata expressions once, at start-up. Evaluation is bounded: JSONata
 * checks the time and the nesting depth at every step (its `timeout`/`stack` guardrails), so a
 * runaway expression fails with an error instead of holding the function.
 */

export type TemplateLimits = {
  /** Wall-clock budget of one expression evaluation. */
  timeoutMs: number;
  /** Deepest evaluation nesting (recursion) allowed. */
  maxDepth: number;
  /** Longest sequence (e.g. a range) an expression may build. */
  maxSequence: number;
};

export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = {
  timeoutMs: 1_000,
  maxDepth: 500,
  maxSequence: 100_000,
};

export const TEMPLATE_EXPRESSIONS = ['eventId', 'event', 'filter', 'payload'] as const;
export type TemplateExpressionName = (typeof TEMPLATE_EXPRESSIONS)[number];

export type CompiledTemplate = {
  readonly expressions: Readonly<Partial<Record<TemplateExpressionName, jsonata.Expression>>> & {
    readonly payload: jsonata.Expression;
  };
};

/**
 * Template options that are not valid JSONata expressions: `problems` has one line per option
 * (`options.filter is not a valid JSONata expression: Expected "]" …`); `option` names the first.
 */
export class TemplateCompileError extends Error {
  override readonly name = 'TemplateCompileError';
  readonly problems: readonly string[];
  constructor(
    readonly option: TemplateExpressionName,
    message: string,
    options?: ErrorOptions & { problems?: readonly string[] },
  ) {
    super(message, options);
    this.problems = options?.problems ?? [message];
  }
}

/** Throws one TemplateCompileError naming every option that does not compile. */
export function compileTemplate(
  jsonata: Jsonata,
  options: TemplateSourceOptions,
  limits: TemplateLimits = DEFAULT_TEMPLATE_LIMITS,
): CompiledTemplate {
  const failures: { option: TemplateExpressionName; message: string; cause: unknown }[] = [];
  const expressions: Partial<Record<TemplateExpressionName, jsonata.Expression>> = {};
  for (const option of TEMPLATE_EXPRESSIONS) {
    const source = options[option];
    if (source === undefined) continue;
    try {
      expressions[option] = jsonata(source, {
        timeout: limits.timeoutMs,
        stack: limits.maxDepth,
        sequence: limits.maxSequence,
      });
    } catch (error) {
      failures.push({
        option,
        // The expression is configuration, not a request: JSONata's expected token is kept as it is.
        message: `options.${option} is not a valid JSONata expression: ${describeJsonataError(error, { quoteValues: true })}`,
        cause: error,
      });
    }
  }
  const [first] = failures;
  if (first) {
    const problems = failures.map((failure) => failure.message);
    throw new TemplateCompileError(first.option, problems.join('\n'), { cause: first.cause, problems });
  }
  const { payload } = expressions;
  if (payload === undefined) throw new TemplateCompileError('payload', 'options.payload is required');
  return { expressions: { ...expressions, payload } };
}

/** JSONata throws plain objects `{ code, position, token, message, value }`. */
export type JsonataFailure = { code?: unknown; position?: unknown; message?: unknown; value?: unknown };

/**
 * "<message> (code S0202 at position 12)". Values JSONata quotes from the input are replaced by "…",
 * so a message never carries part of a request body; `quoteValues` keeps them for errors about the
 * expression itself (compile errors: `Expected "]"`).
 */
export function describeJsonataError(error: unknown, options: { quoteValues?: boolean } = {}): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const failure = error as JsonataFailure;
  let message =
    typeof failure.message === 'string' && failure.message !== '' ? failure.message : 'unknown error';
  const { value } = failure;
  if (
    !options.quoteValues &&
    value !== undefined &&
    typeof value !== 'number' &&
    typeof value !== 'boolean'
  ) {
    for (const quoted of [JSON.stringify(value), String(value)]) {
      if (quoted && quoted.length > 0) message = message.split(quoted).join('…');
    }
  }
  const where = [
    typeof failure.code === 'string' ? `code ${failure.code}` : undefined,
    typeof failure.position === 'number' ? `at position ${failure.position}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return where === '' ? message : `${message} (${where})`;
}
