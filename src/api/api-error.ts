/** An error the API answers with Twilio's error body: `{code, message, more_info, status}`. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  details?: Record<string, unknown>;
}

export function toTwilioErrorBody(error: ApiError): TwilioErrorBody {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
    ...(error.details ? { details: error.details } : {}),
  };
}

export const notFound = (what: string): ApiError =>
  new ApiError(404, 20404, `The requested resource ${what} was not found`);
export const badRequest = (message: string, code = 20001): ApiError => new ApiError(400, code, message);
