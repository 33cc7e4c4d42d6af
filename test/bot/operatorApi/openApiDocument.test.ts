import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../bot/operatorApi/openApiDocument.js';
import { ApiContract, pointer } from './apiContract.js';
import { startOperatorApi } from './operatorApiServer.js';

type Api = Awaited<ReturnType<typeof startOperatorApi>>;
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every object in `node` with where it is, as pointer segments. */
function* walk(node: unknown, at: Array<string | number> = []): Generator<[Json, Array<string | number>]> {
  if (node === null || typeof node !== 'object') return;
  yield [node as Json, at];
  for (const [key, value] of Object.entries(node)) yield* walk(value, [...at, Array.isArray(node) ? Number(key) : key]);
}

/** Where the document holds a schema: components, parameters, bodies, answers and headers. */
function schemaLocations(document: Json): string[] {
  const locations = Object.keys(document.components.schemas).map((id) => pointer('components', 'schemas', id));
  for (const [name, header] of Object.entries<Json>(document.components.headers))
    if (header.schema) locations.push(pointer('components', 'headers', name, 'schema'));
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const [verb, operation] of Object.entries<Json>(item)) {
      (operation.parameters ?? []).forEach((_: unknown, i: number) => locations.push(pointer('paths', path, verb, 'parameters', i, 'schema')));
      for (const mediaType of Object.keys(operation.requestBody?.content ?? {}))
        locations.push(pointer('paths', path, verb, 'requestBody', 'content', mediaType, 'schema'));
      for (const [status, answer] of Object.entries<Json>(operation.responses)) {
        for (const mediaType of Object.keys(answer.content ?? {}))
          locations.push(pointer('paths', path, verb, 'responses', status, 'content', mediaType, 'schema'));
      }
    }
  }
  return locations;
}

