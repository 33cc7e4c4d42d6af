import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Where ajv keeps the document; its own `#/components/...` references resolve against it. */
const DOCUMENT_URI = 'https://comms-credits.invalid/api/openapi.json';

/** An answer as it came over HTTP. */
export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

type Json = Record<string, any>;

/** A JSON pointer into the document, as a URI fragment. */
export const pointer = (...segments: Array<string | number>) =>
  `#/${segments.map((s) => encodeURIComponent(String(s).replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;

function errorText(error: ErrorObject): string {
  const where = error.instancePath || '(body)';
  const detail = 'additionalProperty' in error.params ? `: ${error.params.additionalProperty}` : '';
  return `${where} ${error.message}${detail}`;
}

/**
 * The served OpenAPI document with a JSON Schema 2020-12 validator (ajv, strict): checks real
 * answers, and request bodies, against the schema the document gives for their path, method,
 * status and media type.
 */
export class ApiContract {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {
    addFormats.default(this.ajv);
    // The document is not itself a schema: its top-level fields are declared as annotations, so
    // ajv holds it in strict mode and every reference into it (and within it) resolves.
    for (const field of Object.keys(document)) this.ajv.addKeyword({ keyword: field });
    this.ajv.addSchema(document, DOCUMENT_URI);
  }

  /** The document as the app serves it, asked for over HTTP without a key. */
  static async load(base: string): Promise<ApiContract> {
    const response = await fetch(`${base}/api/openapi.json`);
    if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
    return new ApiContract((await response.json()) as Json);
  }

  /** The schema at `location` (a pointer into the document), compiled once. Throws when ajv cannot compile it. */
  schemaAt(location: string): ValidateFunction {
    let validate = this.compiled.get(location);
    if (!validate) {
      validate = this.ajv.compile({ $ref: DOCUMENT_URI + location });
      this.compiled.set(location, validate);
    }
    return validate;
  }

  /** The document's path template a request path matches (`{name}` stands for one segment). */
  pathOf(url: string): string | null {
    const segments = new URL(url, 'http://x').pathname.split('/');
    const matches = (template: string) => {
      const parts = template.split('/');
      return parts.length === segments.length && parts.every((part, i) => /^\{[^}]+\}$/.test(part) || part === segments[i]);
    };
    const paths = Object.keys(this.document.paths);
    // A literal path wins over a template that also matches it.
    return paths.find((p) => p === segments.join('/')) ?? paths.find(matches) ?? null;
  }

  /** What is wrong with an answer to `method url` by the document; empty when it is one the document describes. */
  answerProblems(method: string, url: string, answer: HttpAnswer): string[] {
    const found = this.operation(method, url);
    if (typeof found === 'string') return [found];
    const { path, verb, operation } = found;
    const described = operation.responses[String(answer.status)];
    if (!described) return [`${verb.toUpperCase()} ${path} does not describe status ${answer.status}`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries<Json>(described.headers ?? {})) {
      const resolved = header.$ref ? this.resolve(header.$ref) : header;
      if (resolved.required && answer.headers[name.toLowerCase()] === undefined) problems.push(`header ${name} is missing`);
    }
    const mediaType = String(answer.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!(mediaType in (described.content ?? {})))
      return [...problems, `${mediaType || 'no content type'} is not among ${Object.keys(described.content ?? {}).join(', ')}`];
    const validate = this.schemaAt(pointer('paths', path, verb, 'responses', answer.status, 'content', mediaType, 'schema'));
    let body: unknown = answer.text;
    if (mediaType === 'application/json') {
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [...problems, 'the body is not JSON'];
      }
    }
    if (!validate(body)) problems.push(...(validate.errors ?? []).map(errorText));
    return problems;
  }

  /** What is wrong with a JSON request body by the document; empty when the document takes it. */
  requestProblems(method: string, url: string, body: unknown): string[] {
    const found = this.operation(method, url);
    if (typeof found === 'string') return [found];
    if (!found.operation.requestBody) return [`${method} ${found.path} takes no body`];
    const validate = this.schemaAt(pointer('paths', found.path, found.verb, 'requestBody', 'content', 'application/json', 'schema'));
    return validate(body) ? [] : (validate.errors ?? []).map(errorText);
  }

  private operation(method: string, url: string): { path: string; verb: string; operation: Json } | string {
    const path = this.pathOf(url);
    if (!path) return `no path of the document matches ${url}`;
    const verb = method.toLowerCase();
    const operation = this.document.paths[path][verb];
    return operation ? { path, verb, operation } : `${method} ${path} is not described`;
  }

  /** The value a local reference (`#/...`) points at, or undefined. */
  resolve(ref: string): any {
    if (!ref.startsWith('#/')) return undefined;
    let node: any = this.document;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
      node = node[key];
    }
    return node;
  }
}
