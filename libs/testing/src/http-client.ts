import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

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

/** A small HTTP client for e2e tests: real HTTP, JSON in and out, never throws on 4xx/5xx. */
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
    const url = `${this.baseUrl}${path}`;
    // fetch for multipart bodies, which it encodes; node:http for the rest, at a fraction of fetch's client CPU
    const response =
      body instanceof FormData
        ? await fetched(url, method, headers, body)
        : await sent(url, method, headers, body);
    const text = response.text;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const answer: HttpAnswer<T> = {
      status: response.status,
      get headers() {
        return response.headers;
      },
      body: parsed as T,
      text,
    };
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

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Its `Headers` are built when first read: most answers are never asked, and building them costs more than the request. */
class NodeAnswer implements RawAnswer {
  private built?: Headers;
  constructor(
    readonly status: number,
    private readonly rawHeaders: string[],
    readonly text: string,
  ) {}

  get headers(): Headers {
    if (!this.built) {
      this.built = new Headers();
      for (let i = 0; i < this.rawHeaders.length; i += 2)
        this.built.append(this.rawHeaders[i], this.rawHeaders[i + 1]);
    }
    return this.built;
  }
}

async function fetched(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: FormData,
): Promise<RawAnswer> {
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * One request through node:http(s) with its keep-alive agent, answered as fetch would be: the body decoded
 * as UTF-8 without a leading byte order mark (fetch's `text()`), every header in a `Headers`.
 */
function sent(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    // what fetch sends unless told otherwise (the gateway records the agent of a session)
    const all: Record<string, string> = { accept: '*/*', 'user-agent': 'node', ...lowerCased(headers) };
    // as fetch frames it: without a length, node:http sends a DELETE's body unframed (the server reads none)
    if (body !== undefined && !all['transfer-encoding'])
      all['content-length'] ??= String(Buffer.byteLength(body));
    const req = send(url, { method, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(
          new NodeAnswer(
            res.statusCode ?? 0,
            res.rawHeaders,
            text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
          ),
        );
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
