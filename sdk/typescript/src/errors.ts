/** Errors by GraphQL `extensions.code`, so callers can catch what they can handle. */

export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** Base of every error the client throws; `code` is the server's `extensions.code`. */
export class PaliAPIError extends Error {
  readonly code: string;
  readonly extensions: Record<string, unknown>;
  readonly path?: ReadonlyArray<string | number>;

  constructor(message: string, code: string, extensions: Record<string, unknown> = {}, path?: ReadonlyArray<string | number>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.extensions = extensions;
    this.path = path;
  }
}

export class UnauthenticatedError extends PaliAPIError {}
export class ForbiddenError extends PaliAPIError {}
export class NotFoundError extends PaliAPIError {}
export class BadUserInputError extends PaliAPIError {}
export class ConflictError extends PaliAPIError {}
export class UnsupportedMediaTypeError extends PaliAPIError {}
export class PayloadTooLargeError extends PaliAPIError {}
export class QueryTooComplexError extends PaliAPIError {}
export class EmbeddingsUnavailableError extends PaliAPIError {}
export class InternalServerError extends PaliAPIError {}
/** The server could not be reached, or answered something that is not GraphQL. */
export class ConnectionError extends PaliAPIError {}

/** Too many requests; wait `retryAfter` seconds. */
export class RateLimitedError extends PaliAPIError {
  get retryAfter(): number | undefined {
    const value = this.extensions.retryAfter;
    return typeof value === "number" ? value : undefined;
  }
}

const BY_CODE: Record<string, new (...args: ConstructorParameters<typeof PaliAPIError>) => PaliAPIError> = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  BAD_USER_INPUT: BadUserInputError,
  CONFLICT: ConflictError,
  UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaTypeError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  QUERY_TOO_COMPLEX: QueryTooComplexError,
  RATE_LIMITED: RateLimitedError,
  EMBEDDINGS_UNAVAILABLE: EmbeddingsUnavailableError,
  INTERNAL_SERVER_ERROR: InternalServerError,
};

/** The typed error for one entry of a GraphQL response's `errors`. */
export function errorFromBody(error: GraphQLErrorBody): PaliAPIError {
  const extensions = error.extensions ?? {};
  const code = typeof extensions.code === "string" ? extensions.code : "INTERNAL_SERVER_ERROR";
  const Kind = BY_CODE[code] ?? PaliAPIError;
  return new Kind(error.message, code, extensions, error.path);
}
