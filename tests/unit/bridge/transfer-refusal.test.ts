/** The bridge's gate for the two byte streams beside the contract: uploads (token in a header) and downloads (ticket). */
import { describe, expect, it } from 'vitest';
import { apiRefusal, contentDisposition, newBridgeToken, TOKEN_HEADER } from '../../../src-main/bridge/server.ts';

const token = newBridgeToken();
const port = 43210;
const o = { token, port };
const octet = { 'content-type': 'application/octet-stream' };
const upload = (headers: Record<string, string>, url = '/api/upload?name=a.csv', method = 'POST') => apiRefusal({ method, url, headers }, o);

describe('upload gate', () => {
  it('lets through the token in the Authorization (or X-Ferry-Token) header with an octet-stream body', () => {
    expect(upload({ ...octet, authorization: `Bearer ${token}` })).toBeNull();
    expect(upload({ ...octet, [TOKEN_HEADER]: token, origin: `http://127.0.0.1:${port}` })).toBeNull();
  });

  it('401 without the token, with a wrong one, or with the token only in the query (a form could send that)', () => {
    expect(upload(octet)).toMatchObject({ status: 401 });
    expect(upload({ ...octet, authorization: `Bearer ${token}x` })).toMatchObject({ status: 401 });
    expect(upload(octet, `/api/upload?name=a.csv&token=${token}`)).toMatchObject({ status: 401 });
  });

  it('415 for the bodies a page of another site may send without asking (and for JSON); 403 from another origin', () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json', '']) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (type) headers['content-type'] = type;
      expect(upload(headers), type).toMatchObject({ status: 415 });
    }
    expect(upload({ ...octet, authorization: `Bearer ${token}`, origin: 'http://evil.example' })).toMatchObject({ status: 403 });
  });

  it('405 for GET or PUT', () => {
    expect(upload({ ...octet, authorization: `Bearer ${token}` }, '/api/upload?name=a.csv', 'GET')).toMatchObject({ status: 405 });
    expect(upload({ ...octet, authorization: `Bearer ${token}` }, '/api/upload?name=a.csv', 'PUT')).toMatchObject({ status: 405 });
  });
});

describe('download gate', () => {
  it('a GET (or HEAD) passes to the route, which checks the ticket; other methods 405; other origins 403', () => {
    expect(apiRefusal({ method: 'GET', url: '/api/download/TICKET/x.csv', headers: {} }, o)).toBeNull();
    expect(apiRefusal({ method: 'HEAD', url: '/api/download/TICKET/x.csv', headers: {} }, o)).toBeNull();
    expect(apiRefusal({ method: 'POST', url: '/api/download/TICKET/x.csv', headers: { authorization: `Bearer ${token}` } }, o)).toMatchObject({ status: 405 });
    expect(apiRefusal({ method: 'GET', url: '/api/download/TICKET/x.csv', headers: { origin: 'http://evil.example' } }, o)).toMatchObject({ status: 403 });
  });

  it('Content-Disposition: attachment with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('ferry-data.csv.zip')).toBe(`attachment; filename="ferry-data.csv.zip"; filename*=UTF-8''ferry-data.csv.zip`);
    expect(contentDisposition('données "Bo".json')).toBe(`attachment; filename="donn_es _Bo_.json"; filename*=UTF-8''donn%C3%A9es%20%22Bo%22.json`);
  });
});