describe('the OpenAPI document', () => {
  let api: Api;
  let contract: ApiContract;
  let document: Json;
  beforeAll(async () => {
    api = await startOperatorApi();
    contract = await ApiContract.load(api.base);
    document = contract.document;
  });
  afterAll(async () => {
    await api.stop();
  });

  it('is served at GET /api/openapi.json without a key, as generated once', async () => {
    const response = await fetch(`${api.base}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(document);
    expect(openApiDocument()).toBe(openApiDocument());
    expect(JSON.parse(JSON.stringify(openApiDocument()))).toEqual(document);
  });

  it('is served even while the operator API is off (it holds no data)', async () => {
    const off = await startOperatorApi({ OPERATOR_API_KEY: '' });
    try {
      expect((await fetch(`${off.base}/api/openapi.json`)).status).toBe(200);
      expect((await off.call('GET', '/api/tenants/t/account')).status).toBe(503);
    } finally {
      await off.stop();
    }
  });

  it('is OpenAPI 3.1 with the JSON Schema 2020-12 dialect, a title and a version', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('describes every route the server answers, and no other', () => {
    const described = Object.entries<Json>(document.paths).flatMap(([path, item]) => Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`));
    const registered = Object.values(api.app.server.router.getRoutes())
      .map((route) => `${route.method} ${String(route.path).replace(/:(\w+)/g, '{$1}')}`)
      // Bot Framework's endpoint speaks its own protocol, with its own authentication.
      .filter((route) => route !== 'POST /api/messages');
    expect(described.sort()).toEqual(registered.sort());
  });

  it('gives every operation an id, answers with descriptions, and media types with schemas', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      expect(path).toMatch(/^\//);
      for (const [verb, operation] of Object.entries<Json>(item)) {
        const where = `${verb} ${path}`;
        expect(METHODS, where).toContain(verb);
        expect(ids.has(operation.operationId), `${where}: operationId ${operation.operationId} is unique`).toBe(false);
        ids.add(operation.operationId);
        const statuses = Object.keys(operation.responses);
        expect(statuses.length, where).toBeGreaterThan(0);
        expect(
          statuses.some((s) => s.startsWith('2')),
          `${where} has a success answer`,
        ).toBe(true);
        for (const [status, answer] of Object.entries<Json>(operation.responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(answer.description, `${where} ${status}`).toEqual(expect.any(String));
          for (const [mediaType, content] of Object.entries<Json>(answer.content ?? {})) {
            expect(mediaType, `${where} ${status}`).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
            expect(content.schema, `${where} ${status} ${mediaType}`).toBeDefined();
          }
        }
        if (operation.requestBody) expect(Object.keys(operation.requestBody.content), where).toEqual(['application/json']);
      }
    }
  });

  it('declares each path template parameter, and no path parameter the template lacks', () => {
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [verb, operation] of Object.entries<Json>(item)) {
        const declared = (operation.parameters ?? []).filter((p: Json) => p.in === 'path');
        expect(declared.map((p: Json) => p.name).sort(), `${verb} ${path}`).toEqual(inTemplate.sort());
        expect(declared.every((p: Json) => p.required === true)).toBe(true);
        for (const p of operation.parameters ?? []) expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
      }
    }
  });

  it('asks for the bearer key on the operator endpoints, and only there', () => {
    expect(document.components.securitySchemes.operatorKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const operation of Object.values<Json>(item)) {
        // The description holds no data; an export link carries its own signed authorisation.
        const secured = path.startsWith('/api/') && path !== '/api/openapi.json' && !path.startsWith('/api/exports/');
        expect(operation.security ?? null, path).toEqual(secured ? [{ operatorKey: [] }] : null);
        if (secured) expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(['401', '503']));
      }
    }
  });

  it('resolves every reference', () => {
    const refs = [...walk(document)].filter(([node]) => typeof node.$ref === 'string');
    expect(refs.length).toBeGreaterThan(20);
    for (const [node, at] of refs) expect(contract.resolve(node.$ref), `${node.$ref} at ${at.join('/')}`).toBeDefined();
  });

  it('has schemas that ajv compiles in JSON Schema 2020-12 strict mode', () => {
    const locations = schemaLocations(document);
    expect(locations.length).toBeGreaterThan(50);
    for (const location of locations) expect(() => contract.schemaAt(location), location).not.toThrow();
  });

  it('closes the shape of every answer object (a field the document does not name is an error)', () => {
    const open: string[] = [];
    for (const [node, at] of walk(document.components.schemas)) {
      // The document's own schema is the one left open: it is the OpenAPI format, not ours to close.
      if (at[0] === 'OpenApiDocument') continue;
      const requestSide = ['UsageBatch', 'UsageRecord', 'FundsRequest', 'RefundRequest'].includes(String(at[0]));
      if (!requestSide && node.type === 'object' && node.additionalProperties !== false) open.push(at.join('/'));
    }
    expect(open).toEqual([]);
  });

  it('fails an answer with a field it does not name, or without one it requires', async () => {
    await api.call('POST', '/api/tenants/shape-t/funds', { amount: '25.00', currency: 'USD', idempotencyKey: 'shape-1' });
    const real = await api.call('GET', '/api/tenants/shape-t/account');
    const answer = (body: unknown) => ({ ...real, text: JSON.stringify(body) });
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', real)).toEqual([]);

    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', answer({ ...real.body, debtMinor: 0 }))).toEqual([
      '(body) must NOT have additional properties: debtMinor',
    ]);
    const { balance: _balance, ...withoutBalance } = real.body;
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', answer(withoutBalance))).toEqual(["(body) must have required property 'balance'"]);
    const lots = [{ ...real.body.lots[0], addedBy: 'operator' }];
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', answer({ ...real.body, lots }))).toEqual([
      '/lots/0 must NOT have additional properties: addedBy',
    ]);
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', answer({ ...real.body, balanceMinor: 25.5 }))).toEqual([
      '/balanceMinor must be integer',
    ]);
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', { ...real, status: 418 })).toEqual([
      'GET /api/tenants/{tenantId}/account does not describe status 418',
    ]);
    expect(contract.answerProblems('GET', '/api/tenants/shape-t/account', { ...real, headers: { 'content-type': 'application/json' } })).toEqual([
      'header x-request-id is missing',
    ]);
  });
});
