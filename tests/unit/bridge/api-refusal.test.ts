/** The bridge's gate (apiRefusal): what a request needs before it reaches the handlers. */
import { describe, expect, it } from 'vitest';
import { apiRefusal, bridgeOrigins, newBridgeToken, TOKEN_HEADER } from '../../../src-main/bridge/server.ts';

const token = newBridgeToken();
const port = 43210;
const o = { token, port };
const json = { 'content-type': 'application/json' };
const invoke = (headers: Record<string, string>, url = '/api/invoke/db:info', method = 'POST') => apiRefusal({ method, url, headers }, o);

describe('bridge token', () => {
  it('is 32 random bytes, base64url, new each time', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newBridgeToken()).not.toBe(token);
  });
});

describe('apiRefusal', () => {
  it('lets through the token as Bearer or X-Ferry-Token, from no Origin or the bridge’s own', () => {
    expect(invoke({ ...json, authorization: `Bearer ${token}` })).toBeNull();
    expect(invoke({ ...json, [TOKEN_HEADER]: token })).toBeNull();
    expect(invoke({ 'content-type': 'application/json; charset=utf-8', authorization: `bearer ${token}` })).toBeNull();
    for (const origin of bridgeOrigins(port)) expect(invoke({ ...json, authorization: `Bearer ${token}`, origin }), origin).toBeNull();
  });

  it('401 without the token, with a wrong one, or with the token only in an invoke’s query', () => {
    expect(invoke(json)).toMatchObject({ status: 401 });
    expect(invoke({ ...json, authorization: `Bearer ${token}x` })).toMatchObject({ status: 401 });
    expect(invoke({ ...json, authorization: `Basic ${token}` })).toMatchObject({ status: 401 });
    expect(invoke({ ...json, [TOKEN_HEADER]: '' })).toMatchObject({ status: 401 });
    expect(invoke(json, `/api/invoke/db:info?token=${token}`)).toMatchObject({ status: 401 });
  });

  it('403 from any other Origin, token or not (checked first)', () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port}.evil.example`]) {
      expect(invoke({ ...json, authorization: `Bearer ${token}`, origin }), origin).toMatchObject({ status: 403 });
      expect(invoke({ 'content-type': 'text/plain', origin }), origin).toMatchObject({ status: 403 });
    }
  });

  it('415 for a body that is not application/json (the kinds a page may POST without a CORS preflight)', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', '']) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (type) headers['content-type'] = type;
      expect(invoke(headers), type).toMatchObject({ status: 415 });
    }
  });

  it('the event stream: GET with the token in the query (EventSource sends no headers) or a header', () => {
    expect(apiRefusal({ method: 'GET', url: `/api/events?token=${encodeURIComponent(token)}`, headers: {} }, o)).toBeNull();
    expect(apiRefusal({ method: 'GET', url: '/api/events', headers: { authorization: `Bearer ${token}` } }, o)).toBeNull();
    expect(apiRefusal({ method: 'GET', url: '/api/events', headers: {} }, o)).toMatchObject({ status: 401 });
    expect(apiRefusal({ method: 'GET', url: '/api/events?token=nope', headers: {} }, o)).toMatchObject({ status: 401 });
    expect(apiRefusal({ method: 'POST', url: `/api/events?token=${token}`, headers: json }, o)).toMatchObject({ status: 401 });
  });

  it('405 for other methods', () => {
    expect(invoke({ ...json, authorization: `Bearer ${token}` }, '/api/invoke/db:info', 'GET')).toMatchObject({ status: 405 });
    expect(invoke({ authorization: `Bearer ${token}` }, '/api/invoke/db:info', 'OPTIONS')).toMatchObject({ status: 405 });
  });
});
