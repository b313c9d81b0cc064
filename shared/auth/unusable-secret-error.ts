/** A configured secret cannot be used to sign with its scheme. The message never quotes the secret. */
export class UnusableSecretError extends Error {
  override readonly name = 'UnusableSecretError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
