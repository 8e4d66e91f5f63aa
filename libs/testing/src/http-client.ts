export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface EnvelopeBody<T = unknown> {
  code: number;
  msg: string;
  data: T;
  reason?: string;
  errors?: { field: string; reason: string }[];
  errorId?: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as it is (a FormData sets its own multipart content type). */
  rawBody?: string | Buffer | FormData;
  headers?: Record<string, string>;
  token?: string;
}

/** How a refusal reads: HTTP status, envelope code and the fields its errors name. */
export function refusalOf(
  answer: HttpAnswer<EnvelopeBody>,
): [number, number | undefined, string[] | undefined] {
  return [answer.status, answer.body?.code, answer.body?.errors?.map((e) => e.field)];
}

/** Sees every answer of a client and the clients made from it (a contract check, a recorder). */
export type AnswerObserver = (method: string, path: string, answer: HttpAnswer) => void;

/** A small fetch wrapper for e2e tests: real HTTP, JSON in and out, never throws on 4xx/5xx. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaults: Record<string, string> = {},
    private readonly observer?: AnswerObserver,
  ) {}

  withToken(token: string): HttpClient {
    return new HttpClient(
      this.baseUrl,
      { ...this.defaults, authorization: `Bearer ${token}` },
      this.observer,
    );
  }

  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient(this.baseUrl, { ...this.defaults, ...headers }, this.observer);
  }

  /** This client with `observer` told of every answer (also by the clients made from it). */
  observed(observer: AnswerObserver): HttpClient {
    return new HttpClient(this.baseUrl, this.defaults, observer);
  }

  async request<T = EnvelopeBody>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...this.defaults, ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | FormData | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const answer = { status: response.status, headers: response.headers, body: parsed as T, text };
    this.observer?.(method, path, answer);
    return answer;
  }

  get<T = EnvelopeBody>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = EnvelopeBody>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = EnvelopeBody>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = EnvelopeBody>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = EnvelopeBody>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}
